"""What makes a request personal, and the surrogate keys a cached page is stored under.

A public page is the same for every reader, signed in or not: the signed-in state, the comment
form and the counts come from uncached JSON endpoints, and the CSRF token from its cookie. So it
can be cached whole. A request is personal (never answered from the cache, never stored) only
when it carries Django's ``messages`` cookie (a notice waiting to be shown once, in the page
itself) or an ``Authorization`` header.

The session and CSRF cookies are not personal. A page that reads the session (anything that asks
who the reader is) varies on ``Cookie``, and one that puts a CSRF token in its HTML sets the
cookie: either keeps that page out of every cache (``dateline.pagecache.middleware``), so what a
signed-in reader's request stores is what an anonymous one would have stored.
"""

from django.http.cookie import parse_cookie

# The response header through which Django tells the cache what a page shows; the cache strips
# it before the response leaves the process.
KEYS_HEADER = "X-Dateline-Cache-Keys"
EVERYTHING = "*"
GLOBAL = "global"  # pages outside the editions: the sitemap index, robots.txt


def edition_key(language_code: str) -> str:
    return f"edition:{language_code}"


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def personal_cookie_names() -> frozenset[str]:
    return frozenset({"messages"})


def is_personal(cookie_header: str, has_authorization: bool) -> bool:
    """Return True if a request with this Cookie header must not be answered from the cache."""
    if has_authorization:
        return True
    if not cookie_header:
        return False
    return not personal_cookie_names().isdisjoint(parse_cookie(cookie_header))
