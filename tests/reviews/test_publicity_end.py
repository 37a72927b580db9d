"""公示期满 as data (issue 17 item 4): the night after a publicity's last day the portal ends it,
with its trail and a message to the authority; pending objections are still answered, no new one
is taken, and the list is published from there. ``run_schedule`` and the demo clock reach it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from greenmfg.audit.models import AuditEntry
from greenmfg.core import clock
from greenmfg.core.errors import DomainError
from greenmfg.notifications.models import Notification
from reviews.models import Publicity
from reviews.services.publicity import (
    objection_decide,
    objection_lodge,
    publicities_end,
    publicity_publish,
    publish_refusals,
)
from tests.reviews.publicity import OBJECTOR, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]
DAY = datetime.timedelta(days=1)


def test_a_running_publicity_is_left_open(demo):
    publicity, _applications = in_publicity(demo)

    assert publicities_end(publicity.ends_on) == 0  # its last day still runs
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.OPEN


def test_the_day_after_its_last_day_it_ends_once_with_its_trail_and_a_message(demo):
    publicity, _applications = in_publicity(demo)

    assert publicities_end(publicity.ends_on + DAY) == 1
    assert publicities_end(publicity.ends_on + DAY) == 0  # idempotent

    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.ENDED
    entry = AuditEntry.objects.get(action="end", object_id=str(publicity.pk))
    assert (entry.actor_id, entry.from_state, entry.to_state) == (None, "open", "ended")
    message = Notification.objects.get(recipient=demo["luoyang-city"], subject__contains="公示期满")
    assert "可以发布名单" in message.body


def test_after_the_end_objections_are_answered_not_lodged_and_the_list_is_published(demo):
    publicity, _applications = in_publicity(demo)
    item = publicity.items.get()
    objection = objection_lodge(item=item, **OBJECTOR)
    city = demo["luoyang-city"]
    publicities_end(publicity.ends_on + DAY)
    publicity.refresh_from_db()
    assert (
        "尚有 1 条异议待处理"
        in Notification.objects.get(recipient=city, subject__contains="公示期满").body
    )

    with pytest.raises(DomainError):
        objection_lodge(item=item, **OBJECTOR)
    objection_decide(objection=objection, actor=city, upheld=False, response="经核实不属实")
    assert publish_refusals(publicity=publicity, today=publicity.ends_on + DAY) == []


def test_the_list_is_published_from_the_ended_state(demo, time_machine):
    publicity, _applications = in_publicity(demo)
    publicities_end(publicity.ends_on + DAY)
    time_machine.move_to(datetime.datetime.combine(publicity.ends_on + DAY, datetime.time(10)))

    listings = publicity_publish(
        publicity=Publicity.objects.get(pk=publicity.pk),
        actor=demo["luoyang-city"],
        document_number="洛工信〔2026〕88号",
    )

    assert len(listings) == 1
    assert Publicity.objects.get(pk=publicity.pk).status == Publicity.Status.PUBLISHED


def test_run_schedule_on_the_demo_clock_ends_the_period(demo, settings, tmp_path):
    publicity, _applications = in_publicity(demo)
    settings.DEMO_CLOCK_FILE = tmp_path / "demo_date"
    try:
        out = StringIO()
        call_command("set_demo_date", (publicity.ends_on + DAY).isoformat(), stdout=out)
        call_command("run_schedule", only=["publicity"], stdout=out)
    finally:
        clock.set_demo_date(None)

    assert "[publicity] 公示期满：结束公示 1" in out.getvalue()
    assert Publicity.objects.get(pk=publicity.pk).status == Publicity.Status.ENDED


def test_the_manage_page_shows_publish_disabled_with_reasons_during_the_period(client, demo):
    publicity, _applications = in_publicity(demo)
    client.force_login(demo["luoyang-city"])

    html = client.get(f"/reviews/publicity/{publicity.pk}/").content.decode()

    assert "公示期满后方可发布名单" in html
    assert 'disabled aria-disabled="true" aria-describedby="publish-refusals-note"' in html
