"""Examples written by hand for the operations an integrator starts with (issue 19.4): get a
token, list the open batches, create an application, submit it. The values are those of the
demo (``seed_demo``), as README's API section shows them.

Keyed by (method, path after ``/api/v1``); ``request`` and ``response`` map a title to a value.
A list's response example is a whole page, as the API answers it.
"""

BATCH = {
    "id": 1,
    "title": "2026年度洛阳市绿色制造名单申报",
    "year": 2026,
    "policy": "luoyang-2024",
    "policy_display": "洛阳市绿色制造体系梯度培育及管理暂行办法（洛工信〔2024〕95号）",
    "unit_types": ["factory", "park", "supply_chain", "design_product"],
    "policy_period": {
        "valid_from": "2024-09-23",
        "valid_until": "2029-09-22",
        "article": "第二十六条",
        "statement": "自2024年9月23日发布之日起实施，有效期五年，至2029年9月22日（第二十六条）",
        "in_force": True,
    },
    "status": "open",
    "status_display": "申报中",
    "authority": 36,
    "authority_name": "洛阳市工业和信息化局",
    "jurisdiction": "410300",
    "jurisdiction_name": "洛阳市",
    "submission_deadline": "2027-02-05T17:00:00+08:00",
    "paper_copy_deadline": None,
    "agency_report_deadline": None,
    "announcement": "各县（区）工业和信息化主管部门：现组织开展2026年度绿色制造名单申报工作，"
    "请按通知要求组织辖区企业、园区在网上申报并报送纸质材料。",
    "created_at": "2026-12-01T09:00:00+08:00",
    "updated_at": "2026-12-01T09:00:00+08:00",
}

DRAFT = {
    "id": 19,
    "batch": 1,
    "policy": "luoyang-2024",
    "organisation": 56,
    "organisation_name": "洛阳绿源示范制造有限公司（演示）",
    "jurisdiction": "410311",
    "unit_type": "factory",
    "product_name": "",
    "industry": "",
    "status": "draft",
    "status_display": "草稿",
    "facts": {},
    "reference_facts": {},
    "evaluation_mode": "self",
    "agency": None,
    "self_evaluation_helper": None,
    "precheck": {},
    "precheck_eligible": None,
    "prechecked_at": None,
    "principle_exceptions": [],
    "submitted_at": None,
    "paper_copy_received_at": None,
    "created_at": "2026-12-07T09:30:00+08:00",
    "updated_at": "2026-12-07T09:30:00+08:00",
}

SUBMITTED = {
    **DRAFT,
    "industry": "C3311",
    "status": "submitted",
    "status_display": "已提交",
    "precheck_eligible": True,
    "prechecked_at": "2026-12-07T10:05:00+08:00",
    "submitted_at": "2026-12-07T10:06:00+08:00",
    "updated_at": "2026-12-07T10:06:00+08:00",
}

BY_OPERATION: dict[tuple[str, str], dict[str, dict]] = {
    ("POST", "/auth/token/"): {
        "request": {"演示企业账号": {"username": "luoyang-enterprise", "password": "Lvse-2026!"}},
        "response": {"令牌": {"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}},
    },
    ("GET", "/batches/"): {
        "response": {
            "申报中的批次（?status=open）": {
                "count": 1,
                "count_exact": True,
                "count_estimate": None,
                "next": None,
                "previous": None,
                "results": [BATCH],
            }
        }
    },
    ("POST", "/applications/"): {
        "request": {"在开放批次中新建工厂申报": {"batch": 1, "unit_type": "factory"}},
        "response": {"新建的申报草稿": DRAFT},
    },
    ("POST", "/applications/{id}/submit/"): {"response": {"已提交的申报": SUBMITTED}},
}
