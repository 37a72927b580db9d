from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThirdpartyConfig(AppConfig):
    """第三方评价机构：qualification, the project cap, independence and the blacklist."""

    name = "thirdparty"
    verbose_name = _("第三方评价机构")
