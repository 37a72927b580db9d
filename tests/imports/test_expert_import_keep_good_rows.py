"""With rows in error nothing is written, unless the user explicitly keeps the good rows."""

import pytest

from greenmfg.core.errors import DomainError
from greenmfg.core.imports.services import import_apply, import_upload
from reviews.models import ExpertMembership
from tests.factories.expert_imports import expert_row, experts_xlsx

pytestmark = pytest.mark.django_db


def test_keep_good_rows_writes_only_the_good_ones(demo):
    official = demo["luoyang-city"]
    rows = [expert_row(姓名="好"), expert_row(姓名="坏", 专业领域="化学"), expert_row(姓名="也好")]
    run = import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=official)
    assert (run.new, run.errors) == (2, 1)
    with pytest.raises(DomainError, match="仅导入无错误的 2 行"):
        import_apply(run=run, actor=official)
    assert not ExpertMembership.objects.filter(authority=official.organisation).exists()

    run = import_apply(run=run, actor=official, keep_good_rows=True)

    assert (run.state, run.written, run.keep_good_rows) == ("applied", 2, True)
    names = set(
        ExpertMembership.objects.filter(authority=official.organisation).values_list(
            "expert__full_name", flat=True
        )
    )
    assert names == {"好", "也好"}
