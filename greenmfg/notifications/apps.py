from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """站内消息与邮件: messages kept in the portal and sent by e-mail through Celery."""

    name = "greenmfg.notifications"
    label = "notifications"
    verbose_name = _("消息通知")
