"""The officials' credit-data pages and API: upload, results, lists, template, refusals."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import CreditEvent, CreditImport
from applications.services.credit import credit_import
from tests.factories import valid_credit_code
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "单位名称", "事件类型", "发生日期", "移出/整改完成日期", "说明"]
NON_OFFICIALS = ["luoyang-enterprise", "luoyang-agency", "luoyang-expert", "luoyang-env"]
PAGES = [
    ("applications:credit-import-list", []),
    ("applications:credit-import-create", []),
    ("applications:credit-event-list", []),
    ("applications:credit-template", []),
]


def csv_upload(rows, *, name="credit.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def import_by(user, rows, *, source="信用中国") -> CreditImport:
    return credit_import(actor=user, uploaded_file=csv_upload(rows), source=source)


def event_rows(count, *, kind="经营异常名单", occurred_on="2025-01-01"):
    return [[valid_credit_code(), f"单位{n}", kind, occurred_on, "", ""] for n in range(count)]


# --- Upload page ---


def test_upload_page_imports_and_redirects_to_results_with_refused_rows(client, demo):
    client.force_login(demo["luoyang-county"])
    good = valid_credit_code()
    upload = csv_upload(
        [
            [good, "洛阳甲公司", "失信被执行人", "2025-02-01", "", ""],
            [good, "洛阳甲公司", "偷电", "2025-02-01", "", ""],
        ]
    )

    response = client.post(
        reverse("applications:credit-import-create"), {"file": upload, "source": "信用中国"}
    )

    record = CreditImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("applications:credit-import-detail", args=[record.pk])
    body = client.get(response.url).content.decode()
    assert "credit.csv" in body and "信用中国" in body
    assert "<dd>2</dd>" in body and "<dd>1</dd>" in body  # total, imported, refused
    assert '<td class="num">3</td>' in body and "「偷电」无法识别" in body
    assert "导入信用数据" in body  # the audit trail


def test_upload_page_shows_a_bad_file_refusal_on_the_form(client, demo):
    client.force_login(demo["luoyang-county"])
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4")

    response = client.post(
        reverse("applications:credit-import-create"), {"file": upload, "source": "信用中国"}
    )

    assert response.status_code == 200
    assert "只能导入 CSV（.csv）或 Excel（.xlsx）" in response.content.decode()
    assert not CreditImport.objects.exists()


def test_upload_page_shows_empty_file_refusal(client, demo):
    client.force_login(demo["luoyang-county"])

    response = client.post(
        reverse("applications:credit-import-create"),
        {"file": SimpleUploadedFile("empty.csv", b""), "source": "信用中国"},
    )

    assert "「empty.csv」是空的" in response.content.decode()


def test_upload_page_offers_sources_and_the_template(client, demo):
    client.force_login(demo["luoyang-county"])

    body = client.get(reverse("applications:credit-import-create")).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert '<option value="国家企业信用信息公示系统">' in body
    assert reverse("applications:credit-template") in body


# --- Refusals ---


@pytest.mark.parametrize("username", NON_OFFICIALS)
@pytest.mark.parametrize(("name", "args"), PAGES, ids=[name for name, _ in PAGES])
def test_non_officials_are_refused_every_page(client, demo, username, name, args):
    client.force_login(demo[username])

    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("username", NON_OFFICIALS)
def test_non_officials_are_refused_the_import_detail_and_upload(client, demo, username):
    record = import_by(demo["luoyang-county"], event_rows(1))
    client.force_login(demo[username])

    detail = client.get(reverse("applications:credit-import-detail", args=[record.pk]))
    upload = client.post(
        reverse("applications:credit-import-create"),
        {"file": csv_upload(event_rows(1)), "source": "信用中国"},
    )

    assert detail.status_code == 403 and upload.status_code == 403
    assert CreditImport.objects.count() == 1


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(reverse("applications:credit-import-list"))

    assert response.status_code == 302 and reverse("login") in response.url


def test_another_countys_import_is_not_found(client, demo):
    record = import_by(demo["luoyang-county2"], event_rows(1))
    client.force_login(demo["luoyang-county"])

    page = client.get(reverse("applications:credit-import-detail", args=[record.pk]))
    api = client.get(f"/api/credit-imports/{record.pk}/")

    assert page.status_code == 404 and api.status_code == 404


@pytest.mark.parametrize("username", ["luoyang-city", "henan", "nation"])
def test_higher_levels_see_their_countys_imports(client, demo, username):
    record = import_by(demo["luoyang-county2"], event_rows(1))
    client.force_login(demo[username])

    assert (
        client.get(reverse("applications:credit-import-detail", args=[record.pk])).status_code
        == 200
    )
    assert client.get(f"/api/credit-imports/{record.pk}/").status_code == 200


def test_import_list_holds_only_the_officials_subtree(client, demo):
    own = import_by(demo["luoyang-county"], event_rows(1), source="本县来源")
    import_by(demo["luoyang-county2"], event_rows(1), source="邻县来源")
    import_by(demo["jinan-county"], event_rows(1), source="济南来源")

    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("applications:credit-import-list")).content.decode()
    api = client.get("/api/credit-imports/").json()

    assert "本县来源" in body and "邻县来源" not in body and "济南来源" not in body
    assert [row["id"] for row in api["results"]] == [own.pk]
    client.force_login(demo["luoyang-city"])
    sources = {row["source"] for row in client.get("/api/credit-imports/").json()["results"]}
    assert sources == {"本县来源", "邻县来源"}


def test_import_list_shows_counts_of_each_import(client, demo):
    import_by(demo["luoyang-county"], [*event_rows(3), ["", "", "偷电", "2025-01-01", "", ""]])
    client.force_login(demo["luoyang-county"])

    response = client.get(reverse("applications:credit-import-list"))

    row = response.context["imports"][0]
    assert (row.rows_total, row.rows_imported, row.rows_refused) == (4, 3, 1)
    assert '<td class="num">4</td>' in response.content.decode()


def test_import_list_filters_by_jurisdiction_and_own_imports(client, demo):
    import_by(demo["luoyang-county"], event_rows(1), source="县里导入")
    import_by(demo["luoyang-city"], event_rows(1), source="市里导入")
    client.force_login(demo["luoyang-city"])

    by_county = client.get(reverse("applications:credit-import-list"), {"jurisdiction": "410311"})
    mine = client.get("/api/credit-imports/", {"mine": "true"}).json()

    assert "县里导入" in by_county.content.decode()
    assert "市里导入" not in by_county.content.decode()
    assert [row["source"] for row in mine["results"]] == ["市里导入"]


# --- Events list ---


def test_events_list_filters_by_code_kind_and_dates(client, demo):
    code = valid_credit_code()
    import_by(
        demo["luoyang-county"],
        [
            [code, "目标公司", "安全事故", "2024-05-01", "", "甲事故"],
            [code, "目标公司", "质量事故", "2025-05-01", "", "乙事故"],
            [valid_credit_code(), "别家公司", "安全事故", "2024-05-01", "", "丙事故"],
        ],
    )
    client.force_login(demo["jinan-county"])  # credit data is public record to every official
    url = reverse("applications:credit-event-list")

    by_code = client.get(url, {"credit_code": code.lower()}).content.decode()
    by_kind = client.get(url, {"kind": "accident_safety"}).content.decode()
    by_dates = client.get(
        url, {"occurred_after": "2025-01-01", "occurred_before": "2025-12-31"}
    ).content.decode()

    assert "甲事故" in by_code and "乙事故" in by_code and "丙事故" not in by_code
    assert "甲事故" in by_kind and "丙事故" in by_kind and "乙事故" not in by_kind
    assert "乙事故" in by_dates and "甲事故" not in by_dates


def test_events_api_filters_by_code_and_kind(client, demo):
    code = valid_credit_code()
    import_by(
        demo["luoyang-county"],
        [
            [code, "", "安全事故", "2024-05-01", "", ""],
            [code, "", "失信被执行人", "2025-05-01", "", ""],
            [valid_credit_code(), "", "安全事故", "2024-05-01", "", ""],
        ],
    )
    client.force_login(demo["dalian-county"])

    rows = client.get(
        "/api/credit-events/", {"credit_code": code, "kind": "dishonest_judgment_debtor"}
    ).json()["results"]

    assert [(row["credit_code"], row["kind_display"]) for row in rows] == [(code, "失信被执行人")]


@pytest.mark.parametrize("username", NON_OFFICIALS)
def test_non_officials_are_refused_the_api(client, demo, username):
    record = import_by(demo["luoyang-county"], event_rows(1))
    client.force_login(demo[username])

    assert client.get("/api/credit-events/").status_code == 403
    assert client.get("/api/credit-imports/").status_code == 403
    assert client.get(f"/api/credit-imports/{record.pk}/").status_code == 403
    upload = client.post(
        "/api/credit-imports/", {"file": csv_upload(event_rows(1)), "source": "信用中国"}
    )
    assert upload.status_code == 403
    assert CreditImport.objects.count() == 1


def test_anonymous_gets_nothing_from_the_credit_api(client, demo):
    assert client.get("/api/credit-events/").status_code in (401, 403)
    assert client.get("/api/credit-imports/").status_code in (401, 403)


# --- API upload ---


def test_api_upload_answers_201_with_counts_and_errors(client, demo):
    client.force_login(demo["luoyang-county"])
    code = valid_credit_code()
    upload = csv_upload(
        [
            [code, "", "环境污染事故", "2025-03-01", "", ""],
            [code, "", "环境污染事故", "2025-03-01", "2024-01-01", ""],
        ]
    )

    response = client.post("/api/credit-imports/", {"file": upload, "source": "生态环境部门"})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rows_total"], body["rows_imported"], body["rows_refused"]) == (2, 1, 1)
    assert body["errors"][0]["line"] == 3 and "早于发生日期" in body["errors"][0]["message"]
    assert body["jurisdiction"] == "410311" and body["source"] == "生态环境部门"
    assert CreditEvent.objects.get(credit_code=code).source == "生态环境部门"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param("report.pdf", b"%PDF-1.4", "只能导入 CSV", id="type"),
        pytest.param("empty.csv", b"", "是空的", id="empty"),
        pytest.param("x.csv", "甲,乙\r\n1,2\r\n".encode(), "缺少必填列", id="header"),
    ],
)
def test_api_upload_of_a_bad_file_answers_400_with_message(client, demo, name, content, expected):
    client.force_login(demo["luoyang-county"])

    response = client.post(
        "/api/credit-imports/", {"file": SimpleUploadedFile(name, content), "source": "信用中国"}
    )

    assert response.status_code == 400
    assert expected in field_errors(response)["file"][0]
    assert not CreditImport.objects.exists()


def test_api_upload_without_a_file_answers_400(client, demo):
    client.force_login(demo["luoyang-county"])

    response = client.post("/api/credit-imports/", {"source": "信用中国"})

    assert response.status_code == 400 and "file" in field_errors(response)


def test_sysadmin_without_jurisdiction_may_not_upload_by_api(client, demo):
    client.force_login(demo["admin"])

    response = client.post(
        "/api/credit-imports/", {"file": csv_upload(event_rows(1)), "source": "信用中国"}
    )

    assert response.status_code == 403
    assert "只有工信部门可以导入信用数据" in response.json()["detail"]


# --- Template ---


def test_template_is_a_utf8_bom_csv_with_chinese_header_and_an_importable_example(client, demo):
    client.force_login(demo["luoyang-county"])

    response = client.get(reverse("applications:credit-template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER and len(rows) == 2
    record = credit_import(
        actor=demo["luoyang-county"],
        uploaded_file=SimpleUploadedFile("template.csv", response.content),
        source="信用中国",
    )
    assert (record.rows_imported, record.errors) == (1, [])


# --- Query bounds ---


def test_import_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    county = demo["luoyang-county"]
    for _ in range(5):
        import_by(county, event_rows(1))
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("applications:credit-import-list"))
    for _ in range(45):
        import_by(county, event_rows(1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("applications:credit-import-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/credit-imports/")


def test_event_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    county = demo["luoyang-county"]
    for _ in range(5):
        import_by(county, event_rows(1))
    client.force_login(demo["luoyang-county"])
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("applications:credit-event-list"))
    for _ in range(45):
        import_by(county, event_rows(1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("applications:credit-event-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/credit-events/")


def test_import_detail_queries_do_not_grow_with_refused_rows(
    client, demo, django_assert_max_num_queries
):
    county = demo["luoyang-county"]
    few = import_by(county, [[valid_credit_code(), "", "偷电", "2025-01-01", "", ""]] * 5)
    many = import_by(county, [[valid_credit_code(), "", "偷电", "2025-01-01", "", ""]] * 50)
    client.force_login(county)
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("applications:credit-import-detail", args=[few.pk]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("applications:credit-import-detail", args=[many.pk]))
    assert response.context["rows_refused"] == 50
    assert len(response.context["refused"]) == 50


def test_event_list_shows_source_and_import_date(client, demo):
    code = valid_credit_code()
    import_by(demo["luoyang-county"], [[code, "甲公司", "工商注销", "2025-01-01", "", ""]])
    client.force_login(demo["luoyang-county"])

    body = client.get(
        reverse("applications:credit-event-list"), {"credit_code": code}
    ).content.decode()

    assert "工商注销" in body and "信用中国" in body
    assert timezone.localdate().isoformat() in body
