"""A file name a user gave is kept harmless: no path, no control characters, a bounded length."""

import pytest

from documents.names import clean_name, content_disposition


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\grace\\Desktop\\bill.pdf", "bill.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("tab\there\x00.pdf", "tabhere.pdf"),
        ("..", "document"),
        ("", "document"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("договор.pdf", "договор.pdf"),
    ],
)
def test_it_keeps_the_last_part_of_a_name_without_control_characters(given, kept):
    assert clean_name(given) == kept


def test_a_long_name_is_shortened_but_keeps_its_extension():
    name = clean_name("x" * 500 + ".pdf")

    assert len(name) == 200 and name.endswith(".pdf")


def test_the_header_has_an_ascii_fallback_and_the_exact_name():
    assert content_disposition("Zoë's scan.jpeg", "image/jpeg") == (
        "attachment; filename=\"Zoe_s scan.jpeg\"; filename*=UTF-8''Zo%C3%AB%27s%20scan.jpeg"
    )
