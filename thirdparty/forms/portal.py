"""Filters of the engagement lists (the agency portal, the officials' page and the API share
them) and the form of the portal's report upload."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("第三方评价报告"),
        help_text=_("仅限 PDF，不超过 20 MB；每次上传保留为新版本，并记录 SHA-256 校验值。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
