"""公示异议: real-name objections during the period; an upheld one takes the unit off."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from reviews.models import Objection, Publicity
from reviews.services.publicity import objection_decide, objection_lodge
from tests.reviews.publicity import OBJECTOR, end_period, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def lodged(demo, **changes):
    publicity, [application] = in_publicity(demo)
    item = publicity.items.get()
    return objection_lodge(item=item, **{**OBJECTOR, **changes}), application


def test_an_objection_gets_a_tracking_code_and_reaches_the_authority(demo):
    objection, _application = lodged(demo)

    assert objection.status == "pending"
    assert len(objection.tracking_code) == 10
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__startswith="收到公示异议"
    ).exists()
    assert AuditEntry.objects.filter(object_id=str(objection.pk), action="lodge").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "实名"),
        ({"organisation_or_id": ""}, "organisation_or_id", "匿名异议不予受理"),
        ({"phone": "abc"}, "phone", "有效的联系电话"),
        ({"content": "不同意"}, "content", "至少 10 个字"),
    ],
    ids=["no-name", "anonymous", "bad-phone", "too-short"],
)
def test_an_objection_must_be_real_name_and_specific(demo, changes, field, message):
    with pytest.raises(ValidationError) as error:
        lodged(demo, **changes)

    assert message in " ".join(error.value.message_dict[field])
    assert not Objection.objects.exists()


@pytest.mark.parametrize("when", ["before", "after"])
def test_objections_only_within_the_period(demo, when):
    publicity, _applications = in_publicity(demo)
    today = timezone.localdate()
    if when == "before":
        dates = {
            "starts_on": today + datetime.timedelta(days=1),
            "ends_on": today + datetime.timedelta(days=5),
        }
        Publicity.objects.filter(pk=publicity.pk).update(**dates)
    else:
        end_period(publicity)

    with pytest.raises(DomainError, match="不在公示期内"):
        objection_lodge(item=publicity.items.get(), **OBJECTOR)


def test_an_upheld_objection_takes_the_unit_off_the_proposal(demo):
    objection, application = lodged(demo)

    objection_decide(
        objection=objection, actor=demo["luoyang-city"], upheld=True, response="经核实，情况属实。"
    )

    objection.refresh_from_db()
    application.refresh_from_db()
    assert (objection.status, objection.handled_by) == ("upheld", demo["luoyang-city"])
    assert objection.item.outcome == "removed"
    assert application.status == "not_listed"
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="uphold_objection")
    assert entry.comment == "经核实，情况属实。"
    # A removed unit takes no further objections.
    with pytest.raises(DomainError, match="已不在公示名单中"):
        objection_lodge(item=objection.item, **OBJECTOR)


def test_a_dismissed_objection_leaves_the_unit_proposed(demo):
    objection, application = lodged(demo)

    objection_decide(
        objection=objection, actor=demo["luoyang-city"], upheld=False, response="经核实，不属实。"
    )

    application.refresh_from_db()
    assert application.status == "in_publicity"
    assert Objection.objects.get().status == "dismissed"


def test_an_objection_is_answered_once_with_a_response(demo):
    objection, _application = lodged(demo)
    city = demo["luoyang-city"]
    with pytest.raises(ValidationError, match="处理意见"):
        objection_decide(objection=objection, actor=city, upheld=False, response=" ")

    objection_decide(objection=objection, actor=city, upheld=False, response="不属实")
    with pytest.raises(DomainError, match="已处理"):
        objection_decide(objection=objection, actor=city, upheld=True, response="改判")


@pytest.mark.parametrize("who", ["luoyang-county", "jinan-city", "luoyang-enterprise"])
def test_only_the_authority_answers_objections(demo, who):
    objection, _application = lodged(demo)

    with pytest.raises(NotPermitted):
        objection_decide(objection=objection, actor=demo[who], upheld=True, response="成立")

    objection.refresh_from_db()
    assert objection.status == "pending"
