import pytest

from clients.normalize import fold, normalize_id_number, normalize_phone


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José  María", "jose maria"),
        ("  Ana\tNÚÑEZ ", "ana nunez"),
        ("Straße", "strasse"),
        ("  Bob   BROWN ", "bob brown"),
        ("ﬁne", "fine"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_ignores_case_accents_and_extra_spaces(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("number", "normalized"),
    [(" ab-12.34 ", "AB1234"), ("20000123-T", "20000123T"), ("çb/12 ３４", "CB1234")],
)
def test_an_identification_number_keeps_its_letters_and_digits_in_upper_case(number, normalized):
    assert normalize_id_number(number) == normalized


@pytest.mark.parametrize(
    ("phone", "normalized"),
    [
        ("00256 772-123 456", "+256772123456"),
        ("+256 (772) 123456", "+256772123456"),
        ("0772 123 456", "0772123456"),
    ],
)
def test_a_phone_keeps_its_digits_and_an_international_prefix_as_plus(phone, normalized):
    assert normalize_phone(phone) == normalized
