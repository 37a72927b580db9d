"""Who may use the bulk pages (批量办理) of a batch."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Batch
from applications.selectors.batches import is_batch_authority
from greenmfg.accounts.roles import Role
from reviews.selectors.inbox import AUTHORITY_ROLES

COUNTY_ROLES = frozenset({Role.COUNTY_OFFICIAL, Role.SYSADMIN})
BULK_AUTHORITY_ROLES = frozenset({*AUTHORITY_ROLES, Role.SYSADMIN})


def bulk_links(*, user, batch: Batch) -> list[tuple[str, str]]:
    """The bulk pages ``user`` may open for ``batch`` (label, url), for a batch page to show."""
    links = []
    if user.effective_role in COUNTY_ROLES:
        links.append((_("批量推荐"), reverse("reviews:bulk-recommend", args=[batch.pk])))
    if user.effective_role in BULK_AUTHORITY_ROLES and is_batch_authority(user=user, batch=batch):
        links.append((_("批量开始专家评审"), reverse("reviews:bulk-start-review", args=[batch.pk])))
        links.append((_("批量决定"), reverse("reviews:bulk-decide", args=[batch.pk])))
    return links
