"""The carriers the shop ships with and where a shopper follows a parcel.

A shipment keeps its carrier's code ("royal-mail"), or for a carrier not listed
here the name it was given; the tracking link is built from the carrier's page
and the tracking number, so the shopper's email and order page can link to it.
"""

from dataclasses import dataclass
from urllib.parse import quote

OTHER = "other"


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    #: Where the carrier shows a parcel; {number} is the tracking number.
    tracking_url_template: str = ""


CARRIERS: dict[str, Carrier] = {
    carrier.code: carrier
    for carrier in (
        Carrier(
            "royal-mail",
            "Royal Mail",
            "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
        ),
        Carrier(
            "dpd", "DPD", "https://www.dpd.co.uk/apps/tracking/?reference={number}"
        ),
        Carrier(
            "dhl",
            "DHL",
            "https://www.dhl.com/gb-en/home/tracking/tracking-parcel.html"
            "?submit=1&tracking-id={number}",
        ),
        Carrier("ups", "UPS", "https://www.ups.com/track?tracknum={number}"),
        Carrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
        Carrier("evri", "Evri", "https://www.evri.com/track/parcel/{number}/details"),
        Carrier(OTHER, "Other carrier"),
    )
}

#: For a form's carrier field.
CARRIER_CHOICES = [(carrier.code, carrier.name) for carrier in CARRIERS.values()]


def carrier_find(name: str) -> Carrier | None:
    """The known carrier a code or name stands for, however a person or a
    fulfilment service spells it ("Royal Mail", "royal_mail", "ROYALMAIL")."""
    wanted = _squashed(name)
    if not wanted:
        return None
    for carrier in CARRIERS.values():
        if wanted in (_squashed(carrier.code), _squashed(carrier.name)):
            return carrier
    return None


def carrier_code(name: str) -> str:
    """What a shipment keeps: the known carrier's code, or the name as given."""
    carrier = carrier_find(name)
    return carrier.code if carrier is not None else name.strip()


def carrier_name(code: str) -> str:
    """What the shopper reads: the known carrier's name, or the name as given."""
    carrier = carrier_find(code)
    return carrier.name if carrier is not None else code


def tracking_url(carrier: str, number: str) -> str:
    """The page where the shopper follows the parcel; empty when the carrier
    has no known page or there is no tracking number."""
    found = carrier_find(carrier)
    number = number.strip()
    if found is None or not found.tracking_url_template or not number:
        return ""
    return found.tracking_url_template.format(number=quote(number, safe=""))


def _squashed(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())
