"""评审: the county's initial review and the consulted departments' opinions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch
from greenmfg.core.stored_files import StoredFile, StoredFileContent, upload_path
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


# Old migrations import the path function by this name.
opinion_attachment_path = upload_path


class OpinionAttachment(StoredFile):
    """A file a department attaches to its answer (PDF or image), kept with its checksum."""

    upload_folder = "opinions/{self.request_id}"

    request = models.ForeignKey(
        OpinionRequest, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("意见附件")
        verbose_name_plural = _("意见附件")

    def __str__(self) -> str:
        return self.original_name


class ExpertField(models.TextChoices):
    ENERGY = "energy", _("节能")
    ENVIRONMENT = "environment", _("环保")
    ECOLOGY = "ecology", _("生态")
    LOW_CARBON = "low_carbon", _("低碳")
    LIFE_CYCLE = "life_cycle", _("生命周期评价")
    INDUSTRY = "industry", _("行业技术")
    FINANCE = "finance", _("财务")
    OTHER = "other", _("其他")


class ExpertMembership(models.Model):
    """专家库: an expert in one authority's pool, with field, title and active years."""

    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("专家库所属部门"),
        on_delete=models.PROTECT,
        related_name="expert_memberships",
        limit_choices_to={"kind": Organisation.Kind.BUREAU},
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="expert_memberships",
    )
    field = models.CharField(_("专业领域"), max_length=12, choices=ExpertField.choices)
    title = models.CharField(_("职称"), max_length=50)
    active_from = models.PositiveSmallIntegerField(_("入库年度"))
    active_until = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家库成员")
        verbose_name_plural = _("专家库")
        ordering = ["field", "expert__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "expert"], name="expert_once_per_pool")
        ]
        indexes = [
            models.Index(fields=["authority", "is_active", "field"], name="expert_pool_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_field_display()}"


class ConflictDeclaration(models.Model):
    """利益冲突申报: an expert declares a conflict with an organisation."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("原因"))
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        constraints = [
            models.UniqueConstraint(fields=["expert", "organisation"], name="conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.expert} ↔ {self.organisation}"


class ExpertAssignment(models.Model):
    """评审分配: one expert assigned to one application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待评分")
        SUBMITTED = "submitted", _("已提交评分")
        WITHDRAWN = "withdrawn", _("因利益冲突回避")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    withdrawal_reason = models.TextField(_("回避原因"), blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_once")
        ]
        indexes = [
            models.Index(fields=["expert", "status"], name="assignment_inbox"),
            # The lists' order (assignments and their sheets, newest first): a page walks this
            # index and stops, instead of sorting every assignment in the nation (issue 16).
            models.Index(fields=["-assigned_at", "-id"], name="assignment_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class ScoreSheet(models.Model):
    """评分表: an expert's sheet for an assignment; saves as they go, submitted once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        SUBMITTED = "submitted", _("已提交")

    assignment = models.OneToOneField(
        ExpertAssignment, on_delete=models.CASCADE, related_name="sheet"
    )
    template_key = models.CharField(_("评分模板"), max_length=60)
    answers = models.JSONField(_("基本要求"), default=dict, blank=True)
    entries = models.JSONField(_("评分项"), default=dict, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    basic_met = models.BooleanField(_("基本要求全部满足"), null=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return f"{self.assignment} {self.total or ''}"


# Old migrations import the path function by this name.
onsite_attachment_path = upload_path


class OnsiteCheck(StoredFileContent):
    """现场核查/抽查: a visit whose outcome the decision takes into account.

    The file is optional: a check recorded without one keeps the file fields empty (size 0).
    Who recorded it is ``recorded_by``/``recorded_at``."""

    upload_folder = "onsite/{self.application_id}"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="onsite_checks"
    )
    visited_on = models.DateField(_("核查日期"))
    team = models.CharField(_("核查组成员"), max_length=300)
    findings = models.TextField(_("核查发现"))
    passed = models.BooleanField(_("核查结论：通过"))
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("现场核查")
        verbose_name_plural = _("现场核查")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.application} {self.visited_on}"


class Publicity(models.Model):
    """公示: the proposed list an authority shows the public before it publishes the list."""

    class Status(models.TextChoices):
        OPEN = "open", _("公示中")
        # The period is over (set by the nightly sweep, reviews.services.publicity
        # publicities_end): objections still pending are answered, then the list is published.
        ENDED = "ended", _("公示期满")
        PUBLISHED = "published", _("已发布名单")

    batch = models.OneToOneField(
        Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="publicity"
    )
    title = models.CharField(_("公示标题"), max_length=200)
    notice = models.TextField(_("公示说明"), blank=True)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    contact = models.CharField(_("受理异议联系方式"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    document_number = models.CharField(_("名单发文文号"), max_length=100, blank=True)
    published_on = models.DateField(_("名单发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "-starts_on"], name="publicity_status_start")]

    def __str__(self) -> str:
        return self.title


class PublicityItem(models.Model):
    """One unit on a proposed list; an upheld objection takes it off."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        REMOVED = "removed", _("异议成立，已移出")
        LISTED = "listed", _("已列入名单")

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="items")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="publicity_item"
    )
    position = models.PositiveIntegerField(_("序号"))
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PROPOSED
    )

    class Meta:
        verbose_name = _("公示单位")
        verbose_name_plural = _("公示单位")
        ordering = ["publicity", "position"]

    def __str__(self) -> str:
        return str(self.application)


class Objection(models.Model):
    """公示异议: a real-name objection lodged by anyone during the publicity period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    item = models.ForeignKey(PublicityItem, on_delete=models.PROTECT, related_name="objections")
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    organisation_or_id = models.CharField(_("工作单位或身份证号"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"))
    status = models.CharField(
        _("处理状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    response = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["item", "status"], name="objection_item_status")]

    def __str__(self) -> str:
        return f"{self.item} · {self.name}"


class ScoringTemplateVersion(models.Model):
    """评分模板版本 an administrator added (the platform ships its own in scoring_templates/).

    A version never changes once saved: a correction is a new version, so every sheet keeps
    meaning what it meant when it was scored. An administrator may retire a version
    (``is_active``) so that batches no longer offer it.
    """

    code = models.CharField(_("模板代码"), max_length=60)
    version = models.CharField(_("版本"), max_length=40)
    unit_type = models.CharField(_("适用类型"), max_length=20, editable=False)
    title = models.CharField(_("模板名称"), max_length=200, editable=False)
    definition = models.JSONField(_("模板内容"))
    is_active = models.BooleanField(_("可选用"), default=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分模板版本")
        verbose_name_plural = _("评分模板版本")
        ordering = ["unit_type", "code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="scoring_template_version_unique",
                violation_error_message=_("该模板代码已有同一版本。"),
            )
        ]
        indexes = [models.Index(fields=["unit_type", "is_active"], name="template_type_active")]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"
