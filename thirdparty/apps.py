from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThirdpartyConfig(AppConfig):
    """第三方评价机构: qualification, engagements within the caps, independence, blacklist."""

    name = "thirdparty"
    verbose_name = _("第三方评价机构")

    def ready(self):
        from applications.agency_checks import (
            register_engagement_handler,
            register_submission_check,
            register_upload_check,
        )
        from thirdparty.services.agencies import (
            agency_submission_refusals,
            engagement_sync,
            report_upload_refusals,
        )

        register_engagement_handler(engagement_sync)
        register_submission_check(agency_submission_refusals)
        register_upload_check(report_upload_refusals)
