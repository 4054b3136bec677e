"""Possible duplicates of a person are looked up by date of birth and name together.

The index of the date of birth alone made each lookup read every client born that day (thousands
on 1 January, a date given to many whose birthday is unknown) before comparing names; the importer
now asks it for every row of a file. The new index serves the date alone too, so it replaces the old.
Created before the old one is dropped, so that lookups always have one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0017_client_registration_number_normalized"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["date_of_birth", "search_name"], name="clients_client_dob_name"),
        ),
        migrations.RemoveIndex(
            model_name="client",
            name="clients_cli_date_of_812bfb_idx",
        ),
    ]
