"""评审: the county's initial review and the consulted departments' opinions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from greenmfg.directory.models import Organisation


class CountyReview(models.Model):
    """初审: the county's checklist, ranking and notes on one application."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="county_review"
    )
    checklist = models.JSONField(_("核对清单"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("排序"), null=True, blank=True)
    notes = models.TextField(_("初审意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("初审")
        verbose_name_plural = _("初审")

    def __str__(self) -> str:
        return f"{self.application} 初审"


class OpinionRequest(models.Model):
    """征求意见: the county asks a consulted department about one application."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待回复")
        ANSWERED = "answered", _("已回复")

    class Answer(models.TextChoices):
        NO_OBJECTION = "no_objection", _("无异议")
        OBJECTION = "objection", _("有异议")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="opinion_requests"
    )
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("征求意见部门"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    message = models.TextField(_("征求意见说明"), blank=True)
    due_date = models.DateField(_("回复期限"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer = models.CharField(_("意见"), max_length=14, choices=Answer.choices, blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department"], name="opinion_once_per_department"
            )
        ]
        indexes = [
            models.Index(fields=["department", "status", "-requested_at"], name="opinion_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.application}"


def opinion_attachment_path(instance: "OpinionAttachment", filename: str) -> str:
    return f"opinions/{instance.request_id}/{instance.sha256}.{instance.extension}"


class OpinionAttachment(models.Model):
    """A file a department attaches to its answer (PDF or image), kept with its checksum."""

    request = models.ForeignKey(
        OpinionRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=opinion_attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见附件")
        verbose_name_plural = _("意见附件")

    def __str__(self) -> str:
        return self.original_name
