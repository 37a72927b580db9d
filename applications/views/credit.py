"""信用数据 pages for officials: upload a file, see what was kept and refused, browse events."""

import csv
import io

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from applications.filters.credit import CreditEventFilter, CreditImportFilter
from applications.selectors.credit import credit_event_list, credit_import_list
from applications.services.credit import (
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADER,
    credit_import,
)
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin

# Offered as suggestions; any other source may be typed.
SOURCE_SUGGESTIONS = (
    "信用中国",
    "国家企业信用信息公示系统",
    "中国执行信息公开网",
    "生态环境部门",
    "应急管理部门",
    "市场监管部门",
    "税务部门",
    "工业和信息化部门",
)
ERRORS_PER_PAGE = 50


class CreditImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"),
        # The service gives the specific message for an empty file.
        allow_empty_file=True,
        help_text=gettext_lazy(
            "CSV（UTF-8 或 GB18030 编码）或 Excel（.xlsx），不超过 5 MB，第一行为表头。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    source = forms.CharField(
        label=gettext_lazy("数据来源"),
        max_length=100,
        help_text=gettext_lazy("如：信用中国、国家企业信用信息公示系统、生态环境部门"),
        widget=forms.TextInput(attrs={"list": "credit-sources", "autocomplete": "off"}),
    )


class OfficialFilteredListView(OfficialRequiredMixin, FilteredListView):
    pass


class CreditImportListView(OfficialFilteredListView):
    template_name = "applications/credit_import_list.html"
    context_object_name = "imports"
    filterset_class = CreditImportFilter
    export_filename = gettext_lazy("信用数据导入记录")
    export_title = gettext_lazy("信用数据导入记录")
    export_columns = [
        Column(gettext_lazy("文件名"), lambda i: i.file_name, width=30),
        Column(gettext_lazy("数据来源"), lambda i: i.source, width=24),
        Column(gettext_lazy("导入单位区划"), lambda i: i.jurisdiction.name),
        Column(gettext_lazy("导入人"), lambda i: i.imported_by.display_name),
        Column(gettext_lazy("导入时间"), lambda i: i.imported_at, width=18),
        Column(gettext_lazy("总行数"), lambda i: i.rows_total, width=10),
        Column(gettext_lazy("导入行数"), lambda i: i.rows_imported, width=10),
        Column(gettext_lazy("退回行数"), lambda i: i.rows_refused, width=10),
    ]

    def base_queryset(self):
        # The refused rows are only counted here; their messages can run to thousands.
        return (
            credit_import_list(user=self.request.user)
            .defer("errors")
            .annotate(rows_refused=F("rows_total") - F("rows_imported"))
        )


class CreditEventListView(OfficialFilteredListView):
    template_name = "applications/credit_event_list.html"
    context_object_name = "events"
    filterset_class = CreditEventFilter
    export_filename = gettext_lazy("信用事件")
    export_title = gettext_lazy("信用事件")
    export_columns = [
        Column(gettext_lazy("统一社会信用代码"), lambda e: e.credit_code, width=22),
        Column(gettext_lazy("单位名称"), lambda e: e.unit_name, width=32),
        Column(gettext_lazy("事件类型"), lambda e: e.get_kind_display(), width=20),
        Column(gettext_lazy("发生日期"), lambda e: e.occurred_on, width=12),
        Column(gettext_lazy("移出/整改完成日期"), lambda e: e.resolved_on, width=18),
        Column(gettext_lazy("数据来源"), lambda e: e.source, width=24),
        Column(
            gettext_lazy("导入时间"),
            lambda e: e.credit_import.imported_at if e.credit_import else None,
            width=18,
        ),
        Column(gettext_lazy("说明"), lambda e: e.description, width=40),
    ]

    def base_queryset(self):
        return credit_event_list(user=self.request.user)


class CreditImportCreateView(OfficialRequiredMixin, FormView):
    template_name = "applications/credit_import_form.html"
    form_class = CreditImportForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "source_suggestions": SOURCE_SUGGESTIONS}

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: credit_import(
                actor=self.request.user,
                uploaded_file=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
            ),
            success=lambda record: (
                _("已导入 %(imported)d 行，退回 %(refused)d 行。")
                % {"imported": record.rows_imported, "refused": len(record.errors)}
            ),
            redirect_to=lambda record: reverse(
                "applications:credit-import-detail", args=[record.pk]
            ),
        ) or self.form_invalid(form)


class CreditImportDetailView(OfficialRequiredMixin, DetailView):
    template_name = "applications/credit_import_detail.html"
    context_object_name = "credit_import"

    def get_queryset(self):
        return credit_import_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.object.errors, ERRORS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            refused=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            rows_refused=len(self.object.errors),
            audit_entries=audit_entries_for(subject=self.object)[:50],
        )
        return context


class CreditTemplateView(OfficialRequiredMixin, View):
    """The import template: the Chinese header and one example row, UTF-8 with a BOM for Excel."""

    def get(self, request):
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(TEMPLATE_HEADER)
        writer.writerow(TEMPLATE_EXAMPLE)
        return HttpResponse(
            buffer.getvalue().encode("utf-8"),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": content_disposition_header(
                    as_attachment=True, filename="信用数据导入模板.csv"
                )
            },
        )


urlpatterns = [
    path("credit/imports/", CreditImportListView.as_view(), name="credit-import-list"),
    path("credit/imports/new/", CreditImportCreateView.as_view(), name="credit-import-create"),
    path("credit/imports/<int:pk>/", CreditImportDetailView.as_view(), name="credit-import-detail"),
    path("credit/events/", CreditEventListView.as_view(), name="credit-event-list"),
    path("credit/template.csv", CreditTemplateView.as_view(), name="credit-template"),
]
