"""Orders placed before the lifecycle existed were all paid when placed (an
order is written only once its payment succeeds): they start as Paid, with their
lines awaiting fulfilment; cancelled ones keep their status."""

from django.db import migrations


def forwards(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Line = apps.get_model("order", "Line")
    Order.objects.filter(status="Cancelled").update(
        fulfilment_state="cancelled", payment_state="refunded"
    )
    Order.objects.exclude(status="Cancelled").update(status="Paid", payment_state="paid")
    Line.objects.filter(status="").update(status="Awaiting fulfilment")


class Migration(migrations.Migration):
    dependencies = [("order", "0022_lifecycle")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
