from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.models import (
    Application,
    Batch,
    Document,
    DocumentVersion,
    PrincipleException,
    UnitType,
)
from greenmfg.directory.models import Organisation


class DocumentVersionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "number",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "pages",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, version) -> str:
        return reverse("document-version-download", args=[version.pk])


class DocumentSerializer(serializers.ModelSerializer):
    versions = DocumentVersionSerializer(many=True, read_only=True)
    current = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "current", "versions"]


class PrincipleExceptionSerializer(serializers.ModelSerializer):
    """原则上: the applicant's reason for a failed condition and the county's acceptance."""

    is_accepted = serializers.BooleanField(read_only=True)

    class Meta:
        model = PrincipleException
        fields = [
            "code",
            "citation",
            "finding",
            "reason",
            "stated_at",
            "county_reason",
            "accepted_at",
            "is_accepted",
        ]
        read_only_fields = fields


class PrincipleReasonSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100, help_text=_("资格自查中不符合的原则上条件的代码"))
    reason = serializers.CharField(
        allow_blank=True, help_text=_("理由，不少于10个字（申报单位说明或县级认可）")
    )


class ApplicationSerializer(serializers.ModelSerializer):
    principle_exceptions = PrincipleExceptionSerializer(many=True, read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    policy = serializers.CharField(source="batch.policy", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "batch",
            "policy",
            "organisation",
            "organisation_name",
            "jurisdiction",
            "unit_type",
            "product_name",
            "industry",
            "status",
            "status_display",
            "facts",
            "reference_facts",
            "evaluation_mode",
            "agency",
            "self_evaluation_helper",
            "precheck",
            "precheck_eligible",
            "prechecked_at",
            "principle_exceptions",
            "submitted_at",
            "paper_copy_received_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    product_name = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationDraftSerializer(serializers.Serializer):
    """A partial update of the draft; fact values are checked by the service."""

    facts = serializers.DictField(required=False)
    industry = serializers.CharField(required=False, allow_blank=True)
    product_name = serializers.CharField(required=False, allow_blank=True)
    evaluation_mode = serializers.ChoiceField(
        choices=Application.EvaluationMode.choices, required=False
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY),
        required=False,
        allow_null=True,
    )
    self_evaluation_helper = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY),
        required=False,
        allow_null=True,
    )


class FactsSerializer(serializers.Serializer):
    facts = serializers.DictField()


class ApplicationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "withdraw", "return"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField()


class PrecheckSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    findings = serializers.ListField(child=serializers.DictField())
