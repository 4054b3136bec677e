"""``manage.py export_clients -o FILE`` leaves a whole file or none: never a cut one."""

import errno
import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import Event
from clients import exports
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(office_tree):
    return [ClientFactory(office=office_tree["n1"]) for _ in range(3)]


def export_to(path, *args):
    call_command("export_clients", "-o", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def disk_fills_up(monkeypatch):
    """The disk fills up after the header and a row have been written."""

    def cut_csv(rows, stream):
        lines = exports.csv_lines(rows)
        stream.write(next(lines) + next(lines))
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def cut_xlsx(rows, path):
        with open(path, "wb") as stream:
            stream.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports, "write_csv", cut_csv)
    monkeypatch.setattr(exports, "write_xlsx", cut_xlsx)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_failed_export_leaves_no_cut_file_and_the_older_one_whole(
    clients, tmp_path, disk_fills_up, file_format
):
    path = tmp_path / f"clients.{file_format}"
    path.write_bytes(b"yesterday's whole export")

    with pytest.raises(CommandError, match="No space left on device"):
        export_to(path, "--format", file_format)

    assert path.read_bytes() == b"yesterday's whole export"
    assert [item.name for item in tmp_path.iterdir()] == [path.name]


def test_a_failed_first_export_leaves_no_file_at_all(clients, tmp_path, disk_fills_up):
    with pytest.raises(CommandError):
        export_to(tmp_path / "clients.csv")

    assert list(tmp_path.iterdir()) == []


class ClosedPipe(io.StringIO):
    """Standard output piped to a reader that stops after the first lines (``| head``)."""

    def write(self, text):
        if self.tell() > 0:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        return super().write(text)


def test_an_export_to_a_pipe_closed_part_way_is_recorded(clients):
    with pytest.raises(CommandError, match="Broken pipe"):
        call_command("export_clients", stdout=ClosedPipe(), stderr=io.StringIO())

    event = Event.objects.get(event="clients.client.exported")
    assert event.details["rows"] == 3
