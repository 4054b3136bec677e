"""The client's Documents tab, uploads, downloads, deletion, and the client's photo.

Every view finds the client or the document through the user's scope (else 404) and checks its
permission (else 403); files are only ever sent by ``responses.file_response``. A page that changes
documents or the photo also needs the client to be the user's office's (``ClientChangeMixin``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, ListView, TemplateView

from audit import record
from audit.reads import record_client_view
from clients.views.registry import ClientTabMixin

from . import services
from .choices import FileType
from .forms import ClientPhotoForm, DocumentUploadForm
from .models import ClientPhoto, Document, DocumentRules
from .responses import file_response


class UploadMixin:
    """An upload: streamed to a temporary file, never held in memory, and refused before its body is
    read when the request is larger than the largest file allowed (``documents.middleware`` does both,
    before anything parses the form).

    The view is ``csrf_exempt`` so that the CSRF middleware does not parse the body first; the check
    runs in ``post`` (``csrf_protect``), once the size is known to be acceptable.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.streams_uploads = True
        return csrf_exempt(view)

    def post(self, request, *args, **kwargs):
        max_size = getattr(request, "upload_refused_over", None)
        if max_size is not None:
            return self.refuse_unread(max_size)
        return csrf_protect(super().post)(request, *args, **kwargs)

    def extra_form_kwargs(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def refuse_unread(self, max_size):
        # An unbound form (there is no body to bind) with the error where the file goes.
        form = self.get_form_class()(initial=self.get_initial(), **self.extra_form_kwargs())
        form.cleaned_data = {}
        form.add_error(
            "file",
            _(
                "The file is larger than %(limit)s, the largest allowed. Scan or photograph it at a lower "
                "resolution."
            )
            % {"limit": filesizeformat(max_size)},
        )
        return self.render_to_response(self.get_context_data(form=form), status=413)


class ClientChangeMixin:
    """A page that changes the client's documents or photo: the client's own office only, else 403.

    A client on its way in from another office is visible to the receiving office, which reads it to
    decide on the transfer, but stays the sending office's until accepted (``documents.services``
    refuses the change too; the pages hide their links with ``client.may_be_changed_by(user)``).
    """

    def has_permission(self):
        return super().has_permission() and self.client.may_be_changed_by(self.request.user)


# --- The tab and uploads -----------------------------------------


class ClientDocumentsView(ClientTabMixin, ListView):
    permission_required = ("clients.view_client", "documents.view_document")
    template_name = "documents/document_list.html"
    active_tab = "documents"
    context_object_name = "documents"
    paginate_by = 50

    def get_queryset(self):
        return self.client.documents.select_related("category", "identification__document_type")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("documents.add_document") and self.client.may_be_changed_by(user):
            context["form"] = DocumentUploadForm(client=self.client)
            context["max_size"] = DocumentRules.load().max_size
        return context


class DocumentAddView(UploadMixin, ClientChangeMixin, ClientTabMixin, FormView):
    permission_required = ("clients.view_client", "documents.add_document")
    template_name = "documents/document_form.html"
    form_class = DocumentUploadForm
    active_tab = "documents"

    def get_initial(self):
        return {"identification": self.request.GET.get("identification")}

    def extra_form_kwargs(self):
        return {"client": self.client}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_size=DocumentRules.load().max_size,
            cancel_url=reverse("documents:client_documents", args=[self.client.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            document = services.upload(
                self.client,
                data["file"],
                category=data["category"],
                title=data["title"],
                identification=data["identification"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)  # each message next to the field it names
            return self.form_invalid(form)
        messages.success(self.request, _("%(document)s is uploaded.") % {"document": document})
        tab = "clients:client_identifications" if document.identification_id else "documents:client_documents"
        return redirect(tab, self.client.pk)


class DocumentDeleteView(ClientChangeMixin, ClientTabMixin, TemplateView):
    """A confirmation page (GET), then the deletion (POST)."""

    permission_required = ("clients.view_client", "documents.view_document", "documents.delete_document")
    template_name = "documents/document_confirm_delete.html"
    active_tab = "documents"

    def get_document(self):
        return get_object_or_404(self.client.documents.select_related("category"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            document=self.get_document(),
            cancel_url=reverse("documents:client_documents", args=[self.client.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        document = self.get_document()
        services.delete(document, by=request.user)
        messages.success(request, _("%(document)s is deleted.") % {"document": document})
        return redirect("documents:client_documents", self.client.pk)


# --- Files -----------------------------------------


class DocumentFileMixin(PermissionRequiredMixin):
    """A document found through the user's scope: one of another office answers 404."""

    def get_document(self):
        documents = Document.objects.visible_to(self.request.user).select_related("client__office")
        return get_object_or_404(documents, pk=self.kwargs["pk"])


class DocumentDownloadView(DocumentFileMixin, View):
    """The file itself, as a download (or ``inline`` for the browser's own viewer); each is recorded."""

    permission_required = ("documents.view_document", "documents.download_document")
    inline = False

    def get(self, request, *args, **kwargs):
        document = self.get_document()
        record(
            request,
            "documents.document.downloaded",
            obj=document,
            office=document.client.office,
            name=document.original_name,
            inline=self.inline,
        )
        return file_response(
            document.stored_name,
            file_type=document.content_type,
            name=document.original_name,
            inline=self.inline,
        )


class DocumentThumbnailView(DocumentFileMixin, View):
    """The small preview of an image document, made once on upload (a page never loads the original).
    It shows the client's paper (an identity card's scan) and opens alone: a view of the client's data
    like its pages, recorded if head office asks."""

    permission_required = "documents.view_document"

    def get(self, request, *args, **kwargs):
        document = self.get_document()
        if not document.thumbnail_name:
            raise Http404
        record_client_view(request, document.client, page="document_thumbnail")
        # The same URL always shows the same preview: a document's file never changes.
        return file_response(
            document.thumbnail_name,
            file_type=FileType.JPEG,
            name="preview.jpg",
            inline=True,
            cache_seconds=86400,
        )


# --- The client's photo -----------------------------------------


class ClientPhotoView(UploadMixin, ClientTabMixin, FormView):
    """The client's photo: shown, replaced (POST a new one) or removed (see ClientPhotoRemoveView).

    Showing it is reading (a client on its way in too); replacing it is a change, which only the
    client's own office makes (as ``ClientChangeMixin`` checks).
    """

    permission_required = ("clients.view_client", "documents.view_clientphoto")
    template_name = "documents/clientphoto_form.html"
    form_class = ClientPhotoForm
    active_tab = "overview"

    def get_context_data(self, **kwargs):
        photo = ClientPhoto.objects.filter(client=self.client).first()
        return super().get_context_data(photo=photo, **kwargs)

    def post(self, request, *args, **kwargs):
        user = request.user
        perms = ["documents.add_clientphoto", "documents.change_clientphoto"]
        if not user.has_perms(perms) or not self.client.may_be_changed_by(user):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.set_photo(self.client, form.cleaned_data["file"], by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)  # each message next to the field it names
            return self.form_invalid(form)
        messages.success(self.request, _("The photo is saved."))
        return redirect(self.client)


class ClientPhotoRemoveView(ClientChangeMixin, ClientTabMixin, View):
    permission_required = ("clients.view_client", "documents.delete_clientphoto")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if services.remove_photo(self.client, by=request.user):
            messages.success(request, _("The photo is removed."))
        return redirect(self.client)


class ClientPhotoThumbnailView(ClientTabMixin, View):
    """The photo's thumbnail for the client page; the URL carries the photo's checksum, so a browser
    may keep it and a new photo has a new URL."""

    permission_required = ("clients.view_client", "documents.view_clientphoto")

    def get(self, request, *args, **kwargs):
        photo = get_object_or_404(ClientPhoto.objects.exclude(thumbnail_name=""), client=self.client)
        return file_response(
            photo.thumbnail_name, file_type=FileType.JPEG, name="photo.jpg", inline=True, cache_seconds=86400
        )
