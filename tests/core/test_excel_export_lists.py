"""Every list page's ?export=xlsx: the headers of its table, exactly its filtered rows (every
page), its Chinese filename, its scope, its refusals and a constant number of queries."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import load_workbook

from applications.models import (
    CreditEvent,
    CreditImport,
    CultivationCandidate,
    IndustryReference,
)
from applications.views.applications import APPLICATION_EXPORT_COLUMNS, SCORE_COLUMNS
from applications.views.batches import BatchListView
from applications.views.credit import CreditEventListView, CreditImportListView
from applications.views.industry import IndustryReferenceListView
from applications.views.pool import PoolListView
from greenmfg.directory.models import Organisation
from greenmfg.directory.views import OrganisationListView
from reviews.views.expert import ExpertPoolListView, ExpertTaskListView
from tests.applications.helpers import city_batch
from tests.factories import (
    ApplicationFactory,
    ExpertAssignmentFactory,
    OrganisationFactory,
    ScoreSheetFactory,
    valid_credit_code,
)
from tests.reviews.test_expert_pool import luoyang_bureau, make_expert, member

pytestmark = pytest.mark.django_db


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def as_written(value):
    """What a column value reads back as from the workbook."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if value == "":
        return None
    return str(value) if isinstance(value, Promise) else value


def normalised(row: tuple) -> tuple:
    return tuple(
        value.replace(microsecond=0) if isinstance(value, datetime) else value for value in row
    )


def own_county(demo, username="luoyang-county"):
    return demo[username].organisation.jurisdiction


# --- arrangements, one per list ---------------------------------------------------------------


def make_pool(demo, count, start=0):
    county, keeper = own_county(demo), demo["luoyang-county"]
    for n in range(start, start + count):
        CultivationCandidate.objects.create(
            county=county,
            organisation=OrganisationFactory(jurisdiction=county, name=f"培育导出{n:02d}公司"),
            target_unit_type="factory",
            target_year=2027 + n % 2,
            plan="节能改造",
            created_by=keeper,
        )


def make_industry(demo, count, start=0):
    county, official = own_county(demo), demo["luoyang-county"]
    for n in range(start, start + count):
        IndustryReference.objects.create(
            jurisdiction=county,
            year=2025 + n % 2,
            industry=f"导出行业{n:02d}",
            values={},
            source="统计年鉴",
            updated_by=official,
        )


def make_imports(demo, count, start=0):
    for n in range(start, start + count):
        username = "luoyang-county" if n % 2 else "luoyang-county2"
        CreditImport.objects.create(
            file_name=f"信用导出{n:02d}.csv",
            source="信用中国",
            imported_by=demo[username],
            jurisdiction=own_county(demo, username),
            rows_total=3,
            rows_imported=2,
            errors=[{"row": 2, "message": "无法识别"}],
        )


def make_events(demo, count, start=0):
    record = CreditImport.objects.create(
        file_name="events.csv",
        source="信用中国",
        imported_by=demo["luoyang-county"],
        jurisdiction=own_county(demo),
    )
    for n in range(start, start + count):
        CreditEvent.objects.create(
            credit_code=valid_credit_code(),
            unit_name=f"信用导出{n:02d}公司",
            kind="accident_safety" if n % 2 else "deregistered",
            occurred_on=date(2025, 1, 1 + n % 28),
            source="信用中国",
            credit_import=record if n % 3 else None,
        )


def make_batches(demo, count, start=0):
    for n in range(start, start + count):
        city_batch(title=f"导出批次{n:02d}", year=2025 + n % 2)


def make_experts(demo, count, start=0):
    for n in range(start, start + count):
        member(
            luoyang_bureau(demo),
            make_expert(f"导出专家{n:02d}"),
            field="energy" if n % 2 else "finance",
        )


def make_tasks(demo, count, start=0):
    expert = demo["luoyang-expert"]
    batch = city_batch()
    for n in range(start, start + count):
        application = ApplicationFactory(
            batch=batch,
            organisation=OrganisationFactory(
                jurisdiction=own_county(demo), name=f"评审导出{n:02d}公司"
            ),
            status="expert_review",
        )
        assignment = ExpertAssignmentFactory(
            application=application,
            expert=expert,
            assigned_by=demo["luoyang-city"],
            status="submitted" if n % 2 else "assigned",
        )
        if n % 3:
            ScoreSheetFactory(assignment=assignment)


def make_organisations(demo, count, start=0):
    for n in range(start, start + count):
        OrganisationFactory(
            jurisdiction=own_county(demo),
            name=f"单位导出{n:02d}",
            kind=Organisation.Kind.PARK if n % 2 else Organisation.Kind.ENTERPRISE,
        )


def make_applications(demo, count, start=0):
    batch = city_batch()
    for n in range(start, start + count):
        ApplicationFactory(
            batch=batch,
            organisation=OrganisationFactory(
                jurisdiction=own_county(demo), name=f"申报导出{n:02d}公司"
            ),
            status="submitted" if n % 2 else "county_review",
            submitted_at=timezone.now(),
        )


@dataclass
class Case:
    url: str
    username: str
    make: object
    columns: list
    headers: tuple
    filename: str
    filters: dict  # a filter that keeps some of the rows and drops others

    def __str__(self):
        return self.url


CASES = [
    Case(
        "applications:pool-list",
        "luoyang-county",
        make_pool,
        PoolListView.export_columns,
        (
            "培育对象",
            "统一社会信用代码",
            "县（区）",
            "培育方向",
            "目标年度",
            "状态",
            "邀请申报批次",
            "入库时间",
        ),
        "培育库",
        {"target_year": "2027"},
    ),
    Case(
        "applications:industry-list",
        "luoyang-county",
        make_industry,
        IndustryReferenceListView.export_columns,
        ("行业", "年度", "发布单位区划", "参考值", "来源", "更新人", "更新时间"),
        "行业参考值",
        {"year": "2026"},
    ),
    Case(
        "applications:credit-import-list",
        "luoyang-city",
        make_imports,
        CreditImportListView.export_columns,
        (
            "文件名",
            "数据来源",
            "导入单位区划",
            "导入人",
            "导入时间",
            "总行数",
            "导入行数",
            "退回行数",
        ),
        "信用数据导入记录",
        {"jurisdiction": "410311", "ordering": "imported_at"},
    ),
    Case(
        "applications:credit-event-list",
        "luoyang-county",
        make_events,
        CreditEventListView.export_columns,
        (
            "统一社会信用代码",
            "单位名称",
            "事件类型",
            "发生日期",
            "移出/整改完成日期",
            "数据来源",
            "导入时间",
            "说明",
        ),
        "信用事件",
        {"kind": "accident_safety", "ordering": "credit_code"},
    ),
    Case(
        "applications:batch-list",
        "luoyang-city",
        make_batches,
        BatchListView.export_columns,
        ("批次名称", "年度", "组织单位", "适用政策", "受理类型", "网上申报截止", "状态"),
        "申报批次",
        {"year": "2026"},
    ),
    Case(
        "reviews:expert-pool-list",
        "luoyang-city",
        make_experts,
        ExpertPoolListView.export_columns,
        (
            "姓名",
            "所在单位",
            "专业领域",
            "职称",
            "入库年度",
            "截止年度",
            "状态",
            "专家库所属部门",
        ),
        "专家库",
        {"field": "energy"},
    ),
    Case(
        "reviews:expert-task-list",
        "luoyang-expert",
        make_tasks,
        ExpertTaskListView.export_columns,
        ("申报单位", "申报类型", "批次", "专家评分", "任务状态", "评分表", "分配时间"),
        "我的评审任务",
        {"status": "submitted"},
    ),
    Case(
        "directory:organisation-list",
        "luoyang-county",
        make_organisations,
        OrganisationListView.export_columns,
        ("单位名称", "类别", "统一社会信用代码", "区划", "状态", "登记时间"),
        "单位列表",
        {"kind": "park", "ordering": "-name"},
    ),
    Case(
        "applications:application-list",
        "luoyang-county",
        make_applications,
        [*APPLICATION_EXPORT_COLUMNS, *SCORE_COLUMNS],
        (
            "申报单位",
            "统一社会信用代码",
            "申报类型",
            "批次",
            "区划",
            "状态",
            "资格自查",
            "提交时间",
            "纸质材料",
            "已提交评分表",
            "专家评分（算术平均）",
        ),
        "申报受理",
        {"status": "submitted"},
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request):
    return request.param


def export(client, case, params=None):
    return client.get(reverse(case.url), {**(params or {}), "export": "xlsx"})


def page_objects(client, case, params) -> list:
    """Every row the HTML page lists under ``params``, over all its pages."""
    response = client.get(reverse(case.url), params)
    assert response.status_code == 200
    return list(response.context["paginator"].object_list)


# --- every list -------------------------------------------------------------------------------


def test_export_has_the_tables_chinese_headers_and_filename(client, demo, case):
    case.make(demo, 3)
    client.force_login(demo[case.username])
    response = export(client, case)
    rows = workbook_rows(response)
    assert rows[0] == case.headers
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    stamp = timezone.localdate().strftime("%Y%m%d")
    assert f"filename*=utf-8''{quote(f'{case.filename}-{stamp}.xlsx')}" in disposition


def test_export_rows_are_the_filtered_rows_of_every_page(client, demo, case):
    case.make(demo, 60)
    client.force_login(demo[case.username])
    everything = page_objects(client, case, {})
    kept = page_objects(client, case, case.filters)
    assert 25 < len(kept) < len(everything)  # more than a page, and the filter dropped some

    rows = workbook_rows(export(client, case, {**case.filters, "page": "2"}))[1:]

    expected = [tuple(as_written(column.value(obj)) for column in case.columns) for obj in kept]
    assert [normalised(row) for row in rows] == [normalised(row) for row in expected]


def test_page_offers_the_export_link_keeping_its_filters(client, demo, case):
    client.force_login(demo[case.username])
    body = client.get(reverse(case.url), {**case.filters, "page": "1"}).content.decode()
    assert "导出 Excel" in body and 'title="按当前筛选条件和排序' in body
    link = body[body.index('class="button secondary export-link"') :]
    href = link[link.index('href="') + 6 : link.index('"', link.index('href="') + 6)]
    assert href.startswith(reverse(case.url) + "?") and href.endswith("export=xlsx")
    assert "page=" not in href
    for key, value in case.filters.items():
        assert f"{key}={quote(value)}" in href


def test_export_queries_do_not_grow_with_the_rows(
    client, demo, case, django_assert_max_num_queries
):
    case.make(demo, 5)
    client.force_login(demo[case.username])
    with django_assert_max_num_queries(20) as small:
        small_rows = workbook_rows(export(client, case))
    case.make(demo, 45, start=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = workbook_rows(export(client, case))
    assert len(rows) - len(small_rows) == 45


def test_anonymous_export_is_sent_to_login(client, case):
    response = export(client, case)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- refusals and scope -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "username"),
    [
        ("applications:pool-list", "luoyang-enterprise"),
        ("applications:industry-list", "luoyang-expert"),
        ("applications:credit-import-list", "luoyang-enterprise"),
        ("applications:credit-event-list", "luoyang-agency"),
        ("reviews:expert-pool-list", "luoyang-county"),
        ("reviews:expert-task-list", "luoyang-city"),
        ("directory:organisation-list", "luoyang-enterprise"),
    ],
)
def test_export_is_refused_to_whoever_may_not_see_the_list(client, demo, url, username):
    client.force_login(demo[username])
    assert client.get(reverse(url), {"export": "xlsx"}).status_code == 403


def exported_names(client, url, params=None):
    rows = workbook_rows(client.get(reverse(url), {**(params or {}), "export": "xlsx"}))
    return {row[0] for row in rows[1:]}


def test_county_pool_export_leaves_out_the_other_countys_candidates(client, demo):
    make_pool(demo, 2)
    other = own_county(demo, "luoyang-county2")
    CultivationCandidate.objects.create(
        county=other,
        organisation=OrganisationFactory(jurisdiction=other, name="偃师培育公司"),
        target_unit_type="factory",
        target_year=2027,
        plan="x",
        created_by=demo["luoyang-county2"],
    )
    client.force_login(demo["luoyang-county"])
    assert exported_names(client, "applications:pool-list") == {"培育导出00公司", "培育导出01公司"}
    client.force_login(demo["luoyang-city"])
    assert "偃师培育公司" in exported_names(client, "applications:pool-list")


def test_county_application_export_leaves_out_the_other_countys_applications(client, demo):
    make_applications(demo, 2)
    other = own_county(demo, "luoyang-county2")
    ApplicationFactory(
        batch=city_batch(),
        organisation=OrganisationFactory(jurisdiction=other, name="偃师申报公司"),
        status="submitted",
    )
    client.force_login(demo["luoyang-county"])
    names = exported_names(client, "applications:application-list")
    assert names == {"申报导出00公司", "申报导出01公司"}
    client.force_login(demo["luoyang-city"])
    assert "偃师申报公司" in exported_names(client, "applications:application-list")


def test_county_organisation_export_leaves_out_the_other_countys_units(client, demo):
    other = own_county(demo, "luoyang-county2")
    OrganisationFactory(jurisdiction=other, name="偃师导出单位")
    make_organisations(demo, 1)
    client.force_login(demo["luoyang-county"])
    names = exported_names(client, "directory:organisation-list")
    assert "单位导出00" in names and "偃师导出单位" not in names
    assert all(
        name
        in set(
            Organisation.objects.filter(jurisdiction=own_county(demo)).values_list(
                "name", flat=True
            )
        )
        for name in names
    )


def test_county_credit_import_export_leaves_out_the_other_countys_imports(client, demo):
    make_imports(demo, 4)
    client.force_login(demo["luoyang-county"])
    assert exported_names(client, "applications:credit-import-list") == {
        "信用导出01.csv",
        "信用导出03.csv",
    }


def test_expert_task_export_holds_only_the_experts_own_tasks(client, demo):
    make_tasks(demo, 2)
    client.force_login(demo["luoyang-expert2"])
    assert exported_names(client, "reviews:expert-task-list") == set()


def test_applicant_application_export_holds_only_their_own(client, demo):
    mine = ApplicationFactory(
        batch=city_batch(), organisation=demo["luoyang-enterprise"].organisation
    )
    make_applications(demo, 2)
    client.force_login(demo["luoyang-enterprise"])
    response = client.get(reverse("applications:application-list"), {"export": "xlsx"})
    assert {row[0] for row in workbook_rows(response)[1:]} == {mine.organisation.name}
    assert quote("我的申报") in response["Content-Disposition"]


# --- the values are the real ones -------------------------------------------------------------


def test_pool_export_row_holds_the_real_values(client, demo):
    make_pool(demo, 1)
    candidate = CultivationCandidate.objects.get()
    client.force_login(demo["luoyang-county"])
    [_header, row] = workbook_rows(export(client, CASES[0]))
    assert row[:7] == (
        "培育导出00公司",
        candidate.organisation.credit_code,
        own_county(demo).name,
        candidate.get_target_unit_type_display(),
        2027,
        "培育中",
        None,
    )
    assert row[7] == timezone.localtime(candidate.created_at).replace(
        tzinfo=None, microsecond=row[7].microsecond
    )


def test_application_export_row_holds_the_real_values(client, demo):
    application = ApplicationFactory(
        batch=city_batch(),
        organisation=OrganisationFactory(jurisdiction=own_county(demo), name="甲公司"),
        status="submitted",
        product_name="电机",
        precheck_eligible=False,
    )
    client.force_login(demo["luoyang-county"])
    [_header, row] = workbook_rows(export(client, CASES[-1]))
    assert row[:7] == (
        "甲公司",
        application.organisation.credit_code,
        f"{application.get_unit_type_display()}（电机）",
        application.batch.title,
        own_county(demo).name,
        "已提交",
        "未通过",
    )
    assert row[7:] == (None, "未接收", None, None)  # no score sheets yet


def test_credit_event_export_writes_dates_as_dates(client, demo):
    CreditEvent.objects.create(
        credit_code="91410311MA0000000X",
        unit_name="乙公司",
        kind="accident_safety",
        occurred_on=date(2025, 3, 4),
        resolved_on=date(2025, 6, 1),
        source="应急管理部门",
        description="已整改",
    )
    client.force_login(demo["luoyang-county"])
    [_header, row] = workbook_rows(export(client, CASES[3]))
    assert row == (
        "91410311MA0000000X",
        "乙公司",
        "安全事故",
        datetime(2025, 3, 4),
        datetime(2025, 6, 1),
        "应急管理部门",
        None,
        "已整改",
    )
