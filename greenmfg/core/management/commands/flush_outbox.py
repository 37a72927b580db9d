from django.core.management.base import BaseCommand

from greenmfg.core.models import OutboxTask
from greenmfg.core.outbox import flush_outbox, grace_seconds


class Command(BaseCommand):
    help = "Publish the Celery tasks kept in the outbox (broker down, or a process that died)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            help=(
                "Leave untried rows younger than this many seconds to the commit that wrote "
                f"them (default OUTBOX_GRACE_SECONDS, {grace_seconds()}); 0 takes every row, "
                "for when no portal process is running."
            ),
        )

    def handle(self, *args, **options) -> None:
        published = flush_outbox(grace=options["grace"])
        left = OutboxTask.objects.count()
        self.stdout.write(f"published {published}, {left} left in the outbox")
