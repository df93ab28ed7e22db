"""What makes a request personal, and the surrogate keys a cached page is stored under.

A page is the same for every anonymous reader, so it can be cached whole. A request is personal
(never answered from the cache, never stored) when it carries the session cookie (a signed-in
reader or editor), Django's ``messages`` cookie (a notice waiting to be shown once) or an
``Authorization`` header. The CSRF cookie is not personal: readers who once posted a form carry
it on every page, and a page that puts a CSRF token in its HTML also sets the cookie, which keeps
that page out of the cache anyway.
"""

from django.conf import settings
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
    return frozenset({settings.SESSION_COOKIE_NAME, "messages"})


def is_personal(cookie_header: str, has_authorization: bool) -> bool:
    """Return True if a request with this Cookie header must not be answered from the cache."""
    if has_authorization:
        return True
    if not cookie_header:
        return False
    return not personal_cookie_names().isdisjoint(parse_cookie(cookie_header))
