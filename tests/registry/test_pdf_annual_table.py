"""动态管理表 as PDF: the unit's table for a year with the indicators' labels and units, the
filing time, the late flag and the attachments' SHA-256 — for the unit and the officials over it
only, as on the table's page."""

import io

import pytest
from pypdf import PdfReader

from dynamic_mgmt.services import table as table_services
from tests.applications.helpers import pdf_upload
from tests.dynamic_mgmt.test_annual_tables import (
    DAY_AFTER,
    YEAR,
    file_table,
    filer_of,
    listed,
    open_window,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def url_of(listing) -> str:
    return f"/dynamic/tables/{listing.pk}/{YEAR}/table.pdf"


def test_the_table_pdf_holds_indicators_units_late_flag_and_checksums(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    attachment = table_services.table_attach(
        listing=listing,
        year=YEAR,
        actor=filer_of(listing),
        upload=pdf_upload("能源审计报告.pdf"),
        today=DAY_AFTER,
    )
    table = file_table(listing, today=DAY_AFTER)
    assert table.late
    client.force_login(demo["luoyang-enterprise"])

    page = client.get(f"/dynamic/tables/{listing.pk}/{YEAR}/").content.decode()
    assert url_of(listing) in page
    text = text_of(client.get(url_of(listing)))

    joined = text.replace("\n", "").replace(" ", "")
    assert f"{YEAR}年度绿色制造名单单位动态管理表" in joined
    assert listing.unit_name in joined and listing.credit_code in joined
    assert "单位产品综合能耗" in joined and "千克标准煤/单位产品" in joined
    assert "12.5" in joined and "95.5%" in joined
    assert "逾期填报" in joined and "2026-04-16" in joined
    assert "能源审计报告.pdf" in joined and attachment.sha256[:16] in joined
    assert "第 1 页" in text


def test_the_table_pdf_follows_the_table_pages_permissions(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    file_table(listing)
    url = url_of(listing)

    assert client.get(url).status_code == 302  # the public: to the login
    client.force_login(demo["jinan-city"])
    assert client.get(url).status_code == 404
    client.force_login(demo["jinan-enterprise"])
    assert client.get(url).status_code == 404
    client.force_login(demo["luoyang-city"])
    assert client.get(url).status_code == 200
    # No table for a year that was never filed.
    assert client.get(f"/dynamic/tables/{listing.pk}/{YEAR - 1}/table.pdf").status_code == 404
