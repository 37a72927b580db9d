"""Reading a relation a query has already loaded, without asking the database again."""

from django.db import models

MISSING = object()


def loaded(instance: models.Model, name: str):
    """The value of relation ``name`` (forward or reverse one-to-one, foreign key) if
    ``select_related`` loaded it — None for a loaded absent one — else :data:`MISSING`."""
    relation = instance._meta.get_field(name)
    if relation.is_cached(instance):
        return relation.get_cached_value(instance)
    return MISSING
