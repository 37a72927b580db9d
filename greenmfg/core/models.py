"""The models of the shared core: a long document built in the background, and the outbox of
the tasks not yet handed to the broker.

It sits here, in the lowest layer, because every app's list pages export (``?export=xlsx``
through :mod:`greenmfg.core.export`) and those apps sit below the registry: an export job that
lived in ``registry/`` would make ``applications/`` or ``reviews/`` import upwards. The registry's
PDFs (a long 名单, the 名单公告 stored at publication) use the same row and the same progress page.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_path(instance, filename: str) -> str:
    return f"generated/{instance.token}.{instance.extension}"


class GeneratedDocument(models.Model):
    """A document built by Celery (a 5,000-unit PDF, a 100,000-row workbook) with its progress,
    and its file once complete; fetched by its unguessable token.

    ``key`` says which document it is (kind, source, filters, whose scope): while one is queued
    or being built, a second request with the same key gets the same row, never a second build.
    A PDF built in parts records them in ``parts_total``/``parts_done``; ``file`` is only ever
    set with ``status = done``, so a partial file is never offered.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    IN_FLIGHT = (Status.QUEUED, Status.RUNNING)

    token = models.CharField(max_length=40, unique=True)
    key = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("文档类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("参数"), default=dict)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=100, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    parts_total = models.PositiveIntegerField(default=0)
    # The parts built so far: {"index": the part's stored file name}.
    parts_done = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=document_path, max_length=300, blank=True)
    extension = models.CharField(max_length=10, default="pdf")
    back_url = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("生成的文档")
        verbose_name_plural = _("生成的文档")
        ordering = ["-created_at"]
        constraints = [
            # One build at a time per document: the second request joins the first.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="document_one_build_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_flight(self) -> bool:
        return self.status in self.IN_FLIGHT

    @property
    def format_label(self) -> str:
        return "Excel" if self.extension == "xlsx" else self.extension.upper()


class OutboxTask(models.Model):
    """A Celery task not yet handed to the broker. Written inside the transaction that queues it
    (:func:`greenmfg.core.outbox.enqueue_on_commit`) and deleted once its commit's callback has
    published it; kept when the broker refused it (Redis down or unreachable) or the process
    died before publishing. :func:`greenmfg.core.outbox.flush_outbox` (every five minutes from
    beat, or ``manage.py flush_outbox``) sends those again and deletes each row once the broker
    has taken it."""

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list)
    queue = models.CharField(_("队列"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("重发次数"), default=0)
    last_error = models.TextField(_("最后错误"), blank=True)

    class Meta:
        verbose_name = _("待投递任务")
        verbose_name_plural = _("待投递任务")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.task


# The import framework's model lives with its package; Django finds it through this module.
from greenmfg.core.imports.models import ImportRun  # noqa: E402, F401
