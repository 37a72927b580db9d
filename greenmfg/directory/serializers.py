from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.directory.workflow import organisation_workflow


class JurisdictionSerializer(serializers.ModelSerializer):
    # The nation, the root, has none.
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = Jurisdiction
        fields = ["key", "code", "name", "level", "kind", "parent", "path"]


class OrganisationSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "department",
            "credit_code",
            "jurisdiction",
            "jurisdiction_name",
            "status",
            "status_display",
            "address",
            "contact_name",
            "contact_phone",
            "created_at",
        ]


class OrganisationCreateSerializer(serializers.Serializer):
    """Input only: the service validates and saves."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    jurisdiction = serializers.SlugRelatedField(
        slug_field="key", queryset=Jurisdiction.objects.all(), help_text=_("区划标识，如 410311")
    )
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    department = serializers.ChoiceField(
        choices=Organisation.Department.choices, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=sorted({(t.action, str(t.label)) for t in organisation_workflow.transitions})
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    actor_role = serializers.CharField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()
