from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("导入文件"),
        help_text=_("Excel（.xlsx）或 UTF-8 编码的 CSV 文件，不超过 20 MB，请使用下载的模板。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ApplyForm(forms.Form):
    keep_good_rows = forms.BooleanField(
        label=_("仅导入无错误的行，有错误的行不导入"),
        required=False,
        help_text=_("不勾选时，只要有一行存在错误，就不会写入任何数据。"),
    )
