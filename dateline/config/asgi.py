"""The ASGI application that uvicorn serves: Django, with the page cache answering anonymous
readers' pages in front of it (see dateline.pagecache.asgi) and the live stream's event
streams in front of both (see dateline.live.hub)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
django_application = get_asgi_application()

from dateline.live.hub import with_streams  # noqa: E402  (needs the settings loaded above)
from dateline.pagecache.asgi import with_page_cache  # noqa: E402

application = with_streams(with_page_cache(django_application))
