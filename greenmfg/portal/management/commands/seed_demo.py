"""Demo data: the jurisdiction tree, bureaus, and one user of every role in each demo city.

Idempotent: running it again updates the same rows and resets the demo passwords.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from applications.models import Application, Batch, BatchQuota, CultivationCandidate
from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.services.benchmark import compute_benchmarks
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.directory.credit_code import with_check_character
from greenmfg.directory.loaders import jurisdictions_load
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.rules import unit_types
from greenmfg.rules.agency import agency_cap
from greenmfg.rules.reports import round_end
from registry.models import Listing, ListingEvent
from registry.services.announcement import announce_list, announce_publicity
from registry.services.listing import listing_term_end
from reviews.models import ExpertMembership, Publicity, PublicityItem
from thirdparty.models import AgencyProfile, Engagement, ExperienceRecord, StaffMember

AGENCY_CLIENTS = 14
# The industry of last year's listed factory (its application), and of 洛阳's peer group below.
LISTED_INDUSTRY = "通用设备制造业"
CHEMICALS = "化学原料和化学制品制造业"


@dataclass(frozen=True)
class Peer:
    """A green factory on an earlier city list that filed last year's 动态管理表 (对标)."""

    name: str
    industry: str
    energy: float  # 单位产品综合能耗, 千克标准煤/单位产品
    water: float  # 单位产品取水量, 立方米/单位产品
    carbon: float  # 单位产品碳排放量, 吨二氧化碳当量/单位产品
    solid_waste: float  # 工业固体废物综合利用率, %
    renewable: float  # 可再生能源使用比例, %


# 洛阳's green factories of the listed factory's industry, enough for a benchmark
# (BENCHMARK_MIN_SAMPLE 5), and two of another industry, too few: /industry-benchmarks/ marks
# those 样本不足. Names get the city's short name in front.
PEERS = {
    "luoyang": [
        Peer("示范重型机械有限公司（演示）", LISTED_INDUSTRY, 0.412, 1.82, 0.92, 96.5, 12.0),
        Peer("示范轴承制造有限公司（演示）", LISTED_INDUSTRY, 0.386, 1.65, 0.87, 98.1, 15.5),
        Peer("示范矿山机械有限公司（演示）", LISTED_INDUSTRY, 0.455, 2.10, 1.05, 93.2, 8.4),
        Peer("示范泵阀制造有限公司（演示）", LISTED_INDUSTRY, 0.398, 1.74, 0.90, 97.0, 10.2),
        Peer("示范传动设备有限公司（演示）", LISTED_INDUSTRY, 0.472, 2.36, 1.12, 91.8, 6.5),
        Peer("示范液压机械有限公司（演示）", LISTED_INDUSTRY, 0.431, 1.95, 0.98, 95.4, 9.8),
        Peer("示范精细化工有限公司（演示）", CHEMICALS, 1.85, 4.6, 3.4, 88.0, 5.0),
        Peer("示范新材料化工有限公司（演示）", CHEMICALS, 2.12, 5.1, 3.9, 85.5, 3.2),
    ],
}

User = get_user_model()
Kind = Organisation.Kind


@dataclass(frozen=True)
class DemoCity:
    slug: str
    city_key: str
    county_key: str  # the county whose users are seeded in full
    second_county_key: str  # a second county, to show that counties do not see each other
    province_user: str
    policy: str


CITIES = [
    DemoCity("luoyang", "410300", "410311", "410307", "henan", "luoyang-2024"),
    DemoCity("jinan", "370100", "370102", "JN-HTZ", "shandong", "jinan-2024"),
    DemoCity("dalian", "210200", "210213", "DL-JPXQ", "liaoning", "dalian-2022-national"),
]

DEPARTMENTS = [
    ("env", Organisation.Department.ECOLOGY_ENVIRONMENT, "生态环境分局"),
    ("safety", Organisation.Department.EMERGENCY_MANAGEMENT, "应急管理局"),
    ("market", Organisation.Department.MARKET_REGULATION, "市场监督管理局"),
    ("tax", Organisation.Department.TAX, "税务局"),
]


def bureau_name(node: Jurisdiction) -> str:
    if node.level == Level.NATIONAL:
        return "工业和信息化部"
    if node.level == Level.PROVINCE:
        return f"{node.name}工业和信息化厅"
    if node.kind == Jurisdiction.Kind.FUNCTIONAL:
        return f"{node.name}经济发展局"
    return f"{node.name}工业和信息化局"


def demo_credit_code(node: Jurisdiction, serial: int, *, prefix: str = "91") -> str:
    """A valid 统一社会信用代码 whose division code is the node's (or its city's for zones)."""
    division = node.code or node.parent.code
    return with_check_character(f"{prefix}{division}MA{serial:07d}")


def demo_id_number(serial: int) -> str:
    """A well-formed 居民身份证号码 (its check digit right) for a demo legal representative."""
    first = f"41030219800101{serial:03d}"
    return first + ric.calc_check_digit(first + "0")


# The demo's experts, three per city: names as a pool lists them, so score sheets, opinions and
# the audit trail read like a real review (not 评审专家（luoyang-expert2）).
EXPERT_NAMES = [
    ("王建国", "李秀芳", "张立新"),
    ("刘志强", "陈静怡", "杨明远"),
    ("赵文博", "孙丽华", "周振宇"),
]


class Command(BaseCommand):
    help = "Load the demo jurisdictions, organisations, users, batches and pool (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory-only",
            action="store_true",
            help="only jurisdictions, organisations and users (no batches or pool entries)",
        )

    @transaction.atomic
    def handle(self, *args, directory_only=False, **options):
        self.with_workflow_data = not directory_only
        count = jurisdictions_load()
        self.accounts: list[tuple[str, str, str]] = []
        self.password = settings.DEMO_PASSWORD

        for node in Jurisdiction.objects.all():
            self.organisation(bureau_name(node), Kind.BUREAU, node)

        nation = Jurisdiction.objects.get(level=Level.NATIONAL)
        self.user("nation", Role.NATIONAL_OFFICIAL, self.bureau(nation), "国家级审核员")
        for serial, city in enumerate(CITIES, start=1):
            self.seed_city(city, serial)
        if self.with_workflow_data:
            self.seed_national_batch(nation)
            # 对标 from the peer groups' filed tables, as the nightly sweep would compute it.
            compute_benchmarks(year=clock.today().year - 1)
        admin = self.user("admin", Role.SYSADMIN, None, "系统管理员")
        if not (admin.is_staff and admin.is_superuser):
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])

        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 个行政区划和演示数据。"))
        self.stdout.write(f"演示账号（密码均为 {self.password}）：")
        for username, role, organisation in self.accounts:
            self.stdout.write(f"  {username:<22} {role:<14} {organisation}")

    def seed_city(self, city: DemoCity, serial: int) -> None:
        city_node = Jurisdiction.objects.get(key=city.city_key)
        county = Jurisdiction.objects.get(key=city.county_key)
        county2 = Jurisdiction.objects.get(key=city.second_county_key)
        short = city_node.name.removesuffix("市")

        self.user(
            city.province_user, Role.PROVINCE_OFFICIAL, self.bureau(city_node.parent), "省级审核员"
        )
        self.user(f"{city.slug}-city", Role.CITY_OFFICIAL, self.bureau(city_node), "市级审核员")
        self.user(f"{city.slug}-county", Role.COUNTY_OFFICIAL, self.bureau(county), "县级审核员")
        self.user(f"{city.slug}-county2", Role.COUNTY_OFFICIAL, self.bureau(county2), "县级审核员")

        for slug, department, suffix in DEPARTMENTS:
            org = self.organisation(
                f"{short}市{county.name}{suffix}", Kind.DEPARTMENT, county, department=department
            )
            self.user(f"{city.slug}-{slug}", Role.DEPARTMENT_OFFICIAL, org, "部门联络员")

        enterprise = self.organisation(
            f"{short}绿源示范制造有限公司（演示）",
            Kind.ENTERPRISE,
            county,
            credit_code=demo_credit_code(county, serial * 100 + 1),
        )
        self.user(f"{city.slug}-enterprise", Role.APPLICANT, enterprise, "企业申报联系人")
        enterprise2 = self.organisation(
            f"{short}青山示范材料股份有限公司（演示）",
            Kind.ENTERPRISE,
            county2,
            credit_code=demo_credit_code(county2, serial * 100 + 2),
        )
        self.user(f"{city.slug}-enterprise2", Role.APPLICANT, enterprise2, "企业申报联系人")
        park = self.organisation(
            f"{short}{county.name}示范产业园管理委员会（演示）",
            Kind.PARK,
            county,
            credit_code=demo_credit_code(county, serial * 100 + 3, prefix="11"),
        )
        self.user(f"{city.slug}-park", Role.APPLICANT, park, "园区申报联系人")
        agency = self.organisation(
            f"{short}示范节能环保评价中心（演示）",
            Kind.AGENCY,
            city_node,
            credit_code=demo_credit_code(city_node, serial * 100 + 4),
        )
        self.user(f"{city.slug}-agency", Role.AGENCY_STAFF, agency, "评价工程师")
        self.seed_agency_profile(agency, serial)
        institute = self.organisation(
            f"{short}示范绿色制造研究院（演示）",
            Kind.INSTITUTION,
            city_node,
            credit_code=demo_credit_code(city_node, serial * 100 + 5, prefix="12"),
        )
        names = EXPERT_NAMES[serial % len(EXPERT_NAMES)]
        experts = [
            self.user(f"{city.slug}-expert", Role.EXPERT, institute, "评审专家", name=names[0])
        ]
        university = self.organisation(
            f"{short}示范理工大学（演示）",
            Kind.INSTITUTION,
            city_node,
            credit_code=demo_credit_code(city_node, serial * 100 + 6, prefix="12"),
        )
        for suffix, name in (("expert2", names[1]), ("expert3", names[2])):
            experts.append(
                self.user(f"{city.slug}-{suffix}", Role.EXPERT, university, "评审专家", name=name)
            )
        # Clients of the city's agency: where the city batch counts toward the cap (大连), 14 drafts
        # name it (seeded with the workflow data below), so the demo shows the 15th engagement
        # taken and the 16th refused under a 15-project cap.
        clients = [
            self.organisation(
                f"{short}示范委托企业{index:02d}（演示）",
                Kind.ENTERPRISE,
                county,
                credit_code=demo_credit_code(county, serial * 100 + 10 + index),
            )
            for index in range(1, AGENCY_CLIENTS + 1)
        ]
        # On last year's city list (seeded with the workflow data below).
        listed = self.organisation(
            f"{short}示范装备制造有限公司（演示）",
            Kind.ENTERPRISE,
            county,
            credit_code=demo_credit_code(county, serial * 100 + 7),
        )
        self.user(f"{city.slug}-listed", Role.APPLICANT, listed, "名单单位联系人")
        if not self.with_workflow_data:
            return
        batch = self.seed_batch(city, city_node)
        # Where the city batch's projects count toward the cap (大连 二: per batch); 洛阳 第二十条
        # counts national projects only, which reach a national batch by recommendation.
        cap = agency_cap(city.policy)
        if cap is not None and cap.counts_level(city_node.level):
            self.seed_engagements(batch, agency, clients)
        fields = ["energy", "environment", "low_carbon"]
        # The same experts sit in the city's pool and in the province's, which reviews the
        # cities' recommendations.
        for authority in (self.bureau(city_node), self.bureau(city_node.parent)):
            for expert, field in zip(experts, fields, strict=True):
                ExpertMembership.objects.get_or_create(
                    authority=authority,
                    expert=expert,
                    defaults={
                        "field": field,
                        "title": "正高级工程师",
                        "active_from": clock.today().year - 2,
                    },
                )
        self.seed_last_years_list(city, city_node, listed)
        self.seed_peer_group(city, city_node, county, serial)
        self.seed_filing_windows(city, city_node)
        if city.slug != "dalian":
            self.seed_province_batch(city, city_node.parent)
        CultivationCandidate.objects.get_or_create(
            organisation=enterprise2,
            target_unit_type="factory",
            defaults={
                "county": county2,
                "target_year": clock.today().year + 1,
                "plan": (
                    "对标行业能效标杆水平，完成节能诊断和清洁生产审核，"
                    "争取下一年度申报市级绿色工厂。"
                ),
                "created_by": User.objects.get(username=f"{city.slug}-county2"),
            },
        )

    def seed_batch(self, city: DemoCity, city_node: Jurisdiction) -> None:
        """An open batch of the city bureau under its policy, with a quota for every county."""
        year = clock.today().year
        batch, created = Batch.objects.get_or_create(
            authority=self.bureau(city_node),
            year=year,
            title=f"{year}年度{city_node.name}绿色制造名单申报",
            defaults={
                "jurisdiction": city_node,
                "policy": city.policy,
                "unit_types": unit_types(city.policy),
                "status": Batch.Status.OPEN,
                "submission_deadline": clock.now() + timedelta(days=60),
                "announcement": (
                    f"各县（区）工业和信息化主管部门：现组织开展{year}年度绿色制造名单申报工作，"
                    "请按通知要求组织辖区企业、园区在网上申报并报送纸质材料。"
                ),
            },
        )
        if created:
            for county in Jurisdiction.objects.filter(parent=city_node):
                BatchQuota.objects.get_or_create(batch=batch, county=county, defaults={"quota": 3})
        return batch

    def seed_engagements(self, batch: Batch, agency: Organisation, clients) -> None:
        """Drafts of the agency's clients that name it, each an engagement under the cap."""
        official = User.objects.get(
            username__endswith="-county", organisation__jurisdiction=clients[0].jurisdiction
        )
        for client in clients:
            application, created = Application.objects.get_or_create(
                batch=batch,
                organisation=client,
                unit_type="factory",
                product_name="",
                defaults={
                    "jurisdiction": client.jurisdiction,
                    "evaluation_mode": Application.EvaluationMode.THIRD_PARTY,
                    "agency": agency,
                    "created_by": official,
                },
            )
            if created:
                Engagement.objects.create(
                    agency=agency,
                    application=application,
                    batch=batch,
                    year=batch.year,
                    counted=True,
                    created_by=official,
                )

    def seed_last_years_list(
        self, city: DemoCity, city_node: Jurisdiction, organisation: Organisation
    ) -> None:
        """Last year's round with one green factory, as imported history: the public site shows
        it and the unit is under dynamic management. 洛阳 and 济南 published it on their city
        list, from which the city can recommend it to the province at once; 大连 recommended it
        to the ministry, which listed it nationally (大连 一: no 大连 city list)."""
        year = clock.today().year - 1
        official = User.objects.get(username=f"{city.slug}-city")
        batch = self.last_years_batch(
            authority=self.bureau(city_node),
            node=city_node,
            year=year,
            title=f"{year}年度{city_node.name}绿色制造名单申报",
            policy=city.policy,
        )
        lists = round_end(city.policy, city_node.level).lists
        application, _created = Application.objects.get_or_create(
            batch=batch,
            organisation=organisation,
            unit_type="factory",
            product_name="",
            defaults={
                "jurisdiction": organisation.jurisdiction,
                "industry": LISTED_INDUSTRY,
                "status": Application.Status.LISTED if lists else Application.Status.PROMOTED,
                "submitted_at": clock.now() - timedelta(days=320),
                "created_by": official,
            },
        )
        number = f"{city_node.name.removesuffix('市')}工信〔{year}〕{30 + len(city.slug)}号"
        if lists:
            self.publish_last_year(
                batch=batch,
                application=application,
                official=official,
                title=f"{year}年度{city_node.name}绿色制造名单公示",
                contact=f"{city_node.name}工业和信息化局节能与综合利用科",
                number=number,
            )
            return
        nation = Jurisdiction.objects.get(level=Level.NATIONAL)
        national_batch = self.last_years_batch(
            authority=self.bureau(nation),
            node=nation,
            year=year,
            title=f"{year}年度国家级绿色制造名单推荐",
            policy=city.policy,
        )
        national, _created = Application.objects.get_or_create(
            batch=national_batch,
            organisation=organisation,
            unit_type="factory",
            product_name="",
            defaults={
                "jurisdiction": organisation.jurisdiction,
                "industry": LISTED_INDUSTRY,
                "status": Application.Status.LISTED,
                "source_application": application,
                "submitted_at": clock.now() - timedelta(days=280),
                "created_by": official,
            },
        )
        self.publish_last_year(
            batch=national_batch,
            application=national,
            official=User.objects.get(username="nation"),
            title=f"{year}年度国家级绿色制造名单公示",
            contact="工业和信息化部节能与综合利用司",
            number=f"工信厅节函〔{year}〕{200 + len(city.slug)}号",
        )

    def seed_peer_group(
        self, city: DemoCity, city_node: Jurisdiction, county: Jurisdiction, serial: int
    ) -> None:
        """The city's other green factories (PEERS), as imported history: on the city list of
        two years ago (no login accounts), each with last year's 动态管理表 filed in that year's
        window. They are in the first county, which handles the demo's units; the city's
        filing windows in the demo are of other levels, so the schedule walk does not touch
        them."""
        peers = PEERS.get(city.slug, [])
        if not peers:
            return
        year = clock.today().year
        listed_year, table_year = year - 2, year - 1
        authority = self.bureau(city_node)
        official = User.objects.get(username=f"{city.slug}-city")
        short = city_node.name.removesuffix("市")
        number = f"{short}工信〔{listed_year}〕{20 + len(city.slug)}号"
        listed_on = date(listed_year, 9, 20)
        valid_until = listing_term_end(policy=city.policy, level=Level.CITY, listed_on=listed_on)
        filed_at = timezone.make_aware(datetime(table_year, 4, 8, 10, 0))
        for index, peer in enumerate(peers):
            organisation = self.organisation(
                f"{short}{peer.name}",
                Kind.ENTERPRISE,
                county,
                credit_code=demo_credit_code(county, serial * 100 + 40 + index),
            )
            listing, created = Listing.objects.get_or_create(
                organisation=organisation,
                level=Level.CITY,
                year=listed_year,
                authority=authority,
                defaults={
                    "unit_name": organisation.name,
                    "credit_code": organisation.credit_code,
                    "jurisdiction": county,
                    "unit_type": "factory",
                    "document_number": number,
                    "listed_on": listed_on,
                    "valid_until": valid_until,
                    "created_by": official,
                },
            )
            if created:
                ListingEvent.objects.create(
                    listing=listing,
                    kind=ListingEvent.Kind.LISTED,
                    occurred_on=listed_on,
                    document_number=number,
                    new_value=organisation.name,
                    created_by=official,
                )
            AnnualTable.objects.get_or_create(
                listing=listing,
                year=table_year,
                defaults={
                    "indicators": {
                        "industry": peer.industry,
                        "energy_per_unit": peer.energy,
                        "water_per_unit": peer.water,
                        "carbon_per_unit": peer.carbon,
                        "solid_waste_utilisation_rate": peer.solid_waste,
                        "renewable_energy_share": peer.renewable,
                    },
                    "status": AnnualTable.Status.FILED,
                    "filed_at": filed_at,
                },
            )

    def last_years_batch(
        self, *, authority: Organisation, node: Jurisdiction, year: int, title: str, policy: str
    ) -> Batch:
        batch, _created = Batch.objects.get_or_create(
            authority=authority,
            year=year,
            title=title,
            defaults={
                "jurisdiction": node,
                "policy": policy,
                "unit_types": unit_types(policy),
                "status": Batch.Status.CLOSED,
                "submission_deadline": clock.now() - timedelta(days=300),
            },
        )
        return batch

    def publish_last_year(
        self,
        *,
        batch: Batch,
        application: Application,
        official,
        title: str,
        contact: str,
        number: str,
    ) -> None:
        """The publicity, the list, its announcements and the unit's listing, as published."""
        published_on = clock.today() - timedelta(days=200)
        publicity, _created = Publicity.objects.get_or_create(
            batch=batch,
            defaults={
                "title": title,
                "starts_on": published_on - timedelta(days=12),
                "ends_on": published_on - timedelta(days=6),
                "contact": contact,
                "status": Publicity.Status.PUBLISHED,
                "document_number": number,
                "published_on": published_on,
                "created_by": official,
            },
        )
        PublicityItem.objects.get_or_create(
            application=application,
            defaults={
                "publicity": publicity,
                "position": 1,
                "score": 88,
                "outcome": PublicityItem.Outcome.LISTED,
            },
        )
        # The public site's announcements of that history (idempotent: once per event).
        announce_publicity(publicity, count=1, actor=official)
        announce_list(publicity, count=1, actor=official)
        organisation = application.organisation
        listing, _created = Listing.objects.get_or_create(
            application=application,
            defaults={
                "organisation": organisation,
                "unit_name": organisation.name,
                "credit_code": organisation.credit_code,
                "jurisdiction": organisation.jurisdiction,
                "unit_type": "factory",
                "level": batch.level,
                "year": batch.year,
                "authority": batch.authority,
                "batch": batch,
                "document_number": number,
                "listed_on": published_on,
                "valid_until": listing_term_end(
                    policy=batch.policy, level=batch.level, listed_on=published_on
                ),
                "created_by": official,
            },
        )
        ListingEvent.objects.get_or_create(
            listing=listing,
            kind=ListingEvent.Kind.LISTED,
            defaults={
                "occurred_on": published_on,
                "document_number": number,
                "new_value": organisation.name,
                "created_by": official,
            },
        )

    def seed_filing_windows(self, city: DemoCity, city_node: Jurisdiction) -> None:
        """Next year's dynamic-management windows, as each document sets them (settings):
        洛阳 第十六条 national and provincial units by 15 April; 济南 第十七条 every level, here the
        city's own list by 15 April; 大连 the national units by 15 November."""
        year = clock.today().year + 1
        windows = {
            "luoyang": [
                (Level.NATIONAL, (3, 1), (4, 15), "洛阳 第十六条"),
                (Level.PROVINCE, (3, 1), (4, 15), "洛阳 第十六条"),
            ],
            "jinan": [(Level.CITY, (3, 1), (4, 15), "济南 第十七条")],
            "dalian": [(Level.NATIONAL, (10, 1), (11, 15), "大连 三")],
        }[city.slug]
        official = User.objects.get(username=f"{city.slug}-city")
        for level, opens, deadline, citation in windows:
            FilingWindow.objects.get_or_create(
                jurisdiction=city_node,
                level=level,
                year=year,
                defaults={
                    "authority": self.bureau(city_node),
                    "opens_on": date(year, *opens),
                    "deadline": date(year, *deadline),
                    "reminder_days": [30, 7, 1],
                    "citation": citation,
                    "created_by": official,
                },
            )

    def seed_province_batch(self, city: DemoCity, province: Jurisdiction) -> None:
        """The province's batch that receives the cities' recommendations (洛阳 第二十二条,
        济南 第十二条: a provincial recommendation comes from the city list)."""
        year = clock.today().year
        Batch.objects.get_or_create(
            authority=self.bureau(province),
            year=year,
            title=f"{year}年度{province.name}绿色制造名单推荐",
            defaults={
                "jurisdiction": province,
                "policy": city.policy,
                "unit_types": [t for t in unit_types(city.policy) if t != "design_product"],
                "status": Batch.Status.OPEN,
                "submission_deadline": clock.now() + timedelta(days=60),
                "recommendation_deadline": clock.now() + timedelta(days=45),
                "announcement": (
                    f"各市工业和信息化主管部门：请从本市绿色制造名单中择优推荐{year}年度"
                    f"{province.name}绿色制造名单候选单位。"
                ),
            },
        )

    def seed_national_batch(self, nation: Jurisdiction) -> None:
        """The national round: provinces recommend by 31 July, then a 15-day publicity."""
        year = clock.today().year + 1
        deadline = timezone.make_aware(datetime(year, 7, 31, 23, 59))
        Batch.objects.get_or_create(
            authority=self.bureau(nation),
            year=year,
            title=f"{year}年度国家级绿色制造名单推荐",
            defaults={
                "jurisdiction": nation,
                "policy": "dalian-2022-national",
                "unit_types": unit_types("dalian-2022-national"),
                "status": Batch.Status.OPEN,
                "submission_deadline": deadline,
                "recommendation_deadline": deadline,
                "publicity_days": 15,
                "announcement": (
                    "各省、自治区、直辖市工业和信息化主管部门：请于7月31日前完成国家级绿色制造"
                    "名单推荐，推荐名单经审核后公示15天。"
                ),
            },
        )

    def seed_agency_profile(self, agency: Organisation, serial: int) -> None:
        """A qualified agency (大连 二): 10 full-time evaluators with intermediate titles or above,
        5 of them senior in the named fields, and recent experience; approved."""
        _profile, created = AgencyProfile.objects.get_or_create(
            organisation=agency,
            defaults={
                "legal_representative": f"演示法人{serial}",
                "legal_representative_id": demo_id_number(serial),
                "independent_legal_entity": True,
                "has_fixed_office": True,
                "office_address": agency.address or f"{agency.jurisdiction.name}示范路{serial}号",
                "has_finance_system": True,
                "staff_compliance": True,
                "evaluation_capability": True,
                "status": AgencyProfile.Status.APPROVED,
                "decided_at": clock.now(),
                "decision_comment": "演示数据：资质条件均已满足。",
            },
        )
        if not created:
            return
        fields = ["energy", "environment", "ecology", "low_carbon", "life_cycle"]
        for index in range(10):
            StaffMember.objects.create(
                agency=agency,
                name=f"评价员{serial}-{index + 1:02d}",
                full_time=True,
                title_level="senior" if index < 5 else "intermediate",
                field=fields[index % len(fields)],
                green_evaluation=True,
            )
        year = clock.today().year
        ExperienceRecord.objects.create(
            agency=agency,
            kind=ExperienceRecord.Kind.EVALUATION,
            title="省级绿色工厂第三方评价",
            year=year - 1,
            led=True,
        )
        ExperienceRecord.objects.create(
            agency=agency,
            kind=ExperienceRecord.Kind.STANDARD,
            title="团体标准《绿色工厂评价要求》编制",
            year=year - 2,
        )

    def bureau(self, node: Jurisdiction) -> Organisation:
        return Organisation.objects.get(kind=Kind.BUREAU, jurisdiction=node, department="")

    def organisation(self, name, kind, node, *, credit_code="", department="") -> Organisation:
        org, _created = Organisation.objects.update_or_create(
            kind=kind,
            department=department,
            jurisdiction=node,
            name=name,
            defaults={"credit_code": credit_code, "status": Organisation.Status.ACTIVE},
        )
        return org

    def user(self, username: str, role: str, organisation, title: str, *, name: str = ""):
        """A demo account; an expert has a person's name (score sheets and opinions show it),
        the others their title and username, which the login table lists."""
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": organisation,
                "full_name": name or f"{title}（{username}）",
                "email": f"{username}@demo.greenmfg.local",
                "is_active": True,
            },
        )
        user.set_password(self.password)
        user.save(update_fields=["password"])
        self.accounts.append(
            (username, Role(role).label, organisation.name if organisation else "—")
        )
        return user
