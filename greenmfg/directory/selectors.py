import re
from typing import Protocol

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from greenmfg.accounts.scoping import scope_queryset, scope_root
from greenmfg.core.errors import DomainError
from greenmfg.directory.loaders import name_stem
from greenmfg.directory.models import (
    Jurisdiction,
    JurisdictionChange,
    Level,
    Organisation,
    OrganisationCount,
    subtree_q,
)


def organisation_list(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may see: an official's subtree, otherwise their own."""
    queryset = Organisation.objects.select_related("jurisdiction", "jurisdiction__parent")
    root = None if user.is_authenticated and user.is_sysadmin else scope_root(user)
    if root is not None:
        # The same rows as the path prefix (scope_queryset), asked for by equality on the
        # organisation's own province, city or jurisdiction (a county's: with its zones'), so
        # that its (…, name, id) index gives a page without reading the rest of the subtree.
        return queryset.filter(subtree_q(root))
    return scope_queryset(
        queryset, user, jurisdiction_field="jurisdiction", organisation_field="pk"
    )


def jurisdiction_list(*, user) -> QuerySet[Jurisdiction]:
    """An official's subtree; for everyone else, the jurisdiction of their organisation."""
    queryset = Jurisdiction.objects.select_related("parent")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        root = user.organisation.jurisdiction
        return queryset.filter(path__startswith=root.path)
    if user.organisation_id:
        return queryset.filter(pk=user.organisation.jurisdiction_id)
    return queryset.none()


def county_choices() -> QuerySet[Jurisdiction]:
    """Where an enterprise or park may register: counties, districts and functional zones."""
    return (
        Jurisdiction.objects.filter(level=Level.COUNTY, active=True)
        .select_related("parent")
        .order_by("path")
    )


class RegionMatchError(DomainError):
    """``match_region`` found no region (code ``unknown``) or several (``ambiguous``,
    ``candidates`` holding them)."""

    def __init__(self, message: str, *, code: str, candidates=()):
        super().__init__(message, code=code)
        self.candidates = list(candidates)


def _qualified_name(node: Jurisdiction, ancestors: dict[str, Jurisdiction]) -> str:
    """河南省洛阳市洛龙区 (北京市朝阳区: a name repeated below itself is said once)."""
    names = [ancestors[k].name for k in node.ancestor_keys[1:] if k in ancestors] + [node.name]
    return "".join(name for i, name in enumerate(names) if i == 0 or name != names[i - 1])


_SEPARATORS = re.compile(r"[\s·/,，、\-—]+")
_CODE = re.compile(r"[0-9A-Za-z\-]+")


class _Lookups(Protocol):
    """Where ``_match`` finds nodes: the database (``match_region``) or a tree loaded once
    (``region_matcher``). Every lookup but ``ancestors`` is limited to the scope."""

    def coded(self, code: str) -> list[Jurisdiction]: ...  # by code or key, current first
    def recoded(self, code: str) -> list[Jurisdiction]: ...
    def named(self, names: set[str]) -> list[Jurisdiction]: ...  # in path order
    def renamed(self, name: str) -> list[Jurisdiction]: ...
    def ancestors(self, keys: set[str]) -> dict[str, Jurisdiction]: ...


def _match(text: str, lookups: _Lookups) -> Jurisdiction:
    """The one matching rule, for ``match_region`` and ``region_matcher`` alike."""
    raw = (text or "").strip()
    compact = _SEPARATORS.sub("", raw)
    if not compact:
        raise RegionMatchError(_("未填写地区。"), code="unknown")
    token = "".join(raw.split())
    if len(token) <= 20 and _CODE.fullmatch(token):
        found = lookups.coded(token) or lookups.recoded(token)
        if found:
            return found[0]
        raise RegionMatchError(_("没有代码为 %(code)s 的地区。") % {"code": raw}, code="unknown")
    # Every node whose name ends ``compact`` (its suffixes), then those whose ancestors' names
    # account for the rest of the text.
    candidates = lookups.named({compact[i:] for i in range(len(compact))})
    if not candidates:
        candidates = lookups.renamed(compact)
        if len(candidates) == 1:
            return candidates[0]
    ancestors = lookups.ancestors({key for node in candidates for key in node.ancestor_keys})
    matches = []
    for node in candidates:
        rest = compact[: len(compact) - len(node.name)] if compact.endswith(node.name) else None
        if rest is None:
            continue
        for key in node.ancestor_keys:
            above = ancestors.get(key)
            if above is None or not rest:
                continue
            for form in (above.name, name_stem(above.name)):
                if rest.startswith(form):
                    rest = rest[len(form) :]
                    break
        if not rest:
            matches.append(node)
    current = [node for node in matches if node.active] or matches
    if len(current) == 1:
        return current[0]
    if not current:
        raise RegionMatchError(_("没有名为「%(name)s」的地区。") % {"name": raw}, code="unknown")
    names = "、".join(_qualified_name(node, ancestors) for node in current[:5])
    raise RegionMatchError(
        _("「%(name)s」对应多个地区（%(names)s），请写明上级地区或填写行政区划代码。")
        % {"name": raw, "names": names},
        code="ambiguous",
        candidates=current,
    )


class _Queries:
    def __init__(self, within: Jurisdiction | None):
        self.scope = Jurisdiction.objects.all()
        if within is not None:
            self.scope = self.scope.filter(path__startswith=within.path)

    def coded(self, code):
        return list(self.scope.filter(Q(code=code) | Q(key=code)).order_by("-active", "pk"))

    def recoded(self, code):
        return list(
            self.scope.filter(
                changes__kind=JurisdictionChange.Kind.RECODED, changes__old_value=code
            ).distinct()
        )

    def named(self, names):
        return list(self.scope.filter(name__in=names))

    def renamed(self, name):
        return list(
            self.scope.filter(
                changes__kind=JurisdictionChange.Kind.RENAMED, changes__old_value=name
            ).distinct()
        )

    def ancestors(self, keys):
        return {node.key: node for node in Jurisdiction.objects.filter(key__in=keys)}


def match_region(text: str, *, within: Jurisdiction | None = None) -> Jurisdiction:
    """The one jurisdiction ``text`` names (in ``within``'s subtree, if given), for imports.

    ``text`` may be a GB/T 2260 code or a key (410311, LY-HTZ), a code the division had before
    a code change (JurisdictionChange), a name (洛龙区), a name qualified by its ancestors'
    names, whole or without their suffix (河南省洛阳市洛龙区, 洛阳 洛龙区, 济南市 市中区), or a
    former name. Current divisions are preferred to withdrawn ones. Raises RegionMatchError
    (``unknown`` or ``ambiguous``, a Chinese message naming the candidates). At most four
    queries; a file's many rows use ``region_matcher``, the same rule on a tree loaded once.
    """
    return _match(text, _Queries(within))


_SCOPE = object()


class RegionMatcher:
    """``match_region`` for many cells: the whole tree and its recorded renames and code
    changes loaded once (two queries), each distinct text matched once. Call it with a text
    (and, to look elsewhere than the matcher's ``within``, another ``within``; None: the whole
    tree); ``by_key`` gives any node by its key (a match's ancestors)."""

    def __init__(self, nodes: list[Jurisdiction], changes, *, within: Jurisdiction | None):
        self.within = within
        self.by_key = {node.key: node for node in nodes}
        self._coded: dict[str, list[Jurisdiction]] = {}
        self._named: dict[str, list[Jurisdiction]] = {}
        for node in nodes:  # in path order
            self._coded.setdefault(node.key, []).append(node)
            if node.code and node.code != node.key:
                self._coded.setdefault(node.code, []).append(node)
            self._named.setdefault(node.name, []).append(node)
        for found in self._coded.values():
            found.sort(key=lambda node: (not node.active, node.pk))
        by_pk = {node.pk: node for node in nodes}
        self._changed: dict[tuple[str, str], list[Jurisdiction]] = {}
        for kind, old_value, pk in changes:
            found = self._changed.setdefault((kind, old_value), [])
            if by_pk[pk] not in found:
                found.append(by_pk[pk])
        self._done: dict[tuple[str, str], Jurisdiction | RegionMatchError] = {}

    def __call__(self, text: str, *, within=_SCOPE) -> Jurisdiction:
        scope = self.within if within is _SCOPE else within
        key = (text, scope.path if scope is not None else "")
        if key not in self._done:
            try:
                self._done[key] = _match(text, _InTree(self, key[1]))
            except RegionMatchError as error:
                self._done[key] = error
        found = self._done[key]
        if isinstance(found, RegionMatchError):
            raise found.with_traceback(None)
        return found


class _InTree:
    def __init__(self, matcher: RegionMatcher, path: str):
        self.matcher, self.path = matcher, path

    def _inside(self, nodes):
        return [node for node in nodes if node.path.startswith(self.path)]

    def coded(self, code):
        return self._inside(self.matcher._coded.get(code, ()))

    def recoded(self, code):
        found = self.matcher._changed.get((JurisdictionChange.Kind.RECODED, code), ())
        return self._inside(found)

    def named(self, names):
        found = [node for name in names for node in self.matcher._named.get(name, ())]
        return sorted(self._inside(found), key=lambda node: node.path)

    def renamed(self, name):
        found = self.matcher._changed.get((JurisdictionChange.Kind.RENAMED, name), ())
        return self._inside(found)

    def ancestors(self, keys):
        by_key = self.matcher.by_key
        return {key: by_key[key] for key in keys if key in by_key}


def region_matcher(*, within: Jurisdiction | None = None) -> RegionMatcher:
    """A ``match_region`` for a file's rows (in ``within``'s subtree): two queries in all."""
    nodes = list(Jurisdiction.objects.order_by("path"))
    changes = JurisdictionChange.objects.filter(
        kind__in=(JurisdictionChange.Kind.RECODED, JurisdictionChange.Kind.RENAMED)
    ).values_list("kind", "old_value", "jurisdiction_id")
    return RegionMatcher(nodes, changes, within=within)


def pending_registrations(*, user) -> QuerySet[Organisation]:
    return (
        organisation_list(user=user)
        .filter(status=Organisation.Status.PENDING)
        .order_by("created_at")
    )


def organisation_counts_by_child(*, user) -> list[dict]:
    """For an official's dashboard: each direct child jurisdiction with its organisation counts.

    Read from the maintained counts (OrganisationCount holds each child's whole subtree), so the
    cost is the number of children, not of organisations below them.
    """
    root = user.organisation.jurisdiction
    children = Jurisdiction.objects.filter(parent=root).order_by("path")
    rows = (
        OrganisationCount.objects.filter(jurisdiction__parent=root)
        .values("jurisdiction_id")
        .annotate(
            n=Sum("total"),
            n_pending=Sum("total", filter=Q(status=Organisation.Status.PENDING)),
        )
        .order_by()
    )
    totals = {
        row["jurisdiction_id"]: {"total": row["n"] or 0, "pending": row["n_pending"] or 0}
        for row in rows
    }
    return [
        {"jurisdiction": child, **totals.get(child.pk, {"total": 0, "pending": 0})}
        for child in children
    ]


def organisation_totals(*, user) -> dict:
    """The dashboard's totals over what ``user`` oversees, from the maintained counts: ``total``,
    ``pending`` and ``by_kind`` (``[{"kind", "total"}]`` in kind order, kinds with none left out).

    An official's subtree is one row per kind and status at the root; an administrator's, the
    rows of the roots (jurisdictions with no parent)."""
    rows = OrganisationCount.objects.filter(total__gt=0)
    if user.is_sysadmin:
        rows = rows.filter(jurisdiction__parent__isnull=True)
    else:
        rows = rows.filter(jurisdiction=user.organisation.jurisdiction_id)
    by_kind: dict[str, int] = {}
    pending = 0
    for kind, status, total in rows.values_list("kind", "status", "total"):
        by_kind[kind] = by_kind.get(kind, 0) + total
        if status == Organisation.Status.PENDING:
            pending += total
    return {
        "total": sum(by_kind.values()),
        "pending": pending,
        "by_kind": [{"kind": kind, "total": by_kind[kind]} for kind in sorted(by_kind)],
    }


def organisation_count(*, user, kind: str = "", status: str = "", within=None) -> int | None:
    """How many organisations ``user`` oversees of ``kind`` and ``status`` (either blank for
    all), within the jurisdiction ``within`` (None: no further limit), from the maintained
    counts. None when the counts cannot answer (the user oversees no subtree)."""
    if user.is_sysadmin:
        scope = None
    elif user.is_official and user.organisation_id:
        scope = user.organisation.jurisdiction
    else:
        return None
    node = scope
    if within is not None:
        if scope is None or scope.contains(within):
            node = within
        elif not within.contains(scope):
            return 0
    rows = OrganisationCount.objects.all()
    if node is None:
        rows = rows.filter(jurisdiction__parent__isnull=True)
    else:
        rows = rows.filter(jurisdiction=node)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.aggregate(n=Sum("total"))["n"] or 0
