"""``manage.py export_clients`` as IT types it: a descending sort, and its closing line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


def exported_numbers(*args):
    out = io.StringIO()
    call_command("export_clients", *args, stdout=out, stderr=io.StringIO())
    rows = csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff")))
    return [row["Client number"] for row in rows]


@pytest.fixture
def numbers(office_tree):
    return sorted(ClientFactory(office=office_tree["n1"]).account_no for _ in range(3))


@pytest.mark.parametrize("sort", [["--sort", "number-desc"], ["--sort=number-desc"], ["--sort=-number"]])
def test_the_command_sorts_in_descending_order(numbers, sort):
    assert exported_numbers(*sort) == numbers[::-1]


@pytest.mark.parametrize("sort", ["name", "name-desc", "number", "submitted", "submitted-desc"])
def test_every_sort_the_help_names_is_taken(numbers, sort):
    assert sorted(exported_numbers("--sort", sort)) == numbers


def test_an_unknown_sort_is_refused_naming_the_sorts(numbers):
    with pytest.raises(CommandError, match="number-desc"):
        exported_numbers("--sort", "age")


@pytest.mark.parametrize(("count", "said"), [(1, "1 client exported."), (2, "2 clients exported.")])
def test_it_says_how_many_clients_it_exported_in_a_sentence(office_tree, count, said):
    ClientFactory.create_batch(count, office=office_tree["n1"])
    err = io.StringIO()

    call_command("export_clients", stdout=io.StringIO(), stderr=err)

    assert err.getvalue().strip() == said
