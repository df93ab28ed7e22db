"""Opaque cursors for the API's lists.

A cursor names the last item of a page: (publication time, id) for stories and the id for
photos, so the next page is an indexed range query however deep a partner pages, and items
published meanwhile neither repeat nor shift the pages. Full-text results are ranked by
relevance, not time; their cursor holds an offset into the ranked list instead.
"""

import base64
import binascii
import datetime as dt
import json


class BadCursor(ValueError):
    pass


def encode(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> dict:
    """Return what ``cursor`` holds; raise BadCursor for anything this module did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise BadCursor("The cursor is not one this API gave out.") from error
    if not isinstance(data, dict):
        raise BadCursor("The cursor is not one this API gave out.")
    return data


def story_cursor(story) -> str:
    return encode({"t": story.published_at.isoformat(), "id": story.pk})


def read_story_cursor(cursor: str) -> tuple[dt.datetime, int]:
    data = decode(cursor)
    try:
        moment = dt.datetime.fromisoformat(data["t"])
        pk = int(data["id"])
    except (KeyError, TypeError, ValueError) as error:
        raise BadCursor("The cursor is not one this API gave out.") from error
    if moment.tzinfo is None:
        raise BadCursor("The cursor is not one this API gave out.")
    return moment, pk


def offset_cursor(offset: int) -> str:
    return encode({"o": offset})


def read_offset_cursor(cursor: str) -> int:
    data = decode(cursor)
    offset = data.get("o")
    if not isinstance(offset, int) or offset < 0:
        raise BadCursor("The cursor is not one this API gave out.")
    return offset


def id_cursor(pk: int) -> str:
    return encode({"id": pk})


def read_id_cursor(cursor: str) -> int:
    pk = decode(cursor).get("id")
    if not isinstance(pk, int):
        raise BadCursor("The cursor is not one this API gave out.")
    return pk
