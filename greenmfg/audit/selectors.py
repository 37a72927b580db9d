from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from greenmfg.audit.models import AuditEntry


def audit_entries_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).order_by("-at", "-id")
