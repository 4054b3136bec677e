"""What every history-keeping admin shares: the history pages obey the change page's scope.

django-simple-history's history list falls back to the history table when the object is not in
the admin's queryset, and its version page reads the history table directly: both would show any
office's records to a branch admin. Here both pages start from the admin's own (scoped) queryset
and answer 404 outside it.

Its "Revert" puts an old version back whole. It saves through the admin's ``save_model``, which
for every admin using this mixin is the model's service (``registration.update_client``,
``groups.services.update``): the service refuses a version whose status, office, officer or
lifecycle dates differ from today's, and the refusal is shown on the page; any other field is
put back, with the user in the history.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from mifos.actions import TransitionError
from offices.scoping import sees_everything


class ScopedHistoryMixin:
    """Put before ``SimpleHistoryAdmin`` in an admin's bases."""

    def _scoped_object_or_404(self, request, object_id):
        # get_object answers None for an id of the wrong shape too, not a server error.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        if not str(version_id).isdigit():
            raise Http404
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except (ValidationError, TransitionError) as refusal:
            # The service wrote nothing; say why on the version page itself.
            reasons = refusal.messages if isinstance(refusal, ValidationError) else [refusal.message]
            for reason in reasons:
                self.message_user(request, _("This version was not put back: %s") % reason, messages.ERROR)
            return HttpResponseRedirect(request.path)


class InstitutionWideAdminMixin:
    """The admin of what the whole institution shares: its rules, products and lookup lists.

    A change there reaches every office, so only a user who sees every office (head office, a
    superuser) adds, changes or deletes; an admin of a region or branch, whatever their role's
    permissions, may read it. Put before ``admin.ModelAdmin`` in an admin's bases. (A change is
    recorded in the activity log with no office: head office's log shows it, a region's does not.)
    """

    def has_add_permission(self, request, *args):
        return sees_everything(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return sees_everything(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return sees_everything(request.user) and super().has_delete_permission(request, obj)


def _valid_for(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Admin's autocomplete, re-rendering an invalid form: a posted value that is no id of the
    target (``abc``) is left out instead of reaching the query and failing it."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _valid_for(target, v)], attr)


class SafeInputAdminMixin:
    """Admin answers malformed input with a message, never a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_valid_for(self.model._meta.pk, value) for value in selected):
            message = _("The selection was not understood; select the rows again.")
            self.message_user(request, message, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


def make_every_admin_safe(site):
    """Give every registered admin, ours and the libraries' (auth, axes, tasks), SafeInputAdminMixin.

    Each admin list has Django's "delete selected" action, which turned a malformed selection into a
    server error; rather than remembering the mixin in each new admin, the site applies it once,
    after every app has registered its admins.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SafeInputAdminMixin):
            continue
        safe_class = type(type(model_admin).__name__, (SafeInputAdminMixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, safe_class)
