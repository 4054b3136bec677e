import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


class OfficeModelBackend(ModelBackend):
    """Django's backend, with less work on every page.

    The user's office comes with the user (scoping needs it everywhere), and the user's own and
    their roles' permissions come in one plain query: the ORM's version of it took 3 ms to build,
    compile and plan on every page, the query itself 0.4 ms.
    """

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("office").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                pairs = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                with connection.cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    pairs = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in pairs}
        return user_obj._perm_cache


@functools.cache
def _permissions_sql():
    """The app label and codename of a user's own permissions and of their roles' (two parameters:
    the user's id, twice), written from the models' tables and columns."""
    quote = connection.ops.quote_name
    user_permissions = get_user_model()._meta.get_field("user_permissions")
    user_groups = get_user_model()._meta.get_field("groups")
    group_permissions = Group._meta.get_field("permissions")
    return (
        f"SELECT ct.{quote('app_label')}, p.{quote('codename')}"
        f" FROM {quote(Permission._meta.db_table)} p"
        f" JOIN {quote(ContentType._meta.db_table)} ct ON ct.{quote('id')} = p.{quote('content_type_id')}"
        f" WHERE p.{quote('id')} IN ("
        f"SELECT {quote(user_permissions.m2m_reverse_name())} FROM {quote(user_permissions.m2m_db_table())}"
        f" WHERE {quote(user_permissions.m2m_column_name())} = %s"
        f" UNION SELECT gp.{quote(group_permissions.m2m_reverse_name())}"
        f" FROM {quote(group_permissions.m2m_db_table())} gp"
        f" JOIN {quote(user_groups.m2m_db_table())} ug"
        f" ON ug.{quote(user_groups.m2m_reverse_name())} = gp.{quote(group_permissions.m2m_column_name())}"
        f" WHERE ug.{quote(user_groups.m2m_column_name())} = %s)"
    )
