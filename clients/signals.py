"""Signals the lifecycle sends after commit, so other apps (groups) react without clients importing them."""

from django.dispatch import Signal

# Sent with client, from_office, to_office, on (the effective date), by (the user).
client_transferred = Signal()

# Sent when a client leaves the institution's books: closed, or their application rejected or withdrawn.
# With client, status (the new ClientStatus), on (the effective date), by (the user) and reason (the
# ClientActionReason chosen). Reactivation and undoing bring nothing back: a person decides that.
client_left = Signal()
