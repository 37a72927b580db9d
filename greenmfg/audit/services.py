from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    subject: models.Model,
    actor,
    action: str,
    action_label: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    state_labels: dict[str, str] | None = None,
) -> AuditEntry:
    """Append one entry to ``subject``'s trail. Call inside the transaction of the change.

    ``state_labels`` maps state codes to their names, kept so the trail reads the same later.
    """
    data = dict(data or {})
    if state_labels:
        data.update(
            from_label=str(state_labels.get(from_state, from_state)),
            to_label=str(state_labels.get(to_state, to_state)),
        )
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:200],
        actor=actor if is_user else None,
        actor_name=(actor.display_name if is_user else "系统")[:100],
        actor_role=getattr(actor, "role", "") if is_user else "",
        action=action,
        action_label=str(action_label),
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data,
    )
