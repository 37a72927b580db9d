"""申报批次: who may open one, what it may accept, its workflow, quotas, and who sees it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Batch, BatchQuota
from applications.selectors.batches import batch_list, open_batches_for, quota_for
from applications.services.batches import (
    batch_create,
    batch_set_quotas,
    batch_transition,
    batch_update,
)
from greenmfg.audit.models import AuditEntry
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from greenmfg.rules import unit_types
from tests.applications.helpers import city_batch
from tests.factories import BatchFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
# A day every policy but 大连 (its 2022 round only) is in force (济南 runs to July 2027).
IN_FORCE = date(2026, 11, 20)


def pin(time_machine, day: date) -> None:
    time_machine.move_to(datetime.combine(day, time(10), BEIJING))


def in_days(days: int):
    return timezone.now() + timedelta(days=days)


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def new_batch(actor, **overrides) -> Batch:
    data = {
        "title": "2026年度绿色制造名单申报",
        "year": 2026,
        "policy": "luoyang-2024",
        "unit_types": ["factory", "park"],
        "submission_deadline": in_days(30),
    }
    data.update(overrides)
    return batch_create(actor=actor, **data)


def bureau_batch(key: str, **kwargs) -> Batch:
    """A batch of the bureau at ``key`` (any level), open by default."""
    authority = Organisation.objects.get(
        kind=Organisation.Kind.BUREAU, jurisdiction__key=key, department=""
    )
    return BatchFactory(authority=authority, jurisdiction=authority.jurisdiction, **kwargs)


# --- creation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "place_key"),
    [("luoyang-city", "410300"), ("henan", "410000"), ("nation", "CN")],
    ids=["city", "province", "national"],
)
def test_batch_create_by_official_makes_a_draft_of_their_bureau(demo, username, place_key):
    actor = demo[username]
    batch = new_batch(actor)
    assert batch.status == Batch.Status.DRAFT
    assert batch.authority == actor.organisation
    assert batch.jurisdiction.key == place_key
    entry = audit_entries_for(subject=batch).get()
    assert (entry.action, entry.to_state, entry.actor) == ("create", "draft", actor)


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "luoyang-enterprise", "luoyang-expert", "luoyang-env"],
    ids=["county", "applicant", "expert", "department"],
)
def test_batch_create_refused_below_city_level(demo, username):
    with pytest.raises(NotPermitted, match="市级及以上"):
        new_batch(demo[username])
    assert not Batch.objects.exists()


def test_batch_create_refuses_a_unit_type_the_policy_does_not_cover(demo):
    with pytest.raises(ValidationError) as refusal:
        new_batch(demo["jinan-city"], policy="jinan-2024", unit_types=["factory", "design_product"])
    message = " ".join(refusal.value.message_dict["unit_types"])
    assert "不涵盖绿色设计产品" in message


def test_jinan_policy_covers_no_design_products():
    assert "design_product" not in unit_types("jinan-2024")
    assert set(unit_types("jinan-2024")) == {"factory", "park", "supply_chain"}


@pytest.mark.parametrize(
    ("username", "policy", "day"),
    [
        ("luoyang-city", "luoyang-2024", IN_FORCE),
        ("jinan-city", "jinan-2024", IN_FORCE),
        ("dalian-city", "dalian-2022-national", date(2022, 9, 1)),
    ],
    ids=["luoyang", "jinan", "dalian"],
)
def test_batch_create_accepts_every_type_its_policy_covers(
    demo, time_machine, username, policy, day
):
    pin(time_machine, day)
    batch = new_batch(
        demo[username],
        policy=policy,
        unit_types=unit_types(policy),
        year=day.year,
        title=f"{day.year}年度绿色制造名单申报",
    )
    assert batch.unit_types == unit_types(policy)


def test_batch_create_refuses_no_unit_type(demo):
    with pytest.raises(ValidationError) as refusal:
        new_batch(demo["luoyang-city"], unit_types=[])
    assert "unit_types" in refusal.value.message_dict


def test_batch_create_refuses_a_duplicate_title_in_the_same_year(demo):
    first = new_batch(demo["luoyang-city"])
    with pytest.raises(Conflict) as refusal:
        new_batch(demo["luoyang-city"])
    assert "已有名为" in refusal.value.message
    assert (refusal.value.field, refusal.value.existing_id) == ("title", first.pk)


def test_batch_create_refuses_paper_deadline_before_online_deadline(demo):
    with pytest.raises(ValidationError) as refusal:
        new_batch(
            demo["luoyang-city"],
            submission_deadline=in_days(30),
            paper_copy_deadline=timezone.localdate(),
        )
    assert "paper_copy_deadline" in refusal.value.message_dict


def test_sysadmin_names_the_organising_bureau(demo, time_machine):
    pin(time_machine, IN_FORCE)
    admin = demo["admin"]
    with pytest.raises(ValidationError):
        new_batch(admin)
    authority = demo["jinan-city"].organisation
    batch = new_batch(admin, policy="jinan-2024", unit_types=["factory"], authority=authority)
    assert batch.jurisdiction.key == "370100"


def test_city_official_cannot_create_for_another_bureau(demo):
    with pytest.raises(NotPermitted):
        new_batch(demo["luoyang-city"], authority=demo["jinan-city"].organisation)


# --- workflow ---------------------------------------------------------------------------------


def test_batch_publish_close_reopen_are_audited(demo):
    actor = demo["luoyang-city"]
    batch = new_batch(actor)
    batch = batch_transition(batch=batch, action="publish", actor=actor)
    assert batch.status == Batch.Status.OPEN
    batch = batch_transition(batch=batch, action="close", actor=actor)
    assert batch.status == Batch.Status.CLOSED
    batch = batch_transition(batch=batch, action="reopen", actor=actor, comment="延长一周")
    assert batch.status == Batch.Status.OPEN
    moves = [
        (e.action, e.from_state, e.to_state, e.comment)
        for e in audit_entries_for(subject=batch).order_by("at", "id")
    ]
    assert moves == [
        ("create", "", "draft", ""),
        ("publish", "draft", "open", ""),
        ("close", "open", "closed", ""),
        ("reopen", "closed", "open", "延长一周"),
    ]
    reopen = audit_entries_for(subject=batch).first()
    assert (reopen.data["from_label"], reopen.data["to_label"]) == ("已截止", "申报中")


def test_batch_reopen_needs_a_comment(demo):
    batch = city_batch(status="closed")
    with pytest.raises(DomainError, match="须填写理由"):
        batch_transition(batch=batch, action="reopen", actor=demo["luoyang-city"])
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CLOSED


def test_batch_publish_refuses_a_deadline_in_the_past(demo):
    actor = demo["luoyang-city"]
    batch = city_batch(status="draft", submission_deadline=in_days(-1))
    with pytest.raises(DomainError, match="已过") as refusal:
        batch_transition(batch=batch, action="publish", actor=actor)
    assert refusal.value.field == "submission_deadline"
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DRAFT


def test_batch_reopen_after_deadline_needs_a_new_deadline_first(demo):
    actor = demo["luoyang-city"]
    batch = city_batch(status="closed", submission_deadline=in_days(-1))
    with pytest.raises(DomainError, match="已过"):
        batch_transition(batch=batch, action="reopen", actor=actor, comment="补报")
    batch_update(batch=batch, actor=actor, submission_deadline=in_days(7))
    batch = batch_transition(batch=batch, action="reopen", actor=actor, comment="补报")
    assert batch.status == Batch.Status.OPEN


def test_batch_invalid_move_names_the_state(demo):
    with pytest.raises(DomainError, match="当前状态为「申报中」"):
        batch_transition(batch=city_batch(), action="publish", actor=demo["luoyang-city"])


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "henan", "jinan-city", "luoyang-enterprise"],
    ids=["county-below", "province-above", "other-city", "applicant"],
)
def test_batch_only_its_own_bureau_moves_it(demo, username):
    batch = city_batch(status="draft")
    with pytest.raises(NotPermitted):
        batch_transition(batch=batch, action="publish", actor=demo[username])
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DRAFT


def test_batch_sysadmin_may_move_any_batch(demo):
    batch = batch_transition(batch=city_batch(), action="close", actor=demo["admin"])
    assert batch.status == Batch.Status.CLOSED


def test_batch_publish_notifies_the_child_bureaus(demo):
    batch = city_batch(status="draft")
    batch_transition(batch=batch, action="publish", actor=demo["luoyang-city"])
    recipients = set(
        Notification.objects.filter(subject__contains=batch.title).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"luoyang-county", "luoyang-county2"} <= recipients
    assert not recipients & {"luoyang-city", "jinan-county", "luoyang-enterprise", "henan"}
    notice = Notification.objects.filter(recipient=demo["luoyang-county"]).latest("id")
    assert notice.link == f"/batches/{batch.pk}/"


def test_batch_close_notifies_nobody(demo):
    batch = city_batch()
    batch_transition(batch=batch, action="close", actor=demo["luoyang-city"])
    assert not Notification.objects.filter(subject__contains=batch.title).exists()


# --- editing ----------------------------------------------------------------------------------


def test_batch_update_changes_anything_while_draft(demo):
    actor = demo["luoyang-city"]
    batch = new_batch(actor)
    batch = batch_update(
        batch=batch, actor=actor, title="改名后的批次", unit_types=["supply_chain"]
    )
    assert (batch.title, batch.unit_types) == ("改名后的批次", ["supply_chain"])
    entry = audit_entries_for(subject=batch).first()
    assert entry.action == "update"
    assert entry.data["changes"]["title"] == ["2026年度绿色制造名单申报", "改名后的批次"]


def test_batch_update_once_open_allows_only_deadlines_and_notice(demo):
    actor = demo["luoyang-city"]
    batch = city_batch()
    with pytest.raises(DomainError, match="只能修改截止时间和申报通知") as refusal:
        batch_update(batch=batch, actor=actor, title="新名称")
    assert refusal.value.field == "title"
    deadline = in_days(60)
    batch = batch_update(
        batch=batch,
        actor=actor,
        title=batch.title,  # unchanged values are no change
        announcement="请于截止前上传材料。",
        submission_deadline=deadline,
    )
    assert batch.announcement == "请于截止前上传材料。"
    assert batch.submission_deadline == deadline


def test_batch_update_of_open_batch_refuses_a_past_deadline(demo):
    with pytest.raises(ValidationError) as refusal:
        batch_update(
            batch=city_batch(), actor=demo["luoyang-city"], submission_deadline=in_days(-1)
        )
    assert "submission_deadline" in refusal.value.message_dict


def test_batch_update_by_another_bureau_is_refused(demo):
    with pytest.raises(NotPermitted):
        batch_update(batch=city_batch(), actor=demo["jinan-city"], announcement="x")


# --- quotas -----------------------------------------------------------------------------------


def test_batch_quotas_set_and_replace_with_before_and_after_audited(demo):
    actor = demo["luoyang-city"]
    batch = city_batch()
    batch_set_quotas(batch=batch, actor=actor, quotas={place("410311"): 3, place("410307"): 2})
    assert quota_for(batch=batch, jurisdiction=place("410311")) == 3
    batch_set_quotas(batch=batch, actor=actor, quotas={place("410311"): 5})
    assert dict(BatchQuota.objects.filter(batch=batch).values_list("county__key", "quota")) == {
        "410311": 5
    }
    assert quota_for(batch=batch, jurisdiction=place("410307")) is None
    entry = audit_entries_for(subject=batch).filter(action="set_quotas").first()
    assert entry.actor == actor
    assert {row["key"]: row["quota"] for row in entry.data["before"]} == {
        "410311": 3,
        "410307": 2,
    }
    assert {row["key"]: row["quota"] for row in entry.data["after"]} == {"410311": 5}
    assert "洛龙区：3→5" in entry.comment


def test_batch_quota_zero_is_allowed(demo):
    batch = city_batch()
    batch_set_quotas(batch=batch, actor=demo["luoyang-city"], quotas={place("LY-HTZ"): 0})
    assert quota_for(batch=batch, jurisdiction=place("LY-HTZ")) == 0


@pytest.mark.parametrize(
    ("batch_key", "quota_key"),
    [("410300", "370102"), ("410000", "410311"), ("410300", "410300")],
    ids=["other-city-county", "grandchild-of-province", "itself"],
)
def test_batch_quotas_only_for_direct_children(demo, batch_key, quota_key):
    batch = bureau_batch(batch_key)
    actor = demo["luoyang-city" if batch_key == "410300" else "henan"]
    with pytest.raises(ValidationError) as refusal:
        batch_set_quotas(batch=batch, actor=actor, quotas={place(quota_key): 1})
    assert "直属下级区划" in " ".join(refusal.value.message_dict["quotas"])
    assert not BatchQuota.objects.filter(batch=batch).exists()


def test_batch_quota_negative_is_refused_and_nothing_changes(demo):
    actor = demo["luoyang-city"]
    batch = city_batch()
    batch_set_quotas(batch=batch, actor=actor, quotas={place("410311"): 2})
    with pytest.raises(ValidationError, match="不小于 0"):
        batch_set_quotas(batch=batch, actor=actor, quotas={place("410311"): -1})
    assert quota_for(batch=batch, jurisdiction=place("410311")) == 2


def test_batch_quotas_of_a_province_go_to_its_cities(demo):
    batch = bureau_batch("410000")
    batch_set_quotas(batch=batch, actor=demo["henan"], quotas={place("410300"): 8})
    assert quota_for(batch=batch, jurisdiction=place("410311")) == 8  # a county of 洛阳
    assert quota_for(batch=batch, jurisdiction=place("410000")) is None
    assert quota_for(batch=batch, jurisdiction=place("370102")) is None


def test_batch_quotas_by_a_county_are_refused(demo):
    with pytest.raises(NotPermitted):
        batch_set_quotas(
            batch=city_batch(), actor=demo["luoyang-county"], quotas={place("410311"): 9}
        )


# --- visibility -------------------------------------------------------------------------------


def test_county_sees_its_city_province_and_national_batches(demo):
    city = city_batch()
    province = bureau_batch("410000")
    national = bureau_batch("CN", status="closed")
    jinan = city_batch("370100", policy="jinan-2024")
    visible = set(batch_list(user=demo["luoyang-county"]))
    assert {city, province, national} <= visible
    assert jinan not in visible


def test_jinan_county_does_not_see_the_luoyang_batch(demo):
    luoyang = city_batch()
    assert luoyang not in batch_list(user=demo["jinan-county"])
    assert bureau_batch("CN") in batch_list(user=demo["jinan-county"])


def test_a_superiors_draft_stays_with_its_authors(demo):
    draft = city_batch(status="draft")
    assert draft not in batch_list(user=demo["luoyang-county"])
    assert draft in batch_list(user=demo["luoyang-city"])
    assert draft in batch_list(user=demo["henan"])  # the province oversees its cities


def test_city_does_not_see_another_citys_batches(demo):
    assert city_batch("370100", policy="jinan-2024") not in batch_list(user=demo["luoyang-city"])


def test_applicant_sees_only_open_batches_covering_it(demo):
    """The national batch covers the unit too, but takes recommendations, not applications
    (洛阳 第二十二条), so an applicant is not offered it."""
    open_here = city_batch()
    national = bureau_batch("CN")
    closed_here = city_batch(status="closed")
    draft_here = city_batch(status="draft")
    open_elsewhere = city_batch("370100", policy="jinan-2024")
    visible = set(batch_list(user=demo["luoyang-enterprise"]))
    assert visible == {open_here}
    assert not visible & {national, closed_here, draft_here, open_elsewhere}


@pytest.mark.parametrize("username", ["luoyang-agency", "luoyang-expert", "luoyang-env"])
def test_other_roles_see_no_batches(demo, username):
    city_batch()
    assert not batch_list(user=demo[username]).exists()


def test_open_batches_for_filters_by_unit_type(demo):
    organisation = demo["luoyang-enterprise"].organisation
    factories_only = city_batch(unit_types=["factory"])
    parks_only = city_batch(unit_types=["park"])
    assert list(open_batches_for(organisation=organisation, unit_type="park")) == [parks_only]
    assert set(open_batches_for(organisation=organisation)) == {factories_only, parks_only}


def test_audit_rows_are_kept_per_batch(demo):
    actor = demo["luoyang-city"]
    first, second = new_batch(actor, title="甲"), new_batch(actor, title="乙")
    batch_transition(batch=first, action="publish", actor=actor)
    assert not audit_entries_for(subject=second).filter(action="publish").exists()
    assert AuditEntry.objects.filter(action="publish").count() == 1
