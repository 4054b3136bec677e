"""Who created a record and who changed it last, for the pages (mifos/templating.py).

Taken from the history rows rather than the record's own columns, so records created by the admin,
an import or a command show too (a command's rows have no user: "the system").
"""

from audit.history import stamps


def record_stamps(obj):
    """``(first, last)`` history rows of ``obj``, shown by audit/includes/record_stamps.html."""
    return stamps(obj)


def history_author(row):
    """``{{ row|history_author }}``: the name of who wrote a history row, "" for the system."""
    user = getattr(row, "history_user", None)
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
