"""ImportRun: one uploaded file of an import, what its preview found and what its apply wrote."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenmfg.core.stored_files import StoredFile


class ImportRun(StoredFile):
    """导入记录: the file (kept, by its SHA-256), who uploaded it, each row's outcome, and the
    apply. Shown to its uploader only; every preview and apply is also on the audit trail."""

    upload_folder = "imports/{self.kind}"

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("预检中")
        PREVIEWED = "previewed", _("已预检，待导入")
        APPLYING = "applying", _("导入中")
        APPLIED = "applied", _("已导入")
        FAILED = "failed", _("失败")

    IN_FLIGHT = (State.QUEUED, State.CHECKING, State.APPLYING)

    kind = models.CharField(_("导入类别"), max_length=40)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    new = models.PositiveIntegerField(_("新增"), default=0)
    matched = models.PositiveIntegerField(_("匹配已有记录"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    # Each row's outcome as the preview (then the apply) found it: RowResult.as_dict, in order.
    results = models.JSONField(_("逐行结果"), default=list, blank=True)
    keep_good_rows = models.BooleanField(_("仅导入无错误的行"), default=False)
    written = models.PositiveIntegerField(_("写入记录数"), default=0)
    # Why the run failed (a refusal or an error in the background task), for its page.
    error = models.TextField(_("失败原因"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "uploaded_by", "-uploaded_at"], name="import_run_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def in_flight(self) -> bool:
        return self.state in self.IN_FLIGHT

    @property
    def good_rows(self) -> int:
        return self.new + self.matched
