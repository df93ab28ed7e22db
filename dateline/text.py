"""Text from outside (wires, imported pages, photo metadata) made safe to show on one line.

Bidirectional controls are invisible: an embedding, override or isolate that a source leaves
open can make a headline read backwards or hide what follows it ("gpj.exe" shown as
"exe.jpg"). Single-line fields never need them; the surrounding markup sets the direction.
"""

from __future__ import annotations

import re

# LRM, RLM, the embeddings and overrides (LRE, RLE, PDF, LRO, RLO), the isolates (LRI, RLI,
# FSI, PDI) and the Arabic letter mark.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
WHITESPACE = re.compile(r"\s+")


def strip_bidi_controls(text: str) -> str:
    """Return ``text`` without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", text)


def single_line(text: str) -> str:
    """Return ``text`` as one line: no bidi controls, every run of whitespace (newlines
    included) folded into one space, and no space at either end."""
    return WHITESPACE.sub(" ", strip_bidi_controls(text)).strip()
