"""Long documents at scale (issue 16.3, 16.5): one filter check for every document, an export
shared only within the asker's scope, expired documents deleted with their files, workers that
give memory back, and the compose file that runs two web and two worker containers on shared
storage.

The build itself (retries, the progress page, parts and merge) is in test_export_documents.py
and tests/registry/test_list_pdf.py; two real workers building one PDF in
tests/services/test_document_workers.py.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenmfg.accounts.models import User
from greenmfg.celery import app
from greenmfg.core import clock, documents
from greenmfg.core.export import Column, choice_label, export_rows, write_xlsx
from greenmfg.core.models import GeneratedDocument
from greenmfg.core.tasks import task_delete_expired_documents
from greenmfg.directory.models import Organisation
from greenmfg.directory.views import OrganisationListView
from registry.services import document as registry_documents
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
ORGANISATIONS = "directory:organisation-list"


# --- one filter check for every document -------------------------------------------------------


@pytest.mark.django_db
def test_the_list_pdf_and_the_exports_refuse_a_filter_with_the_same_check(client, demo):
    pdf = client.get("/mingdan/pdf/", {"levle": "city"}).content.decode()
    bad_year = client.get("/mingdan/pdf/", {"year": "abc"}).content.decode()
    client.force_login(demo["luoyang-county"])
    export = client.get(reverse(ORGANISATIONS), {"levle": "x", "export": "xlsx"})
    [message] = list(get_messages(export.wsgi_request))

    assert pdf.startswith("无法生成 PDF：筛选条件“levle”不存在。请返回列表页面")
    assert str(message).startswith("无法导出：筛选条件“levle”不存在。请返回列表页面")
    # The invalid value is named with its field, as the exports always did.
    assert "无法生成 PDF：筛选条件有误（年度：" in bad_year


@pytest.mark.django_db
def test_the_public_lists_csv_refuses_an_unknown_filter_rather_than_export_everything(client):
    response = client.get(reverse("registry:public-list"), {"levle": "city", "export": "csv"})

    assert response.status_code == 400
    assert "筛选条件“levle”不存在" in response.content.decode()


@pytest.mark.django_db
def test_the_list_pdf_accepts_every_filter_of_the_public_list(demo):
    params = {"q": "绿色", "level": "city", "year": "2025", "status": "all", "page": "2"}

    assert registry_documents.filter_refusal(params) is None


# --- an export is shared within the asker's scope only -------------------------------------


@pytest.fixture
def county_user(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    for number in range(3):
        OrganisationFactory(jurisdiction=county, name=f"范围导出{number:02d}公司")
    return demo["luoyang-county"]


@pytest.mark.django_db
def test_a_user_moved_to_another_bureau_meanwhile_gets_a_new_build_of_the_new_scope(
    client, demo, county_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client.force_login(county_user)
    query = {"q": "范围导出", "export": "xlsx"}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get(reverse(ORGANISATIONS), query)
        county_user.organisation = demo["luoyang-city"].organisation
        county_user.role = demo["luoyang-city"].role
        county_user.save(update_fields=["organisation", "role"])
        second = client.get(reverse(ORGANISATIONS), query)

    assert first.url != second.url and len(queued) == 2
    old, new = GeneratedDocument.objects.order_by("pk")
    assert old.key != new.key and old.created_by == new.created_by == county_user


@pytest.mark.django_db
def test_two_users_of_one_bureau_do_not_share_an_export(
    client, demo, county_user, settings, django_capture_on_commit_callbacks
):
    """Each sees only their own document (document_views), so sharing would hand one a 404."""
    settings.EXPORT_SYNC_MAX_ROWS = 1
    colleague = User.objects.create_user(
        username="county-colleague",
        password="x",
        role=county_user.role,
        organisation=county_user.organisation,
    )
    query = {"q": "范围导出", "export": "xlsx"}
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(county_user)
        mine = client.get(reverse(ORGANISATIONS), query)
        client.force_login(colleague)
        theirs = client.get(reverse(ORGANISATIONS), query)

    assert mine.url != theirs.url and GeneratedDocument.objects.count() == 2
    assert client.get(theirs.url).status_code == 200
    assert client.get(mine.url).status_code == 404


# --- expired documents are deleted with their files ------------------------------------------


def stored(kind: str, *, days_old: int, parts: int = 0, status="done") -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        token=f"t-{kind}-{days_old}-{status}",
        key=documents.document_key(kind, days_old, status),
        kind=kind,
        title="名单",
        status=status,
    )
    if status == "done":
        document.file = default_storage.save(f"generated/{document.token}.pdf", ContentFile(b"%"))
    document.parts_done = {
        str(index): {
            "file": default_storage.save(
                f"generated/parts/{document.token}-{index}.pdf", ContentFile(b"%")
            ),
            "worker": "w:1",
        }
        for index in range(parts)
    }
    document.save()
    created = clock.now() - timedelta(days=days_old, minutes=1)
    GeneratedDocument.objects.filter(pk=document.pk).update(created_at=created)
    return document


@pytest.mark.django_db
def test_documents_older_than_the_retention_are_deleted_with_their_files(settings):
    settings.DOCUMENT_RETENTION_DAYS = 7
    old = stored(registry_documents.LIST_PDF, days_old=7)
    stuck = stored(registry_documents.LIST_PDF, days_old=8, parts=2, status="running")
    recent = stored(registry_documents.LIST_PDF, days_old=6)
    published = stored(registry_documents.PUBLISHED_LIST_PDF, days_old=400)
    files = [old.file.name, *(entry["file"] for entry in stuck.parts_done.values())]

    assert task_delete_expired_documents.delay().get() == 2

    assert set(GeneratedDocument.objects.values_list("pk", flat=True)) == {recent.pk, published.pk}
    assert not any(default_storage.exists(name) for name in files)
    assert default_storage.exists(recent.file.name) and default_storage.exists(published.file.name)
    assert documents.delete_expired_documents() == 0


@pytest.mark.django_db
def test_the_retention_is_a_setting(settings):
    settings.DOCUMENT_RETENTION_DAYS = 30
    stored(registry_documents.LIST_PDF, days_old=8)

    assert documents.delete_expired_documents() == 0
    settings.DOCUMENT_RETENTION_DAYS = 1
    assert documents.delete_expired_documents() == 1


@pytest.mark.django_db
def test_a_file_the_storage_cannot_delete_keeps_its_row_for_the_next_night(settings, monkeypatch):
    settings.DOCUMENT_RETENTION_DAYS = 7
    kept = stored(registry_documents.LIST_PDF, days_old=9)
    gone = stored(registry_documents.LIST_PDF, days_old=10)
    real_delete = default_storage.delete

    def delete(name):
        if name == kept.file.name:
            raise RuntimeError("S3 answered 503")
        real_delete(name)

    monkeypatch.setattr(default_storage, "delete", delete)

    deleted = documents.delete_expired_documents()
    monkeypatch.undo()

    assert deleted == 1
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(gone.file.name)


def test_the_expired_documents_are_deleted_nightly():
    entry = app.conf.beat_schedule["documents-delete-expired"]
    assert entry["task"] == task_delete_expired_documents.name


# --- settings: workers give memory back; storage is chosen by the environment ----------------


def settings_in_a_fresh_process(**env) -> dict:
    """Settings as a process started with ``env`` reads them (settings are read at import)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from django.core.files.storage import storages; d = storages['default']; "
        "print(json.dumps({'memory': s.CELERY_WORKER_MAX_MEMORY_PER_CHILD, "
        "'tasks': s.CELERY_WORKER_MAX_TASKS_PER_CHILD, 'retention': s.DOCUMENT_RETENTION_DAYS, "
        "'storage': type(d).__name__, 'bucket': getattr(d, 'bucket_name', None), "
        "'endpoint': getattr(d, 'endpoint_url', None), "
        "'style': getattr(d, 'addressing_style', None)}))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "greenmfg.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_workers_give_memory_back_and_files_stay_local_by_default():
    read = settings_in_a_fresh_process()

    assert read["memory"] == 250 * 1024 and read["tasks"] == 100
    assert read["retention"] == 7 and read["storage"] == "FileSystemStorage"


def test_the_environment_selects_s3_compatible_storage_and_the_worker_limits():
    read = settings_in_a_fresh_process(
        AWS_STORAGE_BUCKET_NAME="greenmfg",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID="greenmfg",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        CELERY_WORKER_MAX_MEMORY_PER_CHILD="300000",
        CELERY_WORKER_MAX_TASKS_PER_CHILD="20",
    )

    assert (read["storage"], read["bucket"], read["endpoint"], read["style"]) == (
        "S3Storage",
        "greenmfg",
        "http://minio:9000",
        "path",
    )
    assert (read["memory"], read["tasks"]) == (300000, 20)


# --- scale-out: docker-compose.yml -----------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_two_web_and_two_worker_containers_on_one_database_and_broker(compose):
    services = compose["services"]

    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "replicas" not in services["beat"].get("deploy", {})  # one beat: no task sent twice
    assert services["db"]["image"] == "postgres:15" and services["redis"]["image"] == "redis:7"
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].endswith("@db:5432/greenmfg")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
    # Only the proxy publishes a port: two web containers cannot both bind 8000.
    assert "ports" not in services["web"] and services["proxy"]["ports"] == ["8000:80"]
    assert (ROOT / "scripts" / "deploy" / "nginx.conf").exists()


def test_compose_keeps_no_file_on_a_containers_own_disk(compose):
    services = compose["services"]

    for name in ("migrate", "web", "worker", "beat"):
        service = services[name]
        assert not service.get("volumes"), f"{name} must not keep files on a volume of its own"
        env = service["environment"]
        assert env["AWS_STORAGE_BUCKET_NAME"] and env["AWS_S3_ENDPOINT_URL"]
    # The web and worker containers start once the bucket exists and the database is migrated.
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["bucket"]["condition"] == "service_completed_successfully"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["minio"]["image"].startswith("minio/minio")


# --- a failed part: retried, then reported; never a partial file -------------------------------


@pytest.fixture
def parted():
    """A document kind of three parts whose part 1 fails ``failures`` times, and its merges."""

    class flaky:
        failures = 0
        merge_fails = False
        calls: list[int] = []

    def part(document, index):
        flaky.calls.append(index)
        if index == 1 and flaky.calls.count(1) <= flaky.failures:
            raise OSError("WeasyPrint ran out of memory")
        return f"<{index}>".encode()

    def merge(document, parts, target, progress):
        if flaky.merge_fails:
            raise OSError("disk full")
        with open(target, "wb") as whole:
            for opened in parts:
                whole.write(opened.read())

    documents.register_builder(
        "parted", documents.Builder(parts=lambda document: 3, part=part, merge=merge)
    )
    yield flaky
    documents._builders.pop("parted", None)


def request_parted(captured) -> GeneratedDocument:
    with captured(execute=True):
        document = documents.request_document(
            kind="parted",
            key=documents.document_key("parted"),
            title="名单",
            params={},
            rows=3,
            extension="pdf",
        )
    document.refresh_from_db()
    return document


@pytest.mark.django_db
def test_a_part_that_fails_once_is_retried_and_the_whole_document_is_merged(
    client, parted, django_capture_on_commit_callbacks
):
    parted.failures = 1

    document = request_parted(django_capture_on_commit_callbacks)

    assert parted.calls.count(1) == 2 and document.status == "done"
    assert document.file.read() == b"<0><1><2>"
    assert client.get(reverse("document-file", args=[document.token])).status_code == 200


@pytest.mark.django_db
def test_while_a_part_is_retried_the_progress_page_says_so_and_offers_nothing(client):
    document = GeneratedDocument.objects.create(
        token="retrying", key="k-retrying", kind="parted", title="名单", status="running"
    )

    documents.note_retry(document.pk, attempt=1, error=OSError("WeasyPrint ran out of memory"))

    page = client.get(reverse("document-status", args=[document.token])).content.decode()
    assert "第 1 次生成出错，正在重试" in page
    assert reverse("document-file", args=[document.token]) not in page
    assert client.get(reverse("document-file", args=[document.token])).status_code == 404


@pytest.mark.django_db
def test_a_merge_that_keeps_failing_offers_no_file_and_keeps_no_part(
    client, parted, django_capture_on_commit_callbacks
):
    parted.merge_fails = True

    document = request_parted(django_capture_on_commit_callbacks)

    assert document.status == "failed" and not document.file
    assert document.attempts == 1 + documents.MAX_RETRIES and "disk full" in document.error
    assert not any(
        default_storage.exists(documents.part_file(entry)) for entry in document.parts_done.values()
    )
    page = client.get(reverse("document-status", args=[document.token])).content.decode()
    assert "生成失败（已尝试 3 次）" in page
    assert client.get(reverse("document-file", args=[document.token])).status_code == 404


# --- Excel: a choice's label at the cost of a look-up ----------------------------------------


@pytest.mark.django_db
def test_choice_label_reads_as_get_display_in_the_active_language(demo):
    organisations = list(Organisation.objects.all()[:50])
    read = choice_label(Organisation, "kind")

    assert [read(o) for o in organisations] == [o.get_kind_display() for o in organisations]
    with translation.override("en"):
        assert [read(o) for o in organisations] == [o.get_kind_display() for o in organisations]


@pytest.mark.django_db
def test_rows_read_as_values_give_the_columns_what_model_instances_give(demo):
    queryset = Organisation.objects.select_related("jurisdiction__parent").order_by("name", "pk")
    columns = OrganisationListView.export_columns

    as_values = [
        [column.value(row) for column in columns]
        for row in export_rows(queryset, OrganisationListView.export_fields)
    ]
    as_models = [[column.value(row) for column in columns] for row in export_rows(queryset)]

    assert as_values == as_models and len(as_values) == queryset.count()
    assert any(row[3] and " · " not in row[3] for row in as_values)  # a province: no parent


@pytest.mark.django_db
def test_a_workbook_has_the_labels_of_the_language_it_is_written_in(demo, tmp_path):
    organisation = Organisation.objects.exclude(kind="").first()
    columns = [Column("类别", choice_label(Organisation, "kind"))]
    labels = {}
    for language in ("zh-hans", "en"):
        path = tmp_path / f"{language}.xlsx"
        with translation.override(language):
            write_xlsx(path, title="t", columns=columns, rows=[organisation])
            labels[language] = organisation.get_kind_display()
        assert load_workbook(path).worksheets[0]["A2"].value == labels[language]
