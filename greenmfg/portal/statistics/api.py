"""/api/statistics/: the same numbers as the pages, as JSON. Officials read their jurisdiction
(the region within it); /api/statistics/public/ reads the published listings, for anyone."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from greenmfg.accounts.scoping import scope_root
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.models import Jurisdiction
from greenmfg.portal.statistics import selectors
from greenmfg.portal.statistics.forms import StatisticsFilterForm
from greenmfg.portal.statistics.sections import Sections, official_sections, public_sections

PARAMETERS = [
    OpenApiParameter("region", OpenApiTypes.STR, description="区划标识，如 410300（含下级）"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
]


def _payload(place: Jurisdiction, year: int | None, sections: Sections) -> dict:
    return {
        "region": {"key": place.key, "name": place.name, "level": place.level},
        "year": year,
        "sections": [
            {
                "title": title,
                "tables": [
                    {
                        "key": table.key,
                        "title": table.title,
                        "headers": [str(header) for header in table.headers],
                        "rows": [[cell.value for cell in row] for row in table.rows],
                    }
                    for table in tables
                ],
            }
            for title, tables in sections
        ],
    }


def _refuse(form) -> None:
    """A filter the form refused: a 400 with its field errors (greenmfg.core.api.errors)."""
    raise ValidationError(form.errors.as_data())


class OfficialStatisticsView(APIView):
    """数据统计（本辖区）。

    数据统计 of the official's jurisdiction: listed units, applications, reviews, filing,
    grades and indicator trends."""

    @extend_schema(
        operation_id="statistics_official", parameters=PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        user = request.user
        if not selectors.may_read_statistics(user):
            raise NotPermitted(_("数据统计仅供工业和信息化主管部门使用。"))
        root = scope_root(user) or selectors.national_root()
        form = StatisticsFilterForm(request.query_params, root=root, user=user)
        if not form.is_valid():
            _refuse(form)
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        place = region or root
        sections = official_sections(user=user, region=region, place=place, year=year)
        return Response(_payload(place, year, sections))


class PublicStatisticsView(APIView):
    """名单统计（公开）。

    名单统计: the published listings by level, type, year and region."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="statistics_public", parameters=PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        root = selectors.national_root()
        form = StatisticsFilterForm(request.query_params, root=root)
        if not form.is_valid():
            _refuse(form)
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        place = region or root
        return Response(
            _payload(place, year, public_sections(region=region, place=place, year=year))
        )
