"""The audit trail's writers: :func:`audit_record` for one subject inside the transaction of its
change, and :func:`audit_many` (one entry for the whole page), :func:`audit_each` (an entry of
its own per subject) or :func:`audit_query` (one entry per row of a query, built by the
database) for a page of subjects changed at once by the system (the nightly sweeps). All write
the same rows (:func:`_entry_fields`)."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Expression, F, QuerySet
from django.db.models.functions import Cast, Left

from greenmfg.audit.models import AuditEntry
from greenmfg.core.bulk import insert_rows, insert_select

SYSTEM_NAME = "系统"


def _entry_fields(
    *,
    action: str,
    action_label: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    state_labels: dict | None = None,
) -> dict:
    """The columns of an entry that do not depend on its subject or actor. ``state_labels``
    maps state codes to their names, kept in ``data`` so the trail reads the same later."""
    data = dict(data or {})
    if state_labels:
        data.update(
            from_label=str(state_labels.get(from_state, from_state)),
            to_label=str(state_labels.get(to_state, to_state)),
        )
    return {
        "action": action,
        "action_label": str(action_label),
        "from_state": from_state,
        "to_state": to_state,
        "comment": comment,
        "data": data,
    }


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
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:200],
        actor=actor if is_user else None,
        actor_name=(actor.display_name if is_user else SYSTEM_NAME)[:100],
        actor_role=getattr(actor, "role", "") if is_user else "",
        **_entry_fields(
            action=action,
            action_label=action_label,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            data=data,
            state_labels=state_labels,
        ),
    )


def audit_many(
    model: type[models.Model],
    subjects: Iterable[tuple[int, str]],
    *,
    action: str,
    action_label: str,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    state_labels: dict | None = None,
) -> int:
    """:func:`audit_record` for a page of subjects of ``model`` at once, by the system (a
    scheduled task): ``subjects`` are (pk, repr). The rows are inserted set-based
    (greenmfg.core.bulk.insert_rows, no model instance); the count written."""
    # One dict for the page: the rows share it, and the insert prepares it once.
    shared = _entry_fields(
        action=action,
        action_label=action_label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data,
        state_labels=state_labels,
    )
    return _insert_system_entries(model, ((pk, text, shared) for pk, text in subjects))


def audit_each(
    model: type[models.Model], subjects: Iterable[tuple[int, str, dict]], *, actor=None
) -> int:
    """:func:`audit_many` where each subject's entry says something of its own (its states, its
    comment, its data): ``subjects`` are (pk, repr, entry), ``entry`` holding the keyword
    arguments of :func:`audit_record` that describe the change (``action``, ``action_label``,
    ``from_state``, ``to_state``, ``comment``, ``data``, ``state_labels``); the count written.
    ``actor``: the user who made the change (an import), else the system."""
    return _insert_system_entries(
        model,
        ((pk, text, _entry_fields(**entry)) for pk, text, entry in subjects),
        actor=actor,
    )


def _insert_system_entries(
    model: type[models.Model], subjects: Iterable[tuple[int, str, dict]], *, actor=None
) -> int:
    content_type = ContentType.objects.get_for_model(model)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    who = (
        {
            "actor_id": actor.pk,
            "actor_name": actor.display_name[:100],
            "actor_role": getattr(actor, "role", ""),
        }
        if is_user
        else {"actor_name": SYSTEM_NAME}
    )
    entries = [
        {
            "content_type_id": content_type.pk,
            "object_id": str(pk),
            "object_repr": str(text)[:200],
            **who,
            **fields,
        }
        for pk, text, fields in subjects
    ]
    insert_rows(AuditEntry, entries, returning=())
    return len(entries)


def audit_query(
    subjects: QuerySet,
    *,
    text: Expression,
    action: str,
    action_label: str,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    state_labels: dict | None = None,
) -> int:
    """:func:`audit_many` for the rows of ``subjects`` (a queryset of the changed records, say
    the tables a sweep just wrote), in one ``INSERT … SELECT`` (greenmfg.core.bulk.
    insert_select): each row's entry names it by its primary key, ``text`` (an expression over
    the row) is its repr. Nothing is read into Python; the count written."""
    fields = _entry_fields(
        action=action,
        action_label=action_label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data,
        state_labels=state_labels,
    )
    return insert_select(
        AuditEntry,
        subjects,
        {
            "content_type_id": ContentType.objects.get_for_model(subjects.model).pk,
            "object_id": Cast(F("pk"), output_field=CharField()),
            "object_repr": Left(text, 200),
            "actor_name": SYSTEM_NAME,
            **fields,
        },
    )
