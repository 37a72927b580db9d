"""公示 and 公示异议 through the one transition runner (issue 15.1): their audit rows and refusals.

The list is published once, after the units are listed: one row on the publicity with the
document number and how many were listed; a second publication, or one by another bureau, is
refused as before and writes nothing. An objection is answered once, upheld or dismissed: one
row "decide" (处理异议) on the objection with the response.
"""

import pytest
from django.utils import timezone

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from reviews.models import Publicity
from reviews.services.publicity import objection_decide, objection_lodge, publicity_publish
from tests.reviews.publicity import OBJECTOR, end_period, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]
NUMBER = "洛工信〔2026〕90号"


def test_publishing_writes_one_audit_row_on_the_publicity(demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    city = demo["luoyang-city"]

    listings = publicity_publish(publicity=publicity, actor=city, document_number=f"  {NUMBER} ")

    publicity.refresh_from_db()
    assert (publicity.status, publicity.document_number, publicity.published_on) == (
        "published",
        NUMBER,
        timezone.localdate(),
    )
    [entry] = audit_entries_for(subject=publicity).filter(action="publish")
    assert (entry.action_label, entry.from_state, entry.to_state) == (
        "发布名单",
        "open",
        "published",
    )
    assert entry.data["document_number"] == NUMBER
    assert entry.data["listed"] == len(listings) == 1
    assert entry.actor == city


def test_publishing_twice_is_refused_with_the_date_and_writes_nothing(demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    city = demo["luoyang-city"]
    publicity_publish(publicity=publicity, actor=city, document_number=NUMBER)

    with pytest.raises(DomainError) as caught:
        publicity_publish(publicity=publicity, actor=city, document_number=NUMBER)

    assert caught.value.code == "publish_refused"
    assert caught.value.message.startswith("暂不能发布名单：名单已于")
    assert audit_entries_for(subject=publicity).filter(action="publish").count() == 1


def test_another_bureau_is_refused_before_the_document_number_is_read(demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)

    with pytest.raises(NotPermitted) as caught:
        publicity_publish(publicity=publicity, actor=demo["jinan-city"], document_number="")

    assert "公示和名单发布由批次组织单位" in caught.value.message
    publicity.refresh_from_db()
    assert publicity.status == "open"


@pytest.mark.parametrize(("upheld", "state"), [(True, "upheld"), (False, "dismissed")])
def test_answering_an_objection_writes_one_decide_row(demo, upheld, state):
    publicity, _applications = in_publicity(demo)
    objection = objection_lodge(item=publicity.items.get(), **OBJECTOR)
    city = demo["luoyang-city"]

    objection_decide(objection=objection, actor=city, upheld=upheld, response=" 经核实。 ")

    objection.refresh_from_db()
    assert (objection.status, objection.response, objection.handled_by) == (state, "经核实。", city)
    assert objection.handled_at is not None
    [entry] = audit_entries_for(subject=objection).exclude(action="lodge")
    assert (entry.action, entry.action_label, entry.from_state, entry.to_state) == (
        "decide",
        "处理异议",
        "pending",
        state,
    )
    assert (entry.comment, entry.actor) == ("经核实。", city)


def test_an_objection_on_a_published_list_is_refused_as_before(demo):
    publicity, _applications = in_publicity(demo)
    objection = objection_lodge(item=publicity.items.get(), **OBJECTOR)
    city = demo["luoyang-city"]
    Publicity.objects.filter(pk=publicity.pk).update(status="published")

    with pytest.raises(DomainError) as caught:
        objection_decide(objection=objection, actor=city, upheld=True, response="成立")

    assert (caught.value.code, caught.value.message) == (
        "publicity_published",
        "名单已发布，不能再处理公示异议。",
    )
    assert not audit_entries_for(subject=objection).exclude(action="lodge").exists()
