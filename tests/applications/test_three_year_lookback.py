"""近三年 in the credit data: 失信被执行人 counts for three years even once removed; 经营异常名单
counts only 「且未被移出」.

洛阳 第十五条 「近三年有下列情况的…(六) 企业被列为失信被执行人」 and (一) 「列入经营异常名单且未被
移出」; 济南 第六条5 「近三年…被列为失信被执行人」 beside 「列入经营异常和严重违法失信名单且未被
移出」; 大连 一 「近三年有下列情况的…失信被执行人等」. The pre-check reads the imported credit
events as of its reference day (today, pinned here) and cites the batch's own policy.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from applications.models import CreditEvent
from applications.precheck import run_precheck
from applications.selectors.credit import credit_facts
from tests.factories import ApplicationFactory, BatchFactory
from tests.rules.facts import clean_facts

pytestmark = pytest.mark.django_db

K = CreditEvent.Kind
TODAY = date(2026, 11, 20)
WINDOW_START = date(2023, 11, 20)  # three years before TODAY

POLICIES = [
    pytest.param("luoyang-2024", 2026, "第十五条(六)", "第十五条(一)", id="luoyang"),
    pytest.param("jinan-2024", 2026, "第六条第5项", "第六条第5项", id="jinan"),
    pytest.param("dalian-2022-national", 2022, "一", "一", id="dalian"),
]


@pytest.fixture(autouse=True)
def pinned(time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")))


def clean_factory(policy: str, year: int):
    """A factory application whose own facts are all clean, in a batch under ``policy``."""
    batch = BatchFactory(policy=policy, year=year)
    return ApplicationFactory(batch=batch, facts=clean_facts(policy, "factory"))


def listed(application, kind, occurred_on, resolved_on=None):
    return CreditEvent.objects.create(
        credit_code=application.organisation.credit_code,
        kind=kind,
        occurred_on=occurred_on,
        resolved_on=resolved_on,
        source="信用中国",
    )


def finding(precheck, code):
    return next(item for item in precheck.findings if item["code"] == code)


@pytest.mark.parametrize(("policy", "year", "dishonest", "abnormal"), POLICIES)
def test_dishonest_debtor_listed_two_years_ago_and_removed_last_year_is_caught(
    policy, year, dishonest, abnormal
):
    application = clean_factory(policy, year)
    listed(application, K.DISHONEST_JUDGMENT_DEBTOR, date(2024, 11, 1), date(2025, 10, 1))

    precheck = run_precheck(application=application)

    caught = finding(precheck, "negative.dishonest_judgment_debtor")
    assert precheck.eligible is False
    assert caught["passed"] is False
    assert caught["citation"] == dishonest
    assert caught["message"].startswith("近三年曾被列为失信被执行人：是，要求为否（含已移出")
    assert "移出/整改完成 2025-10-01" in " ".join(caught["sources"])


@pytest.mark.parametrize(("policy", "year", "dishonest", "abnormal"), POLICIES)
def test_dishonest_debtor_listing_ended_more_than_three_years_ago_is_not_caught(
    policy, year, dishonest, abnormal
):
    application = clean_factory(policy, year)
    listed(application, K.DISHONEST_JUDGMENT_DEBTOR, date(2021, 3, 1), date(2023, 6, 1))

    precheck = run_precheck(application=application)

    assert precheck.eligible is True
    assert finding(precheck, "negative.dishonest_judgment_debtor")["passed"] is True


@pytest.mark.parametrize(("policy", "year", "dishonest", "abnormal"), POLICIES)
def test_abnormal_operations_listing_removed_is_not_caught(policy, year, dishonest, abnormal):
    application = clean_factory(policy, year)
    listed(application, K.ABNORMAL_OPERATIONS, date(2025, 1, 1), date(2025, 6, 1))

    precheck = run_precheck(application=application)

    assert precheck.eligible is True
    kept = finding(precheck, "negative.on_abnormal_operations_list")
    assert kept["passed"] is True
    assert kept["message"] == "被列入经营异常名单且未被移出：否"


@pytest.mark.parametrize(("policy", "year", "dishonest", "abnormal"), POLICIES)
def test_abnormal_operations_listing_not_removed_is_caught(policy, year, dishonest, abnormal):
    application = clean_factory(policy, year)
    listed(application, K.ABNORMAL_OPERATIONS, date(2025, 1, 1))

    precheck = run_precheck(application=application)

    caught = finding(precheck, "negative.on_abnormal_operations_list")
    assert precheck.eligible is False
    assert caught["passed"] is False
    assert caught["citation"] == abnormal
    assert caught["message"] == "被列入经营异常名单且未被移出：是，要求为否"


@pytest.mark.parametrize(
    ("resolved_on", "counted"),
    [
        pytest.param(None, True, id="still-listed"),
        pytest.param(date(2026, 11, 20), True, id="removed-today"),
        pytest.param(date(2023, 11, 21), True, id="removed-the-day-after-the-window-opens"),
        pytest.param(WINDOW_START, False, id="removed-the-day-the-window-opens"),
        pytest.param(date(2022, 5, 1), False, id="removed-before-the-window"),
    ],
)
def test_dishonest_debtor_counts_when_its_listing_overlaps_the_three_years(resolved_on, counted):
    application = clean_factory("luoyang-2024", 2026)
    event = listed(application, K.DISHONEST_JUDGMENT_DEBTOR, date(2020, 1, 1), resolved_on)

    fact = credit_facts(credit_code=application.organisation.credit_code, as_of=TODAY)[
        K.DISHONEST_JUDGMENT_DEBTOR
    ]

    assert fact.value is counted
    assert fact.events == (event.pk,)


def test_dishonest_debtor_is_read_as_of_the_reference_day_given():
    """A check re-run as of an earlier day (e.g. the submission date) uses that day's window."""
    application = clean_factory("luoyang-2024", 2026)
    listed(application, K.DISHONEST_JUDGMENT_DEBTOR, date(2021, 3, 1), date(2023, 6, 1))

    assert run_precheck(application=application, as_of=date(2026, 5, 1)).eligible is False
    assert run_precheck(application=application).eligible is True
