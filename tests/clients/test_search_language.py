"""The search box's messages speak the user's language, not the one the server started in."""

import pytest
from django.urls import reverse
from django.utils import translation

from clients import search
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

TOO_SHORT = {
    "en": "Type at least 3 letters or digits of a name or a number.",
    "es": "Escriba al menos 3 letras o dígitos de un nombre o un número.",
    "fr": "Saisissez au moins 3 lettres ou chiffres d'un nom ou d'un numéro.",
}


def text_of(response):
    return response.content.decode().replace("&#x27;", "'").replace("&#39;", "'")


@pytest.mark.parametrize("language", ["es", "fr", "en"])
def test_the_client_list_says_a_search_is_too_short_in_the_users_language(client, office_tree, language):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"], language=language))

    response = client.get(reverse("clients:client_list"), {"q": "ab"})

    assert TOO_SHORT[language] in text_of(response)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_admins_client_search_says_it_too(client, office_tree, language):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"], language=language))

    response = client.get(reverse("admin:clients_client_changelist"), {"q": "ab"}, follow=True)

    assert TOO_SHORT[language] in text_of(response)


def test_the_message_is_read_in_the_language_active_when_it_is_shown():
    with translation.override("es"):
        spanish = str(search.TOO_SHORT_MESSAGE)
    with translation.override("fr"):
        french = str(search.TOO_SHORT_MESSAGE)

    assert (spanish, french) == (TOO_SHORT["es"], TOO_SHORT["fr"])
