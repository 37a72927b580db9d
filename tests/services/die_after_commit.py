"""A portal process that notifies a user in a transaction and dies right after the commit,
before the outbox's callback publishes the e-mail's task (for test_outbox_process_died.py).

Run as ``python -m tests.services.die_after_commit USER_ID`` with the portal's environment
(tests.services.workers.portal_environment): its own settings, not eager, on the test's
database and Redis. The process exits with DIED_AFTER_COMMIT from the first ``on_commit``
callback, registered before notify()'s, so the commit happens and the publish never does, as
for a process killed between the two. Any other exit code means it did not get that far.
"""

import os
import sys

import django

DIED_AFTER_COMMIT = 9
SUBJECT = "进程在提交后终止"


def main(user_id: int) -> None:
    django.setup()
    # After django.setup(): the apps' models cannot be imported before it.
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from greenmfg.notifications.services import notify

    with transaction.atomic():
        user = get_user_model().objects.get(pk=user_id)
        # Callbacks run in the order registered: this one first, so the process is gone
        # before the outbox's publish.
        transaction.on_commit(lambda: os._exit(DIED_AFTER_COMMIT))
        notify(recipient=user, subject=SUBJECT, body="提交后、发布前进程终止的测试通知。")
    sys.exit("the commit's callbacks did not run")


if __name__ == "__main__":
    main(int(sys.argv[1]))
