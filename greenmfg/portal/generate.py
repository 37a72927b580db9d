"""Realistic data at national scale, for benchmarks and load tests (issue 9).

:func:`generate` fills a fresh database, on top of the demo directory (the jurisdiction tree of
``shared/data`` with its bureaus and one user of every role per demo city), with:

- ``units`` enterprises spread over every county of the three demo cities, each with an
  applicant account (all share one password hash, so any of them can sign in for a load test);
- one city batch per city and year for the last five years, and ``applications`` applications
  across them: this year's in every state of the workflow, earlier years' decided;
- an expert pool of ``experts`` per city (the demo experts among them), three experts on every
  application that reached the expert review, with their score sheets;
- ``agencies`` qualified third-party agencies, engaged by a share of the applications within the
  yearly caps;
- ``listed`` listed units on the city lists of the last five years (a share of them also on the
  provincial and national lists, a few removed), each with its "listed" history entry;
- the dynamic-management filing windows of those five years and every listed unit's tables.

Everything is written with ``bulk_create`` in batches of :data:`BATCH`, never all in memory, and
from a seeded random generator, so that two runs give the same data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from applications.models import Application, Batch
from dynamic_mgmt.models import AnnualTable, FilingWindow
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.directory.credit_code import with_check_character
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.rules import unit_types
from registry.models import Listing, ListingEvent
from reviews.models import ExpertAssignment, ExpertField, ExpertMembership, ScoreSheet
from thirdparty.models import AgencyProfile, Engagement

BATCH = 5000
MARKER = "GD"  # the 9-character organisation-code part of a generated credit code starts so
YEARS = 5

CITIES = {  # city key → (slug of its demo users, policy)
    "410300": ("luoyang", "luoyang-2024"),
    "370100": ("jinan", "jinan-2024"),
    "210200": ("dalian", "dalian-2022-national"),
}
PROVINCES = {"410300": "410000", "370100": "370000", "210200": "210000"}


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Units are spread over the counties in turn (unit i in county i mod n); anything else chosen by
# unit number would correlate with the county, so years and states come from the seeded random.

# Company names: 字号 × 行业 × 组织形式, unique within a county for the first 10,800 units.
TRADE_NAMES = words(
    "华瑞 恒通 中源 宏达 金泰 鑫诚 永盛 天和 瑞丰 博远 安达 新兴 同创 "
    "汇通 东方 正泰 万象 兴业 长城 嘉禾 德信 富源 盛世 远航 科瑞 泰和 "
    "凯达 明阳 联合 金鼎 龙腾 宇通 华联 鼎盛 广源 振华 晨光 合力 睿智 "
    "利民 通达 天成 福瑞 恒信 华康 启航 卓越 伟业 中联 海川 绿源 清源 "
    "蓝天 碧水 青山 润泽 森源 源丰 融创 捷达 "
)
SECTORS = words(
    "精密机械 新材料 化工 电子科技 纺织 食品 建材 装备制造 新能源 "
    "汽车零部件 钢铁 有色金属 造纸 医药 陶瓷 玻璃 轴承 电缆 铸造 印染 "
    "家具 塑料制品 橡胶 光伏 锂电 环保设备 智能装备 电机 阀门 包装 "
)
FORMS = ("有限公司", "制造有限公司", "科技有限公司", "股份有限公司", "集团有限公司", "实业有限公司")
INDUSTRIES = (
    "通用设备制造业",
    "专用设备制造业",
    "化学原料和化学制品制造业",
    "非金属矿物制品业",
    "汽车制造业",
    "电气机械和器材制造业",
    "计算机、通信和其他电子设备制造业",
    "纺织业",
    "食品制造业",
    "黑色金属冶炼和压延加工业",
)
PRODUCTS = ("节能型电动机", "水性涂料", "再生纸制品", "LED照明灯具", "节水型阀门", "低VOCs胶粘剂")

# This year's applications by state (shares add to 1), and earlier years' outcomes.
CURRENT_STATES = (
    (Application.Status.DRAFT, 0.12),
    (Application.Status.SUBMITTED, 0.12),
    (Application.Status.RETURNED, 0.04),
    (Application.Status.COUNTY_REVIEW, 0.12),
    (Application.Status.RECOMMENDED, 0.10),
    (Application.Status.NOT_RECOMMENDED, 0.05),
    (Application.Status.EXPERT_REVIEW, 0.20),
    (Application.Status.PASSED, 0.10),
    (Application.Status.FAILED, 0.05),
    (Application.Status.IN_PUBLICITY, 0.10),
)
PAST_STATES = (
    (Application.Status.LISTED, 0.6),
    (Application.Status.NOT_LISTED, 0.2),
    (Application.Status.FAILED, 0.2),
)
SCORED = frozenset(
    {
        Application.Status.EXPERT_REVIEW,
        Application.Status.PASSED,
        Application.Status.FAILED,
        Application.Status.IN_PUBLICITY,
        Application.Status.LISTED,
        Application.Status.NOT_LISTED,
    }
)
CURRENT_SHARE = 0.4  # of the applications, this year's
THIRD_PARTY_SHARE = 0.3
PROVINCE_SHARE = 0.12  # of the listed units, also on the provincial list
NATIONAL_SHARE = 0.04
REMOVED_SHARE = 0.02
INDICATORS = {
    "energy_per_unit": 100,
    "water_per_unit": 2.5,
    "pollutant_per_unit": 0.8,
    "solid_waste_utilisation_rate": 90,
    "carbon_per_unit": 1.2,
    "renewable_energy_share": 12,
}


@dataclass
class Sizes:
    units: int = 100_000
    applications: int = 20_000
    listed: int = 50_000
    experts: int = 100  # per city, besides the demo experts
    agencies: int = 150

    def __post_init__(self):
        self.applications = min(self.applications, self.units)
        self.listed = min(self.listed, self.units)


@dataclass
class Place:
    city_key: str
    county: Jurisdiction


@dataclass
class Unit:
    """What the later steps need of one generated enterprise (not the model instance)."""

    pk: int
    name: str
    credit_code: str
    county_id: int
    city_key: str


def chunks(total: int, size: int = BATCH) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def company_name(county: Jurisdiction, serial: int) -> str:
    """The ``serial``-th name of a county: distinct for the first 10,800 of each county."""
    trade = TRADE_NAMES[serial % len(TRADE_NAMES)]
    sector = SECTORS[(serial // len(TRADE_NAMES)) % len(SECTORS)]
    form = FORMS[(serial // (len(TRADE_NAMES) * len(SECTORS))) % len(FORMS)]
    place = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
    name = f"{place}{trade}{sector}{form}"
    rounds = serial // (len(TRADE_NAMES) * len(SECTORS) * len(FORMS))
    return f"{name[:-4]}第{rounds + 1}分公司" if rounds else name


class Generator:
    def __init__(
        self,
        sizes: Sizes,
        *,
        seed: int = 2026,
        password: str | None = None,
        log: Callable[[str], None] = print,
    ):
        self.sizes = sizes
        self.random = random.Random(seed)
        self.log = log
        self.counts: Counter[str] = Counter()  # rows written, by kind
        self.today = clock.today()
        self.year = self.today.year
        self.years = list(range(self.year - YEARS + 1, self.year + 1))
        # One hash for every generated account: unusable, or the given password.
        self.password = make_password(password)
        self.admin = User.objects.get(username="admin")

    # The directory --------------------------------------------------------------------------

    def places(self) -> list[Place]:
        cities = {
            node.key: node
            for node in Jurisdiction.objects.filter(key__in=CITIES).select_related("parent")
        }
        self.cities = cities
        self.bureaus = {
            bureau.jurisdiction.key: bureau
            for bureau in Organisation.objects.filter(
                kind=Organisation.Kind.BUREAU, department=""
            ).select_related("jurisdiction")
        }
        places = []
        for key in CITIES:
            for county in Jurisdiction.objects.filter(parent=cities[key]).select_related("parent"):
                places.append(Place(key, county))
        return places

    def enterprises(self) -> list[Unit]:
        places = self.places()
        serials: dict[int, int] = {}
        units: list[Unit] = []
        for chunk in chunks(self.sizes.units):
            organisations = []
            for i in chunk:
                place = places[i % len(places)]
                serial = serials[place.county.pk] = serials.get(place.county.pk, -1) + 1
                division = place.county.code or place.county.parent.code
                organisations.append(
                    Organisation(
                        name=company_name(place.county, serial),
                        kind=Organisation.Kind.ENTERPRISE,
                        credit_code=with_check_character(f"91{division}{MARKER}{i:07d}"),
                        jurisdiction=place.county,
                        address=f"{place.county.name}工业园区{serial % 90 + 1}号",
                        contact_name=f"联系人{i % 1000:03d}",
                        contact_phone=f"1390000{i % 10000:04d}",
                    )
                )
            with transaction.atomic():
                organisations = Organisation.objects.bulk_create(organisations)
                User.objects.bulk_create(
                    User(
                        username=f"unit-{i:06d}",
                        email=f"unit{i:06d}@example.cn",
                        password=self.password,
                        role=Role.APPLICANT,
                        organisation=organisation,
                        full_name=organisation.contact_name,
                    )
                    for i, organisation in zip(chunk, organisations, strict=True)
                )
            for i, organisation in zip(chunk, organisations, strict=True):
                units.append(
                    Unit(
                        organisation.pk,
                        organisation.name,
                        organisation.credit_code,
                        organisation.jurisdiction_id,
                        places[i % len(places)].city_key,
                    )
                )
            self.counts["enterprises"] += len(organisations)
            self.counts["users"] += len(organisations)
        self.log(f"  {len(units):,} enterprises and their applicant accounts")
        return units

    # Experts and agencies -------------------------------------------------------------------

    def expert_pools(self) -> dict[str, list[int]]:
        fields = [choice for choice, _label in ExpertField.choices]
        pools: dict[str, list[int]] = {}
        for key, (slug, _policy) in CITIES.items():
            bureau = self.bureaus[key]
            experts = User.objects.bulk_create(
                User(
                    username=f"{slug}-pool-{n:03d}",
                    email=f"{slug}-pool-{n:03d}@example.cn",
                    password=self.password,
                    role=Role.EXPERT,
                    full_name=f"{self.cities[key].name.removesuffix('市')}专家{n:03d}",
                )
                for n in range(self.sizes.experts)
            )
            existing = set(
                ExpertMembership.objects.filter(authority=bureau).values_list(
                    "expert_id", flat=True
                )
            )
            ExpertMembership.objects.bulk_create(
                ExpertMembership(
                    authority=bureau,
                    expert=expert,
                    field=fields[n % len(fields)],
                    title="高级工程师" if n % 3 else "教授级高级工程师",
                    active_from=self.years[0],
                )
                for n, expert in enumerate(experts)
            )
            pools[key] = sorted(existing) + [expert.pk for expert in experts]
            self.counts["experts"] += len(experts)
        self.log(f"  {self.counts['experts']:,} experts in the three cities' pools")
        return pools

    def agencies(self) -> list[int]:
        node = self.cities["410300"]
        division = node.code
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{TRADE_NAMES[n % len(TRADE_NAMES)]}绿色评价技术服务有限公司{n:03d}",
                kind=Organisation.Kind.AGENCY,
                credit_code=with_check_character(f"91{division}AG{n:07d}"),
                jurisdiction=self.cities[list(CITIES)[n % len(CITIES)]],
            )
            for n in range(self.sizes.agencies)
        )
        User.objects.bulk_create(
            User(
                username=f"agency-{n:03d}",
                email=f"agency-{n:03d}@example.cn",
                password=self.password,
                role=Role.AGENCY_STAFF,
                organisation=organisation,
            )
            for n, organisation in enumerate(organisations)
        )
        decided = clock.now()
        AgencyProfile.objects.bulk_create(
            AgencyProfile(
                organisation=organisation,
                legal_representative=f"法人{n:03d}",
                legal_representative_id=f"4103021975{n:04d}0011"[:18],
                independent_legal_entity=True,
                has_fixed_office=True,
                office_address=f"{organisation.jurisdiction.name}科技路{n + 1}号",
                has_finance_system=True,
                staff_compliance=True,
                evaluation_capability=True,
                status=AgencyProfile.Status.APPROVED,
                decided_at=decided,
                decision_comment="资质条件均已满足。",
            )
            for n, organisation in enumerate(organisations)
        )
        self.counts["agencies"] += len(organisations)
        self.log(f"  {len(organisations):,} qualified agencies")
        return [organisation.pk for organisation in organisations]

    # Batches and applications ---------------------------------------------------------------

    def batches(self) -> dict[tuple[str, int], Batch]:
        batches = {}
        for key, (_slug, policy) in CITIES.items():
            node = self.cities[key]
            for year in self.years:
                current = year == self.year
                deadline = datetime.datetime(year, 5, 31, 17, tzinfo=datetime.UTC)
                batch, _created = Batch.objects.get_or_create(
                    authority=self.bureaus[key],
                    year=year,
                    title=f"{year}年度{node.name}绿色制造名单申报",
                    defaults={
                        "jurisdiction": node,
                        "policy": policy,
                        "unit_types": unit_types(policy),
                        "status": Batch.Status.OPEN if current else Batch.Status.CLOSED,
                        "submission_deadline": (
                            clock.now() + datetime.timedelta(days=30) if current else deadline
                        ),
                        "scoring_templates": {"factory": "green-factory@2025"},
                    },
                )
                batches[key, year] = batch
        return batches

    def pick_state(self, table) -> str:
        roll = self.random.random()
        for state, share in table:
            roll -= share
            if roll < 0:
                return state
        return table[-1][0]

    def applications(self, units: list[Unit], pools, agencies) -> dict[int, Application]:
        """Applications, their experts and sheets and their agencies; returns the listed ones
        by organisation, for the listings."""
        batches = self.batches()
        total = self.sizes.applications
        current = round(total * CURRENT_SHARE)
        # Distinct units per batch: application i takes unit i (units are spread over cities).
        listed: dict[int, Application] = {}
        city_of_batch = {batch.pk: key for (key, _year), batch in batches.items()}
        engaged: dict[tuple[int, int], int] = {}
        submitted_at = clock.now() - datetime.timedelta(days=20)
        for chunk in chunks(total):
            rows = []
            for i in chunk:
                unit = units[i]
                year = self.year if i < current else self.random.choice(self.years[:-1])
                state = self.pick_state(CURRENT_STATES if year == self.year else PAST_STATES)
                kind = self.random.random()
                unit_type = (
                    "factory"
                    if kind < 0.85
                    else "supply_chain"
                    if kind < 0.93
                    else "design_product"
                )
                batch = batches[unit.city_key, year]
                if unit_type not in batch.unit_types:
                    unit_type = "factory"
                third_party = self.random.random() < THIRD_PARTY_SHARE
                rows.append(
                    Application(
                        batch=batch,
                        organisation_id=unit.pk,
                        jurisdiction_id=unit.county_id,
                        unit_type=unit_type,
                        product_name=(
                            PRODUCTS[i % len(PRODUCTS)] if unit_type == "design_product" else ""
                        ),
                        industry=INDUSTRIES[i % len(INDUSTRIES)],
                        status=state,
                        evaluation_mode=(
                            Application.EvaluationMode.THIRD_PARTY
                            if third_party
                            else Application.EvaluationMode.SELF
                        ),
                        submitted_at=(
                            None
                            if state == Application.Status.DRAFT
                            else (
                                submitted_at
                                if year == self.year
                                else datetime.datetime(year, 5, 20, 9, tzinfo=datetime.UTC)
                            )
                        ),
                        created_by_id=self.admin.pk,
                    )
                )
            with transaction.atomic():
                rows = Application.objects.bulk_create(rows)
                assignments, engagements = [], []
                for application in rows:
                    if application.status in SCORED:
                        pool = pools[city_of_batch[application.batch_id]]
                        start = self.random.randrange(len(pool))
                        for n in range(3):
                            assignments.append(
                                ExpertAssignment(
                                    application=application,
                                    expert_id=pool[(start + n * 7) % len(pool)],
                                    status=(
                                        ExpertAssignment.Status.ASSIGNED
                                        if application.status == Application.Status.EXPERT_REVIEW
                                        and n == 2
                                        else ExpertAssignment.Status.SUBMITTED
                                    ),
                                    assigned_by_id=self.admin.pk,
                                )
                            )
                    if application.evaluation_mode == Application.EvaluationMode.THIRD_PARTY:
                        year = application.batch.year
                        agency = self.agency_with_room(agencies, engaged, year)
                        if agency:
                            application.agency_id = agency
                            engagements.append(
                                Engagement(
                                    agency_id=agency,
                                    application=application,
                                    batch=application.batch,
                                    year=year,
                                    counted=application.unit_type != "design_product",
                                    created_by_id=self.admin.pk,
                                )
                            )
                    if application.status == Application.Status.LISTED:
                        listed[application.organisation_id] = application
                Application.objects.bulk_update(
                    [row for row in rows if row.agency_id], ["agency"], batch_size=BATCH
                )
                assignments = ExpertAssignment.objects.bulk_create(assignments)
                ScoreSheet.objects.bulk_create(self.sheets(assignments))
                Engagement.objects.bulk_create(engagements)
            self.counts["applications"] += len(rows)
            self.counts["expert assignments"] += len(assignments)
            self.counts["engagements"] += len(engagements)
        self.log(
            f"  {self.counts['applications']:,} applications, "
            f"{self.counts['expert assignments']:,} expert assignments"
        )
        return listed

    def agency_with_room(self, agencies, engaged, year) -> int | None:
        """An agency with fewer than 15 projects this year (the strictest cap)."""
        for _attempt in range(5):
            agency = agencies[self.random.randrange(len(agencies))]
            if engaged.get((agency, year), 0) < 15:
                engaged[agency, year] = engaged.get((agency, year), 0) + 1
                return agency
        return None

    def sheets(self, assignments: list[ExpertAssignment]) -> Iterator[ScoreSheet]:
        for assignment in assignments:
            if assignment.status != ExpertAssignment.Status.SUBMITTED:
                continue
            total = Decimal(self.random.randrange(7000, 9600)) / 100
            yield ScoreSheet(
                assignment=assignment,
                template_key="green-factory@2025",
                status=ScoreSheet.Status.SUBMITTED,
                total=total,
                basic_met=total >= 75,
                comment="资料齐全，指标达到要求。",
                submitted_at=assignment.assigned_at,
            )

    # Listings and the dynamic management ----------------------------------------------------

    def listings(self, units: list[Unit], listed_applications: dict[int, Application]) -> None:
        past = self.years[:-1]
        windows = self.filing_windows()
        removed_on = self.today - datetime.timedelta(days=60)
        for chunk in chunks(self.sizes.listed):
            rows, row_cities = [], []
            for i in chunk:
                unit = units[i]
                application = listed_applications.get(unit.pk)
                year = application.batch.year if application else self.random.choice(past)
                listed_on = datetime.date(year, 6, 30)
                common = {
                    "organisation_id": unit.pk,
                    "jurisdiction_id": unit.county_id,
                    "unit_type": application.unit_type if application else "factory",
                    "product_name": application.product_name if application else "",
                    "unit_name": unit.name,
                    "credit_code": unit.credit_code,
                    "listed_on": listed_on,
                    "created_by_id": self.admin.pk,
                }
                city = self.cities[unit.city_key]
                removed = self.random.random() < REMOVED_SHARE
                rows.append(
                    Listing(
                        level=Level.CITY,
                        year=year,
                        authority=self.bureaus[unit.city_key],
                        batch=application.batch if application else None,
                        application=application,
                        document_number=(
                            f"{city.name.removesuffix('市')}工信〔{year}〕{20 + i % 7}号"
                        ),
                        valid_until=datetime.date(year + 3, 6, 30),
                        status=Listing.Status.REMOVED if removed else Listing.Status.ACTIVE,
                        removed_on=removed_on if removed else None,
                        **common,
                    )
                )
                row_cities.append(unit.city_key)
                roll = self.random.random()
                if roll < PROVINCE_SHARE:
                    province = PROVINCES[unit.city_key]
                    rows.append(
                        Listing(
                            level=Level.PROVINCE,
                            year=year,
                            authority=self.bureaus[province],
                            document_number=f"省工信〔{year}〕{40 + i % 5}号",
                            **common,
                        )
                    )
                    row_cities.append(unit.city_key)
                if roll < NATIONAL_SHARE:
                    rows.append(
                        Listing(
                            level=Level.NATIONAL,
                            year=year,
                            authority=self.bureaus["CN"],
                            document_number=f"工信厅节函〔{year}〕{300 + i % 9}号",
                            **common,
                        )
                    )
                    row_cities.append(unit.city_key)
            with transaction.atomic():
                rows = Listing.objects.bulk_create(rows)
                ListingEvent.objects.bulk_create(
                    ListingEvent(
                        listing=listing,
                        kind=ListingEvent.Kind.LISTED,
                        occurred_on=listing.listed_on,
                        document_number=listing.document_number,
                        new_value=listing.unit_name,
                        created_by_id=self.admin.pk,
                    )
                    for listing in rows
                )
                tables = list(self.tables(zip(rows, row_cities, strict=True), windows))
                AnnualTable.objects.bulk_create(tables)
            self.counts["listings"] += len(rows)
            self.counts["annual tables"] += len(tables)
        self.log(
            f"  {self.counts['listings']:,} listings, "
            f"{self.counts['annual tables']:,} annual tables"
        )

    def filing_windows(self) -> dict[tuple[str, str, int], FilingWindow]:
        windows = {}
        official = self.admin
        for key in CITIES:
            node = self.cities[key]
            for level in (Level.CITY, Level.PROVINCE, Level.NATIONAL):
                for year in self.years:
                    window, _created = FilingWindow.objects.get_or_create(
                        jurisdiction=node,
                        level=level,
                        year=year,
                        defaults={
                            "authority": self.bureaus[key],
                            "opens_on": datetime.date(year, 3, 1),
                            "deadline": datetime.date(year, 4, 15),
                            "reminder_days": [30, 7, 1],
                            "citation": "生成数据",
                            "opened_at": clock.now(),
                            "created_by": official,
                        },
                    )
                    windows[key, level, year] = window
        return windows

    def tables(self, listings, windows) -> Iterator[AnnualTable]:
        """Each listed unit's tables since its listing; provincial and national units file
        through their city's window of their level."""
        for listing, city in listings:
            for year in range(listing.year + 1, self.year + 1):
                deadline = datetime.date(year, 4, 15)
                if deadline > self.today or (listing.removed_on and year >= self.year):
                    continue
                late = self.random.random() < 0.05
                missing = self.random.random() < 0.03
                if missing:
                    continue
                values = {
                    key: round(value * self.random.uniform(0.85, 1.1), 3)
                    for key, value in INDICATORS.items()
                }
                filed_at = datetime.datetime(year, 4, 20 if late else 10, 9, tzinfo=datetime.UTC)
                yield AnnualTable(
                    listing=listing,
                    window=windows[city, listing.level, year],
                    year=year,
                    indicators=values,
                    status=AnnualTable.Status.FILED,
                    filed_at=filed_at,
                    late=late,
                )


def generate(
    sizes: Sizes,
    *,
    seed: int = 2026,
    password: str | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fill the database; returns the rows written by kind."""
    generator = Generator(sizes, seed=seed, password=password, log=log)
    units = generator.enterprises()
    pools = generator.expert_pools()
    agencies = generator.agencies()
    listed = generator.applications(units, pools, agencies)
    generator.listings(units, listed)
    return dict(generator.counts)


def already_generated() -> bool:
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE,
            credit_code__contains=MARKER,
            credit_code__startswith="91",
        ).exists()
        and User.objects.filter(username="unit-000000").exists()
    )
