"""schema.org LiveBlogPosting for live coverage, as JSON-LD."""

from django.utils.html import strip_tags

from dateline.articles.structured_data import absolute


def live_blog_posting(page, entries) -> dict:
    edition = page.edition
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": page.title[:110],
        "url": absolute(page.url),
        "mainEntityOfPage": absolute(page.url),
        "inLanguage": edition.language_code,
        "articleSection": page.primary_section.name,
        "coverageStartTime": page.coverage_start.isoformat(),
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": edition.site_name,
            "url": absolute(edition.url),
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": (entry.title or strip_tags(entry.text))[:110],
                "articleBody": strip_tags(entry.text),
                "datePublished": entry.created_at.isoformat(),
                "dateModified": entry.updated_at.isoformat(),
                "url": absolute(page.url) + "#" + entry.anchor,
                **_author(entry),
            }
            for entry in entries
        ],
    }
    if page.coverage_end:
        data["coverageEndTime"] = page.coverage_end.isoformat()
    if page.standfirst:
        data["description"] = page.standfirst
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    times = [e.updated_at for e in entries] + [t for t in [page.last_published_at] if t]
    if times:
        data["dateModified"] = max(times).isoformat()
    return data


def _author(entry) -> dict:
    return {"author": {"@type": "Person", "name": entry.author.name}} if entry.author else {}
