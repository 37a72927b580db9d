from celery import shared_task

from greenmfg.accounts.invitations import set_password_email_send


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def task_send_set_password_email(self, user_id: int, invited_by_id: int | None = None) -> bool:
    """The set-password e-mail of an account opened by an import (ids only)."""
    return set_password_email_send(user_id=user_id, invited_by_id=invited_by_id)
