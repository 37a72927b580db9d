"""初审: checklist, department opinions, and recommending within the quota."""

import pytest
from django.core.exceptions import ValidationError

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from reviews.models import OpinionRequest
from reviews.services.review import county_review_save, opinion_answer, opinion_request_send
from tests.reviews.helpers import in_county_review, ready_to_recommend, required_departments

pytestmark = pytest.mark.django_db


def test_recommendation_refused_with_every_missing_step(demo):
    application, county = in_county_review(demo)
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="recommend", actor=county)
    reasons = " ".join(refusal.value.reasons)
    assert "核对清单尚有" in reasons
    assert "尚未征求生态环境部门意见（洛阳 第十二条）" in reasons
    assert Application.objects.get(pk=application.pk).status == "county_review"


def test_jinan_also_requires_the_tax_department(demo):
    application, county = in_county_review(
        demo, city="jinan", policy="jinan-2024", city_key="370100"
    )
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="recommend", actor=county)
    assert any("税务部门" in reason and "济南 第十条" in reason for reason in refusal.value.reasons)


def test_complete_review_recommends_and_notifies_the_city(demo, django_capture_on_commit_callbacks):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_transition(
            application=application, action="recommend", actor=county
        )
    assert application.status == Application.Status.RECOMMENDED
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__contains="县（区）推荐"
    ).exists()


def test_pending_opinion_blocks_recommendation(demo):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    request = OpinionRequest.objects.filter(application=application).first()
    OpinionRequest.objects.filter(pk=request.pk).update(status="pending", answer="")
    with pytest.raises(DomainError, match="尚未回复意见"):
        application_transition(application=application, action="recommend", actor=county)


def test_objection_needs_the_countys_reason_to_recommend(demo):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county, objection_from="emergency_management")
    with pytest.raises(DomainError, match="提出异议，推荐须在说明中写明理由"):
        application_transition(application=application, action="recommend", actor=county)
    application = application_transition(
        application=application,
        action="recommend",
        actor=county,
        comment="事故已整改并经应急部门验收",
    )
    assert application.status == Application.Status.RECOMMENDED


def test_quota_is_a_ceiling(demo):
    """Two candidates of one county compete for its single place: the second is refused."""
    first, county = in_county_review(demo, quota=1)
    second, _county = in_county_review(demo, quota=1, unit_type="park", batch=first.batch)
    for application in (first, second):
        ready_to_recommend(demo, application, county)
    application_transition(application=first, action="recommend", actor=county)
    with pytest.raises(DomainError, match="推荐名额为 1 个，已推荐 1 个，名额已满"):
        application_transition(application=second, action="recommend", actor=county)


def test_no_quota_for_the_county_refuses(demo):
    application, county = in_county_review(demo, quota=0)
    ready_to_recommend(demo, application, county)
    with pytest.raises(DomainError, match="推荐名额为 0 个，已推荐 0 个"):
        application_transition(application=application, action="recommend", actor=county)


def test_not_recommended_needs_a_reason_and_revocation_frees_the_place(demo):
    application, county = in_county_review(demo, quota=1)
    ready_to_recommend(demo, application, county)
    application_transition(application=application, action="recommend", actor=county)
    with pytest.raises(DomainError, match="须填写理由"):
        application_transition(
            application=application, action="revoke_recommendation", actor=county
        )
    application_transition(
        application=application,
        action="revoke_recommendation",
        actor=county,
        comment="复核发现数据有误",
    )
    application = application_transition(
        application=application, action="not_recommend", actor=county, comment="能耗数据不实"
    )
    assert application.status == Application.Status.NOT_RECOMMENDED


@pytest.mark.parametrize(
    "username", ["luoyang-county2", "luoyang-city", "luoyang-enterprise", "luoyang-env"]
)
def test_only_the_county_may_recommend(demo, username):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    with pytest.raises(NotPermitted):
        application_transition(application=application, action="recommend", actor=demo[username])


def test_checklist_rejects_unknown_items(demo):
    application, county = in_county_review(demo)
    with pytest.raises(ValidationError):
        county_review_save(
            application=application, actor=county, checklist={"made_up": True}, rank=1, notes=""
        )


def test_departments_of_another_county_cannot_be_consulted(demo):
    application, county = in_county_review(demo)
    other = required_departments(
        in_county_review(demo, city="jinan", policy="jinan-2024", city_key="370100")[0]
    )
    with pytest.raises(ValidationError, match="不是本县（区）的征求意见部门"):
        opinion_request_send(application=application, actor=county, departments=other)


def test_department_sees_only_what_was_sent_and_answers(client, demo):
    application, county = in_county_review(demo)
    requests = opinion_request_send(
        application=application, actor=county, departments=required_departments(application)
    )
    env_request = next(r for r in requests if r.department.department == "ecology_environment")
    client.force_login(demo["luoyang-env"])
    listing = client.get("/opinions/").content.decode()
    assert application.organisation.name in listing
    assert client.get(f"/applications/{application.pk}/").status_code == 200
    response = client.post(f"/opinions/{env_request.pk}/", {"answer": "objection", "reasons": ""})
    assert "提出异议须写明理由" in response.content.decode()
    response = client.post(
        f"/opinions/{env_request.pk}/", {"answer": "no_objection", "reasons": ""}
    )
    assert response.status_code == 302
    env_request.refresh_from_db()
    assert env_request.answer == "no_objection"
    client.force_login(demo["jinan-env"])
    assert client.get(f"/opinions/{env_request.pk}/").status_code == 404
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    client.force_login(demo["luoyang-safety"])
    safety_only = client.get("/opinions/").content.decode()
    assert "生态环境分局" not in safety_only


def test_department_cannot_answer_for_another(demo):
    application, county = in_county_review(demo)
    requests = opinion_request_send(
        application=application, actor=county, departments=required_departments(application)
    )
    env_request = next(r for r in requests if r.department.department == "ecology_environment")
    with pytest.raises(NotPermitted):
        opinion_answer(request=env_request, actor=demo["luoyang-safety"], answer="no_objection")


def test_county_review_panel_is_on_the_application_page(client, demo):
    application, county = in_county_review(demo)
    client.force_login(county)
    body = client.get(f"/applications/{application.pk}/?tab=review").content.decode()
    assert "县（区）初审" in body and "发送征求意见" in body and "核对清单" in body


def test_the_review_tab_shows_the_quota_and_the_places_taken(demo, client):
    """The panel reads the quota with its recommendations counted in one statement; the figure
    is the one the recommendation's own check counts."""
    first, county = in_county_review(demo, quota=2)
    second, _county = in_county_review(demo, quota=2, unit_type="park", batch=first.batch)
    ready_to_recommend(demo, first, county)
    application_transition(application=first, action="recommend", actor=county)
    client.force_login(county)

    body = client.get(f"/applications/{second.pk}/?tab=review").content.decode()

    assert "本批次推荐名额 2 个，已推荐 1 个" in body
