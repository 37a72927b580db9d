from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """评审：county review, expert scoring, publicity and the decision."""

    name = "reviews"
    verbose_name = _("评审管理")
