"""What an agency's lead paragraph opens with, and what a draft story takes from a wire item:
the dateline ("TOKYO, Dec 7 (Agency) -") and a standfirst that is not the body's
first paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PLACE_WORDS = 4
# Little words that stay in lower case when an upper-case place is given its usual case.
LOWER_WORDS = {"de", "da", "do", "dos", "das", "del", "la", "le", "les", "of", "al", "el", "on"}

# PLACE[, date] [(Agency)] - text. The place is letters (any script), spaces, dots, hyphens
# and apostrophes; the date anything short without brackets; the dash a hyphen, an en dash
# or an em dash followed by a space.
LEAD = re.compile(
    r"""^\s*
    (?P<place>[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_][^\W\d_.'’-]*)*\.?)
    \s*(?:,\s*(?P<date>[^()\n,]{1,30}?))?
    \s*(?:\((?P<agency>[^()\n]{1,60})\))?
    \s*[-–—]{1,2}\s+
    """,
    re.VERBOSE,
)
SENTENCE_END = re.compile(r"(?<=[.!?؟。])[\"'”»’)]*\s+(?=[\"'“«‘(]*[^\W\d_]|\d)")
ABBREVIATIONS = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z]|\b(?:[a-z]\.){1,3}[a-z]?)\.$")


@dataclass(frozen=True)
class Lead:
    """The dateline read from the start of a paragraph, and where the story proper starts."""

    place: str  # as a place is named: "Tokyo", "New York", "Москва"
    agency: str  # "" when the lead names none
    date: str  # as the lead writes it ("Dec 7"), "" when it has none
    end: int  # the index in the text where the story's own words start


def read_lead(text: str) -> Lead | None:
    """Return the dateline ``text`` opens with ("TOKYO, Dec 7 (Agency) - …", "TOKYO (Agency)
    - …", "TOKYO - …"), or None when it opens with none.

    Without an agency in brackets the place must be in capitals (as agencies write it), so that
    an ordinary sentence with a dash is not taken for a dateline; with one, the place must be a
    few words at most."""
    match = LEAD.match(text)
    if not match:
        return None
    place, agency = match["place"].strip(" .-'’"), (match["agency"] or "").strip()
    letters = [c for c in place if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    upper = bool(cased) and all(c.isupper() for c in cased)
    if not letters or len(place.split()) > MAX_PLACE_WORDS:
        return None
    if not agency and not upper:
        return None
    words = [w for w in place.split() if w.lower() not in LOWER_WORDS]
    if agency and cased and not (upper or all(w[:1].isupper() for w in words)):
        return None  # "The minister (left) - …" is a sentence, not a dateline
    return Lead(
        place=_usual_case(place) if upper else place,
        agency=agency,
        date=(match["date"] or "").strip(),
        end=match.end(),
    )


def _usual_case(place: str) -> str:
    """Return an upper-case place as it is usually written: "RIO DE JANEIRO" → "Rio de
    Janeiro", "ST. PETERSBURG" → "St. Petersburg"."""
    words = []
    for n, word in enumerate(place.lower().split(" ")):
        if n and word in LOWER_WORDS:
            words.append(word)
        else:
            words.append(re.sub(r"(^|[-'’])(\w)", lambda m: m[1] + m[2].upper(), word))
    return " ".join(words)


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text`` (all of it when it has one sentence)."""
    text = " ".join(text.split())
    for match in SENTENCE_END.finditer(text):
        before = text[: match.start()]
        # "Mr. Smith", "U.S. officials", "Dec. 7": not the end of a sentence.
        if ABBREVIATIONS.search(before):
            continue
        return before.strip()
    return text


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def standfirst_for(summary: str, body_text: str, *, limit: int = 600) -> str:
    """Return a standfirst for a story whose body reads ``body_text``: the wire item's
    ``summary`` when it says something other than the body's opening, else the body's first
    sentence. Never longer than ``limit`` characters (cut at a word)."""
    summary = " ".join(summary.split())
    lead = read_lead(summary)
    if lead is not None:  # a feed's description is often the lead again, dateline and all
        summary = summary[lead.end :]
    opening = _normal(body_text[: len(summary) + 40])
    if summary and not opening.startswith(_normal(summary)[:200]):
        chosen = summary
    else:
        chosen = first_sentence(body_text)
    if len(chosen) <= limit:
        return chosen
    return chosen[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# What agencies put before an urgent headline ("URGENT:", "FLASH -", "BREAKING —"); a story
# made from the item does not keep it.
HEADLINE_MARK = re.compile(
    r"^\s*(?:urgent|flash|breaking|alert|bulletin|срочно|молния|عاجل)\s*[:\-–—|]\s*",
    re.IGNORECASE,
)


def headline_for(headline: str) -> str:
    """Return a wire ``headline`` as a story's: without the agency's urgency mark."""
    return HEADLINE_MARK.sub("", headline).strip() or headline.strip()
