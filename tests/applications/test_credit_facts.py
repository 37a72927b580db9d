"""What the credit data says about a unit on a given day: the rules' 近三年 negative list."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from applications.models import CreditEvent, CreditImport
from applications.selectors.credit import CreditFact, credit_facts, window_start
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

K = CreditEvent.Kind
AS_OF = date(2026, 3, 1)
THREE_YEARS_BEFORE = date(2023, 3, 1)
DAY_BEFORE_WINDOW = date(2023, 2, 28)
CODE = valid_credit_code()

MEMBERSHIPS = [
    K.ABNORMAL_OPERATIONS,
    K.SERIOUS_ILLEGAL_DISHONEST,
    K.DISHONEST_JUDGMENT_DEBTOR,
    K.ENERGY_SUPERVISION,
]
# 「且未被移出」: 失信被执行人 is read over the three years instead (test_three_year_lookback).
UNTIL_REMOVED = [kind for kind in MEMBERSHIPS if kind != K.DISHONEST_JUDGMENT_DEBTOR]
ONE_OFFS = [
    K.DEREGISTERED,
    K.ACCIDENT_SAFETY,
    K.ACCIDENT_CYBER,
    K.ACCIDENT_QUALITY,
    K.ACCIDENT_ENVIRONMENT,
    K.TAX_VIOLATION,
    K.REMOVED_FROM_LIST,
    K.INSPECTION_PROBLEM,
]


def event(kind, occurred_on, resolved_on=None, *, code=CODE, source="信用中国", **kwargs):
    return CreditEvent.objects.create(
        credit_code=code,
        kind=kind,
        occurred_on=occurred_on,
        resolved_on=resolved_on,
        source=source,
        **kwargs,
    )


def test_every_kind_is_a_membership_or_a_one_off():
    assert sorted(MEMBERSHIPS + ONE_OFFS) == sorted(K.values)


def test_unit_without_events_has_no_credit_facts():
    event(K.ACCIDENT_SAFETY, date(2025, 1, 1), code=valid_credit_code())

    assert credit_facts(credit_code=CODE, as_of=AS_OF) == {}


@pytest.mark.parametrize("kind", UNTIL_REMOVED)
@pytest.mark.parametrize(
    ("resolved_on", "expected"),
    [
        pytest.param(None, True, id="never-removed"),
        pytest.param(date(2026, 3, 2), True, id="removed-after-as-of"),
        pytest.param(date(2026, 3, 1), False, id="removed-on-as-of"),
        pytest.param(date(2025, 12, 31), False, id="removed-before-as-of"),
    ],
)
def test_list_membership_holds_until_removed(kind, resolved_on, expected):
    listed = event(kind, date(2025, 6, 1), resolved_on)

    facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    assert facts[kind].value is expected
    assert facts[kind].events == (listed.pk,)


@pytest.mark.parametrize("kind", MEMBERSHIPS)
def test_list_membership_older_than_three_years_still_counts_while_not_removed(kind):
    event(kind, date(2019, 5, 1))

    assert credit_facts(credit_code=CODE, as_of=AS_OF)[kind].value is True


def test_membership_is_true_when_any_listing_is_still_open():
    event(K.ABNORMAL_OPERATIONS, date(2024, 1, 1), date(2024, 6, 1))
    still_open = event(K.ABNORMAL_OPERATIONS, date(2025, 1, 1))

    fact = credit_facts(credit_code=CODE, as_of=AS_OF)[K.ABNORMAL_OPERATIONS]

    assert fact.value is True and fact.events == (still_open.pk,)


@pytest.mark.parametrize("kind", ONE_OFFS)
@pytest.mark.parametrize(
    ("occurred_on", "counted"),
    [
        pytest.param(AS_OF, True, id="on-as-of"),
        pytest.param(THREE_YEARS_BEFORE, True, id="exactly-three-years-before"),
        pytest.param(DAY_BEFORE_WINDOW, False, id="a-day-more-than-three-years"),
        pytest.param(date(2026, 3, 2), False, id="after-as-of"),
    ],
)
def test_one_off_event_counts_within_three_years_before_as_of(kind, occurred_on, counted):
    event(kind, occurred_on)

    facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    if counted:
        assert facts[kind].value is True
    else:
        assert kind not in facts


@pytest.mark.parametrize("kind", MEMBERSHIPS)
def test_listing_made_after_as_of_is_ignored(kind):
    event(kind, date(2026, 3, 2))

    assert credit_facts(credit_code=CODE, as_of=AS_OF) == {}


def test_resolved_one_off_event_still_counts():
    event(K.ACCIDENT_ENVIRONMENT, date(2024, 1, 1), date(2024, 3, 1))

    assert credit_facts(credit_code=CODE, as_of=AS_OF)[K.ACCIDENT_ENVIRONMENT].value is True


@pytest.mark.parametrize(
    ("resolutions", "rectified"),
    [
        pytest.param([date(2025, 1, 1)], True, id="rectified"),
        pytest.param([date(2026, 3, 1)], True, id="rectified-on-as-of"),
        pytest.param([None], False, id="open"),
        pytest.param([date(2026, 3, 2)], False, id="rectified-after-as-of"),
        pytest.param([date(2025, 1, 1), None], False, id="one-of-two-open"),
        pytest.param([date(2025, 1, 1), date(2025, 2, 1)], True, id="both-rectified"),
    ],
)
def test_inspection_problem_is_rectified_only_when_every_problem_is(resolutions, rectified):
    for number, resolved_on in enumerate(resolutions):
        event(K.INSPECTION_PROBLEM, date(2024, 6, 1 + number), resolved_on)

    facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    assert facts[K.INSPECTION_PROBLEM].value is True
    assert facts["inspection_problem_rectified"].value is rectified
    assert len(facts["inspection_problem_rectified"].events) == len(resolutions)


def test_inspection_problem_outside_the_window_does_not_count_against_rectification():
    event(K.INSPECTION_PROBLEM, DAY_BEFORE_WINDOW)  # never rectified, but too old
    recent = event(K.INSPECTION_PROBLEM, date(2025, 5, 1), date(2025, 8, 1))

    facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    assert facts["inspection_problem_rectified"] == CreditFact(
        value=True, source=facts["inspection_problem_rectified"].source, events=(recent.pk,)
    )


def test_no_rectification_fact_without_an_inspection_problem():
    event(K.ACCIDENT_SAFETY, date(2025, 1, 1))

    assert "inspection_problem_rectified" not in credit_facts(credit_code=CODE, as_of=AS_OF)


def test_source_names_the_data_source_import_date_and_event_date(demo):
    record = CreditImport.objects.create(
        file_name="credit.csv",
        source="信用中国",
        imported_by=demo["luoyang-county"],
        jurisdiction=demo["luoyang-county"].organisation.jurisdiction,
    )
    imported_at = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    CreditImport.objects.filter(pk=record.pk).update(imported_at=imported_at)
    event(K.DISHONEST_JUDGMENT_DEBTOR, date(2025, 6, 1), credit_import=record)
    event(
        K.ABNORMAL_OPERATIONS, date(2024, 6, 1), date(2025, 1, 2), source="国家企业信用信息公示系统"
    )

    facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    assert facts[K.DISHONEST_JUDGMENT_DEBTOR].source == (
        "信用数据：信用中国（2026-03-01 导入，事件日期 2025-06-01）"
    )
    assert facts[K.ABNORMAL_OPERATIONS].source == (
        "信用数据：国家企业信用信息公示系统（事件日期 2024-06-01，移出/整改完成 2025-01-02）"
    )


def test_source_cites_every_counted_event_newest_first():
    event(K.ACCIDENT_SAFETY, date(2024, 1, 5))
    event(K.ACCIDENT_SAFETY, date(2025, 2, 6), source="应急管理部门")

    fact = credit_facts(credit_code=CODE, as_of=AS_OF)[K.ACCIDENT_SAFETY]

    assert fact.source == (
        "信用数据：应急管理部门（事件日期 2025-02-06）；信用中国（事件日期 2024-01-05）"
    )
    assert len(fact.events) == 2


def test_credit_code_is_normalised_before_lookup():
    event(K.TAX_VIOLATION, date(2025, 1, 1))

    facts = credit_facts(credit_code=f" {CODE[:9]} {CODE[9:].lower()} ", as_of=AS_OF)

    assert facts[K.TAX_VIOLATION].value is True


def test_credit_facts_is_one_query(django_assert_num_queries):
    for kind in K.values:
        event(kind, date(2025, 1, 1))

    with django_assert_num_queries(1):
        facts = credit_facts(credit_code=CODE, as_of=AS_OF)

    assert set(facts) == {*K.values, "inspection_problem_rectified"}


@pytest.mark.parametrize(
    ("as_of", "start"),
    [
        pytest.param(date(2026, 3, 1), date(2023, 3, 1), id="ordinary"),
        pytest.param(date(2028, 2, 29), date(2025, 2, 28), id="leap-day"),
    ],
)
def test_window_starts_three_years_before(as_of, start):
    assert window_start(as_of) == start
