"""Dates that hold still for tests that read today's date when their module is imported."""

import datetime

import pytest
import time_machine
from django.utils import timezone


def stay_on(today):
    """An autouse fixture that keeps the date at ``today`` while each test of the module runs.

    Such a module computes ``TODAY`` once, at import; without this, a run that crosses midnight
    would compare it with a newer date and fail. Assign it to a name in the module to use it.
    """

    @pytest.fixture(autouse=True)
    def today_holds_still():
        noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        with time_machine.travel(noon, tick=True):
            yield

    return today_holds_still
