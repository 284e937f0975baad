/* Product page gallery: a thumbnail shows its image in the main frame.
   Without this script each thumbnail is a plain link to its large image. */
document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-gallery-thumb]");
    var main = document.getElementById("product-gallery-image");
    if (!link || !main || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
        return;
    }
    event.preventDefault();
    main.src = link.href;
    main.alt = link.getAttribute("data-alt");
    main.width = link.getAttribute("data-width");
    main.height = link.getAttribute("data-height");
    document.querySelectorAll("[data-gallery-thumb]").forEach(function (thumb) {
        thumb.removeAttribute("aria-current");
    });
    link.setAttribute("aria-current", "true");
});
