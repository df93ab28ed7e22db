"""What other apps keep about a reader, reached without this app importing them: each registers
what it exports for a reader's data download, and listens to ``account_deleting`` to act on the
reader's content (keep it as "deleted user", or remove it) before the account goes."""

from collections.abc import Callable

from django.dispatch import Signal

# Sent with ``user`` inside the deletion's transaction, before the user row is deleted.
account_deleting = Signal()

_exporters: dict[str, Callable] = {}


def register_exporter(name: str, export: Callable) -> None:
    """``export(user)`` returns JSON-ready data for the reader's download under ``name``."""
    _exporters[name] = export


def export_all(user) -> dict:
    return {name: export(user) for name, export in sorted(_exporters.items())}
