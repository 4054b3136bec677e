import datetime

from django.utils import timezone

from tests.dates import stay_on

# As if this module had been imported the day before the test runs (a run crossing midnight).
IMPORTED_ON = timezone.localdate() - datetime.timedelta(days=1)
today_holds_still = stay_on(IMPORTED_ON)


def test_the_date_holds_still_at_the_day_the_module_was_imported():
    assert timezone.localdate() == IMPORTED_ON
