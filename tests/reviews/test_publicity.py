"""公示: the authority puts passed applications on a proposed list for the batch's period."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Application
from applications.services.applications import application_transition
from applications.workflow import application_workflow
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from reviews.models import Publicity, PublicityItem
from reviews.services.publicity import publicity_start
from tests.factories import BatchQuotaFactory
from tests.reviews.publicity import another_enterprise, in_publicity, passed_application
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def test_publicity_lists_the_passed_applications_by_score(demo, time_machine):
    # A Monday: five days end on Friday, a working day (a rest day would move the end, 民法典
    # 第二百零三条, tests/reviews/test_objection_period_rest_day.py).
    time_machine.move_to(datetime.datetime(2026, 11, 16, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    low = passed_application(demo, total="82")
    high = passed_application(
        demo, total="95", batch=low.batch, organisation=another_enterprise(demo)
    )
    low.batch.publicity_days = 5
    low.batch.save()

    publicity = publicity_start(
        batch=low.batch, actor=demo["luoyang-city"], title="拟入选名单公示", contact="0379-1"
    )

    items = list(publicity.items.order_by("position"))
    assert [item.application_id for item in items] == [high.pk, low.pk]
    assert [str(item.score) for item in items] == ["95.00", "82.00"]
    today = timezone.localdate()
    assert (publicity.starts_on, publicity.ends_on) == (today, today + datetime.timedelta(days=4))
    assert set(
        Application.objects.filter(pk__in=[low.pk, high.pk]).values_list("status", flat=True)
    ) == {"in_publicity"}
    entry = AuditEntry.objects.filter(object_id=str(low.pk), action="start_publicity").get()
    assert (entry.from_state, entry.to_state) == ("passed", "in_publicity")
    assert Notification.objects.filter(
        recipient=demo["luoyang-enterprise"], subject__startswith="拟列入名单公示"
    ).exists()


@pytest.mark.parametrize("who", ["luoyang-county", "jinan-city", "luoyang-enterprise", "henan"])
def test_only_the_batch_authority_starts_a_publicity(demo, who):
    application = passed_application(demo)

    with pytest.raises(NotPermitted, match="批次组织单位"):
        publicity_start(batch=application.batch, actor=demo[who], title="公示", contact="电话")

    assert not Publicity.objects.exists()


def test_publicity_waits_for_every_decision(demo):
    application = passed_application(demo)
    from tests.factories import ApplicationFactory

    ApplicationFactory(batch=application.batch, status="expert_review")

    with pytest.raises(DomainError, match="尚有 1 项已推荐的申报未作出评审决定"):
        publicity_start(
            batch=application.batch, actor=demo["luoyang-city"], title="公示", contact="电话"
        )


def test_a_batch_is_publicised_once_and_needs_title_and_contact(demo):
    application = passed_application(demo)
    city = demo["luoyang-city"]
    with pytest.raises(ValidationError) as error:
        publicity_start(batch=application.batch, actor=city, title=" ", contact="")
    assert set(error.value.message_dict) == {"title", "contact"}

    publicity_start(batch=application.batch, actor=city, title="公示", contact="电话")
    with pytest.raises(DomainError, match="不能重复公示"):
        publicity_start(batch=application.batch, actor=city, title="公示", contact="电话")


def test_only_chosen_passed_applications_may_be_publicised(demo):
    application = passed_application(demo)
    failed = passed_application(
        demo, batch=application.batch, organisation=another_enterprise(demo)
    )
    Application.objects.filter(pk=failed.pk).update(status="failed")

    with pytest.raises(DomainError, match="1 项不符合"):
        publicity_start(
            batch=application.batch,
            actor=demo["luoyang-city"],
            title="公示",
            contact="电话",
            applications=[application, failed],
        )


def test_a_batch_without_passed_applications_has_nothing_to_publicise(demo):
    application = passed_application(demo)
    Application.objects.filter(pk=application.pk).update(status="failed")

    with pytest.raises(DomainError, match="没有可公示"):
        publicity_start(
            batch=application.batch, actor=demo["luoyang-city"], title="公示", contact="电话"
        )


@pytest.mark.parametrize("action", ["start_publicity", "publish_list"])
def test_publicity_transitions_are_not_taken_one_by_one(demo, action):
    application = passed_application(demo)
    if action == "publish_list":
        in_publicity(demo, applications=[application])
        application.refresh_from_db()

    with pytest.raises(DomainError, match="不能单独办理"):
        application_transition(application=application, action=action, actor=demo["luoyang-city"])

    actions = {
        t.action for t in application_workflow.available(application.status, "city_official")
    }
    assert action not in actions


def test_the_quota_still_counts_a_recommendation_after_expert_review_began(demo):
    """A county's recommendations keep their places however far they went (a ceiling)."""
    from reviews.selectors.review import quota_row, recommended_count

    application = passed_application(demo)
    in_publicity(demo, applications=[application])
    BatchQuotaFactory(batch=application.batch, county=application.jurisdiction, quota=1)

    quota = quota_row(application=application)
    assert recommended_count(quota=quota) == 1


def test_item_outcomes_start_as_proposed(demo):
    publicity, [application] = in_publicity(demo)

    assert PublicityItem.objects.get(application=application).outcome == "proposed"
    assert publicity.status == "open"
