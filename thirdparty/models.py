"""第三方评价机构: the agencies' profiles, staff, experience, related entities, engagements on
applications, blacklist entries and annual work reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch
from greenmfg.core.stored_files import StoredFileContent, upload_path
from greenmfg.directory.models import Jurisdiction, Organisation, set_province_and_city


class TitleLevel(models.TextChoices):
    NONE = "none", _("初级或无职称")
    INTERMEDIATE = "intermediate", _("中级")
    SENIOR = "senior", _("高级")


class StaffField(models.TextChoices):
    ENERGY = "energy", _("能源")
    ENVIRONMENT = "environment", _("环境")
    ECOLOGY = "ecology", _("生态")
    LOW_CARBON = "low_carbon", _("低碳")
    LIFE_CYCLE = "life_cycle", _("生命周期评价")
    OTHER = "other", _("其他")


class AgencyProfile(models.Model):
    """An agency's declaration for its qualification (大连 二): reviewed by an official."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("退回修改")

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("评价机构"),
        on_delete=models.PROTECT,
        related_name="agency_profile",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    # The representative's ID number identifies "the same legal representative" across agencies
    # (洛阳 第二十条); shown to officials only, and masked.
    legal_representative_id = models.CharField(
        _("法定代表人身份证号"), max_length=18, db_index=True
    )
    independent_legal_entity = models.BooleanField(
        _("在中华人民共和国境内注册并具有独立法人资格"), default=False
    )
    has_fixed_office = models.BooleanField(_("具有固定的办公场所和办公条件"), default=False)
    office_address = models.CharField(_("办公地址"), max_length=300, blank=True)
    has_finance_system = models.BooleanField(_("具有健全的财务管理制度"), default=False)
    staff_compliance = models.BooleanField(
        _("人员遵守法律法规和评价程序，熟悉绿色制造政策标准"), default=False
    )
    evaluation_capability = models.BooleanField(
        _("具备开展绿色工厂、园区、供应链等评价的能力"), default=False
    )
    status = models.CharField(
        _("审核状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评价机构资质")
        verbose_name_plural = _("评价机构资质")
        indexes = [models.Index(fields=["status"], name="agency_profile_status")]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def masked_id(self) -> str:
        value = self.legal_representative_id
        return f"{value[:4]}{'*' * max(len(value) - 8, 0)}{value[-4:]}" if len(value) > 8 else value


class RelatedEntity(models.Model):
    """关联单位: a body related to the agency (same legal representative, parent, subsidiary…).
    When it is itself a registered agency, its projects count with this one's (大连 二)."""

    class Relation(models.TextChoices):
        SAME_REPRESENTATIVE = "same_representative", _("同一法定代表人")
        PARENT = "parent", _("上级单位/母公司")
        SUBSIDIARY = "subsidiary", _("下属单位/子公司")
        AFFILIATE = "affiliate", _("同一集团的其他单位")
        OTHER = "other", _("其他关联关系")

    agency = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="related_entities"
    )
    name = models.CharField(_("关联单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    relation = models.CharField(_("关联关系"), max_length=20, choices=Relation.choices)
    related_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("对应的评价机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("关联单位")
        verbose_name_plural = _("关联单位")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "credit_code"],
                name="related_entity_once",
                violation_error_message=_("该关联单位已登记。"),
            )
        ]
        indexes = [models.Index(fields=["credit_code"], name="related_entity_code")]

    def __str__(self) -> str:
        return f"{self.agency} → {self.name}"


class StaffMember(models.Model):
    """评价人员: one person of the agency's roster."""

    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agency_staff")
    name = models.CharField(_("姓名"), max_length=50)
    full_time = models.BooleanField(_("专职"), default=True)
    title_level = models.CharField(_("职称级别"), max_length=14, choices=TitleLevel.choices)
    field = models.CharField(_("专业领域"), max_length=12, choices=StaffField.choices)
    green_evaluation = models.BooleanField(_("从事绿色评价工作"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评价人员")
        verbose_name_plural = _("评价人员")
        ordering = ["agency", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ExperienceRecord(models.Model):
    """近五年业绩: evaluations, standards, policy or provincial research projects (大连 二(五))."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", _("绿色制造相关评审、论证、评价")
        STANDARD = "standard", _("国家或行业标准制定")
        POLICY = "policy", _("绿色制造相关政策制定")
        RESEARCH = "research", _("省级以上科研项目")

    agency = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agency_experience"
    )
    kind = models.CharField(_("业绩类别"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    led = models.BooleanField(_("主导（否则为参与）"), default=False)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("业绩")
        verbose_name_plural = _("业绩")
        ordering = ["agency", "-year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


def set_places(engagements, *, using=None) -> None:
    """Copy each engagement's application's county onto the engagement, with that county's
    province and city (``set_province_and_city``, as organisations and listings do; at most
    three queries for any number of engagements).

    An application never moves (its ``jurisdiction`` is the applicant's county when it was
    made), so the copy stays true without being followed afterwards.
    """
    counties = {}
    for engagement in engagements:
        if Engagement.application.is_cached(engagement) and engagement.application:
            counties[engagement.application_id] = engagement.application.jurisdiction_id
    missing = {e.application_id for e in engagements} - set(counties) - {None}
    if missing:
        counties.update(
            Application.objects.using(using)
            .filter(pk__in=missing)
            .values_list("pk", "jurisdiction_id")
        )
    for engagement in engagements:
        county = counties.get(engagement.application_id)
        if county is not None:  # no application: the insert itself refuses it
            engagement.jurisdiction_id = county
    set_province_and_city(engagements, using=using)


class EngagementQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each engagement's county, city and province, which ``save`` fills one by one."""
        objs = list(objs)
        set_places(objs, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)


class Engagement(models.Model):
    """评价委托: an applicant names the agency on its application. Active engagements count
    toward the agency's cap; withdrawing one frees its place."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        WITHDRAWN = "withdrawn", _("已撤销")

    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="engagements")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="engagements"
    )
    # Kept here so that the cap counts without joins: the batch, its year, and whether the unit
    # type is one the caps count (绿色工厂、园区、供应链; design products are not counted).
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    counted = models.BooleanField(_("计入项目上限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("委托时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # The application's county and that county's province and city (Organisation's pattern),
    # copied when the engagement is made: an official's engagements are one equality on an
    # index in the lists' order, with no join to the applications (issue 16).
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所在区划"),
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    province = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所属省份"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    city = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所属城市"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价委托")
        verbose_name_plural = _("评价委托")
        # The id breaks ties, so that pages of engagements made in the same second never
        # overlap.
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="active"),
                name="engagement_one_active_per_application",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status", "year"], name="engagement_agency_year"),
            models.Index(fields=["agency", "status", "batch"], name="engagement_agency_batch"),
            # The lists' default order: a page walks this index, never sorts the subtree.
            models.Index(fields=["-created_at", "-id"], name="engagement_recent"),
            # The same order within a county's, a city's and a province's scope.
            models.Index(
                fields=["jurisdiction", "-created_at", "-id"], name="engagement_place_recent"
            ),
            models.Index(fields=["city", "-created_at", "-id"], name="engagement_city_recent"),
            models.Index(
                fields=["province", "-created_at", "-id"], name="engagement_province_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.application}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.jurisdiction_id is None:
            set_places([self], using=kwargs.get("using") or self._state.db)
        super().save(*args, **kwargs)


# Old migrations import the path function by this name.
evidence_path = upload_path


class BlacklistEntry(StoredFileContent):
    """黑名单: an authority does not accept the agency's reports in its subtree for three years
    (洛阳 第二十条, 济南 第十四条, 大连 二).

    The stored file is the evidence (``file``/``original_name``; the API still calls them
    ``evidence``/``evidence_name``). Who recorded it is ``created_by``/``created_at``."""

    upload_folder = "blacklist"

    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="blacklist_entries"
    )
    authority = models.ForeignKey(
        Organisation, verbose_name=_("决定单位"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("适用范围"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("列入理由"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_on = models.DateField(_("提前解除日期"), null=True, blank=True)
    lift_reason = models.TextField(_("解除决定"), blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("评价机构黑名单")
        verbose_name_plural = _("评价机构黑名单")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "ends_on"], name="blacklist_agency_end"),
            models.Index(fields=["-starts_on"], name="blacklist_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}（{self.starts_on}—{self.ends_on}）"


# Old migrations import the path function by this name.
annual_report_path = upload_path


class AnnualReport(StoredFileContent):
    """评价机构年度工作情况报告 (大连 附件10): one PDF per year; a resubmission is a new version.

    Its uploader is ``submitted_by``/``submitted_at`` (names the API and the list filters
    publish), so it takes the file fields without ``uploaded_by``."""

    upload_folder = "agency-reports/{self.agency_id}/{self.year}"

    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("版本"))
    projects = models.PositiveIntegerField(_("本年度开展的评价项目数"))
    summary = models.TextField(_("工作情况摘要"), blank=True)
    file = models.FileField(_("报告文件"), upload_to=upload_path, max_length=300)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度工作情况报告")
        verbose_name_plural = _("年度工作情况报告")
        ordering = ["agency", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="annual_report_version_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "agency"], name="annual_report_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} v{self.number}"
