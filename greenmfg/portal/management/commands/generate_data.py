"""python manage.py generate_data --units 100000: national-scale data for benchmarks.

Run it on a fresh database (PostgreSQL for figures that mean something): it migrates, loads the
demo directory and users (``seed_demo --directory-only``), then writes the rows of
:mod:`greenmfg.portal.generate` in bulk and prints how many of each and how long it took.
"""

import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from greenmfg.accounts.models import User
from greenmfg.directory.services import organisation_counts_rebuild
from greenmfg.portal.generate import Sizes, already_generated, generate


class Command(BaseCommand):
    help = "生成大规模测试数据（企业、申报、专家评审、名单、动态管理表），用于性能基准测试。"

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--units", type=int, default=defaults.units, help="企业数")
        parser.add_argument(
            "--applications", type=int, default=defaults.applications, help="申报数"
        )
        parser.add_argument("--listed", type=int, default=defaults.listed, help="名单单位数")
        parser.add_argument(
            "--experts", type=int, default=defaults.experts, help="每个城市的专家库人数"
        )
        parser.add_argument("--agencies", type=int, default=defaults.agencies, help="评价机构数")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子（同一种子同一数据）")
        parser.add_argument(
            "--password",
            default=None,
            help="生成账号的共用密码（默认不可登录；压力测试时指定）",
        )

    def handle(self, *args, **options):
        sizes = Sizes(
            units=options["units"],
            applications=options["applications"],
            listed=options["listed"],
            experts=options["experts"],
            agencies=options["agencies"],
        )
        if sizes.units < 1:
            raise CommandError("企业数至少为 1。")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not User.objects.filter(username="admin").exists():
            call_command("seed_demo", "--directory-only", stdout=io.StringIO())
        if already_generated():
            raise CommandError("数据库中已有生成的数据：请在新的数据库上运行。")
        self.stdout.write(f"Generating {sizes} on {connection.vendor} …")
        rows = generate(
            sizes, seed=options["seed"], password=options["password"], log=self.stdout.write
        )
        # The bulk inserts bypass Organisation.save: recount the dashboards' counts once.
        organisation_counts_rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        for name, count in rows.items():
            self.stdout.write(f"  {name:<20} {count:>9,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
