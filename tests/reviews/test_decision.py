"""The combined score and the decision: the batch's method, the policy's line, the veto."""

from decimal import Decimal

import pytest

from applications.models import Application
from applications.services.applications import application_transition
from applications.workflow import _GUARDS
from greenmfg.core.errors import DomainError
from reviews.models import ExpertAssignment
from reviews.selectors.sheet import application_score, decision_preview
from reviews.services.sheet import decide_pass_refusals
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name)
    reviewing_application,
    submit_scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


@pytest.fixture
def decide_pass_guarded(monkeypatch):
    """decide_pass with the guard registered as reviews/apps.py registers it."""
    current = list(_GUARDS.get("decide_pass", []))
    if decide_pass_refusals not in current:
        current.append(decide_pass_refusals)
    monkeypatch.setitem(_GUARDS, "decide_pass", current)


@pytest.mark.parametrize(
    ("aggregation", "score", "method_used"),
    [("mean", "78.33", "mean"), ("trimmed_mean", "85.00", "trimmed_mean")],
    ids=["mean", "trimmed-mean"],
)
def test_score_uses_the_batch_aggregation(demo, aggregation, score, method_used):
    application, assignments = boundary_application(demo, aggregation=aggregation)
    submit_scores(assignments, ["60", "85", "90"])

    result = application_score(application=application)

    assert (result.score, result.method_used, result.count) == (
        Decimal(score),
        method_used,
        3,
    )
    assert (result.median, result.minimum, result.maximum, result.spread) == (
        Decimal("85.00"),
        Decimal("60.00"),
        Decimal("90.00"),
        Decimal("30.00"),
    )


def test_trimmed_mean_of_two_sheets_falls_back_to_the_mean(demo):
    application, assignments = boundary_application(demo, experts=2, aggregation="trimmed_mean")
    submit_scores(assignments, ["70", "90"])

    result = application_score(application=application)

    assert (result.score, result.method_used) == (Decimal("80.00"), "mean")


def test_no_score_before_any_sheet_is_submitted(demo):
    application, _assignments = boundary_application(demo)

    assert application_score(application=application) is None
    preview = decision_preview(application=application)
    assert (preview.passed, preview.decidable) == (False, False)
    assert preview.reasons == ["尚有 3 位专家未提交评分"]


@pytest.mark.parametrize(
    ("totals", "refused"),
    [(["80", "80", "79.97"], True), (["80", "80", "80"], False)],
    ids=["79.99-refused", "80.00-passes"],
)
def test_the_80_point_line_end_to_end(demo, decide_pass_guarded, totals, refused):
    application, assignments = boundary_application(demo)
    submit_scores(assignments, totals)
    city = demo["luoyang-city"]

    refusals = decide_pass_refusals(application=application, actor=city, comment="")

    if refused:
        assert refusals == ["平均得分 79.99 分，未达到 80 分（含）"]
        with pytest.raises(DomainError, match="未达到 80 分") as refusal:
            application_transition(application=application, action="decide_pass", actor=city)
        assert refusal.value.reasons == refusals
        assert Application.objects.get(pk=application.pk).status == "expert_review"
    else:
        assert refusals == []
        application = application_transition(
            application=application, action="decide_pass", actor=city
        )
        assert application.status == Application.Status.PASSED


def test_one_unmet_basic_requirement_vetoes(demo):
    application, assignments = boundary_application(demo)
    submit_scores(assignments, ["95", "95", "95"], unmet_by=[assignments[1]])

    preview = decision_preview(application=application)
    refusals = decide_pass_refusals(application=application, actor=demo["luoyang-city"], comment="")

    assert (preview.passed, preview.decidable) == (False, True)
    assert refusals == ["基本要求「依法设立」未满足，一票否决"]


def test_fewer_sheets_than_assignments_blocks_until_the_last_is_in_or_withdrawn(demo):
    application, assignments = boundary_application(demo)
    submit_scores(assignments[:2], ["90", "90"])
    city = demo["luoyang-city"]

    assert decide_pass_refusals(application=application, actor=city, comment="") == [
        "尚有 1 位专家未提交评分"
    ]

    ExpertAssignment.objects.filter(pk=assignments[2].pk).update(status="withdrawn")
    assert decide_pass_refusals(application=application, actor=city, comment="") == []


def test_a_withdrawn_experts_sheet_does_not_count(demo):
    application, assignments = boundary_application(demo)
    submit_scores(assignments, ["90", "90", "30"])
    ExpertAssignment.objects.filter(pk=assignments[2].pk).update(status="withdrawn")

    result = application_score(application=application)

    assert (result.count, result.score) == (2, Decimal("90.00"))


def test_no_experts_assigned_is_not_decidable(demo):
    application, _assignments = reviewing_application(demo, experts=1)
    ExpertAssignment.objects.filter(application=application).delete()

    preview = decision_preview(application=application)

    assert (preview.passed, preview.decidable, preview.reasons) == (
        False,
        False,
        ["尚未分配评审专家"],
    )


def test_passing_preview_says_what_held(demo):
    application, assignments = boundary_application(demo, policy="luoyang-2024")
    submit_scores(assignments, ["85", "86", "87"])

    preview = decision_preview(application=application)

    assert preview.passed is True
    assert preview.reasons == ["基本要求全部满足", "平均得分 86.00 分，达到 80 分（含）"]
    assert (preview.submitted, preview.expected) == (3, 3)
