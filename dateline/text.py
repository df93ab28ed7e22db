"""Text that goes into one-line places: names, subjects, headers.

``strip_bidi_controls`` removes the characters that reorder text on screen (marks, embeddings,
overrides and isolates: U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C), which let a
name or file name read differently from what it is. ``single_line`` also folds every run of
whitespace, line breaks included, into one space, so that no field can start a new line in a
mail's subject or body.
"""

import re

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_WHITESPACE = re.compile(r"\s+")


def strip_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def single_line(text: str) -> str:
    return _WHITESPACE.sub(" ", strip_bidi_controls(text)).strip()
