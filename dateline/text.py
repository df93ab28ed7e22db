"""Clean text that comes from outside the newsroom (photo metadata, wire pages) into fields.

Readers' own text is refused, not cleaned (dateline/accounts/text.py: the reader can fix it).
Text from files and feeds has no one to ask, so the characters that can spoof what a reader
sees are removed instead:

- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
  reorder the characters after them ("gpj.exe" shown as "exe.jpg");
- the direction marks (U+200E, U+200F, U+061C), which in a one-line field do nothing useful
  but move neighbouring punctuation;
- invisible format characters that hide inside words (zero-width space, word joiner,
  invisible operators, byte order mark, Mongolian vowel separator, deprecated format
  characters, interlinear annotation marks, musical format characters, the language tag).

Zero-width joiner and non-joiner (U+200C, U+200D) stay: Persian, the Indic scripts and emoji
need them, and they reorder nothing.
"""

import re

BIDI_CONTROLS = (
    "\u061c"  # Arabic letter mark
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a-\u202e"  # embeddings, pop, overrides
    "\u2066-\u2069"  # isolates
)
INVISIBLE_FORMAT = (
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    "\u2060-\u2064"  # word joiner, invisible function application, times, separator, plus
    "\u206a-\u206f"  # deprecated format characters
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\ufff9-\ufffb"  # interlinear annotation
    "\U0001d173-\U0001d17a"  # musical symbol format characters
    "\U000e0001"  # language tag
)
_SPOOFING = re.compile(f"[{BIDI_CONTROLS}{INVISIBLE_FORMAT}]")
_DIRECTION = re.compile(f"[{BIDI_CONTROLS}]")
# Line and paragraph breaks in every form Unicode and old systems use, and tabs.
_BREAKS = re.compile("[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Other C0 and C1 controls (NUL and friends), which no field can show.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[^\S\n]{2,}")


def strip_bidi_controls(text: str, *, invisible: bool = True) -> str:
    """Return ``text`` without bidirectional controls and (unless ``invisible`` is False)
    invisible format characters. Readers' names keep the invisible ones, to be refused with a
    message (dateline.accounts.names): a reader can fix the name; a file cannot be asked."""
    return (_SPOOFING if invisible else _DIRECTION).sub("", text)


def single_line(text: str) -> str:
    """Return ``text`` as one line: bidi controls, invisible format characters and other
    control characters removed, line breaks and tabs folded into single spaces, runs of spaces
    made one, and the ends trimmed."""
    text = _CONTROLS.sub("", strip_bidi_controls(text))
    text = _BREAKS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
