"""A business's registration number kept as registration compares it, with an index to look it up.

"coop 2019 0042" and "COOP-2019-0042" are one number: registration refuses a second business with
it, and the importer takes a row with it for the business already registered. The column is filled
for the businesses there are; it is not unique in the database, since two businesses may share a
number already (the check is the registration's, as for identification numbers). It is nullable
(None but for a business's number) so that SQLite adds it to the table in place: a NOT NULL column
made Django copy the table anew, without its summary triggers and raw indexes (migrations 0008,
0014).
"""

import re
import unicodedata

from django.db import migrations, models

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_SPACES = re.compile(r"\s+")
BATCH = 2000


def normalize_id_number(number):
    """clients.normalize.normalize_id_number as it is at this migration."""
    text = number or ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _NOT_ALNUM.sub("", _SPACES.sub(" ", text.lower()).strip().upper())


def fill(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    businesses = Client.objects.filter(legal_form="corporate").exclude(registration_number="")
    batch = []
    for client in businesses.only("pk", "registration_number").iterator(chunk_size=BATCH):
        client.registration_number_normalized = normalize_id_number(client.registration_number) or None
        batch.append(client)
        if len(batch) == BATCH:
            Client.objects.bulk_update(batch, ["registration_number_normalized"])
            batch = []
    Client.objects.bulk_update(batch, ["registration_number_normalized"])


class Migration(migrations.Migration):
    dependencies = [("clients", "0016_identification_one_active_per_type")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="registration_number_normalized",
            field=models.CharField(editable=False, max_length=100, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                condition=models.Q(("registration_number_normalized__isnull", False)),
                fields=["registration_number_normalized"],
                name="clients_client_registration_no",
            ),
        ),
    ]
