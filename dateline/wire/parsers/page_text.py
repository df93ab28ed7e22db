"""The plain visible text of an article page, as copied from a browser: the article mixed
with the site's navigation, captions, teasers, buttons and counters.

The body is the densest run of sentence-like lines (a best-scoring stretch, as in jusText's
and Kadane's approach); around and inside it, lines are told apart by their shape: a
credit line starts with ©, an image's alt text ends with " - <site name>", a related-story
card is an alt text, a short section label and a headline, a read-more link starts with
"READ MORE:". Whatever is not the article is dropped and listed with the reason.
"""

from __future__ import annotations

import re
from collections import Counter

from dateline.wire.parsers.article import (
    READ_MORE,
    Block,
    PageArticle,
    split_credit,
    split_dateline,
    split_quote,
    tidy_article,
)
from dateline.wire.parsers.base import (
    MAX_DOCUMENT_BYTES,
    ParsedItem,
    ParseError,
    content_id,
)

FORMAT = "page-text"
# A page's visible text has a few hundred lines; the body scan is linear, the rest is not.
MAX_LINES = 50_000
CHROME = re.compile(
    r"(?i)^(subscribe|log ?in|sign ?in|sign ?up|register|log in or register|newsfeed|chats?|"
    r"loader|loading|share|tweet|comments?|advertisement|menu|search|home|close|print|"
    r"e-?mail|follow us|related|to participate in the discussion|\d+)$"
)
SENTENCE_END = re.compile(r"[.!?…:;”\"»)]$")


def sniff(data: bytes, content_type: str = "") -> bool:
    head = data[:512].lstrip()
    return not head.startswith((b"<", b"{", b"[")) and "text/plain" in (
        content_type or "text/plain"
    )


def _words(line: str) -> int:
    return len(line.split())


def _is_sentence(line: str) -> bool:
    words = _words(line)
    return words >= 20 or (words >= 8 and bool(SENTENCE_END.search(line)))


def _site_name(lines: list[str]) -> str:
    if lines and lines[0].startswith(("- ", "– ", "| ")) and _words(lines[0]) <= 6:
        return lines[0][2:].strip()
    suffixes = Counter(
        re.split(r"\s[-–|]\s", line)[-1].strip() for line in lines if re.search(r"\s[-–|]\s", line)
    )
    for name, count in suffixes.most_common(3):
        if count >= 2 and 1 <= _words(name) <= 5 and not _is_sentence(name):
            return name
    return ""


def _other_script(line: str, latin: bool) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    cyrillic = sum("а" <= c.lower() <= "я" or c.lower() == "ё" for c in letters)
    return (cyrillic / len(letters) > 0.5) if latin else (cyrillic / len(letters) < 0.1)


def _body_range(lines: list[str], skip: set[int]) -> tuple[int, int]:
    """Return (first, last) index of the best-scoring stretch of sentence-like lines."""
    best, best_range = 0, (0, -1)
    total, start = 0, 0
    for index, line in enumerate(lines):
        if index in skip:
            score = -1
        elif _is_sentence(line):
            score = _words(line)
        elif _words(line) <= 3:
            score = -4
        else:
            score = -2
        if total <= 0:
            total, start = 0, index
        total += score
        if total > best:
            best, best_range = total, (start, index)
    first, last = best_range
    # A dateline opens the body: nothing before it is the article's text.
    for index in range(first, last + 1):
        if _is_sentence(lines[index]) and split_dateline(lines[index])[0]:
            return index, last
    # A short lead-in (a tagline, a teaser) followed by a run of headline, credit and button
    # lines is the page's head, not the body.
    words, gap = 0, 0
    for index in range(first, last + 1):
        if _is_sentence(lines[index]) and index not in skip:
            if gap >= 3 and words < 40:
                first, words = index, 0
            words += _words(lines[index])
            gap = 0
        else:
            gap += 1
    while first <= last and not _is_sentence(lines[first]):
        first += 1
    return first, last


def read_page_text(text: str, *, section_names: tuple[str, ...] = ()) -> PageArticle:
    """Return the article in ``text``; raise ParseError when no article body is found."""
    if text.count("\n") > MAX_LINES:
        raise ParseError(f"refused: the text has more than {MAX_LINES:,} lines")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    article = PageArticle()
    if not lines:
        raise ParseError("the text is empty")
    site = _site_name(lines)
    article.site_name = site
    alt_suffix = f" - {site}" if site else None

    def is_alt(line: str) -> bool:
        return bool(alt_suffix) and line.endswith(alt_suffix) and line != alt_suffix.strip()

    alts = {i for i, line in enumerate(lines) if is_alt(line)}
    first, last = _body_range(lines, alts)
    if last < first:
        raise ParseError("no article body found: the text has no run of sentences")
    latin = sum(c.isascii() for c in "".join(lines[first : last + 1])) > 0.5 * len(
        "".join(lines[first : last + 1])
    )

    def drop(line: str, reason: str) -> None:
        if _other_script(line, latin):
            reason = "UI text in another language"
        article.dropped.append(f"{line} ({reason})")

    # --- Before the body: site chrome, section label, headline, lead photo.
    head = lines[:first]
    # The page's <title> often comes first: "Headline - Site".
    title_parts = re.split(r"\s[-–|]\s", lines[0])
    title = title_parts[0].strip() if site and len(title_parts) > 1 else ""
    headline_at = None
    for index in range(len(head) - 1, -1, -1):
        line = head[index]
        if title and line == title:
            headline_at = index
            break
    if headline_at is None:
        for index in range(len(head) - 1, -1, -1):
            line = head[index]
            if (
                3 <= _words(line) <= 30
                and not line.endswith(".")
                and not line.startswith("©")
                and index not in alts
                and not CHROME.match(line)
                and line != site
            ):
                headline_at = index
                break
    if headline_at is not None:
        article.headline = head[headline_at]
    elif title:
        article.headline = title
    known = {name.casefold(): name for name in section_names}
    for index, line in enumerate(head):
        if index == headline_at:
            continue
        if line.startswith("©"):
            article.photo_credit, article.photo_caption = split_credit(line)
            continue
        if index in alts and not article.photo_alt and (headline_at or 0) < index:
            article.photo_alt = line[: -len(alt_suffix)].strip()
            drop(line, "the lead photo's alt text")
            continue
        if (
            headline_at is not None
            and index < headline_at
            and (line.casefold() in known or (not known and 1 <= _words(line) <= 2))
            and not CHROME.match(line)
            and line != site
            and not line.startswith(("-", "–"))
        ):
            article.section = known.get(line.casefold(), line)
            continue
        drop(line, "site chrome before the article")

    # --- The body.
    index = first
    while index <= last:
        line = lines[index]
        if index in alts:
            card = [lines[i] for i in range(index + 1, min(index + 3, last + 1))]
            if len(card) == 2 and _words(card[0]) <= 3 and not _is_sentence(card[1]):
                article.blocks.append(Block("related", card[1], section=card[0]))
                index += 3
                continue
            if card and not _is_sentence(card[0]):
                article.blocks.append(Block("related", card[0]))
                index += 2
                continue
            drop(line, "image alt text")
            index += 1
            continue
        read_more = READ_MORE.match(line)
        if read_more and _words(read_more.group("headline")) >= 3:
            article.blocks.append(Block("read_more", read_more.group("headline").strip(), label=""))
            article.blocks[-1].label = read_more.group("label").strip()
        elif not article.blocks and not article.dateline_place and split_dateline(line)[0]:
            place, agency, rest = split_dateline(line)
            article.dateline_place, article.dateline_agency = place, agency
            article.blocks.append(Block("paragraph", rest))
        elif quote := split_quote(line):
            article.blocks.append(Block("quote", quote[0], attribution=quote[1]))
        elif CHROME.match(line) or (_words(line) <= 3 and not _is_sentence(line)):
            drop(line, "site chrome inside the article")
        else:
            article.blocks.append(Block("paragraph", line))
        index += 1

    for line in lines[last + 1 :]:
        drop(line, "site chrome after the article")
    return tidy_article(article)


def article_item(article: PageArticle, *, format: str, url: str, raw: str) -> ParsedItem:
    """Return the wire item a page's article makes."""
    summary = next((b.text for b in article.blocks if b.kind == "paragraph"), "")
    dateline = (
        f"{article.dateline_place.upper()} ({article.dateline_agency})"
        if article.dateline_place
        else ""
    )
    return ParsedItem(
        format=format,
        original_id=url or content_id(article.headline, article.body_text()),
        url=url,
        headline=article.headline or summary[:120],
        byline=", ".join(article.bylines),
        dateline=dateline,
        located=article.dateline_place,
        summary=article.standfirst or summary[:300],
        body_html=article.body_html(),
        subjects=[article.section, *article.tags] if article.section else list(article.tags),
        language=article.language,
        agency=article.dateline_agency or article.site_name,
        raw=raw,
    )


def parse(data: bytes, *, url: str = "") -> list[ParsedItem]:
    """Return the one article of a page's visible text."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError("the page text is not UTF-8") from None
    article = read_page_text(text)
    return [article_item(article, format=FORMAT, url=url, raw=text)]
