"""python manage.py grade_year --year 2027: the green-code grades (企业绿码) of a year's filed
green factories, replacing any grades that year already had."""

from django.core.management.base import BaseCommand, CommandError

from dynamic_mgmt.services.grade import grade_year
from greenmfg.core import clock


class Command(BaseCommand):
    help = "评定某年度的企业绿码（A+/A/B），覆盖该年度已有的评定结果。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="评定年度，默认为上一年度")

    def handle(self, *args, year=None, **options):
        year = year or clock.today().year - 1
        if not 2000 <= year <= 2100:
            raise CommandError("年度无效。")
        run = grade_year(year=year)
        self.stdout.write(
            self.style.SUCCESS(
                f"{year} 年度企业绿码：{run.groups} 个分组，评定 {run.graded} 家"
                f"（A+ {run.by_grade.get('A+', 0)}，A {run.by_grade.get('A', 0)}，"
                f"B {run.by_grade.get('B', 0)}）；未填报 {run.not_filed} 家，"
                f"无可用指标 {run.no_indicators} 家；连续三年位于后5% "
                f"{len(run.bottom_three_years)} 家。"
            )
        )
