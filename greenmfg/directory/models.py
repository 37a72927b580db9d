from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.credit_code import validate_credit_code


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")


LEVEL_DEPTH = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3}


class Jurisdiction(models.Model):
    """行政区划: a node of nation → province → city → county/district.

    A city's 功能区/先导区 (high-tech zones, new areas) act as counties but have no division code,
    so ``key`` (the code where there is one) identifies a node. ``path`` holds the keys from the
    root, so a whole subtree is one indexed prefix match.
    """

    class Kind(models.TextChoices):
        ADMIN = "admin", _("行政区划")
        FUNCTIONAL = "functional", _("功能区/先导区")

    key = models.CharField(_("标识"), max_length=20, unique=True)
    code = models.CharField(
        _("行政区划代码"), max_length=6, blank=True, help_text=_("GB/T 2260 六位代码，功能区无")
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.ADMIN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class under a non-C locale.
            models.Index(
                fields=["path"], name="jurisdiction_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level"], name="jurisdiction_level"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="jurisdiction_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else ''}{self.key}/"
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def contains(self, other: "Jurisdiction") -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_keys(self) -> list[str]:
        return self.path.strip("/").split("/")[:-1]


class Organisation(models.Model):
    """单位: every body that uses the portal sits in one jurisdiction."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("工业和信息化主管部门")
        ENTERPRISE = "enterprise", _("企业")
        PARK = "park", _("园区管理机构")
        AGENCY = "agency", _("第三方评价机构")
        DEPARTMENT = "department", _("征求意见部门")
        INSTITUTION = "institution", _("高校/科研院所/其他单位")

    class Department(models.TextChoices):
        ECOLOGY_ENVIRONMENT = "ecology_environment", _("生态环境部门")
        EMERGENCY_MANAGEMENT = "emergency_management", _("应急管理部门")
        MARKET_REGULATION = "market_regulation", _("市场监管部门")
        TAX = "tax", _("税务部门")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACTIVE = "active", _("正常")
        REJECTED = "rejected", _("未通过")
        DEACTIVATED = "deactivated", _("已停用")

    # Kinds that must carry a 统一社会信用代码 (bureaus and departments are looked up by place).
    KINDS_REQUIRING_CREDIT_CODE = frozenset({Kind.ENTERPRISE, Kind.PARK, Kind.AGENCY})

    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("单位类别"), max_length=20, choices=Kind.choices)
    department = models.CharField(
        _("部门类别"), max_length=30, choices=Department.choices, blank=True
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organisation_credit_code_unique",
                violation_error_message=_("该统一社会信用代码已被其他单位使用。"),
            ),
            models.UniqueConstraint(
                fields=["kind", "department", "jurisdiction", "name"],
                name="organisation_name_unique_in_jurisdiction",
                violation_error_message=_("本区划内已有同名同类单位。"),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="organisation_kind_status"),
            models.Index(fields=["status"], name="organisation_status"),
        ]

    def __str__(self) -> str:
        return self.name
