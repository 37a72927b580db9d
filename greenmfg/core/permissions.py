from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class OfficialRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages for 工信部门 officials (any level) and administrators."""

    permission_denied_message = _("此页面仅对工信部门开放。")

    def test_func(self):
        user = self.request.user
        return user.is_official or user.is_sysadmin


class IsOfficial(BasePermission):
    message = _("仅工信部门和系统管理员可以执行此操作。")

    def has_permission(self, request, view):
        user = request.user
        return bool(user.is_authenticated and (user.is_official or user.is_sysadmin))
