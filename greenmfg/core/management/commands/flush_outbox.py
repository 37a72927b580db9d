from django.core.management.base import BaseCommand

from greenmfg.core.models import OutboxTask
from greenmfg.core.outbox import flush_outbox


class Command(BaseCommand):
    help = "Publish the Celery tasks kept in the outbox while the broker was down."

    def handle(self, *args, **options) -> None:
        published = flush_outbox()
        left = OutboxTask.objects.count()
        self.stdout.write(f"published {published}, {left} left in the outbox")
