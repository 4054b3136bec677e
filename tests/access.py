"""One reusable access check for a page: anonymous, no permission, other office, permitted."""

from django.urls import reverse


def assert_access(
    client, url, *, permitted, without_permission=None, other_office=None, method="get", data=None
):
    """Check what each kind of user gets at ``url``.

    - signed out: sent to the sign-in page;
    - ``without_permission`` (a user of the right office lacking the permission): 403;
    - ``other_office`` (a user with the permission, outside the object's office tree): 404;
    - ``permitted``: 200 for GET, or a redirect (success) for POST.
    """
    request = getattr(client, method)
    client.logout()
    response = request(url, data or {})
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("login"))
    if without_permission is not None:
        client.force_login(without_permission)
        assert request(url, data or {}).status_code == 403
    if other_office is not None:
        client.force_login(other_office)
        assert request(url, data or {}).status_code == 404
    client.force_login(permitted)
    response = request(url, data or {})
    assert response.status_code in ((200,) if method == "get" else (200, 302)), response.status_code
    return response
