"""The one place where the third-party agency rules plug into submission.

``agency_refusals`` answers, for an application about to be submitted, every reason its named
agency cannot be accepted. The third-party module (thirdparty/) adds the blacklist and the
15-project cap here; until then the check is that the agency is a registered, active
第三方评价机构.
"""

from django.utils.translation import gettext as _

from greenmfg.directory.models import Organisation

from .models import Application


def agency_refusals(*, application: Application) -> list[str]:
    if application.evaluation_mode != Application.EvaluationMode.THIRD_PARTY:
        return []
    agency = application.agency
    if agency is None:
        return [_("采用第三方评价方式，须选择第三方评价机构。")]
    refusals = []
    if agency.kind != Organisation.Kind.AGENCY:
        refusals.append(_("「%(name)s」不是第三方评价机构。") % {"name": agency.name})
    elif agency.status != Organisation.Status.ACTIVE:
        refusals.append(
            _("第三方评价机构「%(name)s」当前状态为「%(status)s」，不能受理其评价报告。")
            % {"name": agency.name, "status": agency.get_status_display()}
        )
    return refusals
