"""名单查询 (/mingdan/): only listed units, with search, region, filters, sorting, pagination.

The module also holds the registry tests' arrangements (listings entered directly, as an
imported list would be); the other modules import them from here.
"""

import datetime
import itertools

import pytest

from greenmfg.accounts.models import User
from greenmfg.directory.models import Jurisdiction, Organisation
from registry.models import Listing, ListingEvent
from reviews.services.publicity import publicity_publish
from tests.factories import (
    ApplicationFactory,
    ListingFactory,
    OrganisationFactory,
    valid_credit_code,
)
from tests.reviews.publicity import end_period, in_publicity, passed_application
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/mingdan/"

_serial = itertools.count(1)
# Where each level's list is published in the demo tree.
AUTHORITY_KEYS = {"national": "CN", "province": "410000", "city": "410300", "county": "410311"}


def bureau(key: str) -> Organisation:
    organisation = Organisation.objects.filter(
        kind=Organisation.Kind.BUREAU, jurisdiction__key=key
    ).first()
    if organisation is None:
        place = Jurisdiction.objects.get(key=key)
        organisation = Organisation.objects.create(
            kind=Organisation.Kind.BUREAU,
            name=f"{place.name}工业和信息化主管部门",
            jurisdiction=place,
        )
    return organisation


def enterprise(*, county: str = "410311", name: str | None = None, **kwargs) -> Organisation:
    place = Jurisdiction.objects.get(key=county)
    return OrganisationFactory(
        jurisdiction=place,
        name=name or f"测试名单企业{next(_serial):04d}有限公司",
        credit_code=kwargs.pop("credit_code", None) or valid_credit_code(place.code or "410311"),
        **kwargs,
    )


def make_listing(
    *,
    organisation: Organisation | None = None,
    county: str = "410311",
    level: str = "city",
    authority: str | None = None,
    unit_type: str = "factory",
    year: int = 2025,
    status: str = Listing.Status.ACTIVE,
    listed_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    document_number: str = "洛工信〔2025〕37号",
    product_name: str = "",
    name: str | None = None,
) -> Listing:
    """A unit on a published list, with its "listed" history entry."""
    organisation = organisation or enterprise(county=county, name=name)
    listed_on = listed_on or datetime.date(year, 6, 30)
    creator = User.objects.get(username="admin")
    removed = status == Listing.Status.REMOVED
    listing = ListingFactory(
        organisation=organisation,
        unit_type=unit_type,
        product_name=product_name,
        level=level,
        year=year,
        authority=bureau(authority or AUTHORITY_KEYS[level]),
        document_number=document_number,
        listed_on=listed_on,
        valid_until=valid_until,
        status=status,
        removed_on=listed_on + datetime.timedelta(days=100) if removed else None,
        created_by=creator,
    )
    ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.LISTED,
        occurred_on=listed_on,
        document_number=document_number,
        new_value=listing.unit_name,
        created_by=creator,
    )
    return listing


def jinan_listing(**kwargs) -> Listing:
    """A 济南 city listing, with its three-year term (济南 第十五条)."""
    kwargs.setdefault("county", "370102")
    kwargs.setdefault("authority", "370100")
    kwargs.setdefault("document_number", "济工信〔2025〕35号")
    listed_on = kwargs.setdefault("listed_on", datetime.date(2025, 6, 30))
    kwargs.setdefault("valid_until", listed_on.replace(year=listed_on.year + 3))
    return make_listing(**kwargs)


def names(response) -> list[str]:
    return [listing.unit_name for listing in response.context["listings"]]


# --- visibility ----------------------------------------------------------------------------------


def test_anyone_reads_the_lists_without_logging_in(client, demo):
    listing = make_listing(name="洛阳绿能装备制造有限公司")

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "洛阳绿能装备制造有限公司" in html and listing.credit_code in html
    assert "洛工信〔2025〕37号" in html and "洛阳市洛龙区" in html and "未设期限" in html
    assert f'href="/mingdan/units/{listing.organisation_id}/"' in html
    assert 'href="/mingdan/"' in html and "名单查询" in html  # the menu, for everyone


@pytest.mark.usefixtures("boundary_template")
def test_only_published_lists_reach_the_public(client, demo):
    """A draft, a decided application in publicity and an unpublished pass never show; the
    list published by the reviews flow does, without its scores or the application."""
    draft = ApplicationFactory(organisation=enterprise(name="草稿申报企业有限公司"))
    in_review = passed_application(demo, organisation=enterprise(name="公示中企业有限公司"))
    in_publicity(demo, applications=[in_review])
    listed = passed_application(
        demo, total="93", organisation=enterprise(name="已发布企业有限公司")
    )
    publicity, _ = in_publicity(demo, applications=[listed])
    assert draft.status == "draft"

    assert names(client.get(URL)) == []
    end_period(publicity)
    publicity_publish(
        publicity=publicity, actor=demo["luoyang-city"], document_number="洛〔2026〕9号"
    )

    response = client.get(URL)
    assert names(response) == ["已发布企业有限公司"]
    html = response.content.decode()
    assert "草稿申报企业有限公司" not in html and "公示中企业有限公司" not in html
    assert "93.00" not in html and "得分" not in html  # no score
    assert f"/applications/{listed.pk}/" not in html


def test_removed_units_show_only_when_asked(client, demo):
    make_listing(name="在册企业有限公司")
    make_listing(name="复核中企业有限公司", status=Listing.Status.UNDER_REVIEW)
    make_listing(name="已移出企业有限公司", status=Listing.Status.REMOVED)

    assert sorted(names(client.get(URL))) == ["在册企业有限公司", "复核中企业有限公司"]
    assert names(client.get(URL, {"status": "removed"})) == ["已移出企业有限公司"]
    assert names(client.get(URL, {"status": "active"})) == ["在册企业有限公司"]
    assert len(names(client.get(URL, {"status": "all"}))) == 3
    assert "已移出企业有限公司" not in client.get(URL, {"status": "nonsense"}).content.decode()


# --- search and filters ------------------------------------------------------------------------


def test_search_by_a_fragment_of_the_name(client, demo):
    make_listing(name="洛阳中信重工机械股份有限公司")
    make_listing(name="洛阳LYC轴承有限公司")
    make_listing(name="河南某某新材料有限公司")

    assert names(client.get(URL, {"q": "重工"})) == ["洛阳中信重工机械股份有限公司"]
    assert names(client.get(URL, {"q": "lyc轴承"})) == ["洛阳LYC轴承有限公司"]
    assert sorted(names(client.get(URL, {"q": " 洛阳 "}))) == [
        "洛阳LYC轴承有限公司",
        "洛阳中信重工机械股份有限公司",
    ]


def test_search_by_credit_code_whole_or_in_part(client, demo):
    wanted = make_listing(name="按代码查找企业有限公司")
    make_listing(name="其他企业有限公司")
    code = wanted.credit_code

    assert names(client.get(URL, {"q": code})) == ["按代码查找企业有限公司"]
    assert names(client.get(URL, {"q": code.lower()})) == ["按代码查找企业有限公司"]
    assert names(client.get(URL, {"q": code[-9:]})) == ["按代码查找企业有限公司"]


def test_a_region_includes_its_whole_subtree(client, demo):
    make_listing(name="洛龙区企业有限公司", county="410311")
    make_listing(name="偃师区企业有限公司", county="410307")
    make_listing(name="洛阳高新区企业有限公司", county="LY-HTZ")
    jinan_listing(name="历下区企业有限公司")

    def region(key):
        return sorted(names(client.get(URL, {"region": key})))

    luoyang = sorted(["偃师区企业有限公司", "洛龙区企业有限公司", "洛阳高新区企业有限公司"])
    assert region("410300") == luoyang
    assert region("410000") == luoyang
    assert region("410311") == ["洛龙区企业有限公司"]
    assert region("370100") == ["历下区企业有限公司"]
    assert region("210200") == []
    assert len(region("CN")) == 4
    response = client.get(URL, {"region": "999999"})
    assert response.status_code == 200 and response.context["filter"].errors


def test_level_type_and_year_filters(client, demo):
    organisation = enterprise(name="多级名单企业有限公司")
    make_listing(organisation=organisation, level="city", year=2024)
    make_listing(organisation=organisation, level="province", year=2025)
    make_listing(name="绿色供应链企业有限公司", unit_type="supply_chain", year=2025)
    make_listing(
        name="设计产品企业有限公司", unit_type="design_product", product_name="节能电机", year=2023
    )

    assert len(names(client.get(URL, {"level": "province"}))) == 1
    assert names(client.get(URL, {"unit_type": "supply_chain"})) == ["绿色供应链企业有限公司"]
    assert sorted(names(client.get(URL, {"year": "2025"}))) == [
        "多级名单企业有限公司",
        "绿色供应链企业有限公司",
    ]
    assert names(client.get(URL, {"year": "2025", "level": "city"})) == ["绿色供应链企业有限公司"]
    assert "节能电机" in client.get(URL, {"unit_type": "design_product"}).content.decode()


def test_sorting_by_date_name_and_year(client, demo):
    make_listing(name="乙企业有限公司", year=2023, listed_on=datetime.date(2023, 12, 1))
    make_listing(name="甲企业有限公司", year=2025, listed_on=datetime.date(2025, 3, 1))
    make_listing(name="丙企业有限公司", year=2024, listed_on=datetime.date(2024, 7, 1))

    assert names(client.get(URL)) == ["甲企业有限公司", "丙企业有限公司", "乙企业有限公司"]
    assert names(client.get(URL, {"ordering": "listed_on"})) == [
        "乙企业有限公司",
        "丙企业有限公司",
        "甲企业有限公司",
    ]
    assert names(client.get(URL, {"ordering": "-year"}))[0] == "甲企业有限公司"
    by_name = names(client.get(URL, {"ordering": "unit_name"}))
    assert by_name == sorted(by_name)


def test_pages_keep_the_filters(client, demo):
    for index in range(30):
        make_listing(name=f"分页企业{index:02d}有限公司", year=2025)
    make_listing(name="其他年度企业有限公司", year=2020)

    first = client.get(URL, {"year": "2025", "ordering": "unit_name"})
    second = client.get(URL, {"year": "2025", "ordering": "unit_name", "page": "2"})

    assert len(names(first)) == 25 and len(names(second)) == 5
    assert names(second)[-1] == "分页企业29有限公司"
    assert set(names(first)).isdisjoint(names(second))
    assert "year=2025&amp;ordering=unit_name&amp;page=2" in first.content.decode()


def test_the_list_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    for _ in range(5):
        make_listing(county="410307")
    with django_assert_max_num_queries(10) as few:
        assert len(names(client.get(URL, {"region": "410300", "q": "测试"}))) == 5

    for _ in range(45):
        make_listing(county="LY-HTZ")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(names(client.get(URL, {"region": "410300", "q": "测试"}))) == 25
