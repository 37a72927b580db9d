import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.models import Jurisdiction, Organisation, subtree_q
from greenmfg.directory.selectors import organisation_count


class OrganisationFilter(django_filters.FilterSet):
    """Shared by the organisations page and the API, so both filter the same way."""

    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("单位类别"), choices=Organisation.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Organisation.Status.choices)
    jurisdiction = django_filters.CharFilter(
        label=_("区划（含下级）"), method="filter_jurisdiction", help_text=_("区划标识或代码")
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("created_at", "created_at"),
            ("jurisdiction__path", "jurisdiction"),
        ),
        field_labels={
            "name": _("名称"),
            "created_at": _("创建时间"),
            "jurisdiction__path": _("区划"),
        },
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "status", "jurisdiction"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))

    def summary_count(self, *, user) -> int | None:
        """How many rows these filters give ``user``, from the maintained counts
        (OrganisationCount), or None when those cannot answer: a name or credit-code search,
        or a user who oversees no subtree. Reads the cleaned filters as ``qs`` applies them
        (a field that does not validate filters nothing)."""
        data = {}
        if self.is_bound:
            self.errors  # noqa: B018 (validates the form, as ``qs`` does)
            data = self.form.cleaned_data
        if (data.get("q") or "").strip():
            return None
        within = None
        if data.get("jurisdiction"):
            within = self.jurisdiction_node(data["jurisdiction"])
            if within is None:
                return 0
        return organisation_count(
            user=user, kind=data.get("kind") or "", status=data.get("status") or "", within=within
        )

    def jurisdiction_node(self, value) -> Jurisdiction | None:
        """The jurisdiction the filter names (by key or code), looked up once."""
        cache = self.__dict__.setdefault("_jurisdiction_nodes", {})
        if value not in cache:
            cache[value] = Jurisdiction.objects.filter(Q(key=value) | Q(code=value)).first()
        return cache[value]

    def filter_jurisdiction(self, queryset, name, value):
        node = self.jurisdiction_node(value)
        if node is None:
            return queryset.none()
        # Equality on the organisation's province or city, its county and the county's zones
        # by id: their indexes serve the page (the same rows as the path prefix).
        return queryset.filter(subtree_q(node))


class JurisdictionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Jurisdiction._meta.get_field("level").choices)
    parent = django_filters.CharFilter(field_name="parent__key", label=_("上级标识"))

    class Meta:
        model = Jurisdiction
        fields = ["level", "parent", "kind"]
