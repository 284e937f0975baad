default_app_config = "analytics.apps.AnalyticsConfig"
