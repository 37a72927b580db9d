"""动态管理: listed units' annual tables, filing windows and reminders, changes, incidents,
Jinan's three-year re-reviews, the working-day calendar and the green-code grades."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenmfg.core.stored_files import StoredFile, upload_path
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Listing


class FilingWindow(models.Model):
    """When the listed units of one authority's subtree and one list level file a year's table
    (洛阳 第十六条: national and provincial units by 15 April; 大连: 15 November). Settings."""

    authority = models.ForeignKey(
        Organisation, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("适用范围"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("名单层级"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("填报年度"))
    opens_on = models.DateField(_("开始填报日期"))
    deadline = models.DateField(_("填报截止日期"))
    reminder_days = models.JSONField(
        _("截止前提醒（天）"), default=list, help_text=_("如 [30, 7, 1]")
    )
    citation = models.CharField(_("依据"), max_length=100, blank=True)
    opened_at = models.DateTimeField(_("已开放并通知"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("动态管理表填报期")
        verbose_name_plural = _("动态管理表填报期")
        ordering = ["-year", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "level", "year"],
                name="filing_window_once",
                violation_error_message=_("该范围、层级和年度已设置填报期。"),
            )
        ]
        indexes = [models.Index(fields=["opens_on", "deadline"], name="filing_window_dates")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.get_level_display()} {self.year}"


class AnnualTable(models.Model):
    """动态管理表 (洛阳 附件8; 大连 附件6–9): one listed unit's key indicators for a year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        FILED = "filed", _("已填报")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="annual_tables")
    window = models.ForeignKey(
        FilingWindow, null=True, blank=True, on_delete=models.SET_NULL, related_name="tables"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    indicators = models.JSONField(_("关键指标"), default=dict)
    notes = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    filed_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(_("逾期填报"), default=False)
    # 洛阳 第十八条(二): a late table is a ground for removal only with a refused on-site check.
    onsite_refused_on = models.DateField(_("不配合现场复核日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("动态管理表")
        verbose_name_plural = _("动态管理表")
        # By the listing's id, not its own order (publication date): a page of the newest year's
        # tables is then read in order off annual_table_recent, not sorted over two tables.
        ordering = ["-year", "listing_id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "year"], name="annual_table_once")
        ]
        indexes = [
            models.Index(fields=["-year", "listing"], name="annual_table_recent"),
            models.Index(fields=["year", "status"], name="annual_table_year_status"),
            # The filed tables of a year and their lateness, for the overview's counts
            # (dynamic_mgmt.selectors.table.overview_summary): read off the index alone.
            models.Index(
                fields=["year", "late", "listing"],
                condition=models.Q(status="filed"),
                name="annual_table_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} {self.year}"


# Old migrations import the path function by this name.
table_attachment_path = upload_path


class AnnualTableAttachment(StoredFile):
    upload_folder = "annual-tables/{self.table_id}"

    table = models.ForeignKey(AnnualTable, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("动态管理表附件")
        verbose_name_plural = _("动态管理表附件")

    def __str__(self) -> str:
        return self.original_name


class ScheduleMark(models.Model):
    """What a scheduled task did once for one unit: a reminder sent, a late mark, a window's
    notice. The unique key makes every task idempotent (run twice, one reminder)."""

    class Kind(models.TextChoices):
        WINDOW_OPEN = "window_open", _("填报期开放通知")
        REMINDER = "reminder", _("截止前提醒")
        LATE = "late", _("逾期未填报")
        RE_REVIEW_NOTICE = "re_review_notice", _("复审提前通知")
        CREDIT_CHECK = "credit_check", _("信用复核")
        INDICATOR = "indicator", _("关键指标比对")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, help_text="e.g. 2027 or 2027:7")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        constraints = [
            models.UniqueConstraint(fields=["kind", "listing", "key"], name="schedule_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.listing_id} {self.key}"


class ReReviewCase(models.Model):
    """济南 第十五条: a city unit's three-year cycle ends in a re-review that ends the listing
    or extends it by three years."""

    class Status(models.TextChoices):
        OPEN = "open", _("复审中")
        EXTENDED = "extended", _("复审通过，延长三年")
        ENDED = "ended", _("复审未通过")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="re_reviews")
    due_on = models.DateField(_("期满日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    decision = models.TextField(_("复审结论"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("三年复审")
        verbose_name_plural = _("三年复审")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["listing", "due_on"], name="re_review_once")]
        indexes = [models.Index(fields=["status", "due_on"], name="re_review_status_due")]

    def __str__(self) -> str:
        return f"{self.listing} {self.due_on}"


class ChangeReport(models.Model):
    """变更: a name change or a major change of scope, address or boundary (洛阳 第十九条: within
    one month of the formalities; 济南 第二十条: 30 working days; 第十六条 re-evaluation)."""

    class Kind(models.TextChoices):
        NAME = "name", _("名称变更")
        SCOPE = "scope", _("生产经营范围重大变更")
        ADDRESS = "address", _("生产地址重大变更")
        BOUNDARY = "boundary", _("组织边界重大变更")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已确认变更")
        RE_EVALUATION = "re_evaluation", _("再评价中")
        REJECTED = "rejected", _("不再符合，移出")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="change_reports")
    kind = models.CharField(_("变更类别"), max_length=10, choices=Kind.choices)
    old_value = models.CharField(_("变更前"), max_length=300, blank=True)
    new_value = models.CharField(_("变更后"), max_length=300)
    formalities_on = models.DateField(_("办理完相关手续日期"))
    reported_on = models.DateField(_("上报日期"))
    due_on = models.DateField(_("应上报截止日期"), null=True, blank=True)
    late = models.BooleanField(_("逾期上报"), default=False)
    calendar_warning = models.CharField(_("日历提示"), max_length=200, blank=True)
    description = models.TextField(_("变更说明"))
    status = models.CharField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.SUBMITTED
    )
    decision = models.TextField(_("审核意见"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("变更报告")
        verbose_name_plural = _("变更报告")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["status", "-reported_on"], name="change_status_recent")]

    def __str__(self) -> str:
        return f"{self.listing} · {self.get_kind_display()}"


# Old migrations import the path function by this name.
change_document_path = upload_path


class ChangeDocument(StoredFile):
    """A file of a change report: the revised evaluation report (修正后的评价报告, 济南 第十六条)
    or supporting material. Each upload is a new version of its kind, numbered from 1; versions
    are never overwritten or deleted."""

    class Kind(models.TextChoices):
        REVISED_REPORT = "revised_report", _("修正后的评价报告")
        SUPPORTING = "supporting", _("证明材料")

    upload_folder = "change-reports/{self.report_id}/{self.kind}"
    upload_stem = "v{self.number}-{self.sha256}"

    report = models.ForeignKey(ChangeReport, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=16, choices=Kind.choices)
    number = models.PositiveIntegerField(_("版本"))

    class Meta:
        verbose_name = _("变更报告材料")
        verbose_name_plural = _("变更报告材料")
        ordering = ["report", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "number"], name="change_document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class Incident(models.Model):
    """事故/事件 at a listed unit, recorded by the county (洛阳 第十七条: to the city within 3 days
    of the event; 济南 第十八条: at once)."""

    class Kind(models.TextChoices):
        SAFETY = "safety", _("重大及以上生产安全事故")
        QUALITY = "quality", _("重大及以上质量事故")
        ENVIRONMENT = "environment", _("II级（重大）及以上突发环境事件")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    occurred_on = models.DateField(_("发生日期"))
    reported_on = models.DateField(_("上报日期"))
    late = models.BooleanField(_("逾期上报"), default=False)
    description = models.TextField(_("情况说明"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事故事件")
        verbose_name_plural = _("事故事件")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.listing} · {self.get_kind_display()}"


class WorkingDay(models.Model):
    """The official working-day schedule of a year that the chinese-calendar package does not
    know (it stops at 2026): holidays and their make-up working days, filled by administrators
    from the State Council's notice each year."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如 春节、调休上班"))

    class Meta:
        verbose_name = _("法定节假日与调休")
        verbose_name_plural = _("法定节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '休息'}"


class CalendarYear(models.Model):
    """A year whose schedule administrators have entered completely (so counts may rely on it)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据"), max_length=200, help_text=_("国务院办公厅通知文号"))

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class GreenGrade(models.Model):
    """企业绿码: a year's grade of a green factory among its level's factories of the same
    industry — A+ the best 5%, A the next 35%, B the rest."""

    class Grade(models.TextChoices):
        A_PLUS = "A+", _("A+")
        A = "A", _("A")
        B = "B", _("B")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="grades")
    year = models.PositiveSmallIntegerField(_("年度"))
    industry = models.CharField(_("行业"), max_length=100)
    grade = models.CharField(_("等级"), max_length=2, choices=Grade.choices)
    rank = models.PositiveIntegerField(_("排名"))
    of = models.PositiveIntegerField(_("参评数"))
    score = models.DecimalField(_("综合指数"), max_digits=8, decimal_places=4)
    basis = models.JSONField(_("依据"), default=dict)
    bottom_five = models.BooleanField(_("位于后5%"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业绿码")
        verbose_name_plural = _("企业绿码")
        ordering = ["-year", "rank"]
        constraints = [models.UniqueConstraint(fields=["listing", "year"], name="grade_once")]
        indexes = [models.Index(fields=["year", "industry", "rank"], name="grade_year_rank")]

    def __str__(self) -> str:
        return f"{self.listing} {self.year} {self.grade}"
