"""Every expert import is audited: the run (file, SHA-256, counts), each new account and each
member as expert_add records it."""

import pytest

from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.services import import_apply, import_upload
from reviews.models import ExpertMembership
from tests.factories.expert_imports import expert_row, experts_xlsx

pytestmark = pytest.mark.django_db


def test_the_run_the_account_and_the_member_are_on_the_trail(demo):
    official = demo["luoyang-city"]
    run = import_upload(kind="experts", uploaded=experts_xlsx([expert_row()]), actor=official)
    run = import_apply(run=run, actor=official)
    trail = AuditEntry.objects.filter(object_id=str(run.pk), action__startswith="import_")
    actions = list(trail.order_by("pk").values_list("action", flat=True))
    assert actions == ["import_upload", "import_preview", "import_apply"]
    applied = trail.get(action="import_apply")
    assert applied.data["sha256"] == run.sha256 and applied.data["new"] == 1
    membership = ExpertMembership.objects.select_related("expert").get()
    account = AuditEntry.objects.get(object_id=str(membership.expert.pk), action="create")
    assert account.data["import_run"] == run.pk and account.data["row"] == 2
    assert account.actor_id == official.pk
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="create").exists()
