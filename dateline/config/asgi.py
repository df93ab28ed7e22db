"""The ASGI application that uvicorn serves: Django, with the page cache answering anonymous
readers' pages in front of it (see dateline.pagecache.asgi) and the live stream's event
streams in front of both: served here on the embedded tier (see dateline.live.hub), their opens
answered here for Pushpin on the production tier (see dateline.live.grip)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
django_application = get_asgi_application()

# The URL configuration imports every app's views, the admin's and the API's: about 1-2 s a
# process pays once. Paid here, at start-up, rather than by the first reader after a start.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

from dateline.live.grip import with_lean_stream_opens  # noqa: E402  (needs the settings)
from dateline.live.hub import with_streams  # noqa: E402  (needs the settings loaded above)
from dateline.pagecache.asgi import with_page_cache  # noqa: E402

application = with_lean_stream_opens(with_streams(with_page_cache(django_application)))
