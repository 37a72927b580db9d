"""Forms and filters of the annual work reports, shared by the pages and the API.

The report filter uses the ``annual_report_year`` index (year, agency) on rows already limited
to the agencies the official oversees; the missing-report filter narrows the batches whose
deadline has passed, a handful a year.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from thirdparty.services.annual import FIRST_YEAR, SUMMARY_MAX


class AnnualReportForm(forms.Form):
    projects = forms.IntegerField(
        label=_("本年度开展的评价项目数"),
        min_value=0,
        help_text=_("本年度承担的绿色制造第三方评价项目总数"),
    )
    summary = forms.CharField(
        label=_("工作情况摘要"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("评价工作开展情况、人员变化、存在问题等（详见报告正文）"),
    )
    file = forms.FileField(
        label=_("报告文件（PDF）"),
        help_text=_("PDF 格式，不超过 20 MB；重新报送将生成新版本，原版本保留"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The current year at most: the bound moves with the calendar, so it is set here.
        this_year = clock.today().year
        self.fields["year"] = forms.IntegerField(
            label=_("报告年度"), min_value=FIRST_YEAR, max_value=this_year
        )
        self.order_fields(["year", "projects", "summary", "file"])
