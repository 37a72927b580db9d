"""动态管理表 pages: a listed unit's tables to fill and file, the officials' overview of a year
(who filed, who is late, who filed late), a table's page and a unit's indicators over the years.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import View

from dynamic_mgmt.filters.table import OverviewFilter
from dynamic_mgmt.forms.table import AttachmentForm, TableForm
from dynamic_mgmt.indicators import indicators_for
from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment
from dynamic_mgmt.selectors.table import (
    FILING_STATES,
    STATE_STYLES,
    filing_state,
    listings_visible,
    my_filings,
    overview_queryset,
    overview_summary,
    row_worsenings,
    table_list,
    table_worsenings,
    unit_history,
    with_deadline_notes,
    with_worsenings,
)
from dynamic_mgmt.services import table as services
from dynamic_mgmt.services.table import may_record_onsite_refusal, record_onsite_refusal
from dynamic_mgmt.services.window import LISTED, can_create_windows, window_for, window_list
from greenmfg.accounts.scoping import scope_root
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.export import Column
from greenmfg.core.files import private_file_response
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.directory.models import Jurisdiction
from registry.models import Listing


def _region(listing) -> str:
    jurisdiction = listing.jurisdiction
    parent = (
        jurisdiction.parent.name if jurisdiction.level == "county" and jurisdiction.parent else ""
    )
    return f"{parent}{jurisdiction.name}"


# --- a listed unit's own tables ----------------------------------------------------------------


@login_required
def my_tables_view(request):
    """The unit's tables under every window opened so far; officials go to their overview."""
    user = request.user
    if user.is_official or user.is_sysadmin:
        return redirect("dynamic_mgmt:table-overview")
    rows = my_filings(user=user, today=clock.today())
    return render(request, "dynamic_mgmt/table_mine.html", {"rows": rows})


# --- the officials' overview -------------------------------------------------------------------


def _year_from(request, windows_years: list[int], today) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    opened = [year for year, opens_on in windows_years if opens_on <= today]
    return max(opened, default=today.year)


class TableOverviewView(OfficialRequiredMixin, FilteredListView):
    """For a year (and a window or a level): every unit that owes a table, whether it filed,
    filed late or is late, with the counts, filters, sort, pages and the Excel export."""

    template_name = "dynamic_mgmt/table_overview.html"
    context_object_name = "rows"
    filterset_class = OverviewFilter
    export_filename = gettext_lazy("动态管理表填报情况")
    export_title = gettext_lazy("动态管理表填报情况")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda x: x.unit_name, width=36),
        Column(gettext_lazy("统一社会信用代码"), lambda x: x.credit_code, width=22),
        Column(gettext_lazy("类型"), lambda x: x.get_unit_type_display(), width=16),
        Column(gettext_lazy("名单层级"), lambda x: x.get_level_display(), width=12),
        Column(gettext_lazy("所在地区"), _region, width=20),
        Column(gettext_lazy("填报截止日期"), lambda x: x.window_deadline, width=14),
        Column(gettext_lazy("填报情况"), lambda x: FILING_STATES[x.state], width=14),
        Column(gettext_lazy("填报时间"), lambda x: x.table_filed_at, width=18),
        Column(
            gettext_lazy("逾期填报"),
            lambda x: _("是") if x.table_late else ("" if x.table_late is None else _("否")),
            width=10,
        ),
        Column(
            gettext_lazy("同比恶化预警"),
            lambda x: "；".join(item.words for item in row_worsenings(x)),
            width=48,
        ),
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = clock.today()

    def base_queryset(self):
        user = self.request.user
        years = list(window_list(user=user).values_list("year", "opens_on"))
        self.year = _year_from(self.request, years, self.today)
        queryset, self.windows = overview_queryset(user=user, year=self.year, today=self.today)
        return queryset

    def regions(self):
        """The jurisdictions the region filter offers: the user's subtree (an administrator's:
        the whole tree)."""
        root = scope_root(self.request.user)
        if root is None:
            return Jurisdiction.objects.all()
        return Jurisdiction.objects.filter(path__startswith=root.path)

    def filter_data(self):
        data = self.request.GET.copy()
        data.setdefault("year", str(self.year))
        return data

    def get_queryset(self):
        base = self.base_queryset()
        self.region_choices = self.regions()
        self.filterset = self.filterset_class(
            self.filter_data(),
            queryset=base,
            request=self.request,
            windows=self.windows,
            regions=self.region_choices,
        )
        queryset = self.filterset.qs
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("jurisdiction__path", "unit_name", "pk")
        # For the counts: the same rows, whatever state is filtered.
        counted = self.filter_data()
        for key in ("state", "ordering", "page"):
            counted.pop(key, None)
        self.summary_filter = self.filterset_class(
            counted,
            queryset=base,
            request=self.request,
            windows=self.windows,
            regions=self.region_choices,
        )
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = overview_summary(self.summary_filter.qs)
        query = self.summary_filter.data.copy()
        states = []
        for state, label in FILING_STATES.items():
            query["state"] = state
            states.append(
                {
                    "code": state,
                    "label": label,
                    "count": summary[state],
                    "url": f"?{query.urlencode()}",
                    "style": STATE_STYLES[state],
                }
            )
        # 同比恶化预警 per row of the page (the values come with the rows: no query).
        rows = with_worsenings(context[self.context_object_name])
        context[self.context_object_name] = rows
        # The deadline is a fixed date: say whether it is a working day (not moved), as the
        # filing-window list does. The page's windows carry every deadline its rows show.
        windows = with_deadline_notes(self.windows)
        notes = {window.deadline: window.deadline_note for window in windows}
        for row in rows:
            row.deadline_note = notes.get(row.window_deadline, "")
        context.update(
            year=self.year,
            today=self.today,
            states=states,
            total=summary["total"],
            state_labels=FILING_STATES,
            state_styles=STATE_STYLES,
            year_windows=windows,
            can_create_windows=can_create_windows(user=self.request.user),
        )
        return context


# --- a table -----------------------------------------------------------------------------------


def _listing_or_404(request, listing_pk):
    return get_object_or_404(listings_visible(user=request.user), pk=listing_pk)


def _table_of(listing, year) -> AnnualTable | None:
    return (
        AnnualTable.objects.filter(listing=listing, year=year)
        .select_related("filed_by", "window")
        .prefetch_related("attachments")
        .first()
    )


def _detail_context(request, listing, year, *, form=None, attachment_form=None) -> dict:
    user = request.user
    today = clock.today()
    window = window_for(listing=listing, year=year)
    with_deadline_notes([window])
    table = _table_of(listing, year)
    may_fill = services.can_fill(user=user, listing=listing)
    editable = (
        may_fill
        and listing.status in LISTED
        and window is not None
        and today >= window.opens_on
        and (table is None or table.status == AnnualTable.Status.DRAFT)
    )
    state = filing_state(window, table, today)
    values = table.indicators if table else {}
    context = {
        "listing": listing,
        "year": year,
        "window": window,
        "table": table,
        "today": today,
        "state": state,
        "state_label": FILING_STATES[state],
        "state_style": STATE_STYLES[state],
        "may_fill": may_fill,
        "editable": editable,
        "past_deadline": window is not None and today > window.deadline,
        "attachments": list(table.attachments.all()) if table else [],
        "values": [
            {"indicator": item, "display": item.display(values.get(item.key))}
            for item in indicators_for(listing.unit_type)
        ],
        "audit_entries": audit_entries_for(subject=table)[:50] if table else [],
        # 同比恶化预警, for the officials: a worsening beyond the tolerance is a warning only.
        "worsenings": table_worsenings(listing=listing, table=table)
        if user.is_official or user.is_sysadmin
        else [],
        # 洛阳 第十八条(二): the county records a refused on-site check of a late unit.
        "may_record_onsite": table is not None
        and table.late
        and table.onsite_refused_on is None
        and may_record_onsite_refusal(user=user, table=table),
    }
    if editable:
        context["form"] = form or TableForm(
            unit_type=listing.unit_type, initial=TableForm.initial_from(table)
        )
        context["attachment_form"] = attachment_form or AttachmentForm()
    return context


def _refused(request, listing, year, **forms):
    """The page after a refused POST. When the table can no longer be filled (filed meanwhile
    from another tab or by a second click, the unit removed from its list), the page shows no
    form, so the refusal would not be seen: the form's errors are shown as messages instead."""
    context = _detail_context(request, listing, year, **forms)
    if not context["editable"]:
        for form in forms.values():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(request, TableDetailView.template_name, context, status=400)


class TableDetailView(LoginRequiredMixin, View):
    """GET: the table (a form for the unit's users while it may be filled; read-only for
    officials and once filed). POST action=save|file: save the draft, or file it."""

    template_name = "dynamic_mgmt/table_detail.html"

    def get(self, request, listing_pk, year):
        listing = _listing_or_404(request, listing_pk)
        return render(request, self.template_name, _detail_context(request, listing, year))

    def post(self, request, listing_pk, year):
        listing = _listing_or_404(request, listing_pk)
        if not services.can_fill(user=request.user, listing=listing):
            raise PermissionDenied(_("只有名单单位本单位的用户可以填报动态管理表。"))
        form = TableForm(request.POST, unit_type=listing.unit_type)
        action = request.POST.get("action", "save")
        if form.is_valid():
            common = {
                "listing": listing,
                "year": year,
                "actor": request.user,
                "indicators": form.indicator_values(),
                "notes": form.cleaned_data["notes"],
            }
            saved = act_on_form(
                request,
                form,
                lambda: _save_and_file(common, file=action == "file"),
                success=_saved_messages,
                redirect_to=reverse("dynamic_mgmt:table-detail", args=[listing.pk, year]),
            )
            if saved:
                return saved
        return _refused(request, listing, year, form=form)


def _save_and_file(common: dict, *, file: bool):
    """Save the draft first, so that whatever is valid is kept even if filing is refused;
    then file it when asked. The filed table, or None for a draft."""
    services.table_save_draft(**common)
    return services.table_file(**common) if file else None


def _saved_messages(table):
    if table is None:
        return _("草稿已保存，可继续填写后提交。")
    if table.late:
        message = _(
            "动态管理表已提交。填报截止日期为 %(deadline)s，本次填报记为逾期填报（%(date)s）。"
        )
        dates = {
            "deadline": table.window.deadline.isoformat(),
            "date": timezone.localdate(table.filed_at).isoformat(),
        }
        return [(messages.WARNING, message % dates)]
    return _("动态管理表已按时提交。")


@login_required
@require_POST
def table_attach_view(request, listing_pk, year):
    listing = _listing_or_404(request, listing_pk)
    if not services.can_fill(user=request.user, listing=listing):
        raise PermissionDenied(_("只有名单单位本单位的用户可以上传附件。"))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attached = act_on_form(
            request,
            form,
            lambda: services.table_attach(
                listing=listing, year=year, actor=request.user, upload=form.cleaned_data["file"]
            ),
            success=lambda attachment: (
                _("附件「%(name)s」已上传。") % {"name": attachment.original_name}
            ),
            redirect_to=reverse("dynamic_mgmt:table-detail", args=[listing.pk, year])
            + "#attachments",
        )
        if attached:
            return attached
    return _refused(request, listing, year, attachment_form=form)


def _attachment_or_404(request, pk) -> AnnualTableAttachment:
    tables = table_list(user=request.user)
    return get_object_or_404(
        AnnualTableAttachment.objects.select_related("table__listing__jurisdiction"),
        pk=pk,
        table__in=tables,
    )


@login_required
@require_POST
def table_detach_view(request, pk):
    attachment = _attachment_or_404(request, pk)
    table = attachment.table
    return act(
        request,
        lambda: services.table_detach(attachment=attachment, actor=request.user),
        success=_("附件已删除。"),
        redirect_to=reverse("dynamic_mgmt:table-detail", args=[table.listing_id, table.year])
        + "#attachments",
    )


@login_required
def table_attachment_view(request, pk):
    """An attachment, only to those who may read its table (the unit, officials in scope)."""
    attachment = _attachment_or_404(request, pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- a unit over the years ---------------------------------------------------------------------


@login_required
def unit_history_view(request, listing_pk):
    """The unit's filed tables, each indicator's change year on year and a chart of it."""
    listing = _listing_or_404(request, listing_pk)
    return render(
        request,
        "dynamic_mgmt/table_history.html",
        {"listing": listing, **unit_history(listing=listing)},
    )


@login_required
@require_POST
def table_onsite_refusal_view(request, listing_pk, year):
    listing = get_object_or_404(Listing, pk=listing_pk)
    table = get_object_or_404(AnnualTable, listing=listing, year=year)
    return act(
        request,
        lambda: record_onsite_refusal(table=table, actor=request.user, refused_on=clock.today()),
        success=_onsite_refusal_message,
        redirect_to=reverse("dynamic_mgmt:table-detail", args=[listing_pk, year]),
        brief=True,
    )


def _onsite_refusal_message(recorded) -> str:
    _table, proposal = recorded
    if proposal is not None:
        return _("已记录不配合现场复核，并依据%(article)s提出移出建议。") % {
            "article": proposal.article
        }
    return _("已记录不配合现场复核。")


urlpatterns = [
    path("dynamic/tables/", TableOverviewView.as_view(), name="table-overview"),
    path(
        "dynamic/tables/<int:listing_pk>/<int:year>/onsite-refused/",
        table_onsite_refusal_view,
        name="table-onsite-refused",
    ),
    path("dynamic/tables/mine/", my_tables_view, name="table-mine"),
    path(
        "dynamic/tables/<int:listing_pk>/<int:year>/",
        TableDetailView.as_view(),
        name="table-detail",
    ),
    path(
        "dynamic/tables/<int:listing_pk>/<int:year>/attachments/",
        table_attach_view,
        name="table-attach",
    ),
    path(
        "dynamic/tables/<int:listing_pk>/history/",
        unit_history_view,
        name="table-history",
    ),
    path(
        "dynamic/tables/attachments/<int:pk>/",
        table_attachment_view,
        name="table-attachment",
    ),
    path(
        "dynamic/tables/attachments/<int:pk>/delete/",
        table_detach_view,
        name="table-detach",
    ),
]
