"""An article read from a page (its HTML or its visible text), in the shape a story takes:
what page import and the two page parsers share."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from django.utils.html import escape

from dateline.text import single_line
from dateline.wire.parsers.base import MAX_BLOCKS, ParseError, strip_overrides

# "TOKYO (Sputnik) - ", "LONDON, March 3 (Reuters) — ", "PARIS (AFP) – "
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{1,40}?)(?:,\s*(?P<when>[^()\n]{1,40}?))?\s*"
    r"\((?P<agency>[^()\n]{2,40})\)\s*[-–—]+\s*"
)
READ_MORE = re.compile(
    r"^(?P<label>read more|read also|also read|see also|related|more)\s*:\s*(?P<headline>.+)$",
    re.IGNORECASE,
)
# A quotation that opens a paragraph, then who said it: “…,” the ministry told Sputnik.
QUOTE = re.compile(r'^[“"«„](?P<text>[^”"»“]{10,}?)[,.]?[”"»]\s*(?P<attribution>[^“”"«»]{0,120})$')


@dataclass
class Block:
    kind: str  # paragraph, quote, related, read_more
    text: str
    attribution: str = ""  # quotes
    section: str = ""  # related-story cards: the section label they show
    label: str = ""  # read-more links: the label before the headline


@dataclass
class PageArticle:
    headline: str = ""
    section: str = ""
    standfirst: str = ""
    dateline_place: str = ""
    dateline_agency: str = ""
    bylines: list[str] = field(default_factory=list)
    photo_caption: str = ""
    photo_credit: str = ""
    photo_alt: str = ""
    photo_url: str = ""
    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    site_name: str = ""
    language: str = ""
    published: str = ""

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["related"] = [b.text for b in self.blocks if b.kind == "related"]
        data["read_more"] = [b.text for b in self.blocks if b.kind == "read_more"]
        return data

    def body_text(self) -> str:
        """Return the text a reader sees of the body: the dateline, paragraphs and quotes."""
        parts = []
        for block in self.blocks:
            if block.kind == "paragraph":
                parts.append(block.text)
            elif block.kind == "quote":
                parts.append(f"“{block.text}” {block.attribution}".strip())
        if parts and self.dateline_place:
            parts[0] = f"{self.dateline_place.upper()} ({self.dateline_agency}) - {parts[0]}"
        return "\n\n".join(parts)

    def body_html(self) -> str:
        """Return the body as sanitised-safe HTML (every text escaped)."""
        html = []
        for block in self.blocks:
            if block.kind == "paragraph":
                html.append(f"<p>{escape(block.text)}</p>")
            elif block.kind == "quote":
                cite = f" — {escape(block.attribution)}" if block.attribution else ""
                html.append(f"<blockquote><p>{escape(block.text)}</p>{cite}</blockquote>")
            elif block.kind == "read_more":
                html.append(
                    f"<p><b>{escape(block.label or 'Read more')}:</b> {escape(block.text)}</p>"
                )
        return "".join(html)


def tidy_article(article: PageArticle) -> PageArticle:
    """Return ``article`` with its single-line fields (headline, bylines, dateline, credits,
    labels, tags) on one line and without bidi controls, and the overrides (U+202D, U+202E)
    taken out of its body: a page from outside must not turn the desk's text around. Raise
    ParseError when it has more than MAX_BLOCKS blocks (no article has; storing them would
    hold the newsroom up)."""
    if len(article.blocks) > MAX_BLOCKS:
        raise ParseError(f"refused: the page has more than {MAX_BLOCKS:,} paragraphs")
    for name in (
        "headline", "section", "standfirst", "dateline_place", "dateline_agency",
        "photo_caption", "photo_credit", "photo_alt", "photo_url", "site_name", "language",
        "published",
    ):  # fmt: skip
        setattr(article, name, single_line(getattr(article, name)))
    article.bylines = [name for name in map(single_line, article.bylines) if name]
    article.tags = [tag for tag in map(single_line, article.tags) if tag]
    for block in article.blocks:
        block.text = strip_overrides(block.text)
        block.attribution = single_line(block.attribution)
        block.section = single_line(block.section)
        block.label = single_line(block.label)
    return article


def split_dateline(text: str) -> tuple[str, str, str]:
    """Return (place, agency, rest) when ``text`` opens with a dateline, else ('', '', text).
    The place comes back in title case: "TOKYO" is "Tokyo"."""
    match = DATELINE.match(text)
    if not match or len(match.group("place").split()) > 4:
        return "", "", text
    place = match.group("place").strip().title()
    return place, match.group("agency").strip(), text[match.end() :].strip()


def split_quote(text: str) -> tuple[str, str] | None:
    """Return (quotation, attribution) for a paragraph that is a quotation with at most a
    short attribution after it, else None."""
    match = QUOTE.match(text.strip())
    if not match:
        return None
    attribution = match.group("attribution").strip().rstrip(".")
    return match.group("text").strip().rstrip(","), attribution


def split_credit(line: str) -> tuple[str, str]:
    """Return (credit, caption) from a credit line that runs into its caption:
    "© Agency / Photographer / Go to the mediabankCaption text"."""
    text = line.strip()
    # Link texts glued to the caption ("…mediabankJapanese"): split where a lower-case
    # letter is followed directly by a capital.
    glued = re.search(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])", text)
    caption = ""
    if glued:
        text, caption = text[: glued.start()], text[glued.start() :]
    parts = [p.strip() for p in text.split("/")]
    credit_parts = [p for p in parts if p and not re.match(r"(?i)^(go to|view|see|open)\b", p)]
    return " / ".join(credit_parts).strip(), caption.strip()
