"""名单: the units an authority has published on its green manufacturing list."""

from django.conf import settings
from django.db import models, router
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch, UnitType
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.stored_files import StoredFile, upload_path
from greenmfg.directory.models import Jurisdiction, Level, Organisation, set_province_and_city


class ListingQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each listing's province and city, which ``save`` fills one by one."""
        objs = list(objs)
        set_province_and_city(objs, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)


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
    # The jurisdiction's province and city (itself when it is one; empty above that level),
    # copied from the tree on every save and bulk insert, as Organisation.province and .city: a
    # province's or a city's listings are one equality on an index in the lists' order
    # (listing_city_recent, listing_province_recent) instead of a path-prefix join.
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
    unit_type = models.CharField(_("类型"), max_length=20, choices=UnitType.choices)
    product_name = models.CharField(_("产品名称"), max_length=200, blank=True)
    # 绿色设计产品: the model (型号) listed with the product, when the list names one.
    product_model = models.CharField(_("产品型号"), max_length=200, blank=True)
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
    # An existing listing brought in from a spreadsheet (registry.services.imports): the run
    # keeps the source file and who imported it.
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("导入记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The unit's name and credit code as listed (renames are recorded as events): the public
    # search reads these, so a search is one table.
    unit_name = models.CharField(_("单位名称"), max_length=200, default="")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, default="", blank=True)
    document_number = models.CharField(_("发文文号"), max_length=100)
    listed_on = models.DateField(_("发布日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
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

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单单位")
        verbose_name_plural = _("名单单位")
        ordering = ["-listed_on", "id"]
        indexes = [
            models.Index(fields=["level", "unit_type", "year"], name="listing_level_type_year"),
            models.Index(fields=["organisation", "level"], name="listing_org_level"),
            models.Index(fields=["jurisdiction", "status"], name="listing_scope_status"),
            models.Index(fields=["batch"], name="listing_batch"),
            models.Index(fields=["status", "-listed_on"], name="listing_status_recent"),
            # The lists' default order: a page of the newest is read off the index, not sorted.
            models.Index(fields=["-listed_on", "id"], name="listing_recent"),
            # A year's list in the same order: the listing date follows the year, so walking
            # listing_recent for an older year skips every later listing first (issue 16.2).
            models.Index(fields=["year", "-listed_on", "id"], name="listing_year_recent"),
            # A county's list in the same order (the region filter on a county is an equality).
            models.Index(fields=["jurisdiction", "-listed_on", "id"], name="listing_place_recent"),
            # A city's and a province's list in the same order (see ``province`` and ``city``).
            models.Index(fields=["city", "-listed_on", "id"], name="listing_city_recent"),
            models.Index(fields=["province", "-listed_on", "id"], name="listing_province_recent"),
            # A city's or a province's list of one year (the region and year filters together):
            # walking the region's index for an older year skips every later listing first.
            models.Index(
                fields=["city", "year", "-listed_on", "id"], name="listing_city_year_recent"
            ),
            models.Index(
                fields=["province", "year", "-listed_on", "id"], name="listing_province_year_recent"
            ),
            # The units on the lists (the public list's default filter) in the same order: the
            # default page, its capped count and the ids of a deep page are read off this index
            # alone (an index-only scan: page 2,000 of /mingdan/ 78 -> 20 ms at 100,000 units).
            models.Index(
                fields=["-listed_on", "id"],
                condition=models.Q(status__in=["active", "under_review"]),
                name="listing_current_recent",
            ),
            models.Index(fields=["credit_code"], name="listing_credit_code"),
            # The incident form's listing picker (units on a list, by name): a page of 20 names
            # of the official's subtree is read in order off this index.
            models.Index(
                fields=["unit_name", "id"],
                condition=~models.Q(status="removed"),
                name="listing_name_current",
            ),
            # The annual-table overview's counts (dynamic_mgmt.selectors.table): every column
            # its scope, window and deadline read, so a scope's units are counted off the index
            # alone (an index-only scan), never the table.
            models.Index(
                fields=["province", "city", "jurisdiction", "level", "listed_on"],
                include=["id"],
                condition=~models.Q(status="removed"),
                name="listing_owing_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_level_display()}{self.get_unit_type_display()}"

    def save(self, *args, **kwargs):
        # The province and city follow the jurisdiction (a new listing, or a moved one).
        update_fields = kwargs.get("update_fields")
        writes_place = update_fields is None or bool(
            {"jurisdiction", "jurisdiction_id"} & set(update_fields)
        )
        if writes_place and (
            self._state.adding
            or self.jurisdiction_id != getattr(self, "_stored_jurisdiction_id", None)
        ):
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            set_province_and_city([self], using=using)
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "province", "city"]
        super().save(*args, **kwargs)
        self._stored_jurisdiction_id = self.jurisdiction_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_jurisdiction_id = instance.__dict__.get("jurisdiction_id")
        return instance


class ListingEvent(models.Model):
    """One entry of a listed unit's history: listed, renamed, boundary or scope changed,
    re-reviewed, removed. The registry keeps former names here."""

    class Kind(models.TextChoices):
        LISTED = "listed", _("列入名单")
        # An existing listing entered from an import file (its document number and date).
        IMPORTED = "imported", _("导入名单")
        NAME_CHANGE = "name_change", _("名称变更")
        BOUNDARY_CHANGE = "boundary_change", _("边界变更")
        SCOPE_CHANGE = "scope_change", _("范围或地址变更")
        RE_REVIEW = "re_review", _("复审")
        EXTENDED = "extended", _("复审通过，延长有效期")
        REMOVED = "removed", _("移出名单")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=16, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    old_value = models.CharField(_("变更前"), max_length=300, blank=True)
    new_value = models.CharField(_("变更后"), max_length=300, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("名单变动")
        verbose_name_plural = _("名单变动")
        ordering = ["listing", "occurred_on", "id"]
        indexes = [models.Index(fields=["kind", "-occurred_on"], name="listing_event_kind_date")]

    def __str__(self) -> str:
        return f"{self.listing} · {self.get_kind_display()}"


class Announcement(models.Model):
    """公告: what the public site lists in date order and the feeds carry — publicity notices,
    published lists, removals, changes, blacklisted agencies."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("公示")
        LIST = "list", _("名单公布")
        REMOVAL = "removal", _("移出名单")
        CHANGE = "change", _("名单变更")
        BLACKLIST = "blacklist", _("评价机构黑名单")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("摘要"), blank=True)
    authority = models.ForeignKey(
        Organisation, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    # Where the public reads the whole of it (a public page's path).
    link = models.CharField(_("链接"), max_length=300)
    # What it announces, so that one event is announced once.
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"], name="announcement_once"
            )
        ]
        indexes = [
            models.Index(fields=["-published_at"], name="announcement_recent"),
            models.Index(fields=["kind", "-published_at"], name="announcement_kind_recent"),
        ]

    def __str__(self) -> str:
        return self.title


# Old migrations import the path function by this name.
complaint_evidence_path = upload_path


class Complaint(models.Model):
    """举报: a real-name complaint about a listed unit or an agency (洛阳 第二十一条,
    济南 第二十一条), verified by the county (or the city where it was filed there)."""

    class Subject(models.TextChoices):
        LISTING = "listing", _("绿色制造名单单位")
        AGENCY = "agency", _("第三方评价机构")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        VERIFYING = "verifying", _("核实中")
        CLOSED = "closed", _("已办结")

    class Outcome(models.TextChoices):
        UNFOUNDED = "unfounded", _("经核实，举报不属实")
        RECTIFICATION = "rectification", _("责令限期整改")
        REMOVAL_PROPOSED = "removal_proposed", _("建议移出名单")
        BLACKLIST_PROPOSED = "blacklist_proposed", _("建议列入评价机构黑名单")

    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    subject = models.CharField(_("举报对象类别"), max_length=10, choices=Subject.choices)
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # Who handles it: the county of the unit, or the city where the complaint was filed there.
    handling_jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("受理区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("举报人姓名"), max_length=50)
    id_or_organisation = models.CharField(_("身份证号或工作单位"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("举报事项"))
    status = models.CharField(
        _("办理状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("核实结论"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("处理意见"), blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["handling_jurisdiction", "status"], name="complaint_scope_status"),
            models.Index(fields=["-created_at"], name="complaint_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_subject_display()}"


class ComplaintEvidence(StoredFile):
    upload_folder = "complaints/{self.complaint_id}"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    # Anyone may file a complaint, signed in or not, and the evidence names no uploader: the
    # complainant's identity stays in the complaint, seen only by its handlers.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("举报证据")
        verbose_name_plural = _("举报证据")

    def __str__(self) -> str:
        return self.original_name


class RemovalProposal(models.Model):
    """动态调整意见 / 移出建议: a reason to remove a unit from its list, raised by a complaint,
    an incident, an indicator or the credit data, for the authority to decide."""

    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("举报核实")
        INCIDENT = "incident", _("事故事件")
        INDICATOR = "indicator", _("关键指标不达标")
        CREDIT = "credit", _("信用记录")
        # Removed from a lower list of the same unit (dynamic_mgmt.services.removal).
        LOWER_LIST = "lower_list", _("下级名单移出")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待决定")
        REMOVED = "removed", _("已移出")
        KEPT = "kept", _("不予移出")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="removal_proposals")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"))
    # The ground in the listing's policy (洛阳 第十八条(一)–(四); 济南 第十九条1–8), as its code
    # and citation: dynamic_mgmt/removal_grounds.py maps them.
    ground = models.CharField(_("移出情形"), max_length=40, blank=True)
    article = models.CharField(_("依据条款"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(_("决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("移出建议")
        verbose_name_plural = _("移出建议")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "source", "complaint"],
                condition=models.Q(status="open"),
                name="removal_proposal_open_once",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="removal_status_recent")]

    def __str__(self) -> str:
        return f"{self.listing} · {self.get_source_display()}"


def generated_document_path(instance, filename: str) -> str:
    """Kept for migration 0005; the documents now live in greenmfg.core.models."""
    return f"generated/{instance.token}.{instance.extension}"
