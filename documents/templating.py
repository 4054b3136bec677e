"""Document pieces other apps' pages show: an identification's supporting documents, the client
photo (mifos/templating.py)."""

import jinja2
from django.db.models import Prefetch, prefetch_related_objects

from clients.models import Client
from documents.models import ClientPhoto, Document


@jinja2.pass_context
def with_supporting_documents(context, identifications):
    """``identifications`` as a list, each with its documents, fetched in one query for all of them
    (and none for a user who may not see documents): the Identifications tab stays at a fixed count."""
    identifications = list(identifications)
    if context["perms"]["documents"]["view_document"]:
        documents = Document.objects.select_related("category").order_by("uploaded_at", "pk")
        prefetch_related_objects(identifications, Prefetch("documents", queryset=documents))
    return identifications


@jinja2.pass_context
def client_photo(context, client):
    """The client's photo (for documents/includes/client_photo.html), or None: none yet, or the user
    may not see photos."""
    if not context["perms"]["documents"]["view_clientphoto"]:
        return None
    cache = Client.photo.related
    if cache.is_cached(client):  # the page's view asked for select_related("photo"): no query
        return cache.get_cached_value(client)
    return ClientPhoto.objects.filter(client=client).only("sha256", "thumbnail_name").first()
