from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OfficeModelBackend(ModelBackend):
    """Django's backend, loading the user's office with the user: every page needs it for scoping."""

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("office").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
