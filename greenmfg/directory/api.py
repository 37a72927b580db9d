from functools import partial

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.api import StandardPagination
from greenmfg.core.errors import NotPermitted
from greenmfg.directory import services
from greenmfg.directory.filters import JurisdictionFilter, OrganisationFilter
from greenmfg.directory.pagination import OrganisationPaginator
from greenmfg.directory.selectors import jurisdiction_list, organisation_list
from greenmfg.directory.serializers import (
    AuditEntrySerializer,
    JurisdictionSerializer,
    OrganisationCreateSerializer,
    OrganisationSerializer,
    TransitionSerializer,
)


class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划, limited to the caller's subtree."""

    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilter
    lookup_field = "key"
    ordering_fields = ["path", "name"]

    def get_queryset(self):
        return jurisdiction_list(user=self.request.user)


class OrganisationPagination(StandardPagination):
    """The endpoint's pages count like the page's: from the maintained counts when no name is
    searched (exact at any size), otherwise the capped count."""

    def paginate_queryset(self, queryset, request, view=None):
        known_count = None
        if getattr(view, "action", None) == "list":  # not the audit trail's pages
            filterset = OrganisationFilter(request.query_params or None, queryset=queryset)
            known_count = filterset.summary_count(user=request.user)
        self.django_paginator_class = partial(OrganisationPaginator, known_count=known_count)
        return super().paginate_queryset(queryset, request, view)


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """单位, limited like the pages: an official's subtree, otherwise one's own organisation."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    pagination_class = OrganisationPagination
    ordering_fields = ["name", "created_at"]
    conflict_actions = ("create",)  # a credit code or name already registered: 409 with its id

    def get_queryset(self):
        return organisation_list(user=self.request.user)

    @extend_schema(request=OrganisationCreateSerializer, responses={201: OrganisationSerializer})
    def create(self, request, *args, **kwargs):
        payload = OrganisationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, **payload.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: OrganisationSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """办理单位注册审核。

        One step of the organisation's registration workflow (``action``, ``comment``)."""
        organisation = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        organisation = services.organisation_transition(
            organisation=organisation, actor=request.user, **payload.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(responses={200: AuditEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def audit(self, request, pk=None):
        """查看单位操作留痕。

        For officials and administrators; paginated."""
        organisation = self.get_object()
        if not (request.user.is_official or request.user.is_sysadmin):
            raise NotPermitted(_("操作留痕仅对工信部门开放。"))
        entries = self.paginate_queryset(audit_entries_for(subject=organisation))
        return self.get_paginated_response(AuditEntrySerializer(entries, many=True).data)
