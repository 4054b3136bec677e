"""Who created a record and who changed it last, for the pages (mifos/templating.py).

Taken from the history rows rather than the record's own columns, so records created by the admin,
an import or a command show too (a command's rows have no user: "the system").
"""

from audit.history import stamps


def record_stamps(obj):
    """``(first, last)`` stamps of ``obj`` (``audit.history.Stamp``), shown by
    audit/includes/record_stamps.html."""
    return stamps(obj)
