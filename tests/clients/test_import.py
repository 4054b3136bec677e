import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from clients import columns as file_columns
from clients.choices import ClientAction, ClientStatus, Gender, ImportStatus
from clients.imports import ClientImporter, FileError
from clients.models import Client, ClientEvent, ClientRules, Identification, ImportRun, OfficerAssignment
from tests.access import assert_access
from tests.clients.factories import (
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    OccupationFactory,
)
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["External id", "First name", "Last name", "Gender", "Date of birth", "Mobile phone"]


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def branch_manager(office_tree):
    """Who may activate clients, so may import them as Active."""
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(
        name="National ID", format_regex="^[0-9]{8}[A-Z]$", format_example="8 digits"
    )


def csv_file(rows, *, header=HEADER, separator=",", encoding="utf-8"):
    lines = [separator.join(header), *(separator.join(row) for row in rows)]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))


def check(user, office, stream, name="clients.csv"):
    return ClientImporter(by=user, office=office).check(stream, name)


def import_file(user, office, stream, name="clients.csv"):
    return ClientImporter(by=user, office=office).import_file(stream, name)


ANA = ["EXT-1", "Ana", "Pérez", "female", "1990-04-12", "+34600111222"]
BEN = ["EXT-2", "Ben", "Okello", "male", "1985-01-30", "0772123456"]


def born_on(n):
    """A date of birth of its own for each of many rows of one name: they are different people."""
    return (datetime.date(1980, 1, 1) + datetime.timedelta(days=n)).isoformat()


def errors_of(result):
    return [(error.line, error.column, error.value) for error in result.errors]


# --- What is written ---------------------------------------------------------------------------------


def test_it_registers_each_row_as_a_pending_client_with_history_and_timeline(office_tree, branch_user):
    result = import_file(branch_user, office_tree["n1"], csv_file([ANA, BEN]))

    assert (result.created, result.skipped, result.refused) == (2, 0, 0)
    ana = Client.objects.get(external_id="EXT-1")
    assert ana.status == ClientStatus.PENDING
    assert ana.office == office_tree["n1"]
    assert ana.account_no.startswith("N1-")
    assert ana.display_name == "Ana Pérez"
    assert ana.search_name == "ana perez"
    assert ana.created_by == branch_user
    assert ana.submitted_on == datetime.date.today()
    (history,) = ana.history.all()
    assert history.history_user == branch_user
    assert history.history_change_reason.startswith("import")
    assert list(ana.events.values_list("action", flat=True)) == [ClientAction.SUBMITTED]
    assert ana.events.get().created_by_name == branch_user.get_full_name()


@pytest.fixture
def no_four_eyes(db):
    rules = ClientRules.load()
    rules.four_eyes_activation = False
    rules.save()


def test_an_active_client_with_an_officer_gets_the_timeline_of_its_activation(
    office_tree, branch_manager, no_four_eyes
):
    officer = StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    header = [*HEADER, "Status", "Activated on", "Credit officer", "Submitted on"]
    row = [*ANA, "Active", "2024-03-01", "grace auma", "2024-02-01"]

    result = import_file(branch_manager, office_tree["n1"], csv_file([row], header=header))

    assert result.created == 1
    ana = Client.objects.get(external_id="EXT-1")
    assert (ana.status, ana.activated_on, ana.staff) == (
        ClientStatus.ACTIVE,
        datetime.date(2024, 3, 1),
        officer,
    )
    assert set(ana.events.values_list("action", flat=True)) == {
        ClientAction.SUBMITTED,
        ClientAction.OFFICER_ASSIGNED,
        ClientAction.ACTIVATED,
    }
    assert OfficerAssignment.objects.get(client=ana).start_date == datetime.date(2024, 2, 1)


def test_identifications_are_registered_with_their_history(office_tree, branch_user, national_id):
    header = [*HEADER, "Identification 1: type", "Identification 1: number"]

    import_file(
        branch_user, office_tree["n1"], csv_file([[*ANA, "national id", "12345678-z"]], header=header)
    )

    identification = Identification.objects.get()
    assert (identification.number_normalized, identification.client.external_id) == ("12345678Z", "EXT-1")
    assert identification.history.get().history_user == branch_user


# --- What spreadsheets produce -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_it_reads_each_encoding_spreadsheets_write(office_tree, branch_user, encoding):
    result = import_file(branch_user, office_tree["n1"], csv_file([ANA], encoding=encoding))

    assert result.created == 1
    assert Client.objects.get().last_name == "Pérez"


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_it_finds_the_separator(office_tree, branch_user, separator):
    result = import_file(branch_user, office_tree["n1"], csv_file([ANA, BEN], separator=separator))

    assert result.created == 2


@pytest.mark.parametrize("written", ["1990-04-12", "12/04/1990", "12.04.1990", "12-04-1990"])
def test_it_reads_iso_dates_and_the_institutions_date_format(office_tree, branch_user, written):
    row = [*ANA[:4], written, ANA[5]]

    import_file(branch_user, office_tree["n1"], csv_file([row]))

    assert Client.objects.get().date_of_birth == datetime.date(1990, 4, 12)


def test_the_institution_may_write_dates_month_first(office_tree, branch_user):
    rules = ClientRules.load()
    rules.date_format = "%m/%d/%Y"
    rules.save()

    import_file(branch_user, office_tree["n1"], csv_file([[*ANA[:4], "04/12/1990", ANA[5]]]))

    assert Client.objects.get().date_of_birth == datetime.date(1990, 4, 12)


def test_blank_lines_trailing_spaces_case_and_accents_do_not_matter(office_tree, branch_user):
    OccupationFactory(name="Agricultora")
    stream = io.BytesIO(
        "external_id,FIRST NAME ,last name,Género,date_of_birth,occupation\n"
        "\n"
        "EXT-1 ,Ana  ,Pérez ,FEMALE ,1990-04-12 ,AGRICULTORA \n"
        ",,,,,\n".replace("Género", "gender").encode()
    )

    result = import_file(branch_user, office_tree["n1"], stream)

    assert result.created == 1
    ana = Client.objects.get()
    assert (ana.external_id, ana.first_name, ana.gender, ana.occupation.name) == (
        "EXT-1",
        "Ana",
        "female",
        "Agricultora",
    )


def test_it_reads_an_excel_file(office_tree, branch_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([*ANA[:4], datetime.datetime(1990, 4, 12), ANA[5]])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)

    result = import_file(branch_user, office_tree["n1"], stream, "clients.xlsx")

    assert result.created == 1
    assert Client.objects.get().date_of_birth == datetime.date(1990, 4, 12)


def test_a_file_without_our_header_is_refused_as_a_whole(office_tree, branch_user):
    with pytest.raises(FileError):
        check(branch_user, office_tree["n1"], io.BytesIO(b"a,b,c\n1,2,3\n"))


# --- Errors, located ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("First name", "", "required"),
        ("Gender", "robot", "allowed values"),
        ("Date of birth", "31/31/1990", "Not a date"),
        ("Date of birth", "2020-01-01", "at least 18"),
        ("Mobile phone", "call me", "phone number"),
    ],
)
def test_each_error_names_its_line_column_and_value(office_tree, branch_user, column, value, message):
    bad = list(BEN)
    bad[HEADER.index(column)] = value

    result = check(branch_user, office_tree["n1"], csv_file([ANA, bad]))

    assert (result.created, result.refused) == (1, 1)
    (error,) = result.errors
    assert (error.line, error.column, error.value) == (3, column, value)
    assert message in error.message


def test_lookup_officer_office_and_identification_errors_are_located(office_tree, branch_user, national_id):
    header = [
        *HEADER,
        "Occupation",
        "Office",
        "Credit officer",
        "Identification 1: type",
        "Identification 1: number",
    ]
    rows = [
        [*ANA, "Astronaut", "", "", "", ""],
        [*BEN, "", "South One", "", "", ""],
        [*["EXT-3", "Cy", "Oti", "male", "1980-01-01", ""], "", "", "Nobody Here", "", ""],
        [*["EXT-4", "Di", "Oti", "female", "1980-01-01", ""], "", "", "", "National ID", "123"],
        [*["EXT-5", "Ed", "Oti", "male", "1980-01-01", ""], "", "", "", "Passport X", "P1"],
    ]

    result = check(branch_user, office_tree["n1"], csv_file(rows, header=header))

    assert errors_of(result) == [
        (2, "Occupation", "Astronaut"),
        (3, "Office", "South One"),
        (4, "Credit officer", "Nobody Here"),
        (5, "Identification 1: number", "123"),
        (6, "Identification 1: type", "Passport X"),
    ]
    assert result.refused == 5


def test_the_same_external_id_or_identification_twice_in_a_file_is_an_error(
    office_tree, branch_user, national_id
):
    header = [*HEADER, "Identification 1: type", "Identification 1: number"]
    rows = [
        [*ANA, "National ID", "12345678Z"],
        [*ANA[:1], *BEN[1:], "", ""],
        [*["EXT-9", "Cy", "Oti", "male", "1980-01-01", ""], "National ID", "12345678z"],
    ]

    result = check(branch_user, office_tree["n1"], csv_file(rows, header=header))

    assert [(error.line, error.column) for error in result.errors] == [
        (3, "External id"),
        (4, "Identification 1: number"),
    ]
    assert "line 2" in result.errors[0].message


def test_an_active_row_needs_its_activation_date_not_in_the_future(office_tree, branch_user):
    header = [*HEADER, "Status", "Activated on"]
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    rows = [[*ANA, "active", ""], [*BEN, "active", future], [*ANA[:1], *BEN[1:], "closed", ""]]
    rows[2][0] = "EXT-3"

    result = check(branch_user, office_tree["n1"], csv_file(rows, header=header))

    assert [(error.line, error.column) for error in result.errors] == [
        (2, "Activated on"),
        (3, "Activated on"),
        (4, "Status"),
    ]


# --- All or nothing, and again ------------------------------------------------------------------------


def test_a_bad_last_row_leaves_the_database_unchanged(office_tree, branch_user):
    rows = [ANA, BEN, ["EXT-3", "Cy", "", "male", "1980-01-01", ""]]

    result = import_file(branch_user, office_tree["n1"], csv_file(rows))

    assert (result.created, result.refused, result.written) == (2, 1, False)
    assert not Client.objects.exists()
    assert not ClientEvent.objects.exists()
    assert not Client.history.exists()


def test_the_preview_writes_nothing(office_tree, branch_user):
    result = check(branch_user, office_tree["n1"], csv_file([ANA, BEN]))

    assert result.created == 2
    assert not Client.objects.exists()


def test_importing_the_same_file_again_skips_every_row(office_tree, branch_user):
    import_file(branch_user, office_tree["n1"], csv_file([ANA, BEN]))

    result = import_file(branch_user, office_tree["n1"], csv_file([ANA, BEN]))

    assert (result.created, result.skipped) == (0, 2)
    assert Client.objects.count() == 2


def test_a_row_whose_unique_identification_is_registered_is_skipped(office_tree, branch_user, national_id):
    """The same person, registered without the file's external id: they are not registered twice."""
    IdentificationFactory(
        client=ClientFactory(
            office=office_tree["n1"],
            first_name="Ana",
            last_name="Pérez",
            date_of_birth=datetime.date(1990, 4, 12),
        ),
        document_type=national_id,
        number="12345678Z",
        number_normalized="12345678Z",
    )
    header = [*HEADER[1:], "Identification 1: type", "Identification 1: number"]

    result = import_file(
        branch_user, office_tree["n1"], csv_file([[*ANA[1:], "National ID", "12345678-Z"]], header=header)
    )

    assert (result.created, result.skipped) == (0, 1)


# --- Scope -------------------------------------------------------------------------------------------------


def test_a_branch_user_cannot_import_into_another_office(office_tree, branch_user):
    with pytest.raises(PermissionDenied):
        import_file(branch_user, office_tree["s1"], csv_file([ANA]))
    assert not Client.objects.exists()


def test_head_office_may_send_rows_to_any_office_by_code(office_tree):
    header = [*HEADER, "Office"]

    result = import_file(
        HeadOfficeAdminUserFactory(), office_tree["head"], csv_file([[*ANA, "s1"]], header=header)
    )

    assert result.created == 1
    assert Client.objects.get().office == office_tree["s1"]


# --- The command --------------------------------------------------------------------------------------------


def test_the_command_imports_a_file_for_it(office_tree, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_file([ANA, BEN]).getvalue())
    out = io.StringIO()

    call_command("import_clients", str(path), "--office", "N1", stdout=out, stderr=io.StringIO())

    assert Client.objects.count() == 2
    assert "2" in out.getvalue()


def test_the_commands_dry_run_writes_nothing(office_tree, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_file([ANA, BEN]).getvalue())
    out = io.StringIO()

    call_command("import_clients", str(path), "--office", "N1", "--dry-run", stdout=out, stderr=io.StringIO())

    assert "2 clients will be created" in out.getvalue()
    assert not Client.objects.exists()


def test_the_command_fails_on_a_bad_row_and_lists_it(office_tree, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_file([ANA, ["EXT-2", "", "Okello", "male", "1985-01-30", ""]]).getvalue())
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 row refused"):
        call_command("import_clients", str(path), "--office", "N1", stdout=io.StringIO(), stderr=err)

    assert "line 3, First name" in err.getvalue()
    assert not Client.objects.exists()


@pytest.mark.parametrize(("command", "instead"), [("import", "import_clients"), ("export", "export_clients")])
def test_the_generic_import_and_export_commands_refuse_and_point_to_ours(office_tree, command, instead):
    with pytest.raises(CommandError, match=instead):
        call_command(command, "csv", "clients.Client", "clients.csv")
    assert not Client.objects.exists()


# --- The pages -------------------------------------------------------------------------------------------


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client, office, stream, name, capture):
    """Upload a file and return its run's page once the check job has run."""
    with capture(execute=True):
        response = client.post(
            reverse("clients:client_import"), {"office": office.pk, "file": File(stream, name=name)}
        )
    return client.get(response["Location"])


def test_the_import_pages_check_show_errors_and_import_on_confirmation(
    client, office_tree, branch_user, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(branch_user)
    bad = ["EXT-2", "Ben", "Okello", "robot", "1985-01-30", ""]

    response = upload(
        client, office_tree["n1"], csv_file([ANA, bad]), "clients.csv", django_capture_on_commit_callbacks
    )

    page = response.content.decode()
    assert "1 row refused" in page
    assert "robot" in page and "Gender" in page
    run = ImportRun.objects.get()
    errors_file = client.get(reverse("clients:importrun_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert errors_file.splitlines()[0].endswith(",Errors")
    assert "Gender: Not one of the allowed values" in errors_file.splitlines()[2]

    response = upload(
        client, office_tree["n1"], csv_file([ANA, BEN]), "fixed.csv", django_capture_on_commit_callbacks
    )
    assert "2 clients will be created" in response.content.decode()
    assert not Client.objects.exists()
    run = ImportRun.objects.get(file_name="fixed.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clients:importrun_confirm", args=[run.pk]))
    response = client.get(reverse("clients:importrun_detail", args=[run.pk]))

    assert "2 clients created" in response.content.decode()
    assert Client.objects.count() == 2
    assert Client.history.filter(history_change_reason=f"import {run.pk}").count() == 2


def test_a_run_of_another_office_is_not_found(client, office_tree, branch_user):
    run = ImportRun.objects.create(file_name="x.csv", office=office_tree["s1"], status=ImportStatus.CHECKED)
    client.force_login(branch_user)

    assert client.get(reverse("clients:importrun_detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("clients:importrun_confirm", args=[run.pk])).status_code == 404


def test_a_run_stays_with_the_office_it_was_uploaded_in_when_its_uploader_moves(client, office_tree):
    clerk = BranchStaffUserFactory(office=office_tree["n1"])
    run = ImportRun.objects.create(
        file_name="x.csv", office=office_tree["n1"], user=clerk, status=ImportStatus.REFUSED
    )
    clerk.office = office_tree["s1"]
    clerk.save()
    address = reverse("clients:importrun_detail", args=[run.pk])

    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))
    new_branch = client.get(address).status_code
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))
    old_branch = client.get(address).status_code

    assert (new_branch, old_branch) == (404, 200)


def test_the_upload_form_offers_only_the_users_offices(client, office_tree, branch_user):
    client.force_login(branch_user)

    response = client.post(
        reverse("clients:client_import"),
        {"office": office_tree["s1"].pk, "file": File(csv_file([ANA]), name="clients.csv")},
    )

    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_only_users_with_the_import_permission_reach_the_page(client, office_tree, branch_user):
    assert_access(
        client,
        reverse("clients:client_import"),
        permitted=branch_user,
        without_permission=UserFactory(office=office_tree["n1"]),
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_has_every_import_column(client, office_tree, branch_user, file_format):
    OccupationFactory(name="Farmer")
    client.force_login(branch_user)

    response = client.get(reverse("clients:client_import_template", args=[file_format]))

    content = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":
        header = content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        workbook = load_workbook(io.BytesIO(content))
        header = [cell.value for cell in workbook.worksheets[0][1]]
        assert "Farmer" in [cell.value for row in workbook.worksheets[1].iter_rows() for cell in row]
    assert header[:3] == ["External id", "Legal form", "Status"]
    assert "Identification 2: number" in header


def test_the_import_page_runs_a_fixed_number_of_queries(
    client, office_tree, branch_user, django_assert_max_num_queries
):
    for index in range(5):
        ImportRun.objects.create(file_name=f"{index}.csv", office=office_tree["n1"], status=ImportStatus.DONE)
    client.force_login(branch_user)

    with django_assert_max_num_queries(10):
        client.get(reverse("clients:client_import"))


def test_head_office_imports_from_admin_through_the_same_page(client, office_tree):
    admin_user = HeadOfficeAdminUserFactory()
    ImportRun.objects.create(file_name="old.csv", office=office_tree["s1"], status=ImportStatus.DONE)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:clients_importrun_changelist"))
    response = client.get(reverse("admin:clients_importrun_add"))

    assert "old.csv" in listing.content.decode()
    assert response["Location"] == reverse("clients:client_import")


def test_checking_a_file_runs_the_same_queries_for_few_or_many_rows(
    office_tree, branch_user, national_id, django_assert_max_num_queries
):
    header = [*HEADER, "Identification 1: type", "Identification 1: number"]

    def rows(count):
        return [
            [f"EXT-{n}", "Ana", "Pérez", "female", born_on(n), "", "National ID", f"{n:08d}A"]
            for n in range(count)
        ]

    with CaptureQueriesContext(connection) as few:
        check(branch_user, office_tree["n1"], csv_file(rows(6), header=header))
    # the lists, the scope, the rules, a batch's duplicates (the keys seen, the ids, the numbers)
    with django_assert_max_num_queries(len(few)):
        result = check(branch_user, office_tree["n1"], csv_file(rows(60), header=header))

    assert len(few) <= 25
    assert result.created == 60


def test_a_row_without_a_required_identification_is_refused_as_a_whole(office_tree, branch_user):
    IdentificationTypeFactory(name="Voter card", is_required=True)

    result = check(branch_user, office_tree["n1"], csv_file([ANA]))

    (error,) = result.errors
    assert (error.line, error.column) == (2, "")
    assert "Voter card" in error.message


def test_headers_and_values_may_be_written_in_another_language_of_the_site(office_tree, branch_user):
    from django.utils import translation

    with translation.override("es"):
        spanish = [file_columns.by_key()[key].header() for key in ("first_name", "last_name", "gender")]
        female = str(Gender.FEMALE.label)
    header = ["External id", *spanish, "Date of birth"]

    result = import_file(
        branch_user,
        office_tree["n1"],
        csv_file([["X-1", "Ana", "Pérez", female, "1990-04-12"]], header=header),
    )

    assert result.created == 1


def test_four_eyes_approval_refuses_active_rows_the_importer_would_activate(office_tree, branch_manager):
    rules = ClientRules.load()
    rules.four_eyes_activation = True
    rules.save()
    header = [*HEADER, "Status", "Activated on", "Submitted on"]
    row = [*ANA, "Active", "2024-03-01", "2024-02-01"]

    result = check(branch_manager, office_tree["n1"], csv_file([row], header=header))

    (error,) = result.errors
    assert (error.line, error.column) == (2, "Status")
    assert "Four-eyes" in error.message


def test_the_error_file_of_an_excel_upload_is_an_excel_file_with_an_errors_column(
    client, office_tree, branch_user, immediate_tasks, django_capture_on_commit_callbacks
):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["EXT-1", "Ana", "", "female", "1990-04-12", ""])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    client.force_login(branch_user)

    upload(client, office_tree["n1"], stream, "clients.xlsx", django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    response = client.get(reverse("clients:importrun_errors", args=[run.pk]))

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][-1] == "Errors"
    assert rows[1][-1] == "Last name: This field is required."


def test_the_run_page_says_when_no_worker_takes_the_file_and_resumes_once_one_does(
    client, office_tree, branch_user, django_capture_on_commit_callbacks, monkeypatch
):
    """With the database queue and no worker running, the file waits: after two minutes the page
    says why and whom to ask, rather than "working on it" for ever."""
    client.force_login(branch_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clients:client_import"),
            {"office": office_tree["n1"].pk, "file": File(csv_file([ANA]), name="clients.csv")},
        )
    run_page = response["Location"]

    first = client.get(run_page).content.decode()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=3))
    late = client.get(run_page).content.decode()
    # The worker's housekeeping would close the connection that holds the test's transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    checked = client.get(run_page).content.decode()

    assert "Working on it" in first and "seems to be stopped" not in first
    assert "No background worker has taken this file for more than 2 minutes" in late
    assert "manage.py db_worker" in late
    assert "1 client will be created" in checked and "seems to be stopped" not in checked


def test_a_rows_problems_are_reported_at_once_not_one_upload_at_a_time(office_tree, branch_user):
    """A cell that cannot be read (the gender) used to hide the row's other problems until it was
    fixed: a tester needed four uploads for one row. The other rules run with the cells read."""
    header = [*HEADER, "Email", "Identification 1: type", "Identification 1: number"]
    row = ["EXT-1", "Ana", "x" * 200, "robot", "2999-01-01", "+34600111222", "not-an-email", "", "12345678Z"]

    result = check(branch_user, office_tree["n1"], csv_file([row], header=header))

    assert {column for _line, column, _value in errors_of(result)} == {
        "Last name",
        "Gender",
        "Date of birth",
        "Email",
        "Identification 1: type",
    }
    assert [error.column for error in result.errors].count("Gender") == 1


def test_columns_not_read_are_warned_apart_from_errors_and_no_errors_file_is_offered(
    client, office_tree, branch_user, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(branch_user)

    response = upload(
        client,
        office_tree["n1"],
        csv_file([[*ANA, "Lakeside"]], header=[*HEADER, "Branch"]),
        "clients.csv",
        django_capture_on_commit_callbacks,
    )

    page = response.content.decode()
    run = ImportRun.objects.get()
    assert "Columns not read:" in page and "Branch: The import does not know this column" in page
    assert "1 client will be created" in page
    assert "<h2>Errors</h2>" not in page
    assert reverse("clients:importrun_errors", args=[run.pk]) not in page
    assert client.get(reverse("clients:importrun_errors", args=[run.pk])).status_code == 404
