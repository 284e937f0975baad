"""The shop's settings for Oscar's apps and our forks of them: the shop's name,
tax, the dashboard's menus, the order lifecycle and the storefront listings;
shop.settings imports it, after Oscar's defaults."""

from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION as OSCAR_DEFAULT_NAVIGATION

from order import states as order_states
from shop.config import env, tax_rates

# --- Oscar ------------------------------------------------------------------
OSCAR_SHOP_NAME = env.str("SHOP_NAME", default="Larder & Loom")
OSCAR_SHOP_TAGLINE = "Everyday goods, well made"
OSCAR_DEFAULT_CURRENCY = env.str("SHOP_CURRENCY", default="GBP")
OSCAR_HOMEPAGE = "/"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Demo products share a small set of generated images, so deleting one product's
# image must not delete the file under the others.
OSCAR_DELETE_IMAGE_FILES = False

# --- Tax ----------------------------------------------------------------------
# The home country: catalogue prices are what a shopper there pays.
SHOP_COUNTRY = env.str("SHOP_COUNTRY", default="GB").upper()
# Whether catalogue prices include the home country's tax, as UK shops show them.
SHOP_PRICES_INCLUDE_TAX = env.bool("SHOP_PRICES_INCLUDE_TAX", default=True)
# Tax rate by destination (partner.tax) until the merchant sets rates in the
# dashboard; a destination not listed pays none.
SHOP_TAX_RATES = tax_rates(
    "SHOP_TAX_RATES", default="GB=0.20,IE=0.23,FR=0.20,DE=0.19,NL=0.21"
)
# Discounts are worked out on the prices shoppers see, tax included.
OSCAR_OFFERS_INCL_TAX = True
# The dashboard's Offers menu also leads to the New promotion page and the
# customer groups offers may be kept to.
OSCAR_DASHBOARD_NAVIGATION = [
    {
        **section,
        "children": [
            *section["children"],
            {"label": "New promotion", "url_name": "dashboard:promotion-create"},
            {"label": "Customer groups", "url_name": "dashboard:customer-group-list"},
        ],
    }
    if any(
        child.get("url_name") == "dashboard:offer-list"
        for child in section.get("children", [])
    )
    else section
    for section in OSCAR_DEFAULT_NAVIGATION
]
# Fulfilment also leads to the returns queue and the shipping methods.
for section in OSCAR_DASHBOARD_NAVIGATION:
    if any(
        child.get("url_name") == "dashboard:order-list"
        for child in section.get("children", [])
    ):
        section["children"] = [
            *section["children"],
            {"label": "Returns", "url_name": "dashboard:order-return-list"},
            {"label": "Shipping methods", "url_name": "dashboard:shipping-method-list"},
            {"label": "Tax rates", "url_name": "dashboard:tax-rate-list"},
        ]

# --- Orders -------------------------------------------------------------------
# The order's lifecycle and its lines' (order.states); Oscar's own pages read these.
OSCAR_INITIAL_ORDER_STATUS = order_states.PENDING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = order_states.ORDER_TRANSITIONS
OSCAR_INITIAL_LINE_STATUS = order_states.LINE_AWAITING
OSCAR_LINE_STATUS_PIPELINE = order_states.LINE_TRANSITIONS
OSCAR_ORDER_STATUS_CASCADE = {}
# Days after delivery a shopper may ask to return items; a delivered order with
# no open return is completed when they have passed.
ORDER_RETURN_WINDOW_DAYS = env.int("ORDER_RETURN_WINDOW_DAYS", default=30)
# Shared secret carriers and fulfilment services sign their callbacks with
# (HMAC-SHA256 of the body, hex, in the X-Fulfilment-Signature header). Unset, the
# callback endpoint refuses everything.
FULFILMENT_WEBHOOK_SECRET = env.str("FULFILMENT_WEBHOOK_SECRET", default="")

# --- Storefront listings ----------------------------------------------------
# Product attributes (by code) shoppers can filter listings by, in this order.
SHOP_LISTING_FACETS = ["brand", "colour", "size", "material", "origin"]
# Stock at or below this (when a stock record sets no threshold) shows "Only N left".
SHOP_LOW_STOCK_THRESHOLD = 5
# Minutes stock stays reserved for a shopper who has started paying.
SHOP_STOCK_RESERVATION_MINUTES = env.int("SHOP_STOCK_RESERVATION_MINUTES", default=15)
# Seconds a rendered listing fragment is kept; any catalogue change invalidates it.
SHOP_LISTING_CACHE_SECONDS = 600
# Seconds a whole page for visitors without a session or basket is kept
# (shop.page_cache); any change to what the page shows invalidates it. 0: off.
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=600)
