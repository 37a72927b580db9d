"""名单: the units an authority has published on its green manufacturing list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch, UnitType
from greenmfg.directory.models import Jurisdiction, Level, Organisation


class Listing(models.Model):
    """One unit on one authority's published list (a unit may sit on several levels' lists)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        UNDER_REVIEW = "under_review", _("复核中")
        REMOVED = "removed", _("已移出")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="listings"
    )
    # The applicant's county at the time of listing, so that lists filter by region without a join.
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    unit_type = models.CharField(_("类型"), max_length=20, choices=UnitType.choices)
    product_name = models.CharField(_("产品名称"), max_length=200, blank=True)
    level = models.CharField(_("名单层级"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    authority = models.ForeignKey(
        Organisation, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listings",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listing",
    )
    document_number = models.CharField(_("发文文号"), max_length=100)
    listed_on = models.DateField(_("发布日期"))
    valid_until = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("空表示名单未设固定期限。")
    )
    status = models.CharField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名单单位")
        verbose_name_plural = _("名单单位")
        ordering = ["-listed_on", "id"]
        indexes = [
            models.Index(fields=["level", "unit_type", "year"], name="listing_level_type_year"),
            models.Index(fields=["organisation", "level"], name="listing_org_level"),
            models.Index(fields=["jurisdiction", "status"], name="listing_scope_status"),
            models.Index(fields=["batch"], name="listing_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_level_display()}{self.get_unit_type_display()}"
