"""名单证书 as PDF: one per active listing, public, from the unit's public page and the
officials' listing page; none for a removed listing."""

import io

import pytest
from pypdf import PdfReader

from registry.models import Listing
from tests.reviews.test_promotion import city_listing
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def test_a_jinan_certificate_holds_the_listing_and_its_three_year_term(client, demo):
    listing = city_listing(demo, city="jinan")
    url = f"/mingdan/listings/{listing.pk}/certificate.pdf"

    assert url in client.get(f"/mingdan/units/{listing.organisation_id}/").content.decode()
    client.force_login(demo["jinan-city"])
    assert url in client.get(f"/registry/listings/{listing.pk}/").content.decode()
    client.logout()
    text = text_of(client.get(url))

    joined = flat(text)
    assert "绿色制造名单证书" in joined
    assert flat(listing.unit_name) in joined and listing.credit_code in joined
    assert "市工信〔2026〕1号" in joined
    assert f"{listing.year}-{listing.pk:06d}" in joined
    assert listing.valid_until is not None
    assert listing.valid_until.isoformat() in joined
    assert listing.authority.name in joined and "市级" in joined and "绿色工厂" in joined
    assert "第 1 页" in text


def test_a_luoyang_certificate_has_no_term_and_a_removed_listing_none(client, demo):
    listing = city_listing(demo)
    url = f"/mingdan/listings/{listing.pk}/certificate.pdf"

    assert "未设期限" in flat(text_of(client.get(url)))

    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.REMOVED)
    assert client.get(url).status_code == 404
    assert url not in client.get(f"/mingdan/units/{listing.organisation_id}/").content.decode()
