"""填报期: city, provincial and national bureaus (and administrators) set the window of their
jurisdiction for a level and a year; the dates are checked; the nearest window on a listing's
path governs it; a moved deadline relabels the tables filed under it; every change is audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.services import window as window_services
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.models import Jurisdiction

from .test_annual_tables import DEADLINE, OPENS, YEAR, bureau, file_table, listed, open_window

pytestmark = pytest.mark.django_db


def test_a_city_sets_the_window_of_its_jurisdiction(demo):
    window = open_window(demo["luoyang-city"], reminder_days=[7, 30, 1, 7])

    assert (window.jurisdiction.key, window.authority, window.level, window.year) == (
        "410300",
        bureau("410300"),
        "province",
        YEAR,
    )
    assert (window.opens_on, window.deadline) == (OPENS, DEADLINE)
    assert window.reminder_days == [30, 7, 1]  # sorted, once each
    assert window.citation == "洛阳 第十六条（4月15日前）"
    entry = AuditEntry.objects.get(object_id=str(window.pk), action="create")
    assert entry.data["deadline"] == "2026-04-15" and entry.actor == demo["luoyang-city"]


def test_province_national_and_administrator_set_windows_too(demo):
    assert open_window(demo["henan"], level="national").jurisdiction.key == "410000"
    assert open_window(demo["nation"], level="national", year=2024).jurisdiction.key == "CN"
    dalian = window_services.window_create(
        actor=demo["admin"],
        authority=bureau("210200"),
        level="national",
        year=YEAR,
        opens_on=datetime.date(2025, 10, 1),
        deadline=datetime.date(2025, 11, 15),
        citation="大连 通知（11月15日前）",
    )
    assert dalian.jurisdiction.key == "210200" and dalian.reminder_days == []
    with pytest.raises(ValidationError) as refused:
        window_services.window_create(
            actor=demo["admin"], level="city", year=YEAR, opens_on=OPENS, deadline=DEADLINE
        )
    assert "authority" in refused.value.message_dict


@pytest.mark.parametrize(
    "username", ["luoyang-county", "luoyang-enterprise", "luoyang-expert", "luoyang-agency"]
)
def test_counties_and_non_officials_set_no_window(demo, username):
    with pytest.raises(NotPermitted):
        open_window(demo[username])
    assert not FilingWindow.objects.exists()


def test_a_bureau_sets_windows_only_inside_its_jurisdiction(demo):
    with pytest.raises(ValidationError) as refused:
        open_window(demo["luoyang-city"], jurisdiction=Jurisdiction.objects.get(key="370100"))
    assert "不在" in refused.value.message_dict["jurisdiction"][0]
    with pytest.raises(NotPermitted):
        open_window(demo["luoyang-city"], authority=bureau("370100"))
    county_window = open_window(
        demo["luoyang-city"], jurisdiction=Jurisdiction.objects.get(key="410311")
    )
    assert county_window.authority == bureau("410300")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"deadline": OPENS}, "deadline", "须晚于开始填报日期"),
        ({"deadline": datetime.date(2025, 12, 1)}, "deadline", "须晚于开始填报日期"),
        ({"reminder_days": [7, 0]}, "reminder_days", "正整数"),
        ({"reminder_days": [-1]}, "reminder_days", "正整数"),
        ({"reminder_days": "7,abc"}, "reminder_days", "正整数"),
        ({"reminder_days": [400]}, "reminder_days", "365"),
        ({"reminder_days": [200]}, "reminder_days", "超过了填报期的长度"),
        ({"year": 1999}, "year", "有效的年度"),
        ({"level": "galactic"}, "level", "名单层级"),
    ],
)
def test_window_dates_and_reminders_are_checked(demo, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        open_window(demo["luoyang-city"], **changes)
    assert words in " ".join(refused.value.message_dict[field])


def test_reminders_may_be_typed_as_text(demo):
    window = open_window(demo["luoyang-city"], reminder_days="30，7, 1")
    assert window.reminder_days == [30, 7, 1]


def test_one_window_per_jurisdiction_level_and_year(demo):
    open_window(demo["luoyang-city"])

    with pytest.raises(ValidationError) as refused:
        open_window(demo["luoyang-city"])
    assert "已设置填报期" in refused.value.message_dict["year"][0]
    assert open_window(demo["luoyang-city"], level="national").level == "national"
    assert open_window(demo["luoyang-city"], year=YEAR + 1).year == YEAR + 1


def test_the_nearest_window_on_the_listing_path_governs(demo):
    province_window = open_window(demo["henan"], deadline=datetime.date(2026, 4, 30))
    in_luolong = listed(county="410311")
    in_yanshi = listed(county="410307")

    assert window_services.window_for(listing=in_luolong, year=YEAR) == province_window
    city_window = open_window(demo["luoyang-city"])
    assert window_services.window_for(listing=in_luolong, year=YEAR) == city_window
    county_window = open_window(
        demo["luoyang-city"],
        jurisdiction=Jurisdiction.objects.get(key="410307"),
        deadline=datetime.date(2026, 4, 10),
    )
    assert window_services.window_for(listing=in_yanshi, year=YEAR) == county_window
    assert window_services.window_for(listing=in_luolong, year=YEAR) == city_window
    # Another level, another year or another province has no window yet.
    assert window_services.window_for(listing=listed(level="city"), year=YEAR) is None
    assert window_services.window_for(listing=in_luolong, year=YEAR + 1) is None
    assert window_services.window_for(listing=listed(county="370102"), year=YEAR) is None


def test_only_the_bureau_that_set_it_edits_a_window_and_the_edit_is_audited(demo):
    window = open_window(demo["luoyang-city"])

    for username in ("luoyang-county", "henan", "jinan-city", "luoyang-enterprise"):
        with pytest.raises(NotPermitted):
            window_services.window_update(window=window, actor=demo[username], citation="改")
    window = window_services.window_update(
        window=window,
        actor=demo["luoyang-city"],
        deadline=datetime.date(2026, 4, 20),
        reminder_days="14,3",
    )
    assert window.deadline == datetime.date(2026, 4, 20) and window.reminder_days == [14, 3]
    entry = AuditEntry.objects.get(object_id=str(window.pk), action="update")
    assert entry.data["changes"]["deadline"] == ["2026-04-15", "2026-04-20"]
    with pytest.raises(TypeError):
        window_services.window_update(window=window, actor=demo["luoyang-city"], year=2030)
    assert (
        window_services.window_update(
            window=window, actor=demo["admin"], citation="管理员修改"
        ).citation
        == "管理员修改"
    )


def test_moving_the_deadline_relabels_the_tables_filed_under_it(demo):
    window = open_window(demo["luoyang-city"])
    on_time = file_table(listed(), today=datetime.date(2026, 4, 10))
    late = file_table(listed(), today=datetime.date(2026, 4, 17))
    assert (on_time.late, late.late) == (False, True)

    window_services.window_update(
        window=window, actor=demo["luoyang-city"], deadline=datetime.date(2026, 4, 17)
    )
    assert not AnnualTable.objects.filter(late=True).exists()

    window_services.window_update(
        window=window, actor=demo["luoyang-city"], deadline=datetime.date(2026, 4, 5)
    )
    assert AnnualTable.objects.filter(late=True).count() == 2
    entry = AuditEntry.objects.filter(object_id=str(window.pk), action="update").first()
    assert entry.data["relabelled"] == {"now_late": 2, "now_on_time": 0}


# --- the pages -----------------------------------------------------------------------------------


def test_a_city_official_sets_a_window_on_the_page(client, demo):
    client.force_login(demo["luoyang-city"])
    assert "设置填报期" in client.get("/dynamic/windows/").content.decode()

    response = client.post(
        "/dynamic/windows/new/",
        {
            "level": "province",
            "year": "2025",
            "opens_on": "2026-01-01",
            "deadline": "2025-12-31",
            "reminder_days": "30,7,1",
            "citation": "洛阳 第十六条",
        },
    )
    assert response.status_code == 200
    assert "须晚于开始填报日期" in response.content.decode()

    response = client.post(
        "/dynamic/windows/new/",
        {
            "level": "province",
            "year": "2025",
            "opens_on": "2026-01-01",
            "deadline": "2026-04-15",
            "reminder_days": "30,7,1",
            "citation": "洛阳 第十六条",
        },
    )
    assert response.status_code == 302
    window = FilingWindow.objects.get()
    assert window.jurisdiction.key == "410300" and window.reminder_days == [30, 7, 1]
    listing_page = client.get("/dynamic/windows/").content.decode()
    assert "2026-04-15" in listing_page and f"/dynamic/windows/{window.pk}/edit/" in listing_page

    response = client.post(
        f"/dynamic/windows/{window.pk}/edit/",
        {"opens_on": "2026-01-01", "deadline": "2026-04-16", "reminder_days": "7", "citation": ""},
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.deadline, window.reminder_days, window.level) == (
        datetime.date(2026, 4, 16),
        [7],
        "province",
    )


def test_window_pages_refuse_who_may_not(client, demo):
    window = open_window(demo["luoyang-city"])

    client.force_login(demo["luoyang-county"])  # reads, does not set
    page = client.get("/dynamic/windows/").content.decode()
    assert "2026-04-15" in page and f"/dynamic/windows/{window.pk}/edit/" not in page
    assert client.get("/dynamic/windows/new/").status_code == 403
    assert client.get(f"/dynamic/windows/{window.pk}/edit/").status_code == 403
    client.force_login(demo["jinan-city"])  # another city: not even in its list
    assert "2026-04-15" not in client.get("/dynamic/windows/").content.decode()
    assert client.get(f"/dynamic/windows/{window.pk}/edit/").status_code == 404
    client.force_login(demo["luoyang-enterprise"])
    assert client.get("/dynamic/windows/").status_code == 403
