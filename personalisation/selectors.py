"""Reading what the recommenders learnt."""

from personalisation.models import ProductRecommendations


def bought_together_for_product(*, product_id: int, limit: int = 4) -> list[int]:
    """The products most often bought with this one, best first, as the last
    training found them (one indexed read; empty before any training)."""
    ranked = (
        ProductRecommendations.objects.filter(
            kind=ProductRecommendations.Kind.BOUGHT_TOGETHER, product_id=product_id
        )
        .values_list("product_ids", flat=True)
        .first()
    )
    return (ranked or [])[:limit]
