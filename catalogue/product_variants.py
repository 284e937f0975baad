"""Choosing a variant of a parent product from the query string.

`?size=M&colour=Navy` chooses by the attributes the variants differ by; the page
shows one group of values per attribute. This reads only what `product_for_page`
loaded and the offers the Strategy gave, so it costs no queries.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from catalogue.models import Product, ProductAttributeValue
from catalogue.product_selectors import Offer

# Attribute types a shopper can choose a variant by.
CHOOSABLE_TYPES = {"text", "integer", "boolean", "float", "date", "option"}
# The choice of a variant that has no attributes to tell it apart, by its id.
VARIANT_PARAM = "variant"


@dataclass(frozen=True)
class OptionValue:
    value: str  # as the query string carries it
    label: str
    is_available: bool  # some variant one can buy has it
    is_chosen: bool


@dataclass(frozen=True)
class OptionAxis:
    code: str  # the query parameter
    name: str
    values: tuple[OptionValue, ...]
    chosen_label: str


@dataclass(frozen=True)
class VariantChoice:
    axes: tuple[OptionAxis, ...]
    offer: Offer | None  # the chosen variant's
    problems: tuple[str, ...]  # what was wrong with the choice asked for
    prompt: str  # what is still to choose, when nothing is chosen yet

    @property
    def summary(self) -> str:
        return " / ".join(axis.chosen_label for axis in self.axes if axis.chosen_label)


@dataclass(frozen=True)
class _Axis:
    code: str
    name: str
    values: tuple[tuple[str, str], ...]  # (value, label) in display order


def variant_choice(
    *, offers: Sequence[Offer], params: Mapping[str, str]
) -> VariantChoice:
    """The variant the query parameters choose (`?size=M&colour=Navy`), one group of
    values per attribute the variants differ by. An option with a single value is
    chosen for the shopper. Values no variant has, and combinations no variant has,
    are reported in `problems` and left unchosen."""
    axes, keys = _axes([offer.product for offer in offers])
    chosen, problems = _chosen(axes, params)
    offer = None
    if axes and len(chosen) == len(axes):
        wanted = tuple(chosen[axis.code] for axis in axes)
        offer = next((o for o in offers if keys[o.product.pk] == wanted), None)
        if offer is None:
            labels = " / ".join(_label(axis, chosen[axis.code]) for axis in axes)
            problems.append(
                _(
                    "Sorry, this product doesn't come in %(choice)s. "
                    "Please choose another combination."
                )
                % {"choice": labels}
            )
    in_stock = [keys[o.product.pk] for o in offers if o.is_available]
    missing = [axis.name.lower() for axis in axes if axis.code not in chosen]
    return VariantChoice(
        axes=tuple(
            OptionAxis(
                code=axis.code,
                name=axis.name,
                values=tuple(
                    OptionValue(
                        value=value,
                        label=label,
                        is_available=any(key[index] == value for key in in_stock),
                        is_chosen=chosen.get(axis.code) == value,
                    )
                    for value, label in axis.values
                ),
                chosen_label=_label(axis, chosen.get(axis.code)),
            )
            for index, axis in enumerate(axes)
        ),
        offer=offer,
        problems=tuple(problems),
        prompt=_("Choose a %(options)s to add it to your basket.")
        % {"options": get_text_list(missing, _("and"))}
        if missing
        else "",
    )


def _chosen(
    axes: Sequence[_Axis], params: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The value asked for on each axis, and what was asked for that isn't there."""
    chosen = {}
    problems = []
    for axis in axes:
        raw = (params.get(axis.code) or "").strip()
        value = _match(axis, raw)
        if value is not None:
            chosen[axis.code] = value
        elif raw:
            problems.append(
                _(
                    "Sorry, there is no %(name)s “%(value)s” for this product. "
                    "Please choose one of: %(choices)s."
                )
                % {
                    "name": axis.name.lower(),
                    "value": raw[:40],
                    "choices": ", ".join(label for _value, label in axis.values),
                }
            )
        elif len(axis.values) == 1:
            chosen[axis.code] = axis.values[0][0]
    return chosen, problems


def variant_params(*, product: Product, child_id: int) -> dict[str, str]:
    """The query parameters that choose this variant on its parent's page."""
    children = list(product.get_public_children())
    axes, keys = _axes(children)
    key = keys.get(child_id)
    if key is None:
        return {}
    return {axis.code: value for axis, value in zip(axes, key, strict=True)}


def _axes(children: Sequence[Product]) -> tuple[list[_Axis], dict[int, tuple]]:
    """What tells the variants apart: their option attributes, and their other
    attributes that differ, when every variant has a value for them and no two
    variants share all of them. Otherwise the variants themselves, by id."""
    if not children:
        return [], {}
    values = [
        {
            value.attribute.code: value
            for value in child._prefetched_attribute_values
            if value.attribute.type in CHOOSABLE_TYPES
        }
        for child in children
    ]
    common = set.intersection(*(set(child_values) for child_values in values))
    first = values[0]
    codes = [
        code
        for code in sorted(common, key=lambda code: first[code].attribute_id)
        if first[code].attribute.type == "option"
        or len({str(child_values[code].value_as_text) for child_values in values}) > 1
    ]
    keys = {
        child.pk: tuple(str(child_values[code].value_as_text) for code in codes)
        for child, child_values in zip(children, values, strict=True)
    }
    if not codes or len(set(keys.values())) < len(children):
        return _variant_axis(children)
    axes = [
        _Axis(
            code=code,
            name=first[code].attribute.name,
            values=tuple(
                (text, text)
                for text in _in_order([child_values[code] for child_values in values])
            ),
        )
        for code in codes
    ]
    return axes, keys


def _in_order(values: Sequence[ProductAttributeValue]) -> list[str]:
    """Distinct values as text: options in their group's order (XS, S, M), others
    by value (numbers as numbers)."""
    order = {}
    for value in values:
        order.setdefault(str(value.value_as_text), value.value_option_id or value.value)
    try:
        return sorted(order, key=order.__getitem__)
    except TypeError:  # values of mixed types: keep the variants' order
        return list(order)


def _variant_axis(children: Sequence[Product]) -> tuple[list[_Axis], dict[int, tuple]]:
    axis = _Axis(
        code=VARIANT_PARAM,
        name=_("Variant"),
        values=tuple(
            (str(child.pk), child.attribute_summary or child.get_title())
            for child in children
        ),
    )
    return [axis], {child.pk: (str(child.pk),) for child in children}


def _match(axis: _Axis, raw: str) -> str | None:
    if not raw:
        return None
    for value, _label_text in axis.values:
        if value == raw:
            return value
    folded = raw.casefold()
    for value, _label_text in axis.values:
        if value.casefold() == folded:
            return value
    return None


def _label(axis: _Axis, value: str | None) -> str:
    return next((label for v, label in axis.values if v == value), "")
