"""数据统计 pages: the officials' (their jurisdiction, every figure) and the public's (published
listings only). ``?export=xlsx&table=<key>`` downloads one table as Excel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from greenmfg.accounts.scoping import scope_root
from greenmfg.core.export import Column, wants_export, xlsx_response
from greenmfg.portal.statistics import report, selectors
from greenmfg.portal.statistics.forms import StatisticsFilterForm
from greenmfg.portal.statistics.sections import (
    OFFICIAL_PAGE,
    PUBLIC_PAGE,
    official_sections,
    public_sections,
)


def _export_links(request, tables: list[report.StatTable]) -> None:
    for table in tables:
        query = request.GET.copy()
        query["export"] = "xlsx"
        query["table"] = table.key
        table.export_url = f"{request.path}?{urlencode(sorted(query.items()))}"


def _export(request, tables: list[report.StatTable], *, scope_name: str):
    key = request.GET.get("table", "")
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404(_("没有这张统计表。"))
    columns = [
        Column(str(header), lambda row, index=index: row[index].value, width=18)
        for index, header in enumerate(table.headers)
    ]
    title = f"{scope_name}{table.title}"
    return xlsx_response(
        filename=_("数据统计-%(title)s") % {"title": title},
        title=title,
        columns=columns,
        rows=table.rows,
    )


def _respond(request, *, template: str, form, tables, context: dict, scope_name: str):
    if form.errors:
        # Refused with its reason: the form shows it, nothing is counted.
        return render(request, template, {**context, "form": form, "sections": []}, status=400)
    if wants_export(request):
        return _export(request, [t for _title, ts in tables for t in ts], scope_name=scope_name)
    _export_links(request, [t for _title, ts in tables for t in ts])
    return render(request, template, {**context, "form": form, "sections": tables})


@login_required
def official_statistics(request):
    user = request.user
    if not selectors.may_read_statistics(user):
        raise PermissionDenied(_("数据统计仅供工业和信息化主管部门使用。"))
    root = scope_root(user) or selectors.national_root()
    form = StatisticsFilterForm(request.GET, root=root, user=user)
    context = {"root": root, "page": OFFICIAL_PAGE}
    if not form.is_valid():
        return _respond(
            request,
            template="statistics/official.html",
            form=form,
            tables=[],
            context=context,
            scope_name=root.name,
        )
    region = form.cleaned_data["region"]
    year = form.cleaned_data["year"]
    place = region or root
    sections = official_sections(user=user, region=region, place=place, year=year)
    context.update({"place": place, "year": year})
    return _respond(
        request,
        template="statistics/official.html",
        form=form,
        tables=sections,
        context=context,
        scope_name=place.name,
    )


def public_statistics(request):
    """The published facts only: units on the published lists, by level, type, year, region."""
    root = selectors.national_root()
    form = StatisticsFilterForm(request.GET, root=root)
    context = {"root": root, "page": PUBLIC_PAGE}
    if not form.is_valid():
        return _respond(
            request,
            template="statistics/public.html",
            form=form,
            tables=[],
            context=context,
            scope_name=root.name,
        )
    region = form.cleaned_data["region"]
    year = form.cleaned_data["year"]
    place = region or root
    sections = public_sections(region=region, place=place, year=year)
    context.update({"place": place, "year": year})
    return _respond(
        request,
        template="statistics/public.html",
        form=form,
        tables=sections,
        context=context,
        scope_name=place.name,
    )
