"""Template pieces other apps' pages show: an identification's supporting documents, the client photo."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from clients.models import Client
from documents.models import ClientPhoto, Document

register = template.Library()


@register.simple_tag(takes_context=True)
def with_supporting_documents(context, identifications):
    """``identifications`` as a list, each with its documents, fetched in one query for all of them
    (and none for a user who may not see documents): the Identifications tab stays at a fixed count.

    The documents go onto the identifications themselves: a queryset given here keeps them in its
    cache, so the page's own loop sees them even where the tag's result is out of reach (a variable
    set inside a ``{% block %}`` ends with it)."""
    identifications = list(identifications)
    if context["perms"]["documents"]["view_document"]:
        documents = Document.objects.select_related("category").order_by("uploaded_at", "pk")
        prefetch_related_objects(identifications, Prefetch("documents", queryset=documents))
    return identifications


@register.inclusion_tag("documents/includes/client_photo.html", takes_context=True)
def client_photo(context, client):
    """The client's photo thumbnail, or the placeholder with the first letter of the name."""
    photo = None
    if context["perms"]["documents"]["view_clientphoto"]:
        cache = Client.photo.related
        if cache.is_cached(client):  # the page's view asked for select_related("photo"): no query
            photo = cache.get_cached_value(client)
        else:
            photo = ClientPhoto.objects.filter(client=client).only("sha256", "thumbnail_name").first()
    return {"client": client, "photo": photo, "perms": context["perms"]}
