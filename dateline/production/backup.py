"""Backups of a whole site, taken while it serves, and their restore on a fresh machine
(``dateline backup``, ``dateline restore``; docs/backups.md says how to run them).

An archive is one tar file: ``manifest.json`` (what it holds, the database's row counts and
every member's SHA-256), the database (``database.sqlite3``, a copy made with SQLite's online
backup API, or ``database.pgdump``, ``pg_dump``'s custom format), every file under MEDIA_ROOT
as ``media/…`` (originals and renditions) and, where the site keeps its secret key in the var
directory, ``var/secret-key``. The mail spool, static files and caches are left out: they are
rebuilt, or are not the site's.

The database is copied first, then the media. A photo uploaded in between is in the archive
without a row (harmless); a file deleted in between is in neither the live site nor, then, the
archive: the manifest lists every file the database snapshot refers to that could not be
copied, and a restore drops the renditions among them so that they are made again.
"""

# This module runs pg_dump and pg_restore with arguments it builds itself.
# ruff: noqa: S603, S607

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections, models

FORMAT = "dateline-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
KEY_MEMBER = "var/secret-key"
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the input and the reason.
    ``changed``: whether the site was changed before it stopped (only by a restore's last
    check)."""

    def __init__(self, message: str, *, changed: bool = False):
        super().__init__(message)
        self.changed = changed


@dataclass
class Summary:
    archive: Path
    engine: str
    database_bytes: int = 0
    media_files: int = 0
    media_bytes: int = 0
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def archive_bytes(self) -> int:
        return self.archive.stat().st_size if self.archive.exists() else 0


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"The database is {vendor}: backups know SQLite and PostgreSQL only.")
    return vendor


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_columns() -> list[tuple[str, str, bool]]:
    """(table, column, is_rendition) of every file field of the site's models."""
    from wagtail.images.models import AbstractRendition

    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                rendition = issubclass(model, AbstractRendition)
                columns.append((model._meta.db_table, model_field.column, rendition))
    return columns


def _snapshot_facts(cursor, quote: Callable[[str], str], tables: list[str]) -> dict:
    """Row counts of ``tables`` and the media files referred to, read through ``cursor`` (a
    cursor inside the snapshot the archive holds)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (table names)
        counts[table] = cursor.fetchone()[0]
    referenced, renditions = set(), {}
    for table, column, is_rendition in _file_columns():
        if table not in counts:
            continue
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''"  # noqa: S608
        )
        for (name,) in cursor.fetchall():
            referenced.add(name)
            if is_rendition:
                renditions.setdefault(name, []).append(table)
    return {"tables": counts, "referenced": referenced, "renditions": renditions}


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _tool_major(tool: str) -> int:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client tools "
            f"(apt-get install postgresql-client) at the server's major version or newer."
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)(?:\.\d+)?", output.stdout)
    if not match:
        raise BackupError(f"Could not read the version of {path}: {output.stdout.strip()!r}.")
    return int(match.group(1))


def _pg_server_major() -> int:
    connection = connections["default"]
    connection.ensure_connection()
    return connection.pg_version // 10000


def check_pg_tools(tool: str = "pg_dump") -> int:
    """Return ``tool``'s major version; raise BackupError if it is missing or older than the
    server (pg_dump and pg_restore read servers and archives of their own major version and
    older only)."""
    major = _tool_major(tool)
    server = _pg_server_major()
    if major < server:
        raise BackupError(
            f"{tool} is version {major} but the server is PostgreSQL {server}: install "
            f"postgresql-client-{server} (a {tool} older than the server cannot be used)."
        )
    return major


# --- taking a backup


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _snapshot_sqlite(target: Path) -> dict:
    source_path = str(settings.DATABASES["default"]["NAME"])
    if not Path(source_path).exists():
        raise BackupError(f"The database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        # One step (pages=-1): the copy is made inside one read transaction of the source, so
        # it is a consistent snapshot; in WAL mode it does not hold up writers.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        facts = _snapshot_facts(copy.cursor(), _quote_sqlite, tables)
        facts["database"] = {"engine": "sqlite", "member": SQLITE_MEMBER}
    finally:
        copy.close()
        source.close()
    return facts


def _snapshot_postgresql(target: Path) -> dict:
    dump_major = check_pg_tools("pg_dump")
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            facts = _snapshot_facts(cursor, connection.ops.quote_name, tables)
            # pg_dump reads the very snapshot the counts were taken in.
            result = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            cursor.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip() or result.returncode}")
    facts["database"] = {
        "engine": "postgresql",
        "member": PG_MEMBER,
        "pg_dump": dump_major,
        "server": _pg_server_major(),
    }
    return facts


class _HashingReader(io.RawIOBase):
    def __init__(self, handle, size: int):
        self.handle, self.left = handle, size
        self.digest = hashlib.sha256()

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.handle.read(n)
        if len(data) < n:  # the file shrank while it was read: pad, the checksum says so
            data += b"\0" * (n - len(data))
        self.left -= len(data)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path, files: dict) -> int:
    """Add the file at ``path`` as ``name``; return its size. Raise FileNotFoundError if it is
    gone."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        reader = _HashingReader(handle, size)
        tar.addfile(info, reader)
    files[name] = {"size": size, "sha256": reader.digest.hexdigest()}
    return size


def _media_files(root: Path):
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def create_backup(folder: Path, progress: Progress = lambda line: None) -> Summary:
    """Write a backup of the site into ``folder`` as dateline-backup-<UTC time>.tar and return
    its summary. The archive appears under its name only once it is complete."""
    started = time.monotonic()
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder: create it first.")
    if not os.access(folder, os.W_OK):
        raise BackupError(f"{folder} is not writable by this user.")
    engine = _engine()
    now = dt.datetime.now(dt.UTC)
    archive = folder / f"dateline-backup-{now:%Y%m%d-%H%M%S}.tar"
    if archive.exists():
        raise BackupError(f"{archive} exists already: wait a second and try again.")
    summary = Summary(archive=archive, engine=engine)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".dateline-backup-") as scratch:
        partial = Path(scratch) / archive.name
        database = Path(scratch) / (SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER)
        progress(f"Database: taking a snapshot of {engine} …")
        snapshot = _snapshot_sqlite if engine == "sqlite" else _snapshot_postgresql
        facts = snapshot(database)
        summary.database_bytes = database.stat().st_size
        progress(f"Database: {_size(summary.database_bytes)}, {len(facts['tables'])} tables.")
        files: dict[str, dict] = {}
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add(tar, facts["database"]["member"], database, files)
            database.unlink()
            if not os.environ.get("SECRET_KEY") and (settings.VAR_DIR / "secret-key").is_file():
                _add(tar, KEY_MEMBER, settings.VAR_DIR / "secret-key", files)
            copied = set()
            for path, relative in _media_files(media_root):
                try:
                    summary.media_bytes += _add(tar, f"media/{relative}", path, files)
                except FileNotFoundError:
                    continue  # deleted since it was listed
                except OSError as error:
                    raise BackupError(f"Could not read {path}: {error.strerror}.") from None
                copied.add(relative)
                summary.media_files += 1
                if summary.media_files % 200 == 0:
                    progress(f"Media: {summary.media_files} files, {_size(summary.media_bytes)} …")
            summary.missing = sorted(facts["referenced"] - copied)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "dateline_version": metadata.version("dateline"),
                "created_at": now.isoformat(),
                "database": facts["database"],
                "secret_key": KEY_MEMBER in files,
                "counts": {
                    "tables": facts["tables"],
                    "media_files": summary.media_files,
                    "media_bytes": summary.media_bytes,
                },
                # Files the database refers to that were deleted before they could be copied.
                "missing_media": summary.missing,
                # [table, file] of the public copies among them: a restore drops their rows.
                "missing_renditions": sorted(
                    [table, name]
                    for name in summary.missing
                    for table in facts["renditions"].get(name, [])
                ),
                "files": files,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
            tar.addfile(info, io.BytesIO(data))
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)
        os.replace(partial, archive)
    summary.seconds = time.monotonic() - started
    return summary


# --- restoring one


def _read_manifest(archive: Path) -> tuple[tarfile.TarFile, dict]:
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115 (closed by the caller)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            f"{archive} is not a Dateline backup (not a tar file: {error})."
        ) from None
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError):
        tar.close()
        raise BackupError(f"{archive} is not a Dateline backup (it has no manifest).") from None
    except (tarfile.TarError, OSError, ValueError) as error:
        tar.close()
        raise BackupError(f"{archive} is damaged: its manifest cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        tar.close()
        raise BackupError(f"{archive} is not a Dateline backup (its manifest is not ours).")
    if manifest.get("format_version") != FORMAT_VERSION:
        tar.close()
        raise BackupError(
            f"{archive} is a backup of format {manifest.get('format_version')!r}; this Dateline "
            f"reads format {FORMAT_VERSION}."
        )
    return tar, manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _database_tables(engine: str) -> list[str]:
    if engine == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if not path.exists():
            return []
        with sqlite3.connect(path) as db:
            return [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return [row[0] for row in cursor.fetchall()]


def _verify(tar: tarfile.TarFile, manifest: dict, archive: Path, staging: Path) -> None:
    """Extract every member into ``staging``, checking it against the manifest."""
    expected = manifest.get("files")
    if not isinstance(expected, dict):
        raise BackupError(f"{archive} is damaged: its manifest lists no files.")
    seen = set()
    try:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or not _safe_member(member.name):
                raise BackupError(
                    f"{archive} holds {member.name!r}, which its manifest does not list."
                )
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[member.name].get("sha256"):
                raise BackupError(
                    f"{archive} is damaged: {member.name} does not match its checksum."
                )
            seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} is damaged: {error}.") from None
    if missing := sorted(set(expected) - seen):
        raise BackupError(f"{archive} is incomplete: {missing[0]} is missing from it.")


def _restore_sqlite(database: Path, force: bool) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections["default"].close()
    target.parent.mkdir(parents=True, exist_ok=True)
    placed = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(database, placed)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(placed, target)


def _restore_postgresql(database: Path, force: bool, manifest: dict) -> None:
    restore_major = check_pg_tools("pg_restore")
    made_by = manifest["database"].get("pg_dump", 0)
    if made_by > restore_major:
        raise BackupError(
            f"The archive was written by pg_dump {made_by}; pg_restore {restore_major} cannot "
            f"read it: install postgresql-client-{made_by}."
        )
    connection = connections["default"]
    if force:
        with connection.cursor() as cursor:
            schema = connection.ops.quote_name("public")
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_pg_env()['PGDATABASE']}",
            str(database),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip() or result.returncode}")


def _replace_media(staged: Path, force: bool) -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        if any(root.iterdir()) and not force:
            raise BackupError(f"{root} is not empty.")  # checked before; a race
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    if staged.exists():
        shutil.move(str(staged), str(root))
    else:
        root.mkdir()


def site_contents(engine: str) -> list[str]:
    """What the site already holds (empty for a fresh one): its database tables, its media."""
    found = []
    tables = _database_tables(engine)
    if tables:
        found.append(f"the database has {len(tables)} tables")
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir() and any(path for path, _ in _media_files(root)):
        found.append(f"{root} has files")
    return found


def restore_backup(
    archive: Path, *, force: bool = False, progress: Progress = lambda line: None
) -> dict:
    """Restore the site from ``archive``; return its manifest. Everything is checked (format,
    database engine, every checksum) before anything of the site is changed. A site that is
    not empty is refused unless ``force``."""
    archive = Path(archive)
    engine = _engine()
    tar, manifest = _read_manifest(archive)
    with tar:
        database = manifest.get("database") or {}
        if database.get("engine") != engine:
            raise BackupError(
                f"{archive} holds a {database.get('engine')} database but this site uses "
                f"{engine}: restore it into a site set up with the same database engine."
            )
        existing = site_contents(engine)
        if existing and not force:
            raise BackupError(
                "This site is not empty (" + "; ".join(existing) + "). Restoring would replace "
                "it: run again with --force to do so, after a backup of it."
            )
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix=".restore-") as scratch:
            staging = Path(scratch)
            progress(f"Checking {archive.name} …")
            _verify(tar, manifest, archive, staging)
            progress(f"Checked {len(manifest['files'])} files. Restoring the database …")
            if engine == "sqlite":
                _restore_sqlite(staging / SQLITE_MEMBER, force)
            else:
                _restore_postgresql(staging / PG_MEMBER, force, manifest)
            _drop_missing_renditions(manifest)
            progress("Restoring the media files …")
            _replace_media(staging / "media", force)
            key = staging / KEY_MEMBER
            if key.exists():
                if os.environ.get("SECRET_KEY"):
                    progress("The archive's secret key is not used: SECRET_KEY is set.")
                else:
                    target = settings.VAR_DIR / "secret-key"
                    shutil.copyfile(key, target)
                    target.chmod(0o600)
    _check_counts(manifest)
    return manifest


def _drop_missing_renditions(manifest: dict) -> None:
    """Delete the rows of public copies whose files were gone when the backup was taken, so
    that they are made again rather than shown broken."""
    connection = connections["default"]
    quote = connection.ops.quote_name
    columns = {table: column for table, column, rendition in _file_columns() if rendition}
    with connection.cursor() as cursor:
        for table, name in manifest.get("missing_renditions") or []:
            if table in columns:
                cursor.execute(
                    f"DELETE FROM {quote(table)} WHERE {quote(columns[table])} = %s",  # noqa: S608
                    [name],
                )


def _check_counts(manifest: dict) -> None:
    """Check that every table has the rows the manifest says (less the dropped copies)."""
    connection = connections["default"]
    expected = dict(manifest["counts"]["tables"])
    for table, _name in manifest.get("missing_renditions") or []:
        expected[table] -= 1
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, rows in sorted(expected.items()):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            found = cursor.fetchone()[0]
            if found != rows:
                raise BackupError(
                    f"The restored table {table} has {found} rows where the archive has {rows}.",
                    changed=True,
                )
