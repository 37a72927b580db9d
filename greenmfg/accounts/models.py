from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.directory.models import Organisation


class User(AbstractUser):
    """A person who logs in. Belongs to one organisation and has one role."""

    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=30, blank=True)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        indexes = [models.Index(fields=["role"], name="user_role")]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def effective_role(self) -> str:
        """The role workflows check: a superuser acts as system administrator."""
        return Role.SYSADMIN if self.is_superuser else self.role

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    @property
    def is_sysadmin(self) -> bool:
        return self.role == Role.SYSADMIN or self.is_superuser

    @property
    def jurisdiction(self):
        return self.organisation.jurisdiction if self.organisation_id else None
