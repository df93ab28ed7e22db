"""The lines a search result shows: the story's text around the query's words, with the words
marked. Everything is escaped first and only the <mark> elements are ours, so nothing a reader
typed or a story holds is ever read as HTML."""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from dateline.search.engine import PREFIX_FROM, query_words

# Characters of text a snippet shows, about two lines of a result.
SNIPPET_LENGTH = 220
# Characters shown before the first marked word, so it is read in its sentence.
LEAD_IN = 60
# What ends a sentence, with the space after it (Latin, Cyrillic and Arabic text).
SENTENCE_ENDS = (". ", "! ", "? ", "؟ ", "… ")


def words_pattern(query: str) -> re.Pattern | None:
    """A pattern that finds the words of ``query`` in text as the index matches them: words of
    PREFIX_FROM letters or more at the start of a word, shorter ones whole."""
    words = sorted(set(query_words(query)), key=len, reverse=True)
    if not words:
        return None
    parts = [
        rf"{re.escape(word)}\w*" if len(word) >= PREFIX_FROM else rf"{re.escape(word)}(?!\w)"
        for word in words
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})", re.IGNORECASE)


def story_text(story) -> str:
    """The story's standfirst and body as plain text: paragraphs and quotes. Read from the
    stored blocks as they are: making them blocks would look up every photo and story the body
    shows, a query each."""
    parts = [story.standfirst]
    for block in story.body.raw_data:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            parts.append(html.unescape(strip_tags(value)))
        elif block.get("type") == "quote" and isinstance(value, dict):
            parts.append(str(value.get("text", "")))
    return " ".join(" ".join(part.split()) for part in parts if part)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """``text`` escaped, with the matches of ``pattern`` in <mark> elements."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def excerpt(text: str, pattern: re.Pattern | None, length: int = SNIPPET_LENGTH) -> str:
    """The stretch of ``text`` (about ``length`` characters, cut at spaces) around the first
    match of ``pattern``, or its start, with an ellipsis where it is cut: from the start of the
    match's sentence when that is near, else from a few words before the match."""
    match = pattern.search(text) if pattern is not None else None
    start = 0
    if match and match.end() > length - LEAD_IN:
        sentence = max(text.rfind(end, 0, match.start()) for end in SENTENCE_ENDS)
        if sentence >= 0 and match.start() - sentence <= 2 * LEAD_IN:
            start = sentence + 2
        else:
            start = text.rfind(" ", 0, max(match.start() - LEAD_IN, 0)) + 1
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    else:
        end = len(text)
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def snippet(story, query: str) -> SafeString:
    """The lines of ``story`` a result shows for ``query``, its words marked."""
    pattern = words_pattern(query)
    return highlight(excerpt(story_text(story), pattern), pattern)
