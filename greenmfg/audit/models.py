from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenmfg.core.errors import DomainError


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise DomainError(_("操作留痕只能追加，不能修改。"), code="audit_append_only")

    def delete(self):
        raise DomainError(_("操作留痕只能追加，不能删除。"), code="audit_append_only")


class AuditEntry(models.Model):
    """操作留痕: who did what to which record, when, from which state to which.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    in the database too (migration 0002), so even raw SQL cannot rewrite history.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the entry reads the same after a user is renamed.
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=24, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=50)
    action_label = models.CharField(_("操作名称"), max_length=100, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作留痕")
        verbose_name_plural = _("操作留痕")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_subject_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action_label or self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise DomainError(_("操作留痕只能追加，不能修改。"), code="audit_append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(_("操作留痕只能追加，不能删除。"), code="audit_append_only")
