"""The authentication backend: Django's, loading a signed-in user with their organisation and
its jurisdiction in the same query, since every page reads both (the menu, the scoping)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

User = get_user_model()


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        users = User._default_manager.select_related("organisation__jurisdiction")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
