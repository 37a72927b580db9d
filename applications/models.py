"""申报: batches, the cultivation pool, applications, their documents, and credit data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from greenmfg.core.stored_files import StoredFile, upload_path
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.rules import UNIT_TYPES, policies


class UnitType(models.TextChoices):
    FACTORY = "factory", UNIT_TYPES["factory"]
    PARK = "park", UNIT_TYPES["park"]
    SUPPLY_CHAIN = "supply_chain", UNIT_TYPES["supply_chain"]
    DESIGN_PRODUCT = "design_product", UNIT_TYPES["design_product"]


POLICY_LABELS = {
    "luoyang-2024": _("洛阳市绿色制造体系梯度培育及管理暂行办法（洛工信〔2024〕95号）"),
    "jinan-2024": _("济南市绿色制造单位梯度培育及管理办法（2024）"),
    "dalian-2022-national": _("大连市2022年度绿色制造名单推荐工作（国家级）"),
}
POLICY_CHOICES = [(code, POLICY_LABELS.get(code, code)) for code in policies()]

# Parks apply through their management body; every other unit type through an enterprise.
APPLICANT_KIND_BY_UNIT_TYPE = {
    UnitType.FACTORY: Organisation.Kind.ENTERPRISE,
    UnitType.PARK: Organisation.Kind.PARK,
    UnitType.SUPPLY_CHAIN: Organisation.Kind.ENTERPRISE,
    UnitType.DESIGN_PRODUCT: Organisation.Kind.ENTERPRISE,
}


class Batch(models.Model):
    """申报批次: one authority's yearly call for applications under one policy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("未发布")
        OPEN = "open", _("申报中")
        CLOSED = "closed", _("已截止")

    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="batches",
        limit_choices_to={"kind": Organisation.Kind.BUREAU},
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="batches"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    policy = models.CharField(_("适用政策"), max_length=40, choices=POLICY_CHOICES)
    unit_types = models.JSONField(_("受理类型"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submission_deadline = models.DateTimeField(_("网上申报截止时间"))
    paper_copy_deadline = models.DateField(_("纸质材料报送截止日期"), null=True, blank=True)
    agency_report_deadline = models.DateField(_("第三方机构报告截止日期"), null=True, blank=True)
    announcement = models.TextField(_("申报通知"), blank=True)
    # Review settings: data, not code branches (the phases of the review are switches here).
    scoring_templates = models.JSONField(
        _("评分模板"),
        default=dict,
        blank=True,
        help_text=_("申报类型 → 评分模板，如 factory → green-factory@2025"),
    )
    experts_per_application = models.PositiveSmallIntegerField(_("每项申报专家人数"), default=3)
    aggregation = models.CharField(
        _("得分计算方式"),
        max_length=14,
        choices=[("mean", _("算术平均")), ("trimmed_mean", _("去掉最高分和最低分后平均"))],
        default="mean",
    )
    scoring_open = models.BooleanField(_("专家评分开放"), default=True)
    experts_see_others = models.BooleanField(_("专家可见他人评分"), default=False)
    applicants_may_edit = models.BooleanField(
        _("申报单位可修改退回的申报"),
        default=True,
        help_text=_("关闭后，被退回的申报不能再修改和重新提交。"),
    )
    recommendations_open = models.BooleanField(
        _("接收推荐"),
        default=True,
        help_text=_("县（区）推荐、下级推荐至本批次是否开放。"),
    )
    recommendation_deadline = models.DateTimeField(
        _("推荐截止时间"),
        null=True,
        blank=True,
        help_text=_("县（区）初审推荐或下级部门推荐的截止时间，如国家级批次的 7 月 31 日。"),
    )
    scoring_deadline = models.DateField(_("专家评分截止日期"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（天）"), default=7, help_text=_("国家级名单的公示期为 15 天。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "title"],
                name="batch_title_unique_per_authority_year",
                violation_error_message=_("本单位同一年度已有同名批次。"),
            )
        ]
        indexes = [
            models.Index(fields=["status", "year"], name="batch_status_year"),
            models.Index(fields=["policy", "year"], name="batch_policy_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def list_name(self) -> str:
        """The list the batch makes, as notices name it: 2026年度洛阳市绿色制造名单 (the batch's own
        title, 「…名单申报」, names the call for applications, not the list)."""
        return _("%(year)d年度%(place)s绿色制造名单") % {
            "year": self.year,
            "place": self.jurisdiction.name,
        }

    @property
    def publicity_title(self) -> str:
        """The default title of the batch's publicity: one 名单, and the public table's wording
        (拟列入名单)."""
        return _("%(year)d年度%(place)s绿色制造拟列入名单公示") % {
            "year": self.year,
            "place": self.jurisdiction.name,
        }

    def unit_type_labels(self) -> list[str]:
        return [str(UNIT_TYPES.get(code, code)) for code in self.unit_types]

    def accepts_submissions(self, *, at=None) -> bool:
        at = at or clock.now()
        return self.status == self.Status.OPEN and at <= self.submission_deadline

    @property
    def level(self) -> str:
        """The list this batch makes: the level of the authority's jurisdiction."""
        return self.jurisdiction.level

    def accepts_recommendations(self, *, at=None) -> bool:
        at = at or clock.now()
        if not self.recommendations_open:
            return False
        return self.recommendation_deadline is None or at <= self.recommendation_deadline


class BatchQuota(models.Model):
    """推荐名额: how many applications a county may recommend in a batch (a ceiling)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="quotas")
    county = models.ForeignKey(
        Jurisdiction, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveSmallIntegerField(_("推荐名额"))

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.UniqueConstraint(fields=["batch", "county"], name="quota_unique_per_county")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.quota}"


class CultivationCandidate(models.Model):
    """培育库: a county's candidate for a future list (洛阳 第四条、第六条)."""

    class Status(models.TextChoices):
        CULTIVATING = "cultivating", _("培育中")
        INVITED = "invited", _("已邀请申报")
        APPLIED = "applied", _("已申报")
        LISTED = "listed", _("已入选")
        WITHDRAWN = "withdrawn", _("已退出")

    county = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("县（区）"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("培育对象"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    target_unit_type = models.CharField(_("培育方向"), max_length=20, choices=UnitType.choices)
    target_year = models.PositiveSmallIntegerField(_("目标年度"))
    plan = models.TextField(_("培育计划"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.CULTIVATING
    )
    notes = models.TextField(_("备注"), blank=True)
    invited_batch = models.ForeignKey(
        Batch,
        verbose_name=_("邀请申报批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("培育对象")
        verbose_name_plural = _("培育库")
        ordering = ["target_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target_unit_type"],
                condition=~Q(status="withdrawn"),
                name="candidate_unique_open_per_type",
                violation_error_message=_("该单位已在培育库中（同一培育方向）。"),
            )
        ]
        indexes = [
            models.Index(fields=["county", "status"], name="candidate_county_status"),
            models.Index(fields=["county", "target_unit_type"], name="candidate_county_type"),
            models.Index(fields=["target_year"], name="candidate_target_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_target_unit_type_display()}"


class Application(models.Model):
    """申报: one unit's application in one batch."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        COUNTY_REVIEW = "county_review", _("初审中")
        RECOMMENDED = "recommended", _("已推荐")
        NOT_RECOMMENDED = "not_recommended", _("未推荐")
        EXPERT_REVIEW = "expert_review", _("专家评审中")
        ONSITE_CHECK = "onsite_check", _("现场核查中")
        PASSED = "passed", _("评审通过")
        FAILED = "failed", _("评审未通过")
        IN_PUBLICITY = "in_publicity", _("公示中")
        LISTED = "listed", _("已列入名单")
        NOT_LISTED = "not_listed", _("未列入名单")
        # A round that ends in a recommendation, not a list of its own (大连 一).
        PROMOTED = "promoted", _("已推荐至上级")

    class EvaluationMode(models.TextChoices):
        SELF = "self", _("自评价")
        THIRD_PARTY = "third_party", _("第三方评价")

    batch = models.ForeignKey(
        Batch, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The applicant's county, kept here so scoping and the inboxes filter without a join.
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    unit_type = models.CharField(_("申报类型"), max_length=20, choices=UnitType.choices)
    product_name = models.CharField(
        _("产品名称"), max_length=200, blank=True, help_text=_("绿色设计产品填写")
    )
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    facts = models.JSONField(_("申报数据"), default=dict, blank=True)
    # Reference values (industry averages, quotas) entered by the county, kept apart from the
    # applicant's own declarations so that neither can overwrite the other.
    reference_facts = models.JSONField(_("行业参考值"), default=dict, blank=True)
    evaluation_mode = models.CharField(
        _("评价方式"), max_length=12, choices=EvaluationMode.choices, default=EvaluationMode.SELF
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("第三方评价机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluated_applications",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    # 大连 二: the third-party agency must not have written the self-evaluation; the applicant
    # declares any agency or consultancy that helped write it.
    self_evaluation_helper = models.ForeignKey(
        Organisation,
        verbose_name=_("协助编写自评价报告的机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
        help_text=_("自评价报告由本单位独立编写的，不填。"),
    )
    # 推荐至上级: the lower level's application this one was recommended from.
    source_application = models.ForeignKey(
        "self",
        verbose_name=_("推荐来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    precheck = models.JSONField(_("自查结果"), default=dict, blank=True)
    precheck_eligible = models.BooleanField(_("自查通过"), null=True)
    prechecked_at = models.DateTimeField(_("自查时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    paper_copy_received_at = models.DateTimeField(_("纸质材料接收时间"), null=True, blank=True)
    paper_copy_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("纸质材料接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "organisation", "unit_type", "product_name"],
                name="application_unique_per_batch",
                violation_error_message=_("本单位在该批次已有同类型的申报。"),
            )
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "status"], name="application_scope_status"),
            models.Index(fields=["batch", "status"], name="application_batch_status"),
            models.Index(fields=["organisation", "-updated_at"], name="application_org_recent"),
            # The lists' default order (Meta.ordering): a page of a city's or the nation's
            # applications walks this index instead of sorting the whole subtree (issue 16.2).
            models.Index(fields=["-updated_at", "-id"], name="application_recent"),
        ]

    def __str__(self) -> str:
        label = self.get_unit_type_display()
        if self.product_name:
            label = f"{label}（{self.product_name}）"
        return f"{self.organisation} · {label}"

    @property
    def is_editable(self) -> bool:
        if self.status == self.Status.RETURNED:
            # A phase switch of the batch: officials may close revisions after a date.
            return self.batch.applicants_may_edit
        return self.status == self.Status.DRAFT


class PrincipleException(models.Model):
    """原则上例外: the reasons given for applying although a condition stated 原则上 is not met.

    A policy that writes a condition 原则上 (济南 第七条、第八条, 大连 一（一）) lets a unit
    that misses it apply with a written reason; the county accepts the reason with one of its
    own before it recommends, and the level above reads both. A condition not written 原则上
    can never be excepted (``applications.services.exceptions``).
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="principle_exceptions",
    )
    code = models.CharField(_("条件代码"), max_length=100)
    citation = models.CharField(_("条款"), max_length=100)
    # The finding as it read when the reason was given, so the record reads the same later.
    finding = models.TextField(_("不符合情况"))
    reason = models.TextField(_("申报单位说明理由"))
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("说明人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stated_at = models.DateTimeField(_("说明时间"))
    county_reason = models.TextField(_("县级工信部门认可理由"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认可人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("认可时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("原则上条件例外说明")
        verbose_name_plural = _("原则上条件例外说明")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="principle_exception_once_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.citation}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class Document(models.Model):
    """申报材料: one document slot of an application; its files are kept as versions."""

    class Kind(models.TextChoices):
        SELF_EVALUATION = "self_evaluation", _("自评价报告")
        THIRD_PARTY_REPORT = "third_party_report", _("第三方评价报告")
        SUPPORTING = "supporting", _("证明材料")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("材料名称"), max_length=200)
    current = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["kind", "id"]
        constraints = [
            # One report of each kind; supporting materials may be many, told apart by title.
            models.UniqueConstraint(
                fields=["application", "kind", "title"], name="document_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


# Old migrations import the path function by this name.
document_upload_path = upload_path


class DocumentVersion(StoredFile):
    """One uploaded file of a document. Versions are never overwritten or deleted."""

    upload_folder = "applications/{self.document.application_id}/{self.document_id}"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))

    class Meta:
        verbose_name = _("材料版本")
        verbose_name_plural = _("材料版本")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class CreditImport(models.Model):
    """One file of credit events an official imported, with what was kept and refused."""

    file_name = models.CharField(_("文件名"), max_length=255)
    source = models.CharField(_("数据来源"), max_length=100)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("导入单位区划"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_imported = models.PositiveIntegerField(_("导入行数"), default=0)
    errors = models.JSONField(_("错误行"), default=list, blank=True)

    class Meta:
        verbose_name = _("信用数据导入")
        verbose_name_plural = _("信用数据导入")
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["-imported_at"], name="credit_import_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class CreditEvent(models.Model):
    """A credit or negative-list event of a unit, keyed by 统一社会信用代码."""

    class Kind(models.TextChoices):
        DEREGISTERED = "deregistered", _("工商注销")
        ABNORMAL_OPERATIONS = "on_abnormal_operations_list", _("经营异常名单")
        SERIOUS_ILLEGAL_DISHONEST = "on_serious_illegal_dishonest_list", _("严重违法失信名单")
        DISHONEST_JUDGMENT_DEBTOR = "dishonest_judgment_debtor", _("失信被执行人")
        ACCIDENT_SAFETY = "accident_safety", _("安全事故")
        ACCIDENT_CYBER = "accident_cyber_or_data_security", _("网络安全或数据安全事故")
        ACCIDENT_QUALITY = "accident_quality", _("质量事故")
        ACCIDENT_ENVIRONMENT = "accident_environment", _("环境污染事故")
        TAX_VIOLATION = "tax_violation", _("偷漏税等违法违规行为")
        ENERGY_SUPERVISION = "energy_supervision_unrectified", _("工业节能监察整改名单")
        REMOVED_FROM_LIST = "removed_from_list", _("被动态调整出绿色制造名单")
        INSPECTION_PROBLEM = "inspection_serious_problem", _("督查发现严重问题")

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    unit_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    kind = models.CharField(_("事件类型"), max_length=40, choices=Kind.choices)
    occurred_on = models.DateField(_("发生日期"))
    resolved_on = models.DateField(
        _("移出/整改完成日期"), null=True, blank=True, help_text=_("已移出名单或已完成整改的日期")
    )
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("数据来源"), max_length=100)
    credit_import = models.ForeignKey(
        CreditImport, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        verbose_name = _("信用事件")
        verbose_name_plural = _("信用事件")
        ordering = ["-occurred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code", "kind", "occurred_on"], name="credit_event_unique"
            )
        ]
        indexes = [
            # The event list filters by kind and date range and sorts by date.
            models.Index(fields=["kind", "-occurred_on"], name="credit_event_kind_date"),
            models.Index(fields=["-occurred_on"], name="credit_event_date"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_code} {self.get_kind_display()} {self.occurred_on}"


class IndustryReference(models.Model):
    """行业参考值: an industry's averages and quotas for a year, as a bureau published them.

    The pre-check uses them for every application of that industry in the bureau's area; a
    value the county entered on one application takes precedence.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    industry = models.CharField(_("行业"), max_length=100)
    values = models.JSONField(_("参考值"), default=dict)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("行业参考值")
        verbose_name_plural = _("行业参考值")
        ordering = ["-year", "industry"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "industry"],
                name="industry_reference_unique",
                violation_error_message=_("该区划该年度已有此行业的参考值。"),
            )
        ]
        indexes = [models.Index(fields=["industry", "year"], name="industry_reference_lookup")]

    def __str__(self) -> str:
        return f"{self.industry} {self.year}"


class IndustryBenchmark(models.Model):
    """对标: the quartiles of one intensity among a region's green factories of one industry.

    Computed from the listed units' filed annual tables (dynamic_mgmt fills it: nightly, and for
    a city when one of its tables is filed), so that the pre-check can compare an applicant with
    the region's existing green factories (大连 一(一)) and use the median as 同行业平均 where a
    bureau published none (济南 第六条). ``region`` is a city or a province. The rows of a group
    below the minimum sample (settings.BENCHMARK_MIN_SAMPLE) are kept and shown as such; the
    pre-check does not use them.

    ``sample`` holds the figures the quartiles were computed from, ``[organisation_id, value]``
    per unit, so that the pre-check can leave an applicant that is itself one of the region's
    green factories out of its own reference. It reveals individual units' figures: lists and
    the API defer it and never show it. Rows computed before it existed hold an empty list.
    """

    region = models.ForeignKey(
        Jurisdiction, verbose_name=_("地区"), on_delete=models.CASCADE, related_name="+"
    )
    industry = models.CharField(_("行业"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=40)
    sample_size = models.PositiveIntegerField(_("样本数"))
    q1 = models.FloatField(_("下四分位数"))
    median = models.FloatField(_("中位数"))
    q3 = models.FloatField(_("上四分位数"))
    sample = models.JSONField(_("样本"), default=list, blank=True, editable=False)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("同行业绿色工厂对标值")
        verbose_name_plural = _("同行业绿色工厂对标值")
        ordering = ["-year", "region__path", "industry", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "industry", "year", "indicator"], name="industry_benchmark_once"
            )
        ]
        indexes = [
            models.Index(fields=["industry", "region", "-year"], name="industry_benchmark_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.industry} {self.year} {self.indicator}"
