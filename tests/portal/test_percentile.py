"""Percentile: percentile_cont on PostgreSQL, the same interpolation on SQLite."""

import pytest

from dynamic_mgmt.models import AnnualTable
from greenmfg.core.queries import Percentile, percentile_cont
from tests.factories import AnnualTableFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.5, None), ([3], 0.25, 3), ([1, 2, 3, 4], 0.5, 2.5), ([4, 1, 2, 3], 0.75, 3.25)],
    ids=["none", "one", "even-median", "unsorted-q3"],
)
def test_percentile_cont_in_python(values, fraction, expected):
    assert percentile_cont(values, fraction) == expected


def test_percentile_in_the_database_matches_python(demo):
    for n, year in enumerate((2025, 2025, 2025, 2026)):
        AnnualTableFactory(year=year, notes=str(n))
    rows = (
        AnnualTable.objects.order_by()
        .values("year")
        .annotate(
            q1=Percentile("listing_id", 0.25),
            median=Percentile("listing_id", 0.5),
        )
        .order_by("year")
    )
    ids = sorted(AnnualTable.objects.filter(year=2025).values_list("listing_id", flat=True))

    first = rows.first()
    assert first["median"] == pytest.approx(percentile_cont(ids, 0.5))
    assert first["q1"] == pytest.approx(percentile_cont(ids, 0.25))


def test_a_fraction_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        Percentile("year", 1.5)
