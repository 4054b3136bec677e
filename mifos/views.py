"""Views every app builds on: a page about one object of the user's scope, its tabs, an action on
it, and a list.

A page about one object (a client, a group) reads it through ``model.objects.visible_to(user)``
and answers 404 outside the user's offices, never 403, so that ids do not leak.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import router
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from offices.scoping import scope_key

from . import tabs
from .actions import TransitionError
from .addresses import url
from .compiled import STAND_IN, CompiledQuery
from .pagination import DEFAULT_PAGE_SIZE, InvalidCursor, paginate


def home(request):
    """The landing page after sign-in: who you are, where you work, where to go next; for managers
    and head office, the clients dashboard."""
    if request.user.has_perm("clients.view_dashboard"):
        from clients.views.dashboard import DashboardView  # mifos does not import the apps at load

        return DashboardView.as_view()(request)
    return render(request, "home.html")


class ObjectMixin(PermissionRequiredMixin):
    """A page about one ``page_model`` object, found by ``page_object_kwarg`` in the user's scope, else 404.

    ``page_object`` is that object; the template finds it as ``page_object_name`` too. (A view's
    own ``object``, for example the identification an edit page changes, may be another: the
    names differ from Django's ``model`` and ``context_object_name`` so that both can live together.)
    """

    page_model = None
    page_object_kwarg = "pk"
    page_object_related = ()  # select_related() of the one query that reads it
    # prefetch_related(): small tables read on their own. On PostgreSQL each joined table costs
    # more to plan than to read: a query joining seven tables took 1.6 ms to plan, three 0.2 ms.
    page_object_prefetch = ()
    page_object_name = "object"

    @cached_property
    def page_object(self):
        if self.page_object_prefetch:
            queryset = self.page_queryset(self.request.user).prefetch_related(*self.page_object_prefetch)
            return get_object_or_404(queryset, pk=self.kwargs[self.page_object_kwarg])
        found = page_query(self, self.request.user).objects(int(self.kwargs[self.page_object_kwarg]))
        if not found:
            raise Http404
        return found[0]

    def page_queryset(self, user):
        """The page object's queryset: it may depend on the user's scope alone (``page_query`` keeps
        its SQL by the view and ``scope_key``)."""
        return self.page_model.objects.visible_to(user).select_related(*self.page_object_related)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.page_object_name] = self.page_object
        return context


# The SQL of object pages' one query, by view, select_related and the user's scope, written once per
# process (mifos/compiled.py): compiling it cost 0.7 ms of a client page's 4, running it 0.07. It is
# code, the same on every server; an office tree of a few hundred offices makes as many scopes.
_page_queries = {}
PAGE_QUERIES_KEPT = 2000


def page_query(view, user):
    using = router.db_for_read(view.page_model)
    key = (type(view), tuple(view.page_object_related), scope_key(user), using)
    query = _page_queries.get(key)
    if query is None:
        if len(_page_queries) >= PAGE_QUERIES_KEPT:
            _page_queries.clear()
        query = _page_queries[key] = CompiledQuery.of(view.page_queryset(user).filter(pk=STAND_IN), using)
    return query


class ObjectTabMixin(ObjectMixin):
    """A tab of an object page: the tabs registered for ``tab_page`` (see ``mifos.tabs``), this one active."""

    tab_page = None  # for example "clients.client"
    active_tab = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_tab"] = self.active_tab
        context["tabs"] = tabs.tabs_for(self.tab_page, self.request.user)
        return context


def show_refusal(form, error):
    """Put a service's refusal (a TransitionError or a ValidationError) next to the field it is about,
    or above the form when the form has no such field."""
    if isinstance(error, ValidationError):
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
        for field, errors in getattr(error, "error_dict", {}).items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(error.field if error.field in form.fields else None, error.message)


class ObjectActionMixin(ObjectMixin):
    """One action of a service on one object: GET shows its form, POST calls the service.

    ``service`` is the module of the object's actions (``clients.lifecycle``, ``groups.services``):
    its ``ACTIONS`` table gives the button, and ``refusal(object, action)`` says why the object's
    state refuses the action now. Refused before the form is filled, the user is sent back to the
    object with the reason as a message; refused by the service on POST, the reason goes on the
    form. A view writes ``perform(form)``: call the service, return the message that says it worked.
    """

    service = None
    action = None  # a name of ``service.ACTIONS``
    template_name = "generic/object_action.html"
    base_template = None  # the object page's frame; it has a block tab_content
    heading_level = 2  # 1 on a page whose frame has no heading of its own
    http_method_names = ["get", "post"]  # FormView would take PUT as a POST

    @property
    def definition(self):
        return self.service.ACTIONS[self.action]

    def get(self, request, *args, **kwargs):
        refusal = self.service.refusal(self.page_object, self.action)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.page_object)
        return super().get(request, *args, **kwargs)

    def get_heading(self):
        return self.definition.label

    def get_lead(self):
        return ""

    def get_object_title(self):
        return str(self.page_object)

    def get_success_url(self):
        return self.page_object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.page_object,
            object_title=self.get_object_title(),
            action=self.definition,
            base_template=self.base_template,
            heading=self.get_heading(),
            heading_level=self.heading_level,
            lead=self.get_lead(),
            cancel_url=self.page_object.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except (TransitionError, ValidationError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form):
        """Call the service with the form's data; return the message that tells the user it worked."""
        raise NotImplementedError


class ObjectActionView(ObjectActionMixin, FormView):
    """An action whose form is a plain form (an edit page mixes ObjectActionMixin into UpdateView)."""


class ObjectRecordsMixin:
    """A tab listing the records an object holds, with Add, Edit and Remove as the user may
    (``templates/generic/object_records.html``). Put after the object's mixin in a view's bases.

    A view names the records' ``records_title``, ``empty_message``, ``add_label``, the URL names
    ``add_url_name`` (taking the object's pk) and ``edit_url_name``/``delete_url_name`` (taking
    the object's and the record's pks), the ``permissions`` to add, change and delete records
    (a dict), and writes ``get_records()``.
    """

    base_template = None
    records_title = empty_message = add_label = ""
    add_url_name = edit_url_name = delete_url_name = None
    permissions = {}  # "add", "change", "delete" -> a permission name

    def get_records(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        user, obj = self.request.user, self.page_object
        # An object the user may read but not change (a client on its way in from another office):
        # its parts are shown without the links that would only answer 403.
        changeable = getattr(obj, "may_be_changed_by", None)
        if changeable is not None and not changeable(user):
            may = {}
        else:
            may = {key: user.has_perm(name) for key, name in self.permissions.items()}
        return super().get_context_data(
            object=obj,
            base_template=self.base_template,
            records=self.get_records(),
            records_title=self.records_title,
            empty_message=self.empty_message,
            add_label=self.add_label,
            add_url=url(self.add_url_name, obj.pk) if may.get("add") else None,
            edit_url_name=self.edit_url_name,
            delete_url_name=self.delete_url_name,
            may_change=may.get("change", False),
            may_delete=may.get("delete", False),
            **kwargs,
        )


class ObjectListView(PermissionRequiredMixin, TemplateView):
    """A list of what the user may see, narrowed by ``filterset_class``, in pages that seek, never count.

    The view scopes (``get_queryset``: ``visible_to(user)``); the FilterSet only narrows what it
    receives. A page link the list did not write (edited, or from another sort order) shows the
    first page with ``page_error`` saying so. Context: ``filterset``, ``form`` (its form), ``page``
    (a ``mifos.pagination.KeysetPage``), ``page_error``; ``templates/generic/object_list.html``
    draws them.
    """

    template_name = "generic/object_list.html"
    filterset_class = None
    per_page = DEFAULT_PAGE_SIZE
    stale_page_message = _("That page link is out of date; here is the first page.")

    def get_queryset(self):
        return self.filterset_class._meta.model.objects.visible_to(self.request.user)

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )

    def get_rows(self, filterset):
        """The ordered rows to cut pages from (a list adds its select_related() and only() here)."""
        return filterset.qs

    def get_parts(self, filterset):
        """The rows as disjoint parts, for ``paginate(parts=)``; None when they are one."""
        return None

    def get_page(self, rows, parts=None):
        """The page the request asks for, and a message when its link was not one this list wrote."""
        params = self.request.GET
        try:
            page = paginate(
                rows,
                after=params.get("after"),
                before=params.get("before"),
                per_page=self.per_page,
                parts=parts,
            )
        except InvalidCursor:
            return paginate(rows, per_page=self.per_page, parts=parts), self.stale_page_message
        return page, None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        page, page_error = self.get_page(self.get_rows(filterset), self.get_parts(filterset))
        context.update(filterset=filterset, form=filterset.form, page=page, page_error=page_error)
        return context
