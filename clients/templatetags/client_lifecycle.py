"""Template tags of the client lifecycle."""

from django import template
from django.urls import reverse

from clients import lifecycle

register = template.Library()


@register.simple_tag(takes_context=True)
def client_actions(context, client):
    """The actions the signed-in user may take on ``client`` now, each with the page that takes it."""
    user = context["request"].user
    return [
        {"action": action, "url": reverse(f"clients:client_{action.name}", args=[client.pk])}
        for action in lifecycle.allowed_actions(client, user)
    ]
