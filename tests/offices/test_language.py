"""Which language the pages speak: the user's own setting, else the browser's, else the institution's."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def page_language(response):
    return response["Content-Language"]


@override_settings(LANGUAGE_CODE="fr")
def test_without_any_choice_the_institutions_language_is_used(client):
    assert page_language(client.get(reverse("login"))) == "fr"


@override_settings(LANGUAGE_CODE="fr")
def test_the_browsers_language_comes_before_the_institutions(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")

    assert page_language(response) == "es"


def test_the_users_own_setting_comes_before_the_browsers(client):
    client.force_login(BranchStaffUserFactory(language="fr"))

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")

    assert page_language(response) == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_the_switcher_keeps_a_signed_in_users_choice_on_their_profile(client):
    user = BranchStaffUserFactory(language="")
    client.force_login(user)

    response = client.post(reverse("offices:language_switch"), {"language": "es", "next": reverse("home")})

    user.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert user.language == "es"
    assert page_language(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")) == "es"


def test_the_switcher_works_before_signing_in(client):
    response = client.post(reverse("offices:language_switch"), {"language": "fr", "next": reverse("login")})

    assert response.status_code == 302
    assert page_language(client.get(reverse("login"))) == "fr"


def test_every_page_offers_the_switcher(client):
    client.force_login(BranchStaffUserFactory())

    page = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("offices:language_switch")}"' in page
    assert 'lang="es"' in page and 'lang="fr"' in page


def test_a_user_changes_their_own_name_and_language_but_nothing_that_grants_rights(client):
    user = BranchStaffUserFactory(first_name="Grace")
    office = user.office
    client.force_login(user)

    response = client.post(
        reverse("offices:profile"),
        {
            "first_name": "Gracie",
            "last_name": "A",
            "email": "",
            "language": "fr",
            "is_superuser": "on",
            "office": "999",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.first_name, user.language) == ("Gracie", "fr")
    assert not user.is_superuser and user.office == office


def spanish_french_spanish(client, url):
    """The page at ``url`` as a Spanish, a French and again the Spanish user see it, in turn: what a
    page keeps between requests must not carry one user's language into the next one's page."""
    spanish, french = BranchStaffUserFactory(language="es"), BranchStaffUserFactory(language="fr")
    pages = []
    for user in (spanish, french, spanish):
        client.force_login(user)
        pages.append(client.get(url).content.decode())
    return pages


def test_the_menu_speaks_each_users_language_page_after_page(client):
    menus = spanish_french_spanish(client, reverse("home"))

    assert [">Inicio</a>" in menu for menu in menus] == [True, False, True]
    assert ">Accueil</a>" in menus[1]


def test_the_password_rules_are_given_in_each_users_language(client):
    pages = spanish_french_spanish(client, reverse("password_change"))

    rules = [page.split('id="id_new_password1_helptext"')[1].split("</small>")[0] for page in pages]
    assert rules[0] == rules[2] != rules[1]
    assert "8" in rules[0] and "<li>" in rules[0]  # the minimum length, as a list of rules
    assert "contraseña" in rules[0] and "mot de passe" in rules[1]
