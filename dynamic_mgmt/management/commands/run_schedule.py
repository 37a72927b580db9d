"""python manage.py run_schedule --date 2027-04-16 [--only reminders …]: the nightly sweeps for
any date, in-process, printing what each did: the end of publicity periods (公示期满, reviews) and
the sweeps of the dynamic management.

The clock moved for the demo: run the window's opening day, a reminder day, the day after the
deadline and a Jinan unit's term end, and the portal does what the beat schedule would have
done on those nights. Every sweep is idempotent, so a date may be run again.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from dynamic_mgmt import schedule
from greenmfg.core import clock
from reviews.services.publicity import publicities_end

PUBLICITY = "publicity"

LABELS = {
    PUBLICITY: "公示期满",
    "windows": "开放填报期",
    "reminders": "截止前提醒",
    "late": "逾期标记",
    "indicators": "关键指标比对",
    "re_reviews": "三年期满复审",
    "credit": "信用复核",
    "benchmarks": "同行业对标值",
}
COUNT_LABELS = {
    PUBLICITY: "公示期满",
    "windows_opened": "开放填报期",
    "units_notified": "通知单位",
    "units_reminded": "提醒单位",
    "units_late": "逾期单位",
    "tables_created": "新建动态管理表",
    "tables_compared": "比对动态管理表",
    "cases_opened": "启动复审",
    "pairs_checked": "复核（单位, 信用事件）",
    "proposals": "移出建议",
    "notifications": "站内消息",
    "tables": "读取已填报绿色工厂动态管理表",
    "benchmarks": "对标值",
}


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from error


class Command(BaseCommand):
    help = "Run the dynamic-management sweeps for a date (default today) and print what each did."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day to run as, YYYY-MM-DD (default: today, Asia/Shanghai)"
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=[PUBLICITY, *schedule.SWEEPS],
            help="run only this sweep (repeatable): " + ", ".join([PUBLICITY, *schedule.SWEEPS]),
        )

    def handle(self, *args, date=None, only=None, **options):
        today = parse_date(date) if date else clock.today()
        self.stdout.write(f"动态管理定时任务 · 运行日期 {today.isoformat()}")
        if not only or PUBLICITY in only:
            started = time.perf_counter()
            ended = publicities_end(today)
            elapsed = time.perf_counter() - started
            summary = f"结束公示 {ended}" if ended else "无待办事项"
            self.stdout.write(f"[{PUBLICITY}] {LABELS[PUBLICITY]}：{summary}（{elapsed:.2f} 秒）")
        for name in schedule.SWEEPS:
            if only and name not in only:
                continue
            started = time.perf_counter()
            result = schedule.RUNNERS[name](today)
            elapsed = time.perf_counter() - started
            counts = "，".join(
                f"{COUNT_LABELS.get(key, key)} {value}" for key, value in result.counts.items()
            )
            self.stdout.write(
                f"[{name}] {LABELS[name]}：{counts or '无待办事项'}（{elapsed:.2f} 秒）"
            )
            for note in result.notes:
                self.stdout.write(f"    {note}")
