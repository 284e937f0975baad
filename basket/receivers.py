"""Any change to a basket, its lines or its vouchers makes the mini-basket
recount it (see basket.selectors); a change to its vouchers also drops what the
basket knew of them when it was loaded (`Basket.with_voucher_flag`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from basket.models import Basket, Line
from basket.selectors import basket_version_bump


def _line_changed(sender, instance, **kwargs):
    basket_version_bump(basket_id=instance.basket_id)


def _basket_changed(sender, instance, **kwargs):
    basket_version_bump(basket_id=instance.pk)


def _vouchers_changed(sender, instance, reverse, pk_set, **kwargs):
    if not reverse:
        instance.vouchers_forget()
        basket_version_bump(basket_id=instance.pk)
        return
    for basket_id in pk_set or ():
        basket_version_bump(basket_id=basket_id)


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _line_changed, sender=Line, dispatch_uid=f"mini-basket-line-{name}"
        )
        signal.connect(
            _basket_changed, sender=Basket, dispatch_uid=f"mini-basket-basket-{name}"
        )
    m2m_changed.connect(
        _vouchers_changed,
        sender=Basket.vouchers.through,
        dispatch_uid="mini-basket-vouchers",
    )
