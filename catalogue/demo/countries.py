"""The countries the demo shop ships to, so its checkout can take an address."""

from oscar.core.loading import get_model

Country = get_model("address", "Country")

# (ISO 3166-1 alpha-2, alpha-3, numeric, printable name), the home market first.
SHIPPING_COUNTRIES = [
    ("GB", "GBR", "826", "United Kingdom", 1),
    ("IE", "IRL", "372", "Ireland", 0),
    ("FR", "FRA", "250", "France", 0),
    ("DE", "DEU", "276", "Germany", 0),
    ("NL", "NLD", "528", "Netherlands", 0),
    ("US", "USA", "840", "United States", 0),
]


def demo_countries_ensure() -> int:
    """Add the missing shipping countries; returns how many were added."""
    added = 0
    for alpha2, alpha3, numeric, name, priority in SHIPPING_COUNTRIES:
        _, created = Country.objects.get_or_create(
            iso_3166_1_a2=alpha2,
            defaults={
                "iso_3166_1_a3": alpha3,
                "iso_3166_1_numeric": numeric,
                "printable_name": name,
                "name": name,
                "display_order": priority,
                "is_shipping_country": True,
            },
        )
        added += created
    return added
