default_app_config = "offer.apps.OfferConfig"
