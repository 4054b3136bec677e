"""A user's own pages: their profile (name, language) and the language switcher on every page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView
from django.views.i18n import set_language

from .forms import ProfileForm


class ProfileView(UpdateView):
    """Every signed-in user may keep their own name, email and language; nothing that grants rights."""

    form_class = ProfileForm
    template_name = "offices/profile.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your profile is saved."))
        return redirect("offices:profile")


@login_not_required
@require_POST
def switch_language(request):
    """The switcher in every page's header: a signed-in user's choice is kept on their profile.

    Django's set_language does the rest (the language cookie, the safe redirect back).
    """
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(ProfileForm.base_fields["language"].choices):
        user.language = language
        user.save(update_fields=["language"])
    return set_language(request)
