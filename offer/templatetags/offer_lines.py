"""What a basket line owes to an offer, for the basket's templates."""

from django import template

from offer.models import is_gift_line

register = template.Library()


@register.filter(name="is_gift_line")
def is_gift_line_filter(line) -> bool:
    """Whether an offer put this line in the basket as a free gift."""
    return is_gift_line(line)
