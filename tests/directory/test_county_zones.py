"""Issue 18 item 1: a county runs its own functional zones (某县经济开发区). A county official,
a city or province above it, or an administrator adds one under the county; enterprises
register in it; the county's officials see and handle its units and their applications as the
county's own, and the city and province above see them too. Another county does not."""

import pytest
from django.urls import reverse

from applications.models import Application, BatchQuota, CultivationCandidate
from applications.selectors.applications import application_list
from applications.selectors.pool import can_keep_pool, candidate_list, pool_organisation_choices
from applications.services.applications import application_transition
from applications.services.pool import candidate_add
from greenmfg.accounts.scoping import can_oversee
from greenmfg.accounts.selectors import bureau_users
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.filters import OrganisationFilter
from greenmfg.directory.models import Jurisdiction, Level, Organisation, subtree_q
from greenmfg.directory.selectors import county_choices, organisation_list
from greenmfg.directory.services import functional_zone_create
from greenmfg.notifications.models import Notification
from greenmfg.portal.statistics.selectors import in_region
from reviews.checklists import REQUIRED_DEPARTMENTS, checklist_for
from reviews.selectors.review import department_choices, quota_row, recommended_count
from reviews.services.review import county_review_save, opinion_answer, opinion_request_send
from tests.applications.test_submission import ready_application
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

URL = reverse("directory:functional-zones")
COUNTY = "410311"  # 洛龙区, luoyang-county's
OTHER_COUNTY = "410307"  # luoyang-county2's


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def zone_of(demo, county_key: str = COUNTY, name: str = "洛龙经济开发区") -> Jurisdiction:
    official = demo["luoyang-county" if county_key == COUNTY else "luoyang-county2"]
    return functional_zone_create(actor=official, parent=place(county_key), name=name)


def move_into(organisation: Organisation, zone: Jurisdiction) -> Organisation:
    organisation.jurisdiction = zone
    organisation.save()
    return organisation


# --- creating one ------------------------------------------------------------------------------


def test_a_county_official_adds_a_zone_under_their_county_from_the_page(client, demo):
    client.force_login(demo["luoyang-county"])
    page = client.get(URL).content.decode()
    assert "新增功能区" in page and "洛龙区" in page

    response = client.post(URL, {"parent": place(COUNTY).key, "name": " 洛龙  经济开发区 "})

    assert response.status_code == 302
    zone = Jurisdiction.objects.get(name="洛龙 经济开发区")
    assert (zone.key, zone.code, zone.kind, zone.level, zone.active) == (
        "410311-Z1",
        "",
        Jurisdiction.Kind.FUNCTIONAL,
        Level.COUNTY,
        True,
    )
    assert zone.parent == place(COUNTY)
    assert zone.path == "CN/410000/410300/410311/410311-Z1/"
    assert zone.is_county_zone and zone.bureau_key == COUNTY
    assert zone in county_choices()  # enterprises and parks may register in it
    entry = AuditEntry.objects.get(object_id=str(zone.pk), action="zone_create")
    assert entry.actor == demo["luoyang-county"]
    assert entry.data == {"parent": COUNTY, "key": "410311-Z1", "name": "洛龙 经济开发区"}
    assert "洛龙 经济开发区" in client.get(URL).content.decode()


def test_the_city_the_province_and_an_administrator_add_under_a_county(demo):
    by_city = functional_zone_create(actor=demo["luoyang-city"], parent=place(COUNTY), name="甲区")
    by_province = functional_zone_create(actor=demo["henan"], parent=place(COUNTY), name="乙区")
    by_admin = functional_zone_create(actor=demo["admin"], parent=place(COUNTY), name="丙区")

    assert [z.key for z in (by_city, by_province, by_admin)] == [
        "410311-Z1",
        "410311-Z2",
        "410311-Z3",
    ]
    assert place("410300").path + "410311/410311-Z2/" == by_province.path


def test_a_county_official_may_not_add_under_a_foreign_county_or_the_city(client, demo):
    official = demo["luoyang-county"]
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        functional_zone_create(actor=official, parent=place(OTHER_COUNTY), name="某开发区")
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        functional_zone_create(actor=official, parent=place("410300"), name="某开发区")
    client.force_login(official)
    response = client.post(URL, {"parent": place(OTHER_COUNTY).key, "name": "某开发区"})
    assert response.status_code == 200  # the form again: 410307 is not among its choices
    assert not Jurisdiction.objects.filter(name="某开发区").exists()


def test_only_officials_and_administrators_add_zones(client, demo):
    enterprise = demo["luoyang-enterprise"]
    with pytest.raises(NotPermitted, match="只有工信部门或系统管理员"):
        functional_zone_create(actor=enterprise, parent=place(COUNTY), name="某开发区")
    client.force_login(enterprise)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"parent": place(COUNTY).key, "name": "某开发区"}).status_code == 403
    assert not Jurisdiction.objects.filter(name="某开发区").exists()


def test_a_name_used_under_the_county_is_refused(client, demo):
    zone_of(demo)
    client.force_login(demo["luoyang-county"])

    response = client.post(URL, {"parent": place(COUNTY).key, "name": "洛龙经济开发区"})

    assert response.status_code == 200
    assert "「洛龙区」下已有「洛龙经济开发区」" in response.content.decode()
    assert Jurisdiction.objects.filter(name="洛龙经济开发区").count() == 1
    # The same name under another county is another zone.
    assert zone_of(demo, OTHER_COUNTY).key == "410307-Z1"


def test_a_withdrawn_county_gets_no_zone(demo):
    Jurisdiction.objects.filter(key=OTHER_COUNTY).update(active=False)

    with pytest.raises(DomainError, match="已撤销"):
        functional_zone_create(actor=demo["luoyang-city"], parent=place(OTHER_COUNTY), name="某区")
    assert not Jurisdiction.objects.filter(name="某区").exists()


def test_no_zone_under_a_zone(demo):
    zone = zone_of(demo)
    city_zone = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.FUNCTIONAL).exclude(pk=zone.pk)

    for parent in (zone, city_zone.first()):
        with pytest.raises(DomainError, match="须设在市或县（区）之下"):
            functional_zone_create(actor=demo["admin"], parent=parent, name="园中园")


# --- registering in it -------------------------------------------------------------------------


def test_an_enterprise_registers_in_the_zone_and_the_county_is_asked(
    client, demo, django_capture_on_commit_callbacks
):
    zone = zone_of(demo)
    children = client.get(reverse("directory:region-children"), {"parent": COUNTY}).json()
    assert children == {"results": [{"key": zone.key, "name": zone.name}], "prompt": "功能区"}
    form = client.get(reverse("directory:register"), {"jurisdiction": zone.key})
    assert form.status_code == 200

    data = {
        "kind": "enterprise",
        "name": "洛龙开发区绿能科技有限公司",
        "credit_code": valid_credit_code(COUNTY),
        "jurisdiction": ["410000", "410300", COUNTY, zone.key],  # the picker's chain
        "address": "洛龙经济开发区创业路1号",
        "contact_name": "王芳",
        "contact_phone": "13800000001",
        "full_name": "王芳",
        "username": "luilong-zone",
        "email": "wf@example.cn",
        "password": "Zone-Green-2026",
        "password_confirm": "Zone-Green-2026",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:register"), data)

    assert response.status_code == 302
    unit = Organisation.objects.get(name="洛龙开发区绿能科技有限公司")
    assert unit.jurisdiction == zone and unit.status == Organisation.Status.PENDING
    assert (unit.province.key, unit.city.key) == ("410000", "410300")
    assert Notification.objects.filter(
        recipient=demo["luoyang-county"], subject__contains="洛龙开发区绿能科技"
    ).exists()
    assert not Notification.objects.filter(recipient=demo["luoyang-county2"]).exists()
    # The county approves it.
    client.force_login(demo["luoyang-county"])
    detail = client.get(reverse("directory:organisation-detail", args=[unit.pk]))
    assert detail.status_code == 200


# --- the county's units ------------------------------------------------------------------------


def test_the_county_sees_its_zones_units_and_another_county_does_not(client, demo):
    unit = move_into(demo["luoyang-enterprise"].organisation, zone_of(demo))
    foreign = move_into(
        Organisation.objects.create(
            name="偃师开发区某公司",
            kind=Organisation.Kind.ENTERPRISE,
            credit_code=valid_credit_code(OTHER_COUNTY),
            jurisdiction=place(OTHER_COUNTY),
        ),
        zone_of(demo, OTHER_COUNTY, name="偃师开发区"),
    )
    county, other = demo["luoyang-county"], demo["luoyang-county2"]

    assert unit in organisation_list(user=county)
    assert foreign not in organisation_list(user=county)
    assert foreign in organisation_list(user=other) and unit not in organisation_list(user=other)
    for above in ("luoyang-city", "henan", "admin"):
        assert {unit, foreign} <= set(organisation_list(user=demo[above]))
    assert can_oversee(county, unit.jurisdiction)
    assert not can_oversee(county, foreign.jurisdiction)
    # A county with zones is read by its id and its zones' (no join); one without, by equality.
    assert place(COUNTY).has_zones and not place("410305").has_zones
    query = str(organisation_list(user=county).query)
    assert '"jurisdiction_id" IN (SELECT' in query and "INNER JOIN" not in query.split("WHERE")[1]
    assert '"jurisdiction_id" = ' in str(
        organisation_list(user=demo["luoyang-county"]).filter(subtree_q(place("410305"))).query
    )
    # A county chosen in the filter holds its zones' units.
    filtered = OrganisationFilter(
        {"jurisdiction": COUNTY}, queryset=organisation_list(user=demo["luoyang-city"])
    ).qs
    assert unit in filtered and foreign not in filtered

    client.force_login(county)
    assert unit.name in client.get(reverse("directory:organisation-list")).content.decode()
    foreign_page = client.get(reverse("directory:organisation-detail", args=[foreign.pk]))
    assert foreign_page.status_code == 404


def test_the_county_keeps_its_zones_units_in_its_pool(demo):
    unit = move_into(demo["luoyang-enterprise"].organisation, zone_of(demo))
    county, other = demo["luoyang-county"], demo["luoyang-county2"]
    assert unit in pool_organisation_choices(user=county)
    assert unit not in pool_organisation_choices(user=other)
    with pytest.raises(NotPermitted):
        candidate_add(
            actor=other, organisation=unit, target_unit_type="factory", target_year=2027, plan="p"
        )

    candidate = candidate_add(
        actor=county,
        organisation=unit,
        target_unit_type="factory",
        target_year=2027,
        plan="三年内建成绿色工厂",
    )

    assert candidate in candidate_list(user=county)
    assert candidate not in candidate_list(user=other)
    assert candidate in candidate_list(user=demo["luoyang-city"])
    assert can_keep_pool(user=county, county=candidate.county)
    assert not can_keep_pool(user=other, county=candidate.county)
    assert CultivationCandidate.objects.filter(organisation=unit).count() == 1


def test_the_county_reviews_and_recommends_its_zones_application_on_its_quota(
    demo, django_capture_on_commit_callbacks
):
    zone = zone_of(demo)
    move_into(demo["luoyang-enterprise"].organisation, zone)
    county, other = demo["luoyang-county"], demo["luoyang-county2"]
    application, applicant = ready_application(demo)
    assert application.jurisdiction == zone
    quota = BatchQuota.objects.create(batch=application.batch, county=place(COUNTY), quota=1)

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, action="submit", actor=applicant)
    assert Notification.objects.filter(recipient=county, subject__contains="收到新的申报").exists()
    assert application in application_list(user=county)
    assert application in application_list(user=demo["luoyang-city"])
    assert application not in application_list(user=other)
    with pytest.raises(NotPermitted):
        application_transition(application=application, action="start_review", actor=other)

    application_transition(application=application, action="start_review", actor=county)
    application.refresh_from_db()
    county_review_save(
        application=application,
        actor=county,
        checklist={item.code: True for item in checklist_for(application.unit_type)},
        rank=1,
        notes="材料齐全",
    )
    departments = list(
        department_choices(application=application).filter(
            department__in=REQUIRED_DEPARTMENTS[application.batch.policy]
        )
    )
    assert departments and {d.jurisdiction.key for d in departments} == {COUNTY}
    for request in opinion_request_send(
        application=application, actor=county, departments=departments
    ):
        opinion_answer(
            request=request,
            actor=request.department.users.first(),
            answer="no_objection",
            reasons="",
        )
    assert quota_row(application=application) == quota

    application = application_transition(application=application, action="recommend", actor=county)

    assert application.status == Application.Status.RECOMMENDED
    assert recommended_count(quota=quota) == 1  # counted as the county's
    recommended = Application.objects.filter(status=Application.Status.RECOMMENDED)
    assert list(in_region(recommended, place(COUNTY), field="jurisdiction")) == [application]
    assert not in_region(recommended, place(OTHER_COUNTY), field="jurisdiction").exists()


def test_notices_for_a_zones_units_reach_the_county(demo):
    zone = zone_of(demo)
    county = demo["luoyang-county"]

    found = bureau_users(jurisdiction_ids=[zone.pk, place(OTHER_COUNTY).pk])

    assert (county.pk, county.email) in found[zone.pk]
    assert (county.pk, county.email) not in found[place(OTHER_COUNTY).pk]
    assert (demo["luoyang-county2"].pk, demo["luoyang-county2"].email) not in found[zone.pk]
