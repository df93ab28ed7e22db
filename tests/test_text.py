"""The one cleaner for outside text that becomes a one-line field (dateline/text.py)."""

import pytest

from dateline.text import single_line, strip_bidi_controls


@pytest.mark.parametrize(
    "raw",
    [
        "Photo by \u202eevil\u202c Jane",  # right-to-left override, pop
        "Photo by \u202aevil\u202b Jane\u202d",  # embeddings, left-to-right override
        "Photo by \u2066evil\u2067\u2068 Jane\u2069",  # isolates
        "Photo by \u200eevil\u200f Jane\u061c",  # direction marks
        "Photo\u200b by\u2060 evil\ufeff Jane\u2062\u180e\u206a",  # invisible format
    ],
)
def test_spoofing_characters_are_removed(raw):
    cleaned = strip_bidi_controls(raw)
    assert cleaned == "Photo by evil Jane"


def test_joiners_that_scripts_need_stay():
    persian = "می\u200cخواهم"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert strip_bidi_controls(persian) == persian
    assert strip_bidi_controls(family) == family
    assert strip_bidi_controls("مرحبا بالعالم") == "مرحبا بالعالم"


def test_single_line_folds_breaks_and_controls():
    raw = "  Jane\r\nDoe\u2028for\tthe\x00 Agency\x85\n\n  Ltd \u202e "
    assert single_line(raw) == "Jane Doe for the Agency Ltd"


def test_single_line_keeps_ordinary_text():
    assert single_line("Reuters / Jane Doe") == "Reuters / Jane Doe"
    assert single_line("") == ""
