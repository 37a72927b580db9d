"""System administration of the dynamic management.

Administrators keep the working-day calendar: each year's holidays and make-up working days
from the State Council's notice (法定节假日与调休), one by one or pasted as a whole year
("录入全年安排"), and the years entered completely. Saving recounts the change reports whose
deadline ran into a year that had no schedule. The other records are read-only here: they
change only through the portal's services, which audit them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import (
    AnnualTable,
    CalendarYear,
    ChangeReport,
    FilingWindow,
    GreenGrade,
    Incident,
    ReReviewCase,
    ScheduleMark,
    WorkingDay,
)
from dynamic_mgmt.services.calendar import calendar_enter_year, may_enter_calendar
from dynamic_mgmt.services.change import change_recount_deadlines
from greenmfg.core import clock

BULK_EXAMPLE = "2027-01-01 休息 元旦\n2027-02-06 上班 春节调休\n2027-02-08~2027-02-14 休息 春节"


class BulkScheduleForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        help_text=gettext_lazy("国务院办公厅关于该年度部分节假日安排的通知文号"),
    )
    lines = forms.CharField(
        label=gettext_lazy("节假日与调休安排"),
        widget=forms.Textarea(attrs={"rows": 20, "cols": 60, "placeholder": BULK_EXAMPLE}),
        help_text=gettext_lazy(
            "每行一天或一个区间：日期（或 起~止）、上班/休息、说明，如「2027-02-06 上班 春节调休」"
            "「2027-02-08~2027-02-14 休息 春节」。保存后替换该年度已录入的全部安排，"
            "未列出的日期按周一至周五上班、周末休息计算。"
        ),
    )


def _recount(request) -> None:
    changed = change_recount_deadlines(actor=request.user)
    if changed:
        messages.info(
            request, _("已按新的安排重新计算 %(n)d 份变更报告的上报期限。") % {"n": changed}
        )


@admin.register(WorkingDay)
class WorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]
    change_list_template = "admin/dynamic_mgmt/workingday/change_list.html"

    @admin.display(description=gettext_lazy("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def get_urls(self):
        bulk = path(
            "bulk/",
            self.admin_site.admin_view(self.bulk_view),
            name="dynamic_mgmt_workingday_bulk",
        )
        return [bulk, *super().get_urls()]

    def bulk_view(self, request):
        if not (self.has_change_permission(request) and may_enter_calendar(request.user)):
            raise PermissionDenied
        if request.method == "POST":
            form = BulkScheduleForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    calendar_enter_year(
                        actor=request.user,
                        year=data["year"],
                        source=data["source"],
                        text=data["lines"],
                    )
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    messages.success(
                        request,
                        _("已录入 %(year)d 年法定节假日和调休安排。") % {"year": data["year"]},
                    )
                    _recount(request)
                    changelist = reverse("admin:dynamic_mgmt_workingday_changelist")
                    return redirect(f"{changelist}?date__year={data['year']}")
        else:
            form = BulkScheduleForm(initial={"year": clock.today().year + 1})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("录入全年法定节假日和调休安排"),
            "form": form,
        }
        return TemplateResponse(request, "admin/dynamic_mgmt/workingday/bulk.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recount(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(request)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recount(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: these records change through the portal's audited services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FilingWindow)
class FilingWindowAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "level", "year", "opens_on", "deadline", "opened_at"]
    list_filter = ["level", "year"]


@admin.register(AnnualTable)
class AnnualTableAdmin(ReadOnlyAdmin):
    list_display = ["listing", "year", "status", "filed_at", "late"]
    list_filter = ["year", "status", "late"]
    search_fields = ["listing__unit_name", "listing__credit_code"]
    list_select_related = ["listing__organisation"]


@admin.register(ScheduleMark)
class ScheduleMarkAdmin(ReadOnlyAdmin):
    list_display = ["kind", "listing", "key", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["listing__organisation"]


@admin.register(ReReviewCase)
class ReReviewCaseAdmin(ReadOnlyAdmin):
    list_display = ["listing", "due_on", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["listing__organisation"]


@admin.register(ChangeReport)
class ChangeReportAdmin(ReadOnlyAdmin):
    list_display = ["listing", "kind", "formalities_on", "reported_on", "due_on", "late", "status"]
    list_filter = ["kind", "status", "late"]
    search_fields = ["listing__unit_name", "new_value", "old_value"]
    list_select_related = ["listing__organisation"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["listing", "kind", "occurred_on", "reported_on", "late"]
    list_filter = ["kind", "late"]
    search_fields = ["listing__unit_name"]
    list_select_related = ["listing__organisation"]


@admin.register(GreenGrade)
class GreenGradeAdmin(ReadOnlyAdmin):
    list_display = ["listing", "year", "industry", "grade", "rank", "of", "score", "bottom_five"]
    list_filter = ["year", "grade", "bottom_five"]
    search_fields = ["listing__unit_name", "industry"]
    list_select_related = ["listing__organisation"]
