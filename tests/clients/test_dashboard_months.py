"""The dashboard's months read apart in every language: French "M" wrote "Jui" for June and "Jul" for
July, and "Jui" could be either."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.offices.factories import HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


def months_named(label, language):
    """The full names of the months that ``label`` ("Juil. 2026") could stand for."""
    short = label.rsplit(" ", 1)[0].rstrip(".").lower()
    with translation.override(language):
        names = [date_format(datetime.date(2026, month, 1), "F").lower() for month in range(1, 13)]
    return [name for name in names if name.startswith(short)]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_month_under_the_chart_stands_for_one_month(client, office_tree, language):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"], language=language))

    chart = client.get(reverse("clients:dashboard")).context["month_chart"]

    assert len(chart.labels) == 12
    for label, _x in chart.labels:
        assert len(months_named(label, language)) == 1, label
