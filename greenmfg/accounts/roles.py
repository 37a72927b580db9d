"""Roles, and which kind of organisation (and at which level) each role belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.models import Level, Organisation


class Role(models.TextChoices):
    APPLICANT = "applicant", _("企业/园区申报人")
    AGENCY_STAFF = "agency_staff", _("第三方评价机构人员")
    COUNTY_OFFICIAL = "county_official", _("县（区）工信部门")
    CITY_OFFICIAL = "city_official", _("市工信部门")
    PROVINCE_OFFICIAL = "province_official", _("省工信部门")
    NATIONAL_OFFICIAL = "national_official", _("国家工信部门")
    EXPERT = "expert", _("评审专家")
    DEPARTMENT_OFFICIAL = "department_official", _("征求意见部门")
    SYSADMIN = "sysadmin", _("系统管理员")


OFFICIAL_ROLES = frozenset(
    {Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL}
)

OFFICIAL_ROLE_BY_LEVEL = {
    Level.COUNTY: Role.COUNTY_OFFICIAL,
    Level.CITY: Role.CITY_OFFICIAL,
    Level.PROVINCE: Role.PROVINCE_OFFICIAL,
    Level.NATIONAL: Role.NATIONAL_OFFICIAL,
}

# The organisation kinds a role's user may belong to. Experts come from universities, institutes,
# agencies or enterprises, so they may sit in any non-government organisation.
ORGANISATION_KINDS_BY_ROLE = {
    Role.APPLICANT: {Organisation.Kind.ENTERPRISE, Organisation.Kind.PARK},
    Role.AGENCY_STAFF: {Organisation.Kind.AGENCY},
    Role.COUNTY_OFFICIAL: {Organisation.Kind.BUREAU},
    Role.CITY_OFFICIAL: {Organisation.Kind.BUREAU},
    Role.PROVINCE_OFFICIAL: {Organisation.Kind.BUREAU},
    Role.NATIONAL_OFFICIAL: {Organisation.Kind.BUREAU},
    Role.EXPERT: {
        Organisation.Kind.INSTITUTION,
        Organisation.Kind.AGENCY,
        Organisation.Kind.ENTERPRISE,
    },
    Role.DEPARTMENT_OFFICIAL: {Organisation.Kind.DEPARTMENT},
}
