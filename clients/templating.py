"""What the client pages ask of the lifecycle while they render (mifos/templating.py)."""

import jinja2

from clients import lifecycle
from mifos.addresses import url


@jinja2.pass_context
def client_actions(context, client):
    """The actions the signed-in user may take on ``client`` now, each with the page that takes it."""
    user = context["request"].user
    return [
        {"action": action, "url": url(f"clients:client_{action.name}", client.pk)}
        for action in lifecycle.allowed_actions(client, user)
    ]
