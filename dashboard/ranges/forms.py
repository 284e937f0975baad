"""Oscar's range form, with the brand whose products a range takes in."""

from oscar.apps.dashboard.ranges import forms as oscar_forms


class RangeForm(oscar_forms.RangeForm):
    class Meta(oscar_forms.RangeForm.Meta):
        fields = [*oscar_forms.RangeForm.Meta.fields, "brand"]
