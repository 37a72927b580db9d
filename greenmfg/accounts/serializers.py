from rest_framework import serializers

from greenmfg.accounts.models import User
from greenmfg.directory.serializers import OrganisationSerializer


class MeSerializer(serializers.ModelSerializer):
    # A system administrator belongs to none.
    organisation = OrganisationSerializer(read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "role_display", "organisation"]
