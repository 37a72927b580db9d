"""公示 and 公告 as PDF: the publicity notice while in publicity, the published list with its
document number once published (both public), and a removal announcement (public once removed:
it is announced anyway), each from the page it belongs to."""

import io

import pytest
from pypdf import PdfReader

from greenmfg.core.models import GeneratedDocument
from registry.models import Listing
from registry.services.document import PUBLISHED_LIST_PDF, queue_published_list
from reviews.services.publicity import objection_lodge, publicity_publish
from tests.dynamic_mgmt.dm_helpers import demo_listing, pinned_today
from tests.dynamic_mgmt.test_removals import incident_proposal, remove
from tests.reviews.publicity import OBJECTOR, end_period, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]
__all__ = ["pinned_today"]
LIST_NUMBER = "洛工信〔2026〕88号"
REMOVAL_NUMBER = "洛工信〔2026〕99号"


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def test_the_publicity_notice_lists_the_units_and_the_contact_but_no_scores(client, demo):
    publicity, [application] = in_publicity(demo, total="91")
    objection_lodge(item=publicity.items.get(), **OBJECTOR)
    url = f"/gongshi/{publicity.pk}/notice.pdf"

    page = client.get(f"/gongshi/{publicity.pk}/").content.decode()
    assert url in page and f"/gongshi/{publicity.pk}/list.pdf" not in page
    text = text_of(client.get(url))

    joined = flat(text)
    assert flat(publicity.title) in joined
    assert flat(application.organisation.name) in joined
    assert publicity.batch.authority.name in joined
    assert "0379-63900000" in joined and "绿色工厂" in joined
    assert application.jurisdiction.name in joined
    assert "第 1 页" in text
    assert "91" not in joined and "得分" not in joined
    assert OBJECTOR["name"] not in joined and "异议成立" not in joined
    # No list before it is published.
    assert client.get(f"/gongshi/{publicity.pk}/list.pdf").status_code == 404


def test_the_published_list_carries_its_document_number_and_the_units_by_type(client, demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    [listing] = publicity_publish(
        publicity=publicity, actor=demo["luoyang-city"], document_number=LIST_NUMBER
    )
    url = f"/gongshi/{publicity.pk}/list.pdf"

    assert url in client.get(f"/gongshi/{publicity.pk}/").content.decode()
    text = text_of(client.get(url))

    joined = flat(text)
    assert LIST_NUMBER in joined
    assert listing.listed_on.strftime("%Y年%-m月%-d日") in joined
    assert flat(listing.unit_name) in joined and listing.credit_code in joined
    assert "绿色工厂（1家）" in joined and "市级绿色制造名单" in joined
    assert "第 1 页" in text and publicity.batch.authority.name in joined


def test_unknown_publicity_documents_are_404(client, demo):
    assert client.get("/gongshi/999999/notice.pdf").status_code == 404
    assert client.get("/gongshi/999999/list.pdf").status_code == 404


def test_a_removal_announcement_is_public_once_the_unit_is_removed(client, demo, pinned_today):
    listing = demo_listing(demo)
    url = f"/mingdan/listings/{listing.pk}/removal.pdf"
    assert client.get(url).status_code == 404  # nothing to announce while it is listed

    proposal = incident_proposal(listing, demo["luoyang-county"])
    remove(proposal, demo["luoyang-city"], document_number=REMOVAL_NUMBER)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED

    assert url in client.get(f"/mingdan/units/{listing.organisation_id}/").content.decode()
    client.force_login(demo["luoyang-city"])
    assert url in client.get(f"/registry/listings/{listing.pk}/").content.decode()
    client.logout()
    text = text_of(client.get(url))

    joined = flat(text)
    assert REMOVAL_NUMBER in joined and listing.document_number in joined
    assert flat(listing.unit_name) in joined and listing.credit_code in joined
    assert "2026年11月27日" in joined
    assert proposal.article and flat(proposal.article) in joined
    assert "发生重大生产安全事故" not in joined  # the incident's own description stays internal
    assert "第 1 页" in text and listing.authority.name in joined


def test_the_published_list_is_built_once_at_publication_and_served_stored(
    client, demo, django_capture_on_commit_callbacks
):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)

    with django_capture_on_commit_callbacks(execute=True):
        [listing] = publicity_publish(
            publicity=publicity, actor=demo["luoyang-city"], document_number=LIST_NUMBER
        )

    stored = GeneratedDocument.objects.get(kind=PUBLISHED_LIST_PDF)
    assert stored.status == "done" and stored.params == {"publicity": publicity.pk}
    with stored.file.open("rb") as file:
        content = file.read()
    response = client.get(f"/gongshi/{publicity.pk}/list.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    served = b"".join(response.streaming_content)
    assert served == content  # the stored file, not laid out again
    joined = flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(served)).pages))
    assert LIST_NUMBER in joined and flat(listing.unit_name) in joined
    # Announced once, built once.
    queue_published_list(publicity, rows=1)
    assert GeneratedDocument.objects.filter(kind=PUBLISHED_LIST_PDF).count() == 1
