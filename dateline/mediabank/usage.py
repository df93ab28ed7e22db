"""Who shows a photo to readers. The media bank sits below the apps that publish photos, so
those apps register here instead of the media bank importing them.

A photo is public once a published item shows it: until then its caption may tell what an
embargoed story holds, so its page is not found and the archive does not list it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class PhotoUser:
    """``published_usages(photo)`` returns the published items (with ``title`` and ``url``)
    that show the photo; ``published_photo_ids(section=None)`` returns a queryset of the ids of
    every photo they show, only in items of ``section`` when one is given."""

    published_usages: Callable[[Any], Iterable[Any]]
    published_photo_ids: Callable[..., QuerySet]


_users: list[PhotoUser] = []


def register_photo_user(user: PhotoUser) -> None:
    if user not in _users:
        _users.append(user)


def published_usages(photo) -> list[Any]:
    """Return every published item that shows ``photo``, from all registered users."""
    return [item for user in _users for item in user.published_usages(photo)]


def public_photos(photos: QuerySet, *, section=None) -> QuerySet:
    """Narrow ``photos`` to those that some published item shows (in ``section``, if given)."""
    if not _users:
        return photos.none()
    ids = _users[0].published_photo_ids(section=section)
    for user in _users[1:]:
        ids = ids.union(user.published_photo_ids(section=section))
    return photos.filter(pk__in=ids)
