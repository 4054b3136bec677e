import pytest

from clients import search
from clients.models import Client
from tests.clients.factories import ClientFactory, CorporateClientFactory, IdentificationFactory
from tests.offices.factories import OfficeFactory


def found(text):
    """Display names of the clients the box finds for ``text``, best match first."""
    terms = search.parse(text)
    assert terms is not None, f"{text!r} is too short to search for"
    rows = search.search(Client.objects.all(), terms).order_by(search.RANK, search.SORT_NAME, "id")
    return [client.display_name for client in rows]


@pytest.mark.parametrize(
    ("text", "words", "is_number"),
    [
        ("  José   MARÍA ", ("jose", "maria"), False),
        ("garcía", ("garcia",), False),
        ("BR01-000123", ("br01-000123",), True),
        ("+256 772 123 456", ("+256", "772", "123", "456"), True),
        ("de la Cruz", ("de", "la", "cruz"), False),
    ],
)
def test_it_reads_the_box_as_a_name_or_a_number(text, words, is_number):
    terms = search.parse(text)

    assert terms.words == words
    assert terms.is_number is is_number


@pytest.mark.parametrize("text", ["", "   ", "jo", "ab 12", "é"])
def test_a_box_without_a_word_of_three_characters_is_too_short(text):
    assert search.parse(text) is None


@pytest.mark.django_db
class TestNames:
    @pytest.fixture(autouse=True)
    def clients(self):
        office = OfficeFactory()
        ClientFactory(office=office, first_name="José", middle_name="Ángel", last_name="García Pérez")
        ClientFactory(office=office, first_name="Zoë", last_name="Lefèvre")
        ClientFactory(office=office, first_name="John", last_name="Smith")
        CorporateClientFactory(office=office, business_name="Café Müller SA")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("jose", ["José Ángel García Pérez"]),
            ("JOSÉ", ["José Ángel García Pérez"]),
            ("angel", ["José Ángel García Pérez"]),
            ("perez garcia", ["José Ángel García Pérez"]),
            ("garc", ["José Ángel García Pérez"]),
            ("zoe lefevre", ["Zoë Lefèvre"]),
            ("LEFÈVRE", ["Zoë Lefèvre"]),
            ("cafe muller", ["Café Müller SA"]),
            ("mith", ["John Smith"]),
        ],
    )
    def test_any_part_of_a_name_matches_whatever_the_case_and_accents(self, text, expected):
        assert found(text) == expected

    @pytest.mark.parametrize("text", ["josef", "jose smith", "garcia zoe"])
    def test_every_word_must_match_the_same_client(self, text):
        assert found(text) == []


@pytest.mark.django_db
def test_names_that_start_with_the_text_come_first_the_whole_name_first_of_all_then_the_rest():
    office = OfficeFactory()
    for first, last in [
        ("Mariana", "Ortiz"),
        ("María", "Ana"),
        ("Anabel", "Abad"),
        ("Ana", "Pérez"),
        ("Ana", ""),
    ]:
        ClientFactory(office=office, first_name=first, last_name=last)

    assert found("ana") == ["Ana", "Ana Pérez", "Anabel Abad", "María Ana", "Mariana Ortiz"]


@pytest.mark.django_db
class TestNumbers:
    @pytest.fixture(autouse=True)
    def clients(self):
        office = OfficeFactory()
        self.numbered = ClientFactory(
            office=office, first_name="Numbered", last_name="One", account_no="BR01-000123"
        )
        self.other = ClientFactory(
            office=office, first_name="Numbered", last_name="Two", account_no="BR02-000123"
        )
        self.external = ClientFactory(
            office=office, first_name="External", last_name="Id", external_id="LEGACY-77"
        )
        self.phoned = ClientFactory(
            office=office, first_name="Phoned", last_name="Client", mobile_phone="+256772123456"
        )
        self.identified = ClientFactory(office=office, first_name="Identified", last_name="Client")
        IdentificationFactory(client=self.identified, number="AB-12 34", number_normalized="AB1234")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("BR01-000123", "Numbered One"),
            ("br01-000123", "Numbered One"),
            ("LEGACY-77", "External Id"),
            ("+256 772 123 456", "Phoned Client"),
            ("00256772123456", "Phoned Client"),
            ("ab 12-34", "Identified Client"),
            ("ab1234", "Identified Client"),
        ],
    )
    def test_an_exact_number_finds_its_client_first(self, text, expected):
        assert found(text)[0] == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("000123", ["Numbered One", "Numbered Two"]),
            ("772 123", ["Phoned Client"]),
            ("b12", ["Identified Client"]),
        ],
    )
    def test_part_of_a_number_finds_its_clients(self, text, expected):
        assert found(text) == expected

    @pytest.mark.parametrize("text", ["BR03-000123", "+44 772 123 456", "xab 12-34"])
    def test_a_long_number_matches_only_where_the_whole_of_it_is(self, text):
        assert found(text) == []  # each shares its last characters with a client's number

    def test_part_of_a_long_number_matches_whatever_its_case(self):
        assert found("r01-000") == ["Numbered One"]

    def test_a_number_with_letters_is_not_read_as_a_phone(self):
        self.phoned.mobile_phone = "+256701000123"
        self.phoned.save()

        assert "Phoned Client" not in found("BR01-000123")  # whose digits are in the phone
        assert found("701 000 123") == ["Phoned Client"]

    @pytest.mark.parametrize("text", ["0772 123 456", "0772-123456"])
    def test_a_phone_in_national_form_finds_the_number_stored_with_its_country_code(self, text):
        assert found(text) == ["Phoned Client"]

    def test_a_phone_in_national_form_finds_the_number_stored_so_too(self):
        self.phoned.mobile_phone = "0772123456"
        self.phoned.save()

        assert found("0772 123 456") == ["Phoned Client"]
        assert found("772 123") == ["Phoned Client"]

    def test_a_short_fragment_starting_with_0_keeps_its_0(self):
        self.phoned.mobile_phone = "0772123456"
        self.phoned.save()
        ClientFactory(
            office=self.phoned.office, first_name="Other", last_name="Phone", mobile_phone="+256177200000"
        )

        assert found("0772") == ["Phoned Client"]

    def test_an_exact_match_comes_before_partial_ones(self):
        self.phoned.mobile_phone = "+44BR01000123"
        IdentificationFactory(client=self.other, number="BR01-000123-9", number_normalized="BR010001239")

        assert found("BR01-000123") == ["Numbered One", "Numbered Two"]

    def test_a_number_that_matches_many_clients_finds_them_all(self, monkeypatch):
        # Past this many matches the ids are not read first but searched inside the page's query.
        monkeypatch.setattr(search, "MAX_LISTED_MATCHES", 1)

        assert found("000123") == ["Numbered One", "Numbered Two"]
        assert found("BR01-000123") == ["Numbered One"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", ["100% Organic"]),
        ("100_", []),
        ("a_b shop", []),
        ("back\\slash", ["Back\\slash Ltd"]),
        ("'; DROP TABLE clients_client; --", []),
    ],
)
def test_like_wildcards_and_quotes_in_the_box_are_plain_characters(text, expected):
    office = OfficeFactory()
    for name in ["100% Organic", "1000 Hills", "Axb Shop", "Back\\slash Ltd"]:
        CorporateClientFactory(office=office, business_name=name)

    assert found(text) == expected
    assert Client.objects.count() == 4
