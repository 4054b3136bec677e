"""The clients app as migrations 0001 to 0010 left it, in one step, for new databases.

A database that applied some of 0001-0010 goes on with those files (kept until every installation
has passed 0010); a new one runs this instead. Nothing here imports the app's code: the role
table, the trigram indexes and the byte-order name indexes are copies as of 0010, and the
search names 0005 filled need no filling in an empty table.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from mifos.migration_ops import create_index, grant_permissions

# The roles' client permissions as of 0010 (offices/roles.py holds today's table).
_WORK = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.transfer_client",
    "clients.view_identification",
    "clients.add_identification",
    "clients.change_identification",
    "clients.delete_identification",
    "clients.view_familymember",
    "clients.add_familymember",
    "clients.change_familymember",
    "clients.delete_familymember",
    "clients.view_note",
    "clients.add_note",
    "clients.change_note",
]
_DECISIONS = [
    "clients.activate_client",
    "clients.reject_client",
    "clients.close_client",
    "clients.decide_transfer_client",
    "clients.assign_officer_client",
    "clients.delete_note",
]
_LOOKUPS = [
    f"clients.{action}_{model}"
    for model in (
        "identificationtype",
        "relationshiptype",
        "occupation",
        "educationlevel",
        "legalstructure",
        "businessline",
        "clientactionreason",
        "clientrules",
    )
    for action in ("view", "add", "change")
]
ROLES = {
    "Branch staff": _WORK,
    "Branch manager": [*_WORK, *_DECISIONS],
    "Head-office admin": [*_WORK, *_DECISIONS, *_LOOKUPS],
}

# Search matches parts of names and numbers (LIKE '%text%'), which trigram GIN indexes serve on
# PostgreSQL; SQLite scans instead. The expressions are those Django writes for clients/search.py.
TRIGRAM_INDEXES = [
    ("clients_client_search_name_trgm", "clients_client", "search_name"),
    ("clients_client_account_no_trgm", "clients_client", "UPPER(account_no::text)"),
    ("clients_client_mobile_phone_trgm", "clients_client", "mobile_phone"),
    ("clients_identification_number_trgm", "clients_identification", "number_normalized"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    replaces = [
        ("clients", "0001_initial"),
        ("clients", "0002_roles"),
        ("clients", "0003_registry_rules"),
        ("clients", "0004_client_search_name"),
        ("clients", "0005_search_indexes"),
        ("clients", "0006_note_author_set_by_service"),
        ("clients", "0007_remove_plain_sort_index"),
        ("clients", "0008_sort_name_index"),
        ("clients", "0009_event_actions_without_transfer_accepted"),
        ("clients", "0010_office_sort_name_index"),
    ]

    initial = True

    dependencies = [
        ("offices", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BusinessLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "business line",
                "verbose_name_plural": "business lines",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="EducationLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "education level",
                "verbose_name_plural": "education levels",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="IdentificationType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "format_regex",
                    models.CharField(
                        blank=True,
                        help_text="A regular expression the normalised number must match, for example ^[0-9]{8}[A-Z]$.",
                        max_length=200,
                        verbose_name="number format",
                    ),
                ),
                (
                    "format_example",
                    models.CharField(
                        blank=True,
                        help_text="For example: 8 digits and a letter.",
                        max_length=100,
                        verbose_name="format described",
                    ),
                ),
                (
                    "is_unique",
                    models.BooleanField(
                        default=True,
                        help_text="No two clients may hold the same number of this type.",
                        verbose_name="unique",
                    ),
                ),
                (
                    "is_required",
                    models.BooleanField(
                        default=False,
                        help_text="Every individual client must hold one of this type.",
                        verbose_name="required",
                    ),
                ),
            ],
            options={
                "verbose_name": "identification type",
                "verbose_name_plural": "identification types",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="LegalStructure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "legal structure",
                "verbose_name_plural": "legal structures",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Occupation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "occupation",
                "verbose_name_plural": "occupations",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="OfficeClientSequence",
            fields=[
                (
                    "office",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="offices.office",
                    ),
                ),
                ("last_value", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="RelationshipType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "relationship type",
                "verbose_name_plural": "relationship types",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Client",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "account_no",
                    models.CharField(
                        editable=False, max_length=30, unique=True, verbose_name="client number"
                    ),
                ),
                (
                    "legal_form",
                    models.CharField(
                        choices=[("individual", "Individual"), ("corporate", "Corporate")],
                        default="individual",
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("active", "Active"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("closed", "Closed"),
                            ("transfer_in_progress", "Transfer in progress"),
                            ("transfer_on_hold", "Transfer on hold"),
                        ],
                        default="pending",
                        editable=False,
                        max_length=30,
                        verbose_name="status",
                    ),
                ),
                (
                    "external_id",
                    models.CharField(
                        blank=True, max_length=100, null=True, unique=True, verbose_name="external id"
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=100, verbose_name="first name")),
                ("middle_name", models.CharField(blank=True, max_length=100, verbose_name="middle name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                (
                    "gender",
                    models.CharField(
                        blank=True,
                        choices=[("female", "Female"), ("male", "Male"), ("other", "Other")],
                        max_length=10,
                        verbose_name="gender",
                    ),
                ),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="date of birth")),
                (
                    "marital_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("single", "Single"),
                            ("married", "Married"),
                            ("divorced", "Divorced"),
                            ("widowed", "Widowed"),
                            ("separated", "Separated"),
                            ("cohabiting", "Living together"),
                        ],
                        max_length=20,
                        verbose_name="marital status",
                    ),
                ),
                (
                    "dependents",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="number of dependents"
                    ),
                ),
                (
                    "monthly_income",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0"), "The income cannot be negative."
                            )
                        ],
                        verbose_name="monthly income",
                    ),
                ),
                ("business_name", models.CharField(blank=True, max_length=200, verbose_name="business name")),
                (
                    "registration_number",
                    models.CharField(blank=True, max_length=100, verbose_name="registration number"),
                ),
                (
                    "incorporation_date",
                    models.DateField(blank=True, null=True, verbose_name="incorporation date"),
                ),
                (
                    "contact_person",
                    models.CharField(blank=True, max_length=200, verbose_name="contact person"),
                ),
                (
                    "mobile_phone",
                    models.CharField(blank=True, db_index=True, max_length=20, verbose_name="mobile phone"),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "address_line",
                    models.CharField(blank=True, max_length=200, verbose_name="street and number"),
                ),
                (
                    "locality",
                    models.CharField(blank=True, max_length=100, verbose_name="village or locality"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("region", models.CharField(blank=True, max_length=100, verbose_name="district or region")),
                ("postal_code", models.CharField(blank=True, max_length=20, verbose_name="postal code")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "display_name",
                    models.CharField(db_index=True, editable=False, max_length=300, verbose_name="name"),
                ),
                ("submitted_on", models.DateField(verbose_name="submitted on")),
                (
                    "activated_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="activated on"),
                ),
                (
                    "closed_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="closed on"),
                ),
                (
                    "status_changed_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="status changed on"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed at")),
                (
                    "search_name",
                    models.CharField(
                        default="", editable=False, max_length=500, verbose_name="name for search"
                    ),
                ),
                (
                    "business_line",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.businessline",
                        verbose_name="main business line",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="clients",
                        to="offices.office",
                        verbose_name="office",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="clients",
                        to="offices.staff",
                        verbose_name="credit officer",
                    ),
                ),
                (
                    "transfer_to_office",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="incoming_clients",
                        to="offices.office",
                        verbose_name="transfer to office",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
                (
                    "education_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.educationlevel",
                        verbose_name="education level",
                    ),
                ),
                (
                    "legal_structure",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.legalstructure",
                        verbose_name="legal structure",
                    ),
                ),
                (
                    "occupation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.occupation",
                        verbose_name="occupation",
                    ),
                ),
            ],
            options={
                "verbose_name": "client",
                "verbose_name_plural": "clients",
                "ordering": ["display_name", "id"],
                "permissions": [
                    ("activate_client", "Can activate a client"),
                    ("reject_client", "Can reject or withdraw a client"),
                    ("close_client", "Can close or reactivate a client"),
                    ("transfer_client", "Can propose a client's transfer"),
                    ("decide_transfer_client", "Can accept or reject a client's transfer"),
                    ("assign_officer_client", "Can change a client's credit officer"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ClientActionReason",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("rejection", "Rejection"),
                            ("withdrawal", "Withdrawal"),
                            ("closure", "Closure"),
                        ],
                        max_length=20,
                        verbose_name="used for",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "reason",
                "verbose_name_plural": "reasons for rejection, withdrawal and closure",
                "ordering": ["kind", "position", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "name"),
                        name="clients_reason_unique_name_per_kind",
                        violation_error_message="This reason already exists for that action.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ClientRules",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "min_age",
                    models.PositiveSmallIntegerField(
                        default=18, verbose_name="minimum age of an individual client"
                    ),
                ),
                (
                    "max_age",
                    models.PositiveSmallIntegerField(
                        default=100, verbose_name="maximum age of an individual client"
                    ),
                ),
                (
                    "client_number_format",
                    models.CharField(
                        default="{office}-{seq}",
                        help_text="{office} is the office code, {seq} the office's next number, padded with zeros.",
                        max_length=50,
                        verbose_name="client number format",
                    ),
                ),
                (
                    "client_number_digits",
                    models.PositiveSmallIntegerField(default=6, verbose_name="digits of the sequence"),
                ),
                (
                    "four_eyes_activation",
                    models.BooleanField(
                        default=False,
                        help_text="The user who created a client may not activate it.",
                        verbose_name="four-eyes approval",
                    ),
                ),
                (
                    "require_identifications_to_activate",
                    models.BooleanField(
                        default=False,
                        help_text="A client must hold an active identification of every required type to be activated.",
                        verbose_name="required identifications before activation",
                    ),
                ),
            ],
            options={
                "verbose_name": "client rules",
                "verbose_name_plural": "client rules",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("min_age__lte", models.F("max_age"))),
                        name="clients_rules_min_age_not_above_max",
                        violation_error_message="The minimum age cannot be above the maximum age.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalNote",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("text", models.TextField(verbose_name="note")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="written at")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="changed at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical note",
                "verbose_name_plural": "historical notes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIdentification",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(max_length=100, verbose_name="number")),
                ("number_normalized", models.CharField(db_index=True, editable=False, max_length=100)),
                (
                    "issued_by",
                    models.CharField(blank=True, max_length=100, verbose_name="issuing country or authority"),
                ),
                ("issue_date", models.DateField(blank=True, null=True, verbose_name="issue date")),
                ("expiry_date", models.DateField(blank=True, null=True, verbose_name="expiry date")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "document_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.identificationtype",
                        verbose_name="type",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical identification",
                "verbose_name_plural": "historical identifications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalClient",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "account_no",
                    models.CharField(
                        db_index=True, editable=False, max_length=30, verbose_name="client number"
                    ),
                ),
                (
                    "legal_form",
                    models.CharField(
                        choices=[("individual", "Individual"), ("corporate", "Corporate")],
                        default="individual",
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("active", "Active"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("closed", "Closed"),
                            ("transfer_in_progress", "Transfer in progress"),
                            ("transfer_on_hold", "Transfer on hold"),
                        ],
                        default="pending",
                        editable=False,
                        max_length=30,
                        verbose_name="status",
                    ),
                ),
                (
                    "external_id",
                    models.CharField(
                        blank=True, db_index=True, max_length=100, null=True, verbose_name="external id"
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=100, verbose_name="first name")),
                ("middle_name", models.CharField(blank=True, max_length=100, verbose_name="middle name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                (
                    "gender",
                    models.CharField(
                        blank=True,
                        choices=[("female", "Female"), ("male", "Male"), ("other", "Other")],
                        max_length=10,
                        verbose_name="gender",
                    ),
                ),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="date of birth")),
                (
                    "marital_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("single", "Single"),
                            ("married", "Married"),
                            ("divorced", "Divorced"),
                            ("widowed", "Widowed"),
                            ("separated", "Separated"),
                            ("cohabiting", "Living together"),
                        ],
                        max_length=20,
                        verbose_name="marital status",
                    ),
                ),
                (
                    "dependents",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="number of dependents"
                    ),
                ),
                (
                    "monthly_income",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0"), "The income cannot be negative."
                            )
                        ],
                        verbose_name="monthly income",
                    ),
                ),
                ("business_name", models.CharField(blank=True, max_length=200, verbose_name="business name")),
                (
                    "registration_number",
                    models.CharField(blank=True, max_length=100, verbose_name="registration number"),
                ),
                (
                    "incorporation_date",
                    models.DateField(blank=True, null=True, verbose_name="incorporation date"),
                ),
                (
                    "contact_person",
                    models.CharField(blank=True, max_length=200, verbose_name="contact person"),
                ),
                (
                    "mobile_phone",
                    models.CharField(blank=True, db_index=True, max_length=20, verbose_name="mobile phone"),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "address_line",
                    models.CharField(blank=True, max_length=200, verbose_name="street and number"),
                ),
                (
                    "locality",
                    models.CharField(blank=True, max_length=100, verbose_name="village or locality"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("region", models.CharField(blank=True, max_length=100, verbose_name="district or region")),
                ("postal_code", models.CharField(blank=True, max_length=20, verbose_name="postal code")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "display_name",
                    models.CharField(db_index=True, editable=False, max_length=300, verbose_name="name"),
                ),
                ("submitted_on", models.DateField(verbose_name="submitted on")),
                (
                    "activated_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="activated on"),
                ),
                (
                    "closed_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="closed on"),
                ),
                (
                    "status_changed_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="status changed on"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="changed at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "search_name",
                    models.CharField(
                        default="", editable=False, max_length=500, verbose_name="name for search"
                    ),
                ),
                (
                    "business_line",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.businessline",
                        verbose_name="main business line",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "education_level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.educationlevel",
                        verbose_name="education level",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="offices.office",
                        verbose_name="office",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="offices.staff",
                        verbose_name="credit officer",
                    ),
                ),
                (
                    "transfer_to_office",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="offices.office",
                        verbose_name="transfer to office",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
                (
                    "legal_structure",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.legalstructure",
                        verbose_name="legal structure",
                    ),
                ),
                (
                    "occupation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.occupation",
                        verbose_name="occupation",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical client",
                "verbose_name_plural": "historical clients",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OfficerAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start_date", models.DateField(verbose_name="from")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="until")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="officer_assignments",
                        to="clients.client",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.staff",
                        verbose_name="credit officer",
                    ),
                ),
            ],
            options={
                "verbose_name": "credit officer assignment",
                "verbose_name_plural": "credit officer assignments",
                "ordering": ["-start_date", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalFamilyMember",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("first_name", models.CharField(max_length=100, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                (
                    "gender",
                    models.CharField(
                        blank=True,
                        choices=[("female", "Female"), ("male", "Male"), ("other", "Other")],
                        max_length=10,
                        verbose_name="gender",
                    ),
                ),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="date of birth")),
                ("is_dependent", models.BooleanField(default=False, verbose_name="economic dependent")),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="phone")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "occupation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.occupation",
                        verbose_name="occupation",
                    ),
                ),
                (
                    "relationship",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="clients.relationshiptype",
                        verbose_name="relationship",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical family member",
                "verbose_name_plural": "historical family members",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="FamilyMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_name", models.CharField(max_length=100, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                (
                    "gender",
                    models.CharField(
                        blank=True,
                        choices=[("female", "Female"), ("male", "Male"), ("other", "Other")],
                        max_length=10,
                        verbose_name="gender",
                    ),
                ),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="date of birth")),
                ("is_dependent", models.BooleanField(default=False, verbose_name="economic dependent")),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="phone")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="family_members",
                        to="clients.client",
                    ),
                ),
                (
                    "occupation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.occupation",
                        verbose_name="occupation",
                    ),
                ),
                (
                    "relationship",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.relationshiptype",
                        verbose_name="relationship",
                    ),
                ),
            ],
            options={
                "verbose_name": "family member",
                "verbose_name_plural": "family members",
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="ClientEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("activated", "Activated"),
                            ("rejected", "Rejected"),
                            ("rejection_undone", "Rejection undone"),
                            ("withdrawn", "Withdrawn"),
                            ("withdrawal_undone", "Withdrawal undone"),
                            ("closed", "Closed"),
                            ("reactivated", "Reactivated"),
                            ("transfer_proposed", "Transfer proposed"),
                            ("transfer_withdrawn", "Transfer withdrawn"),
                            ("transfer_rejected", "Transfer rejected"),
                            ("transferred", "Transferred"),
                            ("officer_assigned", "Credit officer assigned"),
                            ("officer_unassigned", "Credit officer unassigned"),
                        ],
                        max_length=30,
                        verbose_name="action",
                    ),
                ),
                ("effective_date", models.DateField(verbose_name="effective date")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pending", "Pending"),
                            ("active", "Active"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("closed", "Closed"),
                            ("transfer_in_progress", "Transfer in progress"),
                            ("transfer_on_hold", "Transfer on hold"),
                        ],
                        max_length=30,
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pending", "Pending"),
                            ("active", "Active"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("closed", "Closed"),
                            ("transfer_in_progress", "Transfer in progress"),
                            ("transfer_on_hold", "Transfer on hold"),
                        ],
                        max_length=30,
                        verbose_name="to status",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                ("created_by_name", models.CharField(max_length=150, verbose_name="by")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="clients.client",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        help_text="The client's office when it happened.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.office",
                        verbose_name="office",
                    ),
                ),
                (
                    "reason",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.clientactionreason",
                        verbose_name="reason",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.staff",
                        verbose_name="credit officer",
                    ),
                ),
                (
                    "to_office",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.office",
                        verbose_name="to office",
                    ),
                ),
            ],
            options={
                "verbose_name": "client event",
                "verbose_name_plural": "client timeline",
                "ordering": ["-effective_date", "-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["client", "effective_date"], name="clients_cli_client__feef27_idx"),
                    models.Index(fields=["office", "action"], name="clients_cli_office__057880_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Identification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=100, verbose_name="number")),
                ("number_normalized", models.CharField(db_index=True, editable=False, max_length=100)),
                (
                    "issued_by",
                    models.CharField(blank=True, max_length=100, verbose_name="issuing country or authority"),
                ),
                ("issue_date", models.DateField(blank=True, null=True, verbose_name="issue date")),
                ("expiry_date", models.DateField(blank=True, null=True, verbose_name="expiry date")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identifications",
                        to="clients.client",
                    ),
                ),
                (
                    "document_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.identificationtype",
                        verbose_name="type",
                    ),
                ),
            ],
            options={
                "verbose_name": "identification",
                "verbose_name_plural": "identifications",
                "ordering": ["document_type__position", "id"],
                "indexes": [
                    models.Index(
                        fields=["document_type", "number_normalized"], name="clients_ide_documen_32c43b_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Note",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="written at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed at")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="clients.client"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "note",
                "verbose_name_plural": "notes",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["client", "created_at"], name="clients_not_client__cd09e3_idx")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["office", "status"], name="clients_cli_office__c52578_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["staff", "status"], name="clients_cli_staff_i_822fda_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["submitted_on"], name="clients_cli_submitt_f10814_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["activated_on"], name="clients_cli_activat_48ece1_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["date_of_birth"], name="clients_cli_date_of_812bfb_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["-submitted_on", "-id"], name="clients_client_sort_submitted"),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.CheckConstraint(
                condition=models.Q(("monthly_income__gte", 0)),
                name="clients_client_income_not_negative",
                violation_error_message="The income cannot be negative.",
            ),
        ),
        migrations.AddConstraint(
            model_name="officerassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("end_date__isnull", True)),
                fields=("client",),
                name="clients_one_open_officer_assignment",
                violation_error_message="A client has one credit officer at a time.",
            ),
        ),
        migrations.AddConstraint(
            model_name="officerassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                ),
                name="clients_assignment_ends_after_start",
                violation_error_message="An assignment cannot end before it starts.",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        # The list's sort by name compares bytes on every database: collation "C" on PostgreSQL.
        create_index(
            "clients_client_sort_name",
            postgresql='CREATE INDEX clients_client_sort_name ON clients_client ((search_name COLLATE "C"), id)',
            sqlite="CREATE INDEX clients_client_sort_name ON clients_client (search_name, id)",
        ),
        create_index(
            "clients_client_office_sort_name",
            postgresql=(
                "CREATE INDEX clients_client_office_sort_name"
                ' ON clients_client (office_id, (search_name COLLATE "C"), id)'
            ),
            sqlite="CREATE INDEX clients_client_office_sort_name ON clients_client (office_id, search_name, id)",
        ),
        grant_permissions({"clients"}, ROLES),
    ]
