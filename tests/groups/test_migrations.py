from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_of_offices_clients_and_groups_need_no_new_migration():
    out = StringIO()

    # makemigrations --check exits with status 1 when a model changed without its migration.
    call_command("makemigrations", "offices", "clients", "groups", check=True, dry_run=True, stdout=out)

    assert "No changes detected" in out.getvalue()
