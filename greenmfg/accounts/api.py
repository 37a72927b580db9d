from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.generics import RetrieveAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny

from greenmfg.accounts.imports import KIND
from greenmfg.accounts.serializers import MeSerializer
from greenmfg.core.imports.api import import_viewset


class MeView(RetrieveAPIView):
    """查看当前用户。

    The signed-in user, their role and organisation."""

    serializer_class = MeSerializer

    @extend_schema(operation_id="me")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        user = self.request.user
        return get_user_model().objects.select_related("organisation__jurisdiction").get(pk=user.pk)


class ObtainTokenView(ObtainAuthToken):
    """获取 API 令牌。

    POST username and password, get an API token.

    The serializer authenticates against Django's own request, so django-axes sees the attempt
    and locks the account after repeated failures, as on the login page. Anyone may ask, and
    no credentials are read: a client holding a stale token gets a new one instead of a 401
    (and the schema shows the operation as anonymous).
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (JSONParser,)  # DRF's takes forms too; every API body is JSON

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}


# 批量导入工作人员账号 API: ``/api/imports/staff/`` (greenmfg.core.imports.api).
StaffImportViewSet = import_viewset(KIND)

import_routes = [("imports/staff", StaffImportViewSet, "staff-import")]
