"""The one place where the third-party agency rules plug into applications.

thirdparty/ registers its handlers here in its AppConfig.ready(), so applications/ does not
import it:

- an *engagement handler* runs under the application's row lock whenever the applicant names,
  changes or drops the agency, records the engagement and may refuse the new agency (the cap,
  the blacklist, independence, an unapproved agency) — the draft then keeps the old one;
- a *submission check* adds refusals before submission;
- an *upload check* refuses an upload (agency staff never upload the self-evaluation, a
  blacklisted agency's report is not accepted).

Without thirdparty/ installed only the basic check below applies.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from applications.models import Application
from greenmfg.directory.models import Organisation

_ENGAGEMENT_HANDLERS: list[Callable[..., list[str]]] = []
_SUBMISSION_CHECKS: list[Callable[..., list[str]]] = []
_UPLOAD_CHECKS: list[Callable[..., list[str]]] = []


def _register(registry: list, handler) -> None:
    if handler not in registry:
        registry.append(handler)


def register_engagement_handler(handler) -> None:
    _register(_ENGAGEMENT_HANDLERS, handler)


def register_submission_check(check) -> None:
    _register(_SUBMISSION_CHECKS, check)


def register_upload_check(check) -> None:
    _register(_UPLOAD_CHECKS, check)


def agency_changed(*, application: Application, actor) -> list[str]:
    refusals: list[str] = []
    for handler in _ENGAGEMENT_HANDLERS:
        refusals.extend(handler(application=application, actor=actor))
    return refusals


def upload_refusals(*, application: Application, actor, kind: str) -> list[str]:
    refusals: list[str] = []
    for check in _UPLOAD_CHECKS:
        refusals.extend(check(application=application, actor=actor, kind=kind))
    return refusals


def agency_refusals(*, application: Application) -> list[str]:
    if application.evaluation_mode != Application.EvaluationMode.THIRD_PARTY:
        return []
    agency = application.agency
    if agency is None:
        return [_("采用第三方评价方式，须选择第三方评价机构。")]
    if agency.kind != Organisation.Kind.AGENCY:
        return [_("「%(name)s」不是第三方评价机构。") % {"name": agency.name}]
    refusals: list[str] = []
    if not _SUBMISSION_CHECKS and agency.status != Organisation.Status.ACTIVE:
        refusals.append(
            _("第三方评价机构「%(name)s」当前状态为「%(status)s」，不能受理其评价报告。")
            % {"name": agency.name, "status": agency.get_status_display()}
        )
    for check in _SUBMISSION_CHECKS:
        refusals.extend(check(application=application))
    return refusals
