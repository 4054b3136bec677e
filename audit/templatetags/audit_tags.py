"""``{% record_stamps obj %}``: who created a record and who changed it last, with dates, from its history.

Taken from the history rows rather than the record's own columns, so records created by the admin,
an import or a command show too (a command's rows have no user: "the system").
"""

from django import template

from audit.history import stamps

register = template.Library()


@register.inclusion_tag("audit/includes/record_stamps.html")
def record_stamps(obj):
    first, last = stamps(obj)
    return {"obj": obj, "first": first, "last": last}


@register.filter
def history_author(row):
    user = getattr(row, "history_user", None)
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
