"""``?ordering=`` on the API's lists: the view's ``ordering_fields``, or else the serializer's
fields that name a column the database can sort by.

DRF's default takes every readable serializer field, a method's too (``get_status_display``):
sorting by one raised a FieldError, a 500. The schema (``PortalAutoSchema``) offers exactly the
fields this backend accepts; any other value is ignored, as DRF does.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework.filters import OrderingFilter


def sorts_by(model, lookup: str) -> bool:
    """Whether ``lookup`` (``a__b``) names a column ``order_by`` can sort ``model`` by."""
    for part in lookup.split("__"):
        if model is None:
            return False
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many or not field.concrete:
            return False
        model = field.related_model
    return True


class PortalOrderingFilter(OrderingFilter):
    def get_valid_fields(self, queryset, view, context=None):
        fields = super().get_valid_fields(queryset, view, context or {})
        if getattr(view, "ordering_fields", None) is not None:
            return fields
        model = getattr(queryset, "model", None)
        return [(name, label) for name, label in fields if sorts_by(model, name)]
