import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.rules.facts import ALL_UNITS, clean_facts


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=[f"{p}/{t}" for p, t in ALL_UNITS])
def test_command_prints_the_same_verdict_as_evaluate(tmp_path, policy, unit_type):
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(clean_facts(policy, unit_type)), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "check_eligibility", "--policy", policy, "--type", unit_type, str(facts_file), stdout=out
    )
    verdict = json.loads(out.getvalue())
    assert verdict["eligible"] is True
    assert all({"code", "article", "passed", "message"} <= set(f) for f in verdict["findings"])


def test_command_reports_failed_finding_with_values(tmp_path):
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(
        json.dumps(clean_facts("luoyang-2024", "park", industrial_value_added_share=50)),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command(
        "check_eligibility",
        "--policy",
        "luoyang-2024",
        "--type",
        "park",
        str(facts_file),
        stdout=out,
    )
    verdict = json.loads(out.getvalue())
    failed = [f for f in verdict["findings"] if not f["passed"]]
    assert verdict["eligible"] is False
    assert failed[0]["article"] == "第八条" and "50%" in failed[0]["message"]


def test_command_refuses_unsupported_unit_type(tmp_path):
    facts_file = tmp_path / "facts.json"
    facts_file.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="design_product"):
        call_command(
            "check_eligibility",
            "--policy",
            "jinan-2024",
            "--type",
            "design_product",
            str(facts_file),
        )


def test_command_refuses_broken_json(tmp_path):
    facts_file = tmp_path / "facts.json"
    facts_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        call_command(
            "check_eligibility", "--policy", "luoyang-2024", "--type", "factory", str(facts_file)
        )
