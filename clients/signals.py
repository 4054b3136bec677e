"""Signals the lifecycle sends after commit, so other apps (groups) react without clients importing them."""

from django.dispatch import Signal

# Sent with client, from_office, to_office, on (the effective date), by (the user).
client_transferred = Signal()
