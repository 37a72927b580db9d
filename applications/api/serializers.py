from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.api.facts import facts_schema_path
from applications.models import (
    Application,
    Batch,
    Document,
    DocumentVersion,
    PrincipleException,
    UnitType,
)
from applications.workflow import application_workflow
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


FACTS_HELP = _(
    "事实（键 → 值）。一项政策对一种单位类型读取哪些事实、各自的类型、取值范围、单位和条款，"
    "见 GET /api/v1/rules/facts-schema/?policy=…&unit_type=… 返回的 JSON Schema（本申报的地址在 "
    "facts_schema）。"
)
REFERENCE_FACTS_HELP = _(
    "县级工信部门填写的行业参考值（facts_schema 中标有 x-industry-average 的事实，键和值的"
    "类型同 facts），与 facts 一并用于资格自查。"
)


class ApplicationSerializer(serializers.ModelSerializer):
    principle_exceptions = PrincipleExceptionSerializer(many=True, read_only=True)
    facts = serializers.DictField(read_only=True, help_text=FACTS_HELP)
    reference_facts = serializers.DictField(read_only=True, help_text=REFERENCE_FACTS_HELP)
    facts_schema = serializers.SerializerMethodField(
        help_text=_("本申报的政策和单位类型的事实 JSON Schema 的地址（GET）。")
    )
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
            "facts_schema",
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

    def get_facts_schema(self, application) -> str:
        return facts_schema_path(application.batch.policy, application.unit_type)


class ApplicationCreateSerializer(serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    product_name = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationDraftSerializer(serializers.Serializer):
    """A partial update of the draft; fact values are checked by the service."""

    facts = serializers.DictField(required=False, help_text=FACTS_HELP)
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
    facts = serializers.DictField(help_text=REFERENCE_FACTS_HELP)


# Every step of the application's table a person takes one application at a time: the county's
# (开始初审, 推荐, 退回修改 …) and the bureau's (开始专家评审, 评审通过 …) as well as the
# applicant's. The runner checks the caller's role and each step's guards, as for the pages; the
# batch-wide steps (公示, 发布名单, 推荐至上级) have their own operations.
TRANSITION_ACTIONS = {}
for _transition in application_workflow.transitions:
    if not _transition.by_service:
        TRANSITION_ACTIONS.setdefault(_transition.action, _transition.label)


class ApplicationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITION_ACTIONS.items()))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField()


class PrecheckSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    findings = serializers.ListField(child=serializers.DictField())
