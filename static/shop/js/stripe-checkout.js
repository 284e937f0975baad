/* Stripe's Payment Element on the order preview: mounts the element for the
   payment the server started, and "Place order" confirms it; Stripe then sends the
   shopper to the return address, where the server checks the outcome. */
(function () {
    "use strict";
    var element = document.getElementById("payment-element");
    if (!element || typeof Stripe === "undefined") { return; }
    var stripe = Stripe(element.dataset.publishableKey);
    var elements = stripe.elements({ clientSecret: element.dataset.clientSecret });
    elements.create("payment").mount(element);
    var button = document.getElementById("place-order");
    var message = document.getElementById("payment-message");
    button.addEventListener("click", function () {
        button.disabled = true;
        stripe.confirmPayment({
            elements: elements,
            confirmParams: { return_url: element.dataset.returnUrl }
        }).then(function (result) {
            // Only reached when the payment could not be confirmed.
            if (result.error) {
                message.textContent = result.error.message;
                message.hidden = false;
                button.disabled = false;
            }
        });
    });
})();
