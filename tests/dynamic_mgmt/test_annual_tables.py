"""动态管理表: the listed unit's users save a draft, attach files and file the table once; the
deadline day is on time, the day after is late (accepted, marked late); nobody else writes it.

The module also holds the arrangements the other table tests import.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment
from dynamic_mgmt.services import table as table_services
from dynamic_mgmt.services import window as window_services
from greenmfg.accounts.models import User
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from registry.models import Listing
from tests.applications.helpers import pdf_bytes, pdf_upload
from tests.dynamic_mgmt.dm_helpers import bureau
from tests.factories import ListingFactory, OrganisationFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db

YEAR = 2025
OPENS = datetime.date(2026, 1, 1)
DEADLINE = datetime.date(2026, 4, 15)  # 洛阳 第十六条
ON_DEADLINE = DEADLINE
DAY_AFTER = datetime.date(2026, 4, 16)
IN_WINDOW = datetime.date(2026, 3, 1)
FACTORY = {
    "energy_per_unit": "12.5",
    "water_per_unit": "3",
    "pollutant_per_unit": "0.08",
    "solid_waste_utilisation_rate": "95.5",
    "carbon_per_unit": "1.2",
    "renewable_energy_share": "20",
}
_serial = itertools.count(1)


# --- arrangements ------------------------------------------------------------------------------


def unit(county: str = "410311", name: str | None = None) -> Organisation:
    place = Jurisdiction.objects.get(key=county)
    return OrganisationFactory(
        jurisdiction=place,
        name=name or f"动态管理测试企业{next(_serial):04d}有限公司",
        credit_code=valid_credit_code(place.code or "410311"),
    )


def listed(
    organisation: Organisation | None = None,
    *,
    county: str = "410311",
    level: str = "province",
    unit_type: str = "factory",
    listed_on: datetime.date = datetime.date(2024, 6, 30),
    status: str = Listing.Status.ACTIVE,
    name: str | None = None,
) -> Listing:
    """A unit on a published list, entered directly (no batch)."""
    organisation = organisation or unit(county, name)
    keys = organisation.jurisdiction.path.strip("/").split("/")
    authority = {"national": keys[0], "province": keys[1], "city": keys[2]}.get(level, keys[-1])
    return ListingFactory(
        organisation=organisation,
        unit_type=unit_type,
        level=level,
        authority=bureau(authority),
        document_number="豫工信〔2024〕12号",
        listed_on=listed_on,
        status=status,
        created_by=User.objects.get(username="admin"),
    )


def open_window(
    actor: User | None = None,
    *,
    level: str = "province",
    year: int = YEAR,
    opens_on: datetime.date = OPENS,
    deadline: datetime.date = DEADLINE,
    **kwargs,
):
    actor = actor or User.objects.get(username="luoyang-city")
    return window_services.window_create(
        actor=actor,
        level=level,
        year=year,
        opens_on=opens_on,
        deadline=deadline,
        reminder_days=kwargs.pop("reminder_days", [30, 7, 1]),
        citation=kwargs.pop("citation", "洛阳 第十六条（4月15日前）"),
        **kwargs,
    )


def filer_of(listing: Listing) -> User:
    """A 申报人 of the listed organisation."""
    existing = User.objects.filter(organisation=listing.organisation, role="applicant").first()
    return existing or UserFactory(organisation=listing.organisation)


def file_table(listing: Listing, *, year: int = YEAR, today=IN_WINDOW, values=None, **kwargs):
    return table_services.table_file(
        listing=listing,
        year=year,
        actor=filer_of(listing),
        indicators=values or FACTORY,
        today=today,
        **kwargs,
    )


# --- filing --------------------------------------------------------------------------------------


def test_a_draft_keeps_what_is_entered_and_filing_completes_it(demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    filer = demo["luoyang-enterprise"]

    draft = table_services.table_save_draft(
        listing=listing,
        year=YEAR,
        actor=filer,
        indicators={"energy_per_unit": "12.5", "water_per_unit": ""},
        notes=" 口径同上年 ",
        today=IN_WINDOW,
    )

    assert (draft.status, draft.indicators, draft.notes) == (
        "draft",
        {"energy_per_unit": 12.5},
        "口径同上年",
    )
    assert draft.window.deadline == DEADLINE
    with pytest.raises(ValidationError) as refused:
        table_services.table_file(listing=listing, year=YEAR, actor=filer, today=IN_WINDOW)
    assert "请填写「单位产品取水量」。" in refused.value.message_dict["water_per_unit"]
    assert "energy_per_unit" not in refused.value.message_dict

    table = table_services.table_file(
        listing=listing, year=YEAR, actor=filer, indicators=FACTORY, today=IN_WINDOW
    )

    assert (table.status, table.late, table.filed_by) == ("filed", False, filer)
    assert table.indicators["solid_waste_utilisation_rate"] == 95.5
    assert AuditEntry.objects.filter(object_id=str(table.pk), action="save_draft").exists()
    entry = AuditEntry.objects.get(object_id=str(table.pk), action="file")
    assert entry.data["late"] is False and entry.to_state == "filed"


def test_a_bad_value_refuses_the_draft_with_a_message_per_field_and_keeps_the_old_one(demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    filer = demo["luoyang-enterprise"]
    table_services.table_save_draft(
        listing=listing, year=YEAR, actor=filer, indicators={"water_per_unit": "3"}, today=IN_WINDOW
    )

    with pytest.raises(ValidationError) as refused:
        table_services.table_save_draft(
            listing=listing,
            year=YEAR,
            actor=filer,
            indicators={"energy_per_unit": "-2", "solid_waste_utilisation_rate": "130"},
            today=IN_WINDOW,
        )

    errors = refused.value.message_dict
    assert errors["energy_per_unit"] == ["「单位产品综合能耗」不能为负数。"]
    assert "0 到 100" in errors["solid_waste_utilisation_rate"][0]
    assert AnnualTable.objects.get(listing=listing).indicators == {"water_per_unit": 3}


def test_filing_on_the_deadline_day_is_on_time(demo):
    listing = listed()
    open_window()

    table = file_table(listing, today=ON_DEADLINE)

    assert table.late is False
    assert timezone.localdate(table.filed_at) == ON_DEADLINE


def test_filing_the_day_after_is_accepted_and_marked_late_with_its_date(demo):
    listing = listed()
    open_window()

    table = file_table(listing, today=DAY_AFTER)

    assert (table.status, table.late) == ("filed", True)
    assert timezone.localdate(table.filed_at) == DAY_AFTER
    entry = AuditEntry.objects.get(object_id=str(table.pk), action="file")
    assert (
        entry.data["late"] is True
        and "2026-04-15" in entry.comment
        and "2026-04-16" in entry.comment
    )


def test_a_table_is_filed_once(demo):
    listing = listed()
    open_window()
    file_table(listing)

    with pytest.raises(DomainError) as refused:
        file_table(listing)
    assert refused.value.code == "already_filed"
    with pytest.raises(DomainError):
        table_services.table_save_draft(
            listing=listing, year=YEAR, actor=filer_of(listing), indicators={}, today=IN_WINDOW
        )


def test_filing_waits_for_the_window_and_needs_one(demo):
    listing = listed()

    with pytest.raises(DomainError) as refused:
        file_table(listing)
    assert refused.value.code == "no_window" and "尚未设置2025年度" in refused.value.message

    open_window()
    with pytest.raises(DomainError) as refused:
        file_table(listing, today=datetime.date(2025, 12, 31))
    assert refused.value.code == "window_not_open" and "2026-01-01" in refused.value.message


def test_only_the_listed_units_own_users_write_its_table(demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()

    for username in ("luoyang-enterprise2", "luoyang-county", "luoyang-city", "jinan-enterprise"):
        with pytest.raises(NotPermitted):
            table_services.table_save_draft(
                listing=listing, year=YEAR, actor=demo[username], indicators={}, today=IN_WINDOW
            )
    assert not AnnualTable.objects.exists()


def test_a_removed_unit_files_nothing(demo):
    listing = listed(status=Listing.Status.REMOVED)
    open_window()

    with pytest.raises(DomainError) as refused:
        file_table(listing)
    assert refused.value.code == "removed"


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_are_checked_by_content_and_stored_by_checksum(demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    filer = demo["luoyang-enterprise"]

    attachment = table_services.table_attach(
        listing=listing,
        year=YEAR,
        actor=filer,
        upload=pdf_upload("能源审计报告.pdf"),
        today=IN_WINDOW,
    )

    assert attachment.original_name == "能源审计报告.pdf" and len(attachment.sha256) == 64
    assert attachment.file.name.endswith(f"{attachment.sha256}.pdf")
    assert AnnualTable.objects.get(listing=listing).status == "draft"
    with pytest.raises(DomainError) as duplicate:
        table_services.table_attach(
            listing=listing, year=YEAR, actor=filer, upload=pdf_upload("副本.pdf"), today=IN_WINDOW
        )
    assert duplicate.value.code == "duplicate"
    fake = SimpleUploadedFile("报告.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as wrong:
        table_services.table_attach(
            listing=listing, year=YEAR, actor=filer, upload=fake, today=IN_WINDOW
        )
    assert "不是PDF、JPG 或 PNG 文件" in wrong.value.message_dict["file"][0]
    assert AuditEntry.objects.filter(action="attach", comment="能源审计报告.pdf").exists()


def test_attachments_download_only_for_those_who_read_the_table(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    attachment = table_services.table_attach(
        listing=listing,
        year=YEAR,
        actor=demo["luoyang-enterprise"],
        upload=pdf_upload(),
        today=IN_WINDOW,
    )
    url = f"/dynamic/tables/attachments/{attachment.pk}/"

    for username in ("luoyang-enterprise", "luoyang-county", "luoyang-city"):
        client.force_login(demo[username])
        response = client.get(url)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Disposition"].startswith("attachment")
    for username in ("luoyang-enterprise2", "luoyang-county2", "jinan-city"):
        client.force_login(demo[username])
        assert client.get(url).status_code == 404, username
    client.logout()
    assert client.get(url).status_code == 302


def test_a_draft_attachment_can_be_removed(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    attachment = table_services.table_attach(
        listing=listing,
        year=YEAR,
        actor=demo["luoyang-enterprise"],
        upload=pdf_upload(),
        today=IN_WINDOW,
    )

    client.force_login(demo["luoyang-county"])
    client.post(f"/dynamic/tables/attachments/{attachment.pk}/delete/")
    assert AnnualTableAttachment.objects.filter(pk=attachment.pk).exists()

    client.force_login(demo["luoyang-enterprise"])
    response = client.post(f"/dynamic/tables/attachments/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert not AnnualTableAttachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEntry.objects.filter(action="detach").exists()


# --- the pages -----------------------------------------------------------------------------------


def test_the_unit_fills_its_table_on_the_page_and_nothing_is_lost(client, demo, monkeypatch):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2099, 4, 15))
    client.force_login(demo["luoyang-enterprise"])
    url = f"/dynamic/tables/{listing.pk}/{YEAR}/"

    page = client.get(url).content.decode()
    assert "单位产品综合能耗" in page and "保存草稿" in page and "提交填报" in page

    response = client.post(
        url, {**FACTORY, "energy_per_unit": "-3", "carbon_per_unit": "", "action": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "「单位产品综合能耗」不能为负数。" in html
    assert 'value="-3"' in html and 'value="95.5"' in html  # as typed

    response = client.post(url, {**FACTORY, "carbon_per_unit": "", "action": "file"})
    assert response.status_code == 400
    assert "请填写「单位产品碳排放量」。" in response.content.decode()
    draft = AnnualTable.objects.get(listing=listing)
    assert draft.status == "draft" and draft.indicators["energy_per_unit"] == 12.5  # kept

    response = client.post(url, {**FACTORY, "action": "file"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "已按时填报" in page and "提交填报" not in page and "95.5%" in page


def test_the_page_warns_that_filing_after_the_deadline_is_marked_late(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2020, 4, 15))
    client.force_login(demo["luoyang-enterprise"])
    url = f"/dynamic/tables/{listing.pk}/{YEAR}/"

    page = client.get(url).content.decode()
    assert "已过" in page and "仍可提交" in page and "逾期填报" in page

    response = client.post(url, {**FACTORY, "action": "file"}, follow=True)
    html = response.content.decode()
    assert "记为逾期填报" in html and "是：" in html
    assert AnnualTable.objects.get(listing=listing).late is True


def test_officials_read_the_table_but_do_not_fill_it(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window()
    file_table(listing)
    url = f"/dynamic/tables/{listing.pk}/{YEAR}/"

    client.force_login(demo["luoyang-county"])
    page = client.get(url).content.decode()
    assert "95.5%" in page and "保存草稿" not in page
    assert client.post(url, {**FACTORY, "action": "save"}).status_code == 403
    client.force_login(demo["jinan-city"])
    assert client.get(url).status_code == 404
    client.force_login(demo["luoyang-enterprise2"])
    assert client.get(url).status_code == 404


def test_the_unit_sees_its_tables_and_the_dashboard_panel(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2099, 4, 15))
    client.force_login(demo["luoyang-enterprise"])

    mine = client.get("/dynamic/tables/mine/").content.decode()
    assert listing.unit_name in mine and "待填报" in mine
    assert f"/dynamic/tables/{listing.pk}/{YEAR}/" in mine
    dashboard = client.get("/dashboard/").content.decode()
    assert "动态管理表" in dashboard and f"/dynamic/tables/{listing.pk}/{YEAR}/" in dashboard
    assert 'href="/dynamic/tables/mine/"' in dashboard  # the menu

    client.force_login(demo["luoyang-enterprise2"])  # not listed: no panel, no rows
    assert f"/dynamic/tables/{listing.pk}/" not in client.get("/dashboard/").content.decode()
    assert listing.unit_name not in client.get("/dynamic/tables/mine/").content.decode()
