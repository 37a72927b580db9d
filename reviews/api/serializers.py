from rest_framework import serializers

from applications.models import Application
from greenmfg.directory.models import Organisation
from reviews.models import CountyReview, OpinionAttachment, OpinionRequest


class OpinionAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpinionAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class OpinionRequestSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    attachments = OpinionAttachmentSerializer(many=True, read_only=True)
    # Blank until the department answers (read-only model fields lose allow_blank).
    answer = serializers.ChoiceField(
        choices=OpinionRequest.Answer.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = OpinionRequest
        fields = [
            "id",
            "application",
            "department",
            "department_name",
            "message",
            "due_date",
            "requested_at",
            "status",
            "answer",
            "reasons",
            "answered_at",
            "attachments",
        ]
        read_only_fields = fields


class OpinionRequestCreateSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT), many=True
    )
    message = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class OpinionAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=OpinionRequest.Answer.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CountyReviewSerializer(serializers.ModelSerializer):
    # Null until the county first saves its review.
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = CountyReview
        fields = ["application", "checklist", "rank", "notes", "updated_at"]
        read_only_fields = ["application", "updated_at"]


class CountyReviewInputSerializer(serializers.Serializer):
    checklist = serializers.DictField(child=serializers.BooleanField())
    rank = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
