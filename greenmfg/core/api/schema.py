"""The portal's OpenAPI schema class (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

Each concern is a mixin of its own module: the error responses (``errors``), the operations'
documentation (``docs``); what a request body and its parameters are is decided here.

A request body's media types are those of the view's parsers, and the views take JSON (the
default parser) except where a file is uploaded, which takes ``multipart/form-data`` alone: so
the schema and the server agree without a rule of their own here (issue 19.1).
"""

from types import SimpleNamespace

from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_view_model
from rest_framework.filters import OrderingFilter

from greenmfg.core.api.docs import DocumentedOperations
from greenmfg.core.api.errors import ErrorResponses
from greenmfg.core.api.ordering import sorts_by


class PortalAutoSchema(ErrorResponses, DocumentedOperations, AutoSchema):
    """drf-spectacular's AutoSchema, with the portal's errors, documentation and bodies."""

    def get_filter_backends(self):
        """A list's filters, on the list alone.

        drf-spectacular offers them on any operation whose response is a list, so a ``POST``
        answering with several rows (or an action listing a row's documents) showed the
        collection's filters, which those operations never apply.
        """
        if self.method != "GET":
            return []
        action = getattr(self.view, "action", None)
        if action is not None and action != "list":
            return []
        return super().get_filter_backends()

    def _get_pagination_parameters(self):
        # A write never reads ?page=, whatever its answer looks like.
        if self.method != "GET":
            return []
        return super()._get_pagination_parameters()

    def _get_filter_parameters(self):
        parameters, ordering = [], []
        for backend_class in self.get_filter_backends():
            backend = backend_class()
            if isinstance(backend, OrderingFilter):
                ordering += [
                    self._ordering_parameter(backend, parameter)
                    for parameter in backend.get_schema_operation_parameters(self.view)
                ]
                continue
            extension = OpenApiFilterExtension.get_match(backend)
            if extension:
                parameters += extension.get_schema_operation_parameters(self)
            else:
                parameters += backend.get_schema_operation_parameters(self.view)
        # The filterset's own ordering (an enum of its choices, anything else refused with a
        # 400) decides where there is one; elsewhere the backend's, as an enum of its fields.
        named = {parameter["name"] for parameter in parameters}
        return parameters + [p for p in ordering if p["name"] not in named]

    def _ordering_parameter(self, backend: OrderingFilter, parameter: dict) -> dict:
        """``ordering`` as an enum of the fields the view allows, each in both directions."""
        fields = self._ordering_fields(backend)
        if not fields:
            return parameter
        return {**parameter, "schema": {"type": "string", "enum": fields}}

    def _ordering_fields(self, backend: OrderingFilter) -> list[str]:
        model = get_view_model(self.view, emit_warnings=False)
        if model is None and getattr(self.view, "ordering_fields", None) is None:
            return []
        queryset = SimpleNamespace(model=model, query=SimpleNamespace(annotations={}))
        context = {"request": getattr(self.view, "request", None)}
        names = [name for name, _label in backend.get_valid_fields(queryset, self.view, context)]
        if getattr(self.view, "ordering_fields", None) is None:
            # DRF's default (the serializer's fields) takes names that are no column too,
            # such as a method's; the database cannot sort by those (PortalOrderingFilter).
            names = [name for name in names if sorts_by(model, name)]
        return [term for name in names for term in (name, f"-{name}")]


def titles_to_descriptions(result, generator, request, public):
    """A ``POSTPROCESSING_HOOKS`` hook: no ``title`` below the document's own.

    drf-spectacular gives each property and query parameter its field's label as ``title``, in
    Chinese; client generators turn a title into a class name, so two query enums titled
    「状态」 collided (and one operation was dropped) and dozens of classes had Chinese names.
    The label is kept for people, at the head of the ``description``; the generators then name
    things from the component, operation and field names, which are English identifiers.
    """
    for key in ("paths", "components"):
        if key in result:
            _move_titles(result[key])
    return result


def _move_titles(node) -> None:
    if isinstance(node, list):
        for item in node:
            _move_titles(item)
        return
    if not isinstance(node, dict):
        return
    title = node.get("title")
    if isinstance(title, str):
        del node["title"]
        description = node.get("description") or ""
        if not description.startswith(title):
            node["description"] = f"{title}\n\n{description}" if description else title
    for key, value in node.items():
        if key in ("example", "examples", "default", "enum"):
            continue  # values, not schemas: a property may well be named "title"
        if key == "properties" and isinstance(value, dict):
            for schema in value.values():
                _move_titles(schema)
        else:
            _move_titles(value)
