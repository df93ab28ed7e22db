"""schema.org ImageObject for a photo page, with Google's image licence metadata."""

import json

from django.conf import settings
from django.urls import reverse

from dateline.mediabank.renditions import rendition as named_rendition


def image_object(photo) -> dict:
    """Return the ImageObject describing ``photo`` on its public page."""
    site = settings.SITE_URL
    rendition = named_rendition(photo, "bank_structured_data")
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": site + rendition.url,
        "url": site + photo.get_absolute_url(),
        "width": rendition.width,
        "height": rendition.height,
        "acquireLicensePage": site + reverse("mediabank:licence", args=[photo.pk]),
    }
    optional = {
        "name": photo.headline,
        "caption": photo.caption,
        "creditText": photo.credit_line.removeprefix("© "),
        "copyrightNotice": photo.copyright_notice,
        "license": photo.licence_url,
        "keywords": [tag.name for tag in photo.tags.all()],
        "dateCreated": photo.date_created.isoformat() if photo.date_created else "",
    }
    data.update({key: value for key, value in optional.items() if value})
    if photo.photographer:
        data["creator"] = {
            "@type": "Person",
            "name": photo.photographer.name,
            "url": site + reverse("mediabank:photographer", args=[photo.photographer.slug]),
        }
    place = ", ".join(p for p in (photo.city, photo.country) if p)
    if place:
        data["contentLocation"] = {"@type": "Place", "name": place}
    if photo.agency:
        holder = {"@type": "Organization", "name": photo.agency}
        if photo.licensor_url:
            holder["url"] = photo.licensor_url
        data["copyrightHolder"] = holder
    return data


def as_script_json(data: dict) -> str:
    """Serialise for a <script type="application/ld+json"> element: '<', '>' and '&' are
    escaped so that no text inside can close the element. Stories use it too."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
