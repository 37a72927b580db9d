"""One management command for every import: preview, and with --apply write (all or nothing).

    manage.py import_<kind> FILE --as USERNAME [--apply] [--keep-good-rows]

The same services as the import pages (greenmfg.core.imports.services), as the user named: their
scope, their audit rows. Without --apply only the preview is made (a dry run). An app's command
names its kind: ``class Command(ImportCommand): kind = KIND``.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from greenmfg.core.errors import DomainError
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import import_apply, import_upload, importer_for
from greenmfg.core.imports.spec import Outcome, outcome_labels

SHOWN_ERRORS = 50


class ImportCommand(BaseCommand):
    kind = ""

    @property
    def help(self):
        title = importer_for(self.kind).title
        return (
            f"{title}：预检（默认），--apply 执行导入（有错误行则不写入，除非 --keep-good-rows）。"
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel（.xlsx）或 UTF-8 CSV 文件")
        parser.add_argument("--as", dest="username", required=True, help="以该用户的身份导入")
        parser.add_argument("--apply", action="store_true", help="预检后执行导入")
        parser.add_argument(
            "--keep-good-rows",
            action="store_true",
            help="明确选择：有错误的行不导入，只导入无错误的行",
        )

    def handle(self, *args, file, username, apply, keep_good_rows, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件「{file}」不存在。")
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            run = import_upload(kind=self.kind, uploaded=uploaded, actor=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.report(run)
        if not apply:
            self.stdout.write("预检完成，未写入任何数据（加 --apply 执行导入）。")
            return
        try:
            run = import_apply(run=run, actor=user, keep_good_rows=keep_good_rows)
        except DomainError as error:
            raise CommandError(error.message) from None
        if run.state == ImportRun.State.APPLIED:
            self.stdout.write(self.style.SUCCESS(f"导入完成：写入 {run.written} 条记录。"))
        else:
            self.stdout.write(f"导入已在后台进行（导入记录 {run.pk}）。")

    def report(self, run: ImportRun) -> None:
        matched = outcome_labels(importer_for(self.kind))[Outcome.MATCHED]
        self.stdout.write(
            f"文件 {run.original_name}（SHA-256 {run.sha256}）：{run.rows} 行；"
            f"新增 {run.new}，{matched} {run.matched}，"
            f"无变化 {run.unchanged}，错误 {run.errors}。"
        )
        errors = [result for result in run.results if result["outcome"] == Outcome.ERROR]
        for result in errors[:SHOWN_ERRORS]:
            self.stdout.write(f"  第 {result['row']} 行「{result['column']}」：{result['reason']}")
        if len(errors) > SHOWN_ERRORS:
            self.stdout.write(f"  ……另有 {len(errors) - SHOWN_ERRORS} 行错误。")
