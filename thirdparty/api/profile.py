"""评价机构资质 API: the agencies with their qualification verdict, their rosters, experience and
related entities, and the review, with the scope and permissions of the pages.

Officials read the agencies of their subtree and approve or return their profiles; agency staff
read and write their own agency's. The same services do the work, so the API refuses what the
pages refuse, with the same messages.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from greenmfg.core.errors import NotPermitted
from thirdparty.filters.profile import AgencyFilter
from thirdparty.models import (
    AgencyProfile,
    ExperienceRecord,
    RelatedEntity,
    StaffField,
    StaffMember,
    TitleLevel,
)
from thirdparty.selectors.profile import (
    DECLARATIONS,
    agency_list,
    experience_list,
    profile_of,
    qualification_of,
    related_entity_list,
    staff_list,
)
from thirdparty.services import profile as services

PROFILE_STATUS_HELP = gettext_lazy(
    "draft 填报中 / submitted 待审核 / approved 已通过 / returned 退回修改；未填报为空"
)


class AgencyFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    article = serializers.CharField()
    clause = serializers.CharField()
    citation = serializers.CharField(help_text=gettext_lazy("大连 通知的条款，如 二(三)"))
    passed = serializers.BooleanField()
    message = serializers.CharField()


class AgencyQualificationSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text=gettext_lazy("是否符合大连 二 的全部基本条件"))
    policy = serializers.CharField(source="verdict.policy")
    full_time_green_staff = serializers.IntegerField(
        source="counts.green", help_text=gettext_lazy("从事绿色评价的中级职称以上专职人员")
    )
    senior_key_field_staff = serializers.IntegerField(
        source="counts.senior",
        help_text=gettext_lazy("其中能源、环境、生态、低碳、生命周期评价专业高级职称人员"),
    )
    recent_experience = serializers.IntegerField(
        source="counts.recent", help_text=gettext_lazy("近五年（first_year—last_year）的业绩数")
    )
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    staff_total = serializers.IntegerField()
    findings = AgencyFindingSerializer(many=True)


class AgencySerializer(serializers.Serializer):
    """An agency with its profile (the ID number masked) and its qualification verdict."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    credit_code = serializers.CharField(read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    organisation_status = serializers.CharField(
        source="status",
        read_only=True,
        help_text=gettext_lazy(
            "单位注册状态：pending 待审核 / active 正常 / rejected / deactivated"
        ),
    )
    profile_status = serializers.SerializerMethodField(help_text=PROFILE_STATUS_HELP)
    profile_status_display = serializers.SerializerMethodField()
    legal_representative = serializers.SerializerMethodField()
    legal_representative_id_masked = serializers.SerializerMethodField(
        help_text=gettext_lazy("法定代表人身份证号码，部分隐去")
    )
    office_address = serializers.SerializerMethodField()
    declarations = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "基本条件声明：independent_legal_entity、has_fixed_office、has_finance_system、"
            "staff_compliance、evaluation_capability"
        )
    )
    submitted_at = serializers.SerializerMethodField()
    decided_at = serializers.SerializerMethodField()
    decision_comment = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text=gettext_lazy("资质信息的版本；审核时传回，可防止审核查看后被修改的内容")
    )
    qualification = serializers.SerializerMethodField()

    def _profile(self, agency) -> AgencyProfile | None:
        return profile_of(agency)

    def get_profile_status(self, agency) -> str:
        profile = self._profile(agency)
        return profile.status if profile else ""

    def get_profile_status_display(self, agency) -> str:
        profile = self._profile(agency)
        return profile.get_status_display() if profile else str(gettext_lazy("未填报"))

    def get_legal_representative(self, agency) -> str:
        profile = self._profile(agency)
        return profile.legal_representative if profile else ""

    def get_legal_representative_id_masked(self, agency) -> str:
        profile = self._profile(agency)
        return profile.masked_id if profile else ""

    def get_office_address(self, agency) -> str:
        profile = self._profile(agency)
        return profile.office_address if profile else ""

    @extend_schema_field(serializers.DictField(child=serializers.BooleanField()))
    def get_declarations(self, agency) -> dict:
        profile = self._profile(agency)
        return {name: bool(profile and getattr(profile, name)) for name in DECLARATIONS}

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, agency):
        profile = self._profile(agency)
        value = profile.submitted_at if profile else None
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_decided_at(self, agency):
        profile = self._profile(agency)
        value = profile.decided_at if profile else None
        return serializers.DateTimeField().to_representation(value) if value else None

    def get_decision_comment(self, agency) -> str:
        profile = self._profile(agency)
        return profile.decision_comment if profile else ""

    def get_version(self, agency) -> str:
        return services.profile_version(self._profile(agency))

    @extend_schema_field(AgencyQualificationSerializer)
    def get_qualification(self, agency):
        return AgencyQualificationSerializer(qualification_of(agency)).data


class AgencyProfileWriteSerializer(serializers.Serializer):
    """Input only: the fields left out keep their value."""

    legal_representative = serializers.CharField(required=False, allow_blank=True)
    legal_representative_id = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("18 位居民身份证号码")
    )
    office_address = serializers.CharField(required=False, allow_blank=True)
    independent_legal_entity = serializers.BooleanField(required=False)
    has_fixed_office = serializers.BooleanField(required=False)
    has_finance_system = serializers.BooleanField(required=False)
    staff_compliance = serializers.BooleanField(required=False)
    evaluation_capability = serializers.BooleanField(required=False)


class AgencyDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("退回时必填")
    )
    version = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("查看时的 version；资质信息此后被修改则拒绝审核"),
    )


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """第三方评价机构: officials see their subtree's, agency staff their own."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return agency_list(user=self.request.user)

    def _answer(self, agency, code=status.HTTP_200_OK):
        agency = self.get_queryset().get(pk=agency.pk)
        return Response(AgencySerializer(agency).data, status=code)

    @extend_schema(request=AgencyProfileWriteSerializer, responses={200: AgencySerializer})
    @action(detail=True, methods=["patch"])
    def profile(self, request, pk=None):
        """保存机构资料。

        Agency staff save their own profile (a draft may be incomplete)."""
        agency = self.get_object()
        payload = AgencyProfileWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        current = profile_of(agency)
        blank = {"legal_representative": "", "legal_representative_id": "", "office_address": ""}
        blank.update({name: False for name in DECLARATIONS})
        values = {
            name: getattr(current, name) if current is not None else default
            for name, default in blank.items()
        }
        values.update(payload.validated_data)
        services.profile_save(agency=agency, actor=request.user, **values)
        return self._answer(agency)

    @extend_schema(request=None, responses={200: AgencySerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交机构资料。"""
        agency = self.get_object()
        services.profile_submit(agency=agency, actor=request.user)
        return self._answer(agency)

    def _decide(self, request, action_name: str):
        agency = self.get_object()
        payload = AgencyDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.profile_decide(
            agency=agency, actor=request.user, action=action_name, **payload.validated_data
        )
        return self._answer(agency)

    @extend_schema(request=AgencyDecisionSerializer, responses={200: AgencySerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """审核通过机构资料。

        Officials approve a submitted profile; refused while the qualification fails."""
        return self._decide(request, "approve")

    @extend_schema(request=AgencyDecisionSerializer, responses={200: AgencySerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_profile(self, request, pk=None):
        """退回机构资料。

        Officials return a submitted profile with reasons (``comment``)."""
        return self._decide(request, "return")


# --- the rows -----------------------------------------------------------------------------------


class _RowViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Agency staff write their own agency's rows; officials read those of their subtree."""

    filterset_fields = ["agency"]
    write_serializer_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _own_agency(self):
        user = self.request.user
        if user.organisation is None:
            raise NotPermitted(
                str(gettext_lazy("只有本机构的评价机构人员可以填报和修改本机构资质。"))
            )
        return user.organisation

    def add(self, agency, data):
        raise NotImplementedError

    def change(self, row, data):
        raise NotImplementedError

    def remove(self, row):
        raise NotImplementedError

    def create(self, request):
        payload = self.write_serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        row = self.add(self._own_agency(), payload.validated_data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        row = self.get_object()
        payload = self.write_serializer_class(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        row = self.change(row, payload.validated_data)
        return Response(self.get_serializer(row).data)

    def destroy(self, request, pk=None):
        self.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgencyStaffSerializer(serializers.ModelSerializer):
    title_level_display = serializers.CharField(source="get_title_level_display", read_only=True)
    field_display = serializers.CharField(source="get_field_display", read_only=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "agency",
            "name",
            "full_time",
            "title_level",
            "title_level_display",
            "field",
            "field_display",
            "green_evaluation",
        ]
        read_only_fields = fields


class AgencyStaffWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    full_time = serializers.BooleanField(required=False, default=True)
    title_level = serializers.ChoiceField(choices=TitleLevel.choices)
    field = serializers.ChoiceField(choices=StaffField.choices)
    green_evaluation = serializers.BooleanField(required=False, default=True)


class StaffViewSet(_RowViewSet):
    """评价人员名册 (``?agency=`` for one agency's)."""

    serializer_class = AgencyStaffSerializer
    write_serializer_class = AgencyStaffWriteSerializer

    def get_queryset(self):
        return staff_list(user=self.request.user)

    @extend_schema(request=AgencyStaffWriteSerializer, responses={201: AgencyStaffSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=AgencyStaffWriteSerializer, responses={200: AgencyStaffSerializer})
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def add(self, agency, data):
        return services.staff_add(agency=agency, actor=self.request.user, **data)

    def change(self, row, data):
        return services.staff_update(member=row, actor=self.request.user, **data)

    def remove(self, row):
        services.staff_remove(member=row, actor=self.request.user)


class AgencyExperienceSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ExperienceRecord
        fields = ["id", "agency", "kind", "kind_display", "title", "year", "led", "description"]
        read_only_fields = fields


class AgencyExperienceWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExperienceRecord.Kind.choices)
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField()
    led = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ExperienceViewSet(_RowViewSet):
    """近五年业绩 (``?agency=`` for one agency's)."""

    serializer_class = AgencyExperienceSerializer
    write_serializer_class = AgencyExperienceWriteSerializer

    def get_queryset(self):
        return experience_list(user=self.request.user)

    @extend_schema(
        request=AgencyExperienceWriteSerializer, responses={201: AgencyExperienceSerializer}
    )
    def create(self, request):
        return super().create(request)

    @extend_schema(
        request=AgencyExperienceWriteSerializer, responses={200: AgencyExperienceSerializer}
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def add(self, agency, data):
        return services.experience_add(agency=agency, actor=self.request.user, **data)

    def change(self, row, data):
        return services.experience_update(record=row, actor=self.request.user, **data)

    def remove(self, row):
        services.experience_remove(record=row, actor=self.request.user)


class RelatedEntitySerializer(serializers.ModelSerializer):
    relation_display = serializers.CharField(source="get_relation_display", read_only=True)
    related_agency_name = serializers.CharField(
        source="related_agency.name", read_only=True, default=""
    )

    class Meta:
        model = RelatedEntity
        fields = [
            "id",
            "agency",
            "name",
            "credit_code",
            "relation",
            "relation_display",
            "related_agency",
            "related_agency_name",
        ]
        read_only_fields = fields


class RelatedEntityWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(help_text=gettext_lazy("18 位统一社会信用代码"))
    relation = serializers.ChoiceField(choices=RelatedEntity.Relation.choices)


class RelatedEntityViewSet(_RowViewSet):
    """关联单位 (``?agency=`` for one agency's); linked to a registered agency by credit code."""

    serializer_class = RelatedEntitySerializer
    write_serializer_class = RelatedEntityWriteSerializer

    def get_queryset(self):
        return related_entity_list(user=self.request.user)

    @extend_schema(request=RelatedEntityWriteSerializer, responses={201: RelatedEntitySerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=RelatedEntityWriteSerializer, responses={200: RelatedEntitySerializer})
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def add(self, agency, data):
        return services.related_add(agency=agency, actor=self.request.user, **data)

    def change(self, row, data):
        return services.related_update(entity=row, actor=self.request.user, **data)

    def remove(self, row):
        services.related_remove(entity=row, actor=self.request.user)


routes = [
    ("agencies", AgencyViewSet, "agency"),
    ("agency-staff", StaffViewSet, "agency-staff"),
    ("agency-experience", ExperienceViewSet, "agency-experience"),
    ("agency-related-entities", RelatedEntityViewSet, "agency-related-entity"),
]
