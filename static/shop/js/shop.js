/* Progressive enhancement for the storefront frame; every page works without it. */
(function () {
    "use strict";
    var doc = document;

    function closeMenus(except) {
        doc.querySelectorAll("details[open].js-closable").forEach(function (menu) {
            if (menu !== except) { menu.removeAttribute("open"); }
        });
        doc.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
            if (!except || !menu.parentNode.contains(except)) {
                menu.classList.remove("show");
                var toggle = menu.parentNode.querySelector("[data-toggle=dropdown]");
                if (toggle) { toggle.setAttribute("aria-expanded", "false"); }
            }
        });
    }

    doc.addEventListener("click", function (event) {
        var target = event.target;
        var dismiss = target.closest("[data-dismiss=alert]");
        if (dismiss) {
            var alert = dismiss.closest(".alert");
            if (alert) { alert.remove(); }
            return;
        }
        // Bootstrap-style dropdowns left in Oscar's templates (checkout addresses).
        var toggle = target.closest("[data-toggle=dropdown]");
        if (toggle) {
            event.preventDefault();
            var menu = toggle.parentNode.querySelector(".dropdown-menu");
            var open = menu && !menu.classList.contains("show");
            closeMenus();
            if (open) {
                menu.classList.add("show");
                toggle.setAttribute("aria-expanded", "true");
            }
            return;
        }
        closeMenus(target.closest("details.js-closable"));
    });

    doc.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") { return; }
        var menu = event.target.closest && event.target.closest("details[open].js-closable");
        closeMenus();
        if (menu) { menu.querySelector("summary").focus(); }
        var suggestions = doc.getElementById("search-suggestions");
        if (suggestions && event.target.id === "site-search-q") { suggestions.innerHTML = ""; }
    });

    // Listing filters are folded on narrow screens and open on wide ones, also
    // after htmx swaps a new listing in.
    function filtersOpen(root) {
        if (!window.matchMedia("(min-width: 900px)").matches) { return; }
        root.querySelectorAll("details[data-open-wide]").forEach(function (filters) {
            filters.open = true;
        });
    }
    filtersOpen(doc);
    doc.addEventListener("htmx:afterSwap", function (event) { filtersOpen(event.target); });

    // Leaving the search form hides its suggestions.
    doc.addEventListener("focusout", function (event) {
        var form = event.target.closest && event.target.closest(".site-search");
        var suggestions = doc.getElementById("search-suggestions");
        if (!form || !suggestions) { return; }
        setTimeout(function () {
            if (!form.contains(doc.activeElement)) { suggestions.innerHTML = ""; }
        }, 150);
    });
})();
