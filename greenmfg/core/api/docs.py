"""What the schema tells an integrator about each operation: summary, description, examples
and tags (issue 19.4).

- **Summary.** An ``@action`` (or an overridden standard method, or an ``APIView``'s method)
  is summed up by the first line of its docstring, in Chinese (the API modules' convention:
  the summary, a blank line, the description). A standard action that is not overridden is
  summed up from its model's ``verbose_name``: 列出申报, 查看申报, 新建申报, 修改申报, 删除申报.
- **Description.** The rest of that docstring, else a sentence that says what the standard
  action does. The viewset's docstring belongs to its tag (``SPECTACULAR_SETTINGS["TAGS"]``)
  and is not repeated on every operation.
- **Examples.** Examples written by hand (``OpenApiExample``) are kept. Every other request
  body and 2xx response gets one built from its schema: a property's own ``example``, the first
  of its ``enum``, else a value of its type and format.
"""

import inspect
import re

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from greenmfg.core.api import examples

# Summary and description of a standard action, from the model's verbose_name.
STANDARD_ACTIONS = {
    "list": (_("列出{name}"), _("列出调用者可见的{name}，分页；可用查询参数筛选和排序。")),
    "retrieve": (_("查看{name}"), _("查看调用者可见的一条{name}。")),
    "create": (_("新建{name}"), _("新建一条{name}，响应为新建的{name}。")),
    "update": (_("修改{name}"), _("以请求中的全部字段保存{name}。")),
    "partial_update": (_("修改{name}"), _("只修改请求中给出的字段，其余不变。")),
    "destroy": (_("删除{name}"), _("删除一条{name}。")),
}

# Values of a string by its format (OpenAPI ``format``), dated on the API's version day.
FORMAT_EXAMPLES = {
    "date": "2026-12-07",
    "date-time": "2026-12-07T09:30:00+08:00",
    "time": "09:30:00",
    "email": "contact@example.com",
    "uri": "https://example.com/",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "decimal": "12.50",
    "ipv4": "192.0.2.1",
}
# A file has no JSON example; a multipart body's example leaves it out.
BINARY_FORMATS = {"binary", "byte"}


def _own_method(view, name: str):
    """The method ``name`` of ``view`` if the project defines it (not DRF or Django)."""
    for cls in type(view).__mro__:
        if name in cls.__dict__:
            module = cls.__module__ or ""
            if module.startswith(("rest_framework", "django", "drf_spectacular")):
                return None
            return cls.__dict__[name]
    return None


def _docstring_parts(function) -> tuple[str, str]:
    """(summary, description) of ``function``'s docstring: its first line, and the rest."""
    doc = inspect.cleandoc(getattr(function, "__doc__", None) or "")
    if not doc:
        return "", ""
    first, _newline, rest = doc.partition("\n")
    return first.strip().rstrip("。."), rest.strip()


def _view_model(view) -> type[Model] | None:
    """The model the view serves, read without a request: its queryset or its serializer."""
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer_class = getattr(view, "serializer_class", None)
    if serializer_class is None:
        try:
            serializer_class = view.get_serializer_class()
        except Exception:  # a view may need a real request to choose; then there is none
            return None
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if isinstance(model, type) and issubclass(model, Model):
        return model
    try:  # the queryset is built lazily: no query runs
        return view.get_queryset().model
    except Exception:  # a queryset may need a signed-in user; then there is none
        return None


class DocumentedOperations:
    """Mixed into ``PortalAutoSchema``: each operation's summary, description and examples."""

    def _documented_function(self):
        """The project's own function behind this operation: the action, or the HTTP method
        of an ``APIView``; None for a standard action left to DRF."""
        action = getattr(self.view, "action", None)
        return _own_method(self.view, action or self.method.lower())

    def _standard_action(self) -> str | None:
        action = getattr(self.view, "action", None)
        return action if action in STANDARD_ACTIONS else None

    def _model_name(self) -> str:
        model = _view_model(self.view)
        return str(model._meta.verbose_name) if model else ""

    def get_summary(self):
        summary, _rest = _docstring_parts(self._documented_function())
        if summary:
            return summary
        action, name = self._standard_action(), self._model_name()
        if action and name:
            return str(STANDARD_ACTIONS[action][0]).format(name=name)
        if not hasattr(self.view, "action"):  # an APIView: one operation, its class says it
            return _docstring_parts(type(self.view))[0] or None
        return None  # tests/core/test_api_docs.py names the operation

    def get_description(self):
        function = self._documented_function()
        summary, rest = _docstring_parts(function)
        if rest:
            return rest
        action, name = self._standard_action(), self._model_name()
        if not summary and action and name:
            return str(STANDARD_ACTIONS[action][1]).format(name=name)
        if not summary and not hasattr(self.view, "action"):
            return _docstring_parts(type(self.view))[1]
        return ""

    # Examples ---------------------------------------------------------------------------

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation:
            self._add_written_examples(operation)
            self._complete_examples(operation)
        return operation

    def _add_written_examples(self, operation: dict) -> None:
        """The examples written by hand for this operation (``examples.BY_OPERATION``), on its
        JSON request body and its first 2xx JSON response, as they are (a list's is a page)."""
        path = re.sub(r"^/api/v[0-9]+", "", self.path)
        written = examples.BY_OPERATION.get((self.method, path))
        if not written:
            return
        successes = sorted(code for code in operation["responses"] if str(code).startswith("2"))
        targets = {
            "request": operation.get("requestBody", {}).get("content", {}),
            "response": operation["responses"][successes[0]].get("content", {})
            if successes
            else {},
        }
        for direction, by_title in written.items():
            media = targets[direction].get("application/json")
            if media is not None:
                media["examples"] = {
                    title: {"summary": title, "value": value} for title, value in by_title.items()
                }

    def _complete_examples(self, operation: dict) -> None:
        """Give an example to each request body and 2xx response that has none."""
        contents = [operation.get("requestBody", {}).get("content", {})]
        contents += [
            response.get("content", {})
            for code, response in operation.get("responses", {}).items()
            if str(code).startswith("2")
        ]
        for content in contents:
            for media_type, media in content.items():
                if "example" in media or "examples" in media or "schema" not in media:
                    continue
                multipart = not media_type.endswith("json")
                value = self._example_of(media["schema"], skip_binary=multipart)
                if value is not _NO_EXAMPLE:
                    media["example"] = value

    def _resolve(self, schema: dict) -> dict:
        ref = schema.get("$ref")
        if not ref:
            return schema
        name = ref.rsplit("/", 1)[-1]
        component = self.registry._components.get((name, "schemas"))
        return component.schema if component is not None else {}

    def _example_of(self, schema, *, skip_binary=False, depth=0):
        """A value of ``schema``, or ``_NO_EXAMPLE`` (a file, or nesting too deep)."""
        if not isinstance(schema, dict) or depth > 8:
            return _NO_EXAMPLE
        schema = self._resolve(schema)
        if "example" in schema:
            return schema["example"]
        if schema.get("enum"):
            values = [value for value in schema["enum"] if value not in ("", None)]
            return values[0] if values else schema["enum"][0]
        if "default" in schema and schema["default"] not in ("", None):
            return schema["default"]
        for combinator in ("allOf", "oneOf", "anyOf"):
            if schema.get(combinator):
                parts = [
                    self._example_of(part, skip_binary=skip_binary, depth=depth + 1)
                    for part in schema[combinator]
                ]
                parts = [part for part in parts if part is not _NO_EXAMPLE]
                if combinator == "allOf" and all(isinstance(part, dict) for part in parts):
                    merged = {}
                    for part in parts:
                        merged.update(part)
                    return merged
                return parts[0] if parts else _NO_EXAMPLE
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object_example(schema, skip_binary=skip_binary, depth=depth)
        if kind == "array":
            item = self._example_of(
                schema.get("items", {}), skip_binary=skip_binary, depth=depth + 1
            )
            return [] if item is _NO_EXAMPLE else [item]
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            return max(1.5, schema.get("minimum", 1.5))
        if kind == "boolean":
            return True
        if kind == "string":
            return self._string_example(schema, skip_binary=skip_binary)
        return _NO_EXAMPLE if kind else {}

    def _object_example(self, schema, *, skip_binary, depth):
        example = {}
        for key, prop in schema.get("properties", {}).items():
            value = self._example_of(prop, skip_binary=skip_binary, depth=depth + 1)
            if value is not _NO_EXAMPLE:
                example[key] = value
        extra = schema.get("additionalProperties")
        if not example and isinstance(extra, dict):
            value = self._example_of(extra, skip_binary=skip_binary, depth=depth + 1)
            if value is not _NO_EXAMPLE:
                example["key"] = value
        return example

    def _string_example(self, schema, *, skip_binary):
        fmt = schema.get("format", "")
        if fmt in BINARY_FORMATS:
            return _NO_EXAMPLE if skip_binary else "…"
        if fmt in FORMAT_EXAMPLES:
            return FORMAT_EXAMPLES[fmt]
        text = "示例"
        minimum = schema.get("minLength", 0)
        if minimum > len(text):
            text = text * (minimum // len(text) + 1)
        maximum = schema.get("maxLength")
        return text[:maximum] if maximum else text


class _NoExample:
    def __repr__(self):
        return "<no example>"


_NO_EXAMPLE = _NoExample()
