"""From a source, a file or an address to stored wire items: read, parse, deduplicate.

The same item twice is stored once; a newer version replaces it and the older one goes to
its history; a near-identical copy (the same story from another source) is grouped with the
first one seen. A source that fails records why and leaves every other source alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import html
import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dateline.text import single_line
from dateline.wire.dropfolders import (
    DropFolderError,
    not_wire_material,
    open_drop_folder,
    read_drop_file,
    resolve_drop_folder,
)
from dateline.wire.fetching import Fetched, FetchError, fetch
from dateline.wire.models import WireItem, WireItemVersion, WireSource
from dateline.wire.parsers import MAX_DOCUMENT_BYTES, ParsedItem, ParseError, parse
from dateline.wire.parsers.base import strip_overrides
from dateline.wire.sandbox import run_bounded

GROUP_WINDOW = dt.timedelta(days=3)
GROUP_SIMILARITY = 0.6
WORD = re.compile(r"\w+", re.UNICODE)


class IngestError(Exception):
    """An input that gave no items: it could not be read, fetched or parsed."""


@dataclass
class IngestResult:
    created: list[WireItem] = field(default_factory=list)
    updated: list[WireItem] = field(default_factory=list)
    unchanged: list[WireItem] = field(default_factory=list)
    grouped: list[WireItem] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        for name in ("created", "updated", "unchanged", "grouped"):
            getattr(self, name).extend(getattr(other, name))

    def summary(self) -> str:
        return (
            f"{len(self.created)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} already known, {len(self.grouped)} grouped as copies"
        )


def read_input(name: str) -> tuple[bytes, str, str]:
    """Return (content, address, content type) of a file path or an http(s) address."""
    if name.startswith(("http://", "https://")) or "://" in name:
        try:
            fetched = fetch(name, timeout=settings.WIRE_FETCH_SECONDS)
        except FetchError as exc:
            raise IngestError(str(exc)) from None
        return fetched.content, fetched.url, fetched.content_type
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise IngestError(f"refused: the file is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
        return path.read_bytes(), "", ""
    except OSError as exc:
        raise IngestError(f"cannot be read: {exc.strerror or exc}") from None


def parse_input(name: str, *, format: str | None = None) -> list[ParsedItem]:
    """Return the items of a file or an address; raise IngestError with the reason."""
    content, url, content_type = read_input(name)
    try:
        return parse_bounded(content, format=format, url=url, content_type=content_type)
    except ParseError as exc:
        raise IngestError(str(exc)) from None


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _plain(body_html: str) -> str:
    return html.unescape(nh3.clean(body_html, tags=set()))


def _key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest() if words else ""


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def _similar(a: WireItem, b: ParsedItem) -> bool:
    first, second = _words(_plain(a.body_html)), _words(_plain(b.body_html))
    if not first or not second:
        return True  # headlines matched and neither has a body to tell them apart
    x, y = _shingles(first), _shingles(second)
    return len(x & y) / len(x | y) >= GROUP_SIMILARITY


def _version_is_newer(item: WireItem, parsed: ParsedItem, content_hash: str) -> bool | None:
    """Return True when ``parsed`` is a newer version of ``item``, None when it is the same,
    False when it is older."""
    if content_hash == item.content_hash and parsed.version == item.version:
        return None
    numbered = parsed.version.isdigit() and item.version.isdigit()
    if numbered and int(parsed.version) != int(item.version):
        return int(parsed.version) > int(item.version)
    dated = parsed.version_created and item.version_created
    if dated and parsed.version_created != item.version_created:
        return parsed.version_created > item.version_created
    return None if content_hash == item.content_hash else True


SINGLE_LINE_FIELDS = (
    "original_id", "version", "kind", "pubstatus", "headline", "slugline", "byline", "dateline",
    "located", "language", "agency", "copyright_holder",
)  # fmt: skip
PHOTO_LINES = ("caption", "credit", "photographer", "copyright", "content_type")


def _values(parsed: ParsedItem) -> dict:
    # Parsers make single-line fields with clean_text already; this is the last gate before
    # the desk, whatever a parser (or a new one) forgot: no bidi controls, one line.
    parsed = dataclasses.replace(
        parsed,
        **{name: single_line(getattr(parsed, name)) for name in SINGLE_LINE_FIELDS},
        subjects=[single_line(s) for s in parsed.subjects if isinstance(s, str)],
        body_html=strip_overrides(parsed.body_html),
        photos=[
            dataclasses.replace(photo, **{n: single_line(getattr(photo, n)) for n in PHOTO_LINES})
            for photo in parsed.photos
        ],
    )
    data = dataclasses.asdict(parsed)
    words = _words(parsed.headline)
    body_words = _words(_plain(parsed.body_html))
    return {
        "format": parsed.format,
        "original_id": parsed.original_id[:1000],
        "original_url": parsed.url[:1000] if parsed.url.startswith(("http://", "https://")) else "",
        "version": parsed.version[:64],
        "version_created": parsed.version_created,
        "first_created": parsed.first_created,
        "kind": parsed.kind[:16],
        "pubstatus": parsed.pubstatus[:16],
        "headline": parsed.headline[:500] or "(no headline)",
        "slugline": parsed.slugline[:255],
        "byline": parsed.byline[:500],
        "dateline": parsed.dateline[:255],
        "located": parsed.located[:255],
        "summary": parsed.summary,
        "body_html": parsed.body_html,
        "subjects": [s for s in parsed.subjects if s][:50],
        "language": parsed.language[:16],
        "priority": parsed.priority,
        "agency": parsed.agency[:255],
        "copyright_holder": parsed.copyright_holder[:255],
        "copyright_notice": parsed.copyright_notice,
        "usage_terms": parsed.usage_terms,
        "photos": data["photos"],
        "raw": parsed.raw,
        "headline_key": _key(words),
        "text_key": _key(body_words[:40]) if len(body_words) >= 15 else "",
    }


def store_items(
    parsed_items: list[ParsedItem], *, source: WireSource | None = None, origin: str = ""
) -> IngestResult:
    """Store ``parsed_items`` as wire items of ``source`` (or from ``origin``), deduplicated
    and versioned as the module says. Return what happened to each."""
    result = IngestResult()
    now = timezone.now()
    for parsed in parsed_items:
        scope = f"source:{source.pk}" if source else "origin"
        identity = hashlib.sha256(f"{scope}|{parsed.original_id}".encode()).hexdigest()
        values = _values(parsed)
        if not values["language"] and source is not None:
            # An item that names no language is in its source's edition's.
            values["language"] = source.edition.language_code
        content_hash = hashlib.sha256(
            "\x1f".join([parsed.headline, parsed.summary, parsed.body_html]).encode()
        ).hexdigest()
        with transaction.atomic():
            item = WireItem.objects.select_for_update().filter(identity=identity).first()
            if item is not None:
                newer = _version_is_newer(item, parsed, content_hash)
                if not newer:
                    result.unchanged.append(item)
                    continue
                WireItemVersion.objects.create(
                    item=item,
                    version=item.version,
                    received_at=item.received_at,
                    version_created=item.version_created,
                    headline=item.headline,
                    body_html=item.body_html,
                    raw=item.raw,
                )
                for name, value in values.items():
                    setattr(item, name, value)
                item.content_hash = content_hash
                item.received_at = now
                item.revision += 1
                item.save()
                result.updated.append(item)
                continue
            item = WireItem(
                source=source,
                origin=origin[:1000],
                identity=identity,
                content_hash=content_hash,
                received_at=now,
                first_received_at=now,
                **values,
            )
            item.duplicate_of = _first_copy(item, parsed)
            item.save()
            result.created.append(item)
            if item.duplicate_of_id:
                result.grouped.append(item)
    return result


def _first_copy(item: WireItem, parsed: ParsedItem) -> WireItem | None:
    """Return the first-seen item that ``item`` is a near-identical copy of, or None."""
    keys = {"headline_key": item.headline_key}
    candidates = WireItem.objects.filter(received_at__gte=timezone.now() - GROUP_WINDOW)
    query = candidates.filter(**keys)
    if item.text_key:
        query = query | candidates.filter(text_key=item.text_key)
    for candidate in query.order_by("first_received_at", "pk")[:20]:
        if _similar(candidate, parsed):
            return candidate.duplicate_of or candidate
    return None


@dataclass
class _DropFile:
    """A file of a drop folder, as read by a poll: its items, or why it failed."""

    name: str
    items: list[ParsedItem] = field(default_factory=list)
    error: str = ""


@dataclass
class _Collected:
    """What a poll of one source brought, before anything is stored."""

    items: list[ParsedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fetched: Fetched | None = None
    folder: Path | None = None
    files: list[_DropFile] = field(default_factory=list)


def parse_bounded(
    content: bytes, *, format: str | None = None, url: str = "", content_type: str = ""
) -> list[ParsedItem]:
    """Return the items of ``content``, parsed in a child bounded in time and memory; raise
    ParseError with the reason (also when the child ran out of time or memory)."""
    return run_bounded(parse, content, format=format, url=url, content_type=content_type)


def _collect(source: WireSource) -> _Collected:
    """Fetch and parse what ``source`` has, without touching the database (polls of several
    sources run this side by side, each bounded by its own fetch and parse limits)."""
    collected = _Collected()
    try:
        if source.url:
            fetched = fetch(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                timeout=settings.WIRE_FETCH_SECONDS,
            )
            collected.fetched = fetched
            if not fetched.not_modified:
                collected.items = parse_bounded(
                    fetched.content,
                    format=source.kind,
                    url=fetched.url,
                    content_type=fetched.content_type,
                )
        else:
            _collect_folder(source, collected)
    except (FetchError, ParseError, IngestError, DropFolderError) as exc:
        collected.errors.append(str(exc))
    return collected


def _collect_folder(source: WireSource, collected: _Collected) -> None:
    """Read and parse each file of the drop folder. A file that is not wire material, a link
    or anything but a regular file is reported and left alone."""
    folder = resolve_drop_folder(source.folder)
    directory = open_drop_folder(folder)
    collected.folder = folder
    try:
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if not e.is_dir(follow_symlinks=False))
        for name in names:
            try:
                content = read_drop_file(directory, name)
            except DropFolderError as exc:
                collected.errors.append(f"{name}: left in the folder: {exc}")
                continue
            reason = not_wire_material(content)
            if reason:
                collected.errors.append(f"{name}: left in the folder: {reason}")
                continue
            try:
                items = parse_bounded(content, format=source.kind)
                collected.files.append(_DropFile(name, items))
            except ParseError as exc:
                collected.files.append(_DropFile(name, error=str(exc)))
    finally:
        os.close(directory)


def _file_away(folder: Path, name: str, into: str) -> None:
    """Move ``name`` into ``folder/into`` (made if missing), never through a link."""
    directory = open_drop_folder(folder)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(into, 0o755, dir_fd=directory)
        target = os.open(into, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=directory)
        try:
            os.rename(name, name, src_dir_fd=directory, dst_dir_fd=target)
        finally:
            os.close(target)
    finally:
        os.close(directory)


def _store(source: WireSource, collected: _Collected, now: dt.datetime) -> IngestResult:
    """Store what a poll of ``source`` brought, file drop-folder files away, and record the
    time and any error on the source."""
    result = IngestResult()
    errors = list(collected.errors)
    fetched = collected.fetched
    if fetched is not None and not collected.errors and not fetched.not_modified:
        result = store_items(collected.items, source=source)
        source.etag, source.last_modified = fetched.etag[:255], fetched.last_modified[:64]
    for drop in collected.files:
        if drop.error:
            errors.append(f"{drop.name}: {drop.error}")
        else:
            result.add(store_items(drop.items, source=source))
        try:
            _file_away(collected.folder, drop.name, "failed" if drop.error else "done")
        except (OSError, DropFolderError) as exc:
            errors.append(f"{drop.name}: could not be filed away: {exc}")
    source.last_polled_at = now
    source.last_error = "\n".join(errors)[:5000]
    if not errors:
        source.last_success_at = now
    source.save(
        update_fields=["last_polled_at", "last_error", "last_success_at", "etag", "last_modified"]
    )
    return result


def poll_sources(sources: list[WireSource]) -> dict[int, IngestResult]:
    """Poll ``sources`` once, up to WIRE_POLL_WORKERS at a time: each is fetched and parsed
    under its own limits, so a slow or hostile one delays no other. What each brought is
    stored as it comes in (in this thread: the database sees one writer). Return each
    source's result by id; a source's error is its ``last_error``."""
    results: dict[int, IngestResult] = {}
    if not sources:
        return results
    now = timezone.now()
    workers = max(1, min(int(settings.WIRE_POLL_WORKERS), len(sources)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wire-poll") as pool:
        futures = {pool.submit(_collect, source): source for source in sources}
        for future in as_completed(futures):
            source = futures[future]
            try:
                collected = future.result()
            except Exception as exc:  # noqa: BLE001 - one source's failure is its own
                collected = _Collected(errors=[f"the poll failed: {exc}"])
            results[source.pk] = _store(source, collected, now)
    return results


def ingest_source(source: WireSource) -> IngestResult:
    """Poll ``source`` once: fetch its address (conditionally) or read its drop folder,
    store the items, and record the time and any error on the source. Never raise for a
    bad document: the error is the source's ``last_error``."""
    return poll_sources([source])[source.pk]


def due_sources(now: dt.datetime | None = None) -> list[WireSource]:
    """Return the active sources whose poll interval has passed."""
    now = now or timezone.now()
    return [s for s in WireSource.objects.filter(active=True) if s.is_due(now)]
