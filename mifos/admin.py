"""What every history-keeping admin shares: the history pages obey the change page's scope.

django-simple-history's history list falls back to the history table when the object is not in
the admin's queryset, and its version page reads the history table directly: both would show any
office's records to a branch admin. Its version page also saves a posted form straight to the
model, around the services. Here both pages start from the admin's own (scoped) queryset, answer
404 outside it, and only read.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed


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
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None):
        # Read-only: simple-history then shows "View" and no "Revert" button.
        return False
