"""API plumbing shared by every app: pagination and ids read from a request. The one exception
handler is in ``errors``."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import InvalidPage, PageNumberPagination
from rest_framework.response import Response

from greenmfg.core.ids import MAX_ID
from greenmfg.core.pagination import CappedPaginator


class IdField(serializers.IntegerField):
    """The id of a row in a request body: a positive integer that fits the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def parse_id(raw) -> int | None:
    """``raw`` (text from the path or the query string) as an id, or None if it is not one.

    ``str.isdigit()`` alone lets through digits ``int()`` refuses (``²``) and numbers too big for
    the database; the router lets any text through the path (``null``).
    """
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def id_or_404(raw) -> int:
    """The id in the URL, or 404 when the URL holds no id at all."""
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value


class StandardPagination(PageNumberPagination):
    """Pages of every list endpoint, counted no further than ``settings.LIST_COUNT_CAP``.

    The response keeps DRF's ``count``/``next``/``previous``/``results`` and stays truthful:
    ``count`` is the exact number of matches whenever it is known (up to the cap), and null
    when more than the cap matched (counting them all would cost more than the page). Then
    ``count_exact`` is false and ``count_estimate`` holds PostgreSQL's estimate (null on other
    databases). ``next`` is null only on the last page, so a client reads every row by
    following ``next``. ``?page=last`` works only when the count is known.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        if self.page.has_other_pages() and self.template is not None:
            # The browsable API shows its page links.
            self.display_page_controls = True
        return list(self.page)

    def get_html_context(self):
        if self.page.paginator.num_pages is None:
            # Numbered links need the last page: without it, only previous and next.
            return {
                "previous_url": self.get_previous_link(),
                "next_url": self.get_next_link(),
                "page_links": [],
            }
        return super().get_html_context()

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        stated = paginator.count  # the exact count, or the estimate (which sets the flag)
        exact = paginator.count_is_exact
        return Response(
            {
                "count": stated if exact else None,
                "count_exact": exact,
                "count_estimate": stated if paginator.count_is_estimate else None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["count", "count_exact", "results"]
        properties = body["properties"]
        properties["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": _("匹配记录的准确条数；超过计数上限时为 null（见 count_estimate）。"),
        }
        properties["count_exact"] = {
            "type": "boolean",
            "description": _("count 是否为准确条数。"),
        }
        properties["count_estimate"] = {
            "type": "integer",
            "nullable": True,
            "description": _("count 为 null 时数据库估算的条数（仅供参考）；否则为 null。"),
        }
        body["properties"] = {
            key: properties[key]
            for key in ("count", "count_exact", "count_estimate", "next", "previous", "results")
        }
        return body
