"""python manage.py set_demo_date 2027-03-01 [--run-schedule] | --clear | --show

Sets the date the demo's clock answers (greenmfg/core/clock.py), so a demonstration can walk a
whole cycle: the publicity period ends, the filing window of next year opens, a deadline
passes. Every page, service and sweep reads that date; a banner on every page says so. Only
where the demo clock is on (DEBUG, or GREENMFG_DEMO_CLOCK=1); production never has it.
"""

import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from greenmfg.core import clock


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from error


class Command(BaseCommand):
    help = "Set the demo's date (the clock every page, service and sweep reads)."

    def add_arguments(self, parser):
        parser.add_argument("date", nargs="?", help="the date to answer, YYYY-MM-DD")
        parser.add_argument("--clear", action="store_true", help="back to the real date")
        parser.add_argument("--show", action="store_true", help="print the date in force")
        parser.add_argument(
            "--run-schedule",
            action="store_true",
            help="then run the dynamic-management sweeps for that date (manage.py run_schedule)",
        )

    def handle(self, *args, date=None, clear=False, show=False, run_schedule=False, **options):
        if show:
            self.stdout.write(self.describe())
            return
        if clear == bool(date):
            raise CommandError("请给出日期（YYYY-MM-DD），或用 --clear 恢复真实日期。")
        try:
            clock.set_demo_date(None if clear else parse_date(date))
        except RuntimeError as error:
            raise CommandError(
                "演示时钟未开启：只有演示环境（DEBUG 开启，或设置 GREENMFG_DEMO_CLOCK=1）"
                "可以设置日期，生产环境始终使用真实日期。"
            ) from error
        self.stdout.write(self.describe())
        if run_schedule and not clear:
            call_command("run_schedule", stdout=self.stdout)

    def describe(self) -> str:
        date = clock.demo_date()
        if date is None:
            return f"系统日期：{clock.real_today().isoformat()}（真实日期）"
        return (
            f"系统日期：{date.isoformat()}（演示日期；真实日期 {clock.real_today().isoformat()}）。"
            "恢复真实日期：python manage.py set_demo_date --clear"
        )
