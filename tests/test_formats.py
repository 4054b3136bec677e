"""Dates and money as each language writes them: one date format in lists and on detail pages alike,
date inputs that accept what the pages show, and amounts with their thousands separators."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation

from mifos.forms import DateInput
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def render(source, language, **context):
    with translation.override(language):
        return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_date_reads_day_month_year_in_lists_and_on_detail_pages(language):
    day = datetime.date(2026, 12, 2)
    short = render('{{ day|date("SHORT_DATE_FORMAT") }}', language, day=day)
    long = render('{{ day|date("DATE_FORMAT") }}', language, day=day)
    assert short == long == "02/12/2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234,567.50\xa0USD"), ("es", "1\xa0234\xa0567,50\xa0USD"), ("fr", "1\xa0234\xa0567,50\xa0USD")],
)
def test_money_has_the_languages_thousands_and_decimal_separators(language, expected):
    assert render("{{ amount|money }}", language, amount=Decimal("1234567.5")) == expected


def test_money_names_the_currency_it_is_given_and_leaves_nothing_for_no_amount():
    assert render('{{ amount|money("XOF") }}', "fr", amount=Decimal("250000")) == "250\xa0000,00\xa0XOF"
    assert render("{{ amount|money }}", "en", amount=None) == ""


@pytest.mark.parametrize(("language", "amount"), [("en", "1234.5"), ("fr", "1234,5")])
def test_a_date_or_an_amount_printed_bare_reads_as_the_language_writes_it(settings, language, amount):
    """As Django's template language did: in the institution's time zone, in the language's format."""
    settings.TIME_ZONE = "Africa/Nairobi"  # UTC+3: 22:30 UTC on the 1st is already the 2nd there
    late = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=datetime.UTC)

    html = render("{{ day }} {{ at }} {{ amount }}", language, day=datetime.date(2026, 12, 2), at=late,
                  amount=Decimal("1234.5"))  # fmt: skip

    assert html == f"02/12/2026 02/12/2026 01:30 {amount}"


def test_ids_in_links_are_never_grouped_like_numbers():
    assert render("/clients/{{ pk }}/", "en", pk=123456) == "/clients/123456/"


class DayForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize("written", ["02/12/2026", "2026-12-02"])
def test_a_date_field_accepts_what_the_pages_show_and_iso(language, written):
    with translation.override(language):
        form = DayForm({"day": written})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 2)


def test_english_reads_a_typed_date_day_first_as_the_pages_show_it():
    with translation.override("en"):
        form = DayForm({"day": "12/02/2026"})
        assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2026, 2, 12)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_date_picker_is_given_iso_whatever_the_language(language):
    with translation.override(language):
        html = DateInput().render("day", datetime.date(1990, 4, 12))
    assert 'type="date"' in html and 'value="1990-04-12"' in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_client_list_and_client_page_show_the_same_date(client, language):
    user = BranchStaffUserFactory(language=language)
    someone = ClientFactory(office=user.office, submitted_on=datetime.date(2026, 12, 2))
    client.force_login(user)
    listed = client.get(reverse("clients:client_list")).content.decode()
    detail = client.get(reverse("clients:client_detail", args=[someone.pk])).content.decode()
    assert "02/12/2026" in listed
    assert "02/12/2026" in detail
    assert "Dec. 2, 2026" not in detail and "12/02/2026" not in listed


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "12,500.00\xa0USD"), ("es", "12\xa0500,00\xa0USD")]
)
def test_the_client_page_shows_the_monthly_income_in_the_users_language(client, language, expected):
    user = BranchStaffUserFactory(language=language)
    someone = ClientFactory(office=user.office, monthly_income=Decimal("12500"))
    client.force_login(user)

    page = client.get(reverse("clients:client_detail", args=[someone.pk])).content.decode()

    assert expected in page
