"""Checks for every piece of text a reader sends: names, comments, chat messages.

Text is normalised (NFC, Windows line ends), then refused with a message the reader can act on
when it is empty, too long, holds control or direction-override characters, or (where text is
plain) markup. Nothing is silently cut: what is stored is what the reader sent, or nothing.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Characters that reorder or hide text (bidirectional overrides and isolates, zero-width
# joiners outside words are harmless and stay).
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|&#?\w+;")


def clean_text(
    value,
    *,
    max_length: int,
    multiline: bool = False,
    plain: bool = True,
    what: str = "",
) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Send text."), code="invalid")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(_("The text is not valid Unicode."), code="invalid") from None
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise ValidationError(_("Write something first."), code="empty")
    if not multiline and "\n" in text:
        raise ValidationError(_("Keep it on one line."), code="multiline")
    allowed = {"\n", "\t"} if multiline else set()
    for char in text:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise ValidationError(
                _("The text holds a control or unassigned character (U+%(code)04X).")
                % {"code": ord(char)},
                code="control",
            )
    if _DIRECTION.search(text):
        raise ValidationError(
            _("The text holds characters that change its direction; remove them."),
            code="direction",
        )
    if plain and _MARKUP.search(text):
        raise ValidationError(
            _("Write plain text: markup such as <b> or &amp; is not allowed."), code="markup"
        )
    if len(text) > max_length:
        raise ValidationError(
            ngettext(
                "At most %(max)d character, please (this has %(count)d).",
                "At most %(max)d characters, please (this has %(count)d).",
                max_length,
            )
            % {"max": max_length, "count": len(text)},
            code="too_long",
        )
    return text
