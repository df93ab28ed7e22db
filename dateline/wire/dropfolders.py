"""Drop folders: where a wire source's files are read from, always under WIRE_DROP_ROOT.

An editor names a source's folder; the server's operator names the root (``WIRE_DROP_ROOT``
in the environment). A folder is accepted only when it is the root's strict subfolder, named
relative to the root or absolutely under it, with no ``..`` and no symbolic link anywhere on
the way down: otherwise a source pointed at the var folder would file the database and the
secret key away, or show their content on the desk. The poller checks again before it reads
a file (a source may predate the rule, the root may have moved), and opens each file without
following a link.

A file is read only when its content is wire material: a feed, ninjs, NewsML-G2, an HTML page
or the plain text of a story. Anything else (a database, a key, a binary) is left where it
is and reported; it is never moved and never shown.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from dateline.wire.parsers import MAX_DOCUMENT_BYTES, detect_format
from dateline.wire.parsers.base import ParseError
from dateline.wire.sandbox import run_bounded

# Whatever declares itself one of these is not a story, whatever its name.
NOT_WIRE_MAGIC = (
    b"SQLite format 3\0",
    b"-----BEGIN ",  # PEM: keys and certificates
    b"openssh-key-v1",
    b"ssh-rsa ",
    b"ssh-ed25519 ",
    b"\x7fELF",
    b"PK\x03\x04",  # zip (and docx, xlsx, jar…)
    b"\x1f\x8b",  # gzip
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)


DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class DropFolderError(Exception):
    """The folder is not a drop folder Dateline may read; the message says why."""


def drop_root() -> Path:
    """Return the root every drop folder must be under (resolved, absolute)."""
    return Path(settings.WIRE_DROP_ROOT).resolve()


def resolve_drop_folder(folder: str) -> Path:
    """Return the absolute path of ``folder`` (relative to the drop root, or absolute under
    it) when it is a subfolder of the root reached without a symbolic link; raise
    DropFolderError otherwise. A folder that does not exist yet is accepted (the agency may
    not have delivered), but not one whose existing part is a link or is not a folder."""
    root = drop_root()
    text = (folder or "").strip()
    if not text:
        raise DropFolderError(_("Give a drop folder."))
    if "\0" in text:
        raise DropFolderError(_("The drop folder's name holds a NUL character."))
    given = PurePosixPath(text)
    if ".." in given.parts:
        raise DropFolderError(
            _("The drop folder may not contain “..”: give a folder under %(root)s.")
            % {"root": root}
        )
    if given.is_absolute():
        try:
            relative = given.relative_to(PurePosixPath(root))
        except ValueError:
            raise DropFolderError(
                _("Drop folders must be under %(root)s; %(folder)s is not.")
                % {"root": root, "folder": text}
            ) from None
    else:
        relative = given
    parts = [part for part in relative.parts if part not in ("", ".")]
    if not parts:
        raise DropFolderError(
            _("The drop folder must be a subfolder of %(root)s, not the root itself.")
            % {"root": root}
        )
    path = root
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            break  # the rest is not made yet: nothing to follow
        except OSError as exc:
            raise DropFolderError(
                _("The drop folder %(folder)s cannot be checked: %(reason)s")
                % {"folder": path, "reason": exc.strerror or exc}
            ) from None
        if stat.S_ISLNK(mode):
            raise DropFolderError(
                _("The drop folder may not be or pass through a symbolic link (%(link)s).")
                % {"link": path}
            )
        if not stat.S_ISDIR(mode):
            raise DropFolderError(_("%(path)s is not a folder.") % {"path": path})
    return root.joinpath(*parts)


def open_drop_folder(folder: Path) -> int:
    """Return a descriptor of ``folder`` (as resolve_drop_folder returns it), opened one
    folder at a time from the root without following a link: a folder swapped for a link
    after it was checked is not followed either. The caller closes it. Raise
    DropFolderError when it does not exist or a link is on the way."""
    root = drop_root()
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        raise DropFolderError(
            _("Drop folders must be under %(root)s; %(folder)s is not.")
            % {"root": root, "folder": folder}
        ) from None
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            inner = os.open(part, DIRECTORY_FLAGS, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
    except FileNotFoundError:
        os.close(descriptor)
        raise DropFolderError(
            _("The drop folder %(folder)s does not exist.") % {"folder": folder}
        ) from None
    except OSError:
        os.close(descriptor)  # ELOOP or ENOTDIR: a link (or a file) where a folder was
        raise DropFolderError(
            _("The drop folder may not be or pass through a symbolic link (%(link)s).")
            % {"link": folder}
        ) from None
    return descriptor


def read_drop_file(directory: int, name: str) -> bytes:
    """Return the content of the regular file ``name`` in the open folder ``directory``,
    opened without following a symbolic link; raise DropFolderError for a link, anything
    that is not a regular file, or a file larger than a wire document may be."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(name, flags, dir_fd=directory)
    except OSError as exc:
        reason = {"reason": exc.strerror or str(exc)}
        raise DropFolderError(_("it cannot be opened: %(reason)s") % reason) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise DropFolderError(_("it is not a regular file"))
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise DropFolderError(
                _("it is larger than %(mb)s MB") % {"mb": MAX_DOCUMENT_BYTES // 2**20}
            )
        return handle.read(MAX_DOCUMENT_BYTES + 1)


def not_wire_material(data: bytes) -> str:
    """Return why ``data`` is not wire material, or "" when it is: a feed, ninjs, NewsML-G2,
    an HTML page or the plain text of a story, judged by content alone."""
    head = data[:8192]
    if any(head.startswith(magic) for magic in NOT_WIRE_MAGIC) or b"PRIVATE KEY-----" in head:
        return _("its content is not wire material (a database, a key or a binary file)")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\0" in head:
        return _("its content is binary, not wire material")
    try:
        # Sniffing reads the document (ninjs's sniff loads its JSON): bounded, as a parse is.
        kind = run_bounded(detect_format, data)
    except ParseError:
        kind = ""
    if kind in ("", "page-text"):
        # Plain text, or what only looks like a wire format: it must read as text, and as a
        # story (words and sentences, not a token or a configuration line) when it is not a
        # (broken) JSON or XML delivery.
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _("its content is not text in UTF-8")
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:8192]):
            return _("its content has control characters, not the text of a story")
        if not kind:
            if text.lstrip()[:1] in ("{", "[", "<"):
                return ""  # a delivery in JSON or XML that its parser will refuse
            return _("its content is not in a wire format")
        words = text[:8192].split()
        letters = sum(c.isalpha() for c in text[:8192])
        if len(words) < 8 or letters < 0.6 * len("".join(words)):
            return _("its content is not the text of a story")
    return ""
