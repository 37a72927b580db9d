from django.db import connections, models, router, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.credit_code import validate_credit_code


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")


LEVEL_DEPTH = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3}
# The Organisation field that names a node of each level below the nation: a subtree there is
# one equality on an index in name order (Organisation.province, .city, .jurisdiction). Ask
# ``subtree_q`` rather than this table: a county's subtree also holds the zones it runs.
SUBTREE_FIELD = {Level.PROVINCE: "province", Level.CITY: "city", Level.COUNTY: "jurisdiction"}


class Jurisdiction(models.Model):
    """行政区划: a node of nation → province → city → county/district.

    A city's 功能区/先导区 (high-tech zones, new areas) act as counties but have no division code,
    so ``key`` (the code where there is one) identifies a node. ``path`` holds the keys from the
    root, so a whole subtree is one indexed prefix match. A zone a county runs (某县经济开发区)
    sits one step below that county: county-level for registration, handled by the county's
    bureau, and inside the county's subtree wherever the county's is read (``subtree_q``).
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
    # A division the dataset no longer lists (merged, abolished) is kept, inactive, so that what
    # points at it keeps its place; it is no longer offered for a new choice.
    active = models.BooleanField(_("现行"), default=True)
    # Set on a county when a zone is first added under it (``save``), never cleared (a zone
    # is never deleted): a county without zones keeps being read by one equality (place_q).
    has_zones = models.BooleanField(_("下设功能区"), default=False, editable=False)

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
            # A code belongs to one current division; a withdrawn one's may be given again.
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code="") & Q(active=True),
                name="jurisdiction_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else ''}{self.key}/"
        super().save(*args, **kwargs)
        parent = self.parent
        if parent is not None and parent.level == Level.COUNTY and not parent.has_zones:
            Jurisdiction.objects.filter(pk=parent.pk).update(has_zones=True)
            parent.has_zones = True

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def contains(self, other: "Jurisdiction") -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_keys(self) -> list[str]:
        return self.path.strip("/").split("/")[:-1]

    @property
    def is_county_zone(self) -> bool:
        """A functional zone under a county (not a city): the county's bureau runs it."""
        return self.path.count("/") - 1 > LEVEL_DEPTH[Level.COUNTY]

    @property
    def bureau_key(self) -> str:
        """The key of the node whose bureau handles this one: a county's zone's county."""
        keys = self.path.strip("/").split("/")
        return keys[LEVEL_DEPTH[Level.COUNTY]] if self.is_county_zone else self.key


def place_q(node: Jurisdiction, *, field: str) -> Q:
    """Rows whose ``field`` (a path to a Jurisdiction) lies in ``node``'s subtree.

    A county-level node is read without joining the tree: a zone, or a county that runs none,
    by equality; a county that runs zones by its own id and its zones' (an IN on a small indexed
    subquery, so the (jurisdiction, …) indexes still serve it). Above, the path prefix.
    """
    if node.level == Level.COUNTY:
        if not node.has_zones:
            return Q(**{field: node})
        below = Jurisdiction.objects.filter(path__startswith=node.path).values("pk")
        return Q(**{f"{field}__in": below})
    return Q(**{f"{field}__path__startswith": node.path})


def bureau_place_q(node: Jurisdiction, *, field: str = "jurisdiction") -> Q:
    """Rows whose ``field`` is the place whose bureau handles ``node``: the node itself, or for
    a zone a county runs, the county (by key, read off the path: no query)."""
    if node.is_county_zone:
        return Q(**{f"{field}__key": node.bureau_key})
    return Q(**{field: node})


def subtree_q(node: Jurisdiction, *, prefix: str = "") -> Q:
    """The rows of ``node``'s subtree in a model that carries the denormalised province and
    city beside its jurisdiction (Organisation, Listing, Engagement; ``prefix`` the path to one,
    with its ``__``): one equality on the province or city, whose (…, name, id) style indexes
    give a page in order; a county and the zones it runs (``place_q``); the nation by prefix."""
    if node.level in (Level.PROVINCE, Level.CITY):
        return Q(**{prefix + SUBTREE_FIELD[node.level]: node})
    return place_q(node, field=f"{prefix}jurisdiction")


class JurisdictionChange(models.Model):
    """行政区划变更记录: one change the division dataset brought to a jurisdiction (created,
    renamed, given a new code, moved under another parent, withdrawn, restored), as of the
    dataset's date. Append-only; the jurisdiction row itself keeps its pk, so everything that
    points at it stays where it is."""

    class Kind(models.TextChoices):
        CREATED = "created", _("新设")
        RENAMED = "renamed", _("更名")
        RECODED = "recoded", _("代码变更")
        MOVED = "moved", _("隶属变更")
        WITHDRAWN = "withdrawn", _("撤销")
        RESTORED = "restored", _("恢复")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    kind = models.CharField(_("变更类别"), max_length=12, choices=Kind.choices)
    old_value = models.CharField(_("原值"), max_length=100, blank=True)
    new_value = models.CharField(_("新值"), max_length=100, blank=True)
    as_of = models.DateField(_("数据截至日期"))
    source = models.CharField(_("数据来源"), max_length=100)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("行政区划变更记录")
        verbose_name_plural = _("行政区划变更记录")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "kind"], name="jurisdiction_change_kind")]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.kind}: {self.old_value} → {self.new_value}"


class OrganisationQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each organisation's province and city, which ``save`` fills one by one."""
        objs = list(objs)
        set_province_and_city(objs, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)


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

    # The fields OrganisationCount counts by.
    _COUNTED = ("jurisdiction_id", "kind", "status")

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
    # The jurisdiction's province and city (itself when it is one; empty above that level),
    # copied from the tree on every save and bulk insert, so that a province's or a city's
    # organisations are one equality on an index in name order instead of a path-prefix join.
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
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

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
            # The lists' default order (Meta.ordering) and their other sort, so the first page
            # of a subtree walks an index instead of sorting every organisation in it. The name
            # search's trigram index is PostgreSQL-only: migration 0003.
            models.Index(fields=["name", "id"], name="organisation_name_id"),
            models.Index(fields=["created_at", "id"], name="organisation_created_id"),
            # A county's page (the county official's scope, or a county chosen in the filter):
            # its organisations in order, read straight from the index, however big the nation.
            models.Index(fields=["jurisdiction", "name", "id"], name="organisation_place_name_id"),
            # The same for a city's and a province's scope (see ``province`` and ``city``).
            models.Index(fields=["city", "name", "id"], name="organisation_city_name_id"),
            models.Index(fields=["province", "name", "id"], name="organisation_province_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The counts (OrganisationCount) follow every save and delete, in the same transaction.
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        with transaction.atomic(using=using, savepoint=False):
            old = self._stored_state(using)
            if old is None or old[0] != self.jurisdiction_id:
                set_province_and_city([self], using=using)
                if update_fields is not None and {"jurisdiction", "jurisdiction_id"} & set(
                    update_fields
                ):
                    kwargs["update_fields"] = [*update_fields, "province", "city"]
            super().save(*args, **kwargs)
            new = tuple(getattr(self, name) for name in self._COUNTED)
            if update_fields is not None and old is not None:
                saved = {name.removesuffix("_id") for name in update_fields}
                new = tuple(
                    value if name.removesuffix("_id") in saved else before
                    for name, value, before in zip(self._COUNTED, new, old, strict=True)
                )
            _shift_counts(self, old, new, using)
            self._counted = new

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if not set(cls._COUNTED) & instance.get_deferred_fields():
            instance._counted = tuple(getattr(instance, name) for name in cls._COUNTED)
        return instance

    def _stored_state(self, using) -> tuple | None:
        """(jurisdiction, kind, status) as the database holds them before this save."""
        if self.pk is None:
            return None
        counted = getattr(self, "_counted", None)
        if counted is not None and not self._state.adding:
            return counted
        return (
            Organisation.objects.using(using).filter(pk=self.pk).values_list(*self._COUNTED).first()
        )


def set_province_and_city(organisations, *, using=None) -> None:
    """Set ``province`` and ``city`` of each organisation from its jurisdiction's path (at
    most two queries for any number of organisations)."""
    places = {}
    for organisation in organisations:
        if Organisation.jurisdiction.is_cached(organisation) and organisation.jurisdiction:
            places[organisation.jurisdiction.pk] = organisation.jurisdiction.path
    missing = {o.jurisdiction_id for o in organisations} - set(places) - {None}
    if missing:
        places.update(
            Jurisdiction.objects.using(using).filter(pk__in=missing).values_list("pk", "path")
        )
    wanted = set()
    for path in places.values():
        parts = path.strip("/").split("/")
        wanted.update("/".join(parts[:depth]) + "/" for depth in (2, 3) if len(parts) >= depth)
    ids = dict(Jurisdiction.objects.using(using).filter(path__in=wanted).values_list("path", "id"))
    for organisation in organisations:
        if organisation.jurisdiction_id not in places:
            continue  # no jurisdiction: the insert itself refuses it
        parts = places[organisation.jurisdiction_id].strip("/").split("/")
        province, city = ("/".join(parts[:depth]) + "/" for depth in (2, 3))
        organisation.province_id = ids.get(province) if len(parts) >= 2 else None
        organisation.city_id = ids.get(city) if len(parts) >= 3 else None


def _shift_counts(organisation: Organisation, old: tuple | None, new: tuple | None, using) -> None:
    if old == new:
        return
    places = {state[0] for state in (old, new) if state is not None}
    paths = {}
    if Organisation.jurisdiction.is_cached(organisation):
        place = organisation.jurisdiction
        if place is not None and place.pk in places:
            paths[place.pk] = place.path
    missing = places - set(paths)
    if missing:
        paths.update(
            Jurisdiction.objects.using(using).filter(pk__in=missing).values_list("pk", "path")
        )
    deltas: dict[tuple[str, str, str], int] = {}
    for state, delta in ((old, -1), (new, 1)):
        if state is not None:
            key = (paths[state[0]], state[1], state[2])
            deltas[key] = deltas.get(key, 0) + delta
    OrganisationCount.objects.using(using).shift(deltas)


def _uncount_deleted(sender, instance: Organisation, using, **kwargs) -> None:
    # Sent inside the deletion's transaction (Collector.delete), so the count goes with the row.
    old = getattr(instance, "_counted", None) or tuple(
        getattr(instance, name) for name in Organisation._COUNTED
    )
    _shift_counts(instance, old, None, using)
    instance._counted = None


class OrganisationCountQuerySet(models.QuerySet):
    def shift(self, deltas: dict[tuple[str, str, str], int]) -> None:
        """Add each delta to the counts of ``(jurisdiction path, kind, status)`` and of every
        ancestor of that jurisdiction, in one upsert (SQLite and PostgreSQL alike)."""
        rolled: dict[tuple[str, str, str], int] = {}
        for (path, kind, status), delta in deltas.items():
            parts = path.strip("/").split("/")
            for depth in range(1, len(parts) + 1):
                key = ("/".join(parts[:depth]) + "/", kind, status)
                rolled[key] = rolled.get(key, 0) + delta
        rolled = {key: delta for key, delta in sorted(rolled.items()) if delta}
        if not rolled:
            return
        table = OrganisationCount._meta.db_table
        places = Jurisdiction._meta.db_table
        # Each SELECT has its WHERE: SQLite then reads ON CONFLICT as the upsert, not a join.
        select = (
            f"SELECT j.id, CAST(%s AS varchar(20)), CAST(%s AS varchar(12)), CAST(%s AS integer) "
            f"FROM {places} j WHERE j.path = %s"
        )
        params: list = []
        for (path, kind, status), delta in rolled.items():
            params += [str(kind), str(status), delta, path]
        sql = (
            f"INSERT INTO {table} (jurisdiction_id, kind, status, total) "
            + " UNION ALL ".join([select] * len(rolled))
            + f" ON CONFLICT (jurisdiction_id, kind, status) DO UPDATE "
            f"SET total = {table}.total + excluded.total"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)


class OrganisationCount(models.Model):
    """单位数汇总: how many organisations of a kind and status a jurisdiction's whole subtree
    holds (the jurisdiction itself included), so a dashboard reads a few rows instead of
    counting every organisation below it.

    Kept exact in the transaction that writes an organisation (``Organisation.save`` and
    ``delete``); bulk writes that bypass them (``bulk_create``, ``QuerySet.update``) call
    ``organisation_counts_rebuild`` after, and the nightly task rebuilds it from a plain count.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("区划"),
        on_delete=models.CASCADE,
        related_name="organisation_counts",
    )
    kind = models.CharField(_("单位类别"), max_length=20, choices=Organisation.Kind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Organisation.Status.choices)
    total = models.IntegerField(_("数量"), default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位数汇总")
        verbose_name_plural = _("单位数汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "status"], name="organisation_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.kind} {self.status}: {self.total}"


post_delete.connect(_uncount_deleted, sender=Organisation, dispatch_uid="organisation_counts")
