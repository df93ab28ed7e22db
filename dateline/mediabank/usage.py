"""Who uses a photo. The media bank sits below the apps that publish photos, so those apps
register a finder here instead of the media bank importing them."""

from collections.abc import Callable, Iterable
from typing import Any

UsageFinder = Callable[[Any], Iterable[Any]]
_finders: list[UsageFinder] = []


def register_usage_finder(finder: UsageFinder) -> None:
    """Register ``finder(photo)``; it returns the published items (with ``title`` and ``url``)
    that show the photo to readers."""
    if finder not in _finders:
        _finders.append(finder)


def published_usages(photo) -> list[Any]:
    """Return every published item that shows ``photo``, from all registered finders."""
    return [item for finder in _finders for item in finder(photo)]
