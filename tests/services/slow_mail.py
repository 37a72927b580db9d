"""An e-mail backend for a worker in tests: each message takes a while and is counted in a
file (SLOW_MAIL_LOG), so a test can kill the worker in the middle of a delivery and count
what went out."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(0.1)
            with open(os.environ["SLOW_MAIL_LOG"], "a", encoding="utf-8") as log:
                log.write(f"{message.to[0]}\t{message.subject}\n")
        return len(email_messages)
