"""python manage.py check_eligibility --policy P --type T FACTS.json: the verdict as JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenmfg.rules import UnknownPolicy, UnsupportedUnitType, evaluate


class Command(BaseCommand):
    help = "Evaluate a facts file against a policy and print the verdict as JSON (rules contract)."

    def add_arguments(self, parser):
        parser.add_argument("--policy", required=True)
        parser.add_argument("--type", required=True, dest="unit_type")
        parser.add_argument("facts", help="a JSON file of facts, or - for standard input")

    def handle(self, *args, policy, unit_type, facts, **options):
        try:
            text = self.stdin.read() if facts == "-" else Path(facts).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"无法读取事实文件 {facts}：{error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"事实文件不是有效的 JSON：{error}") from error
        if not isinstance(data, dict):
            raise CommandError("事实文件应为一个 JSON 对象（键为事实名称）。")
        try:
            verdict = evaluate(policy, unit_type, data)
        except (UnknownPolicy, UnsupportedUnitType) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2, default=str))
