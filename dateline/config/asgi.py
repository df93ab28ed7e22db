"""The ASGI application that uvicorn serves: Django, with the live stream's event streams
answered in front of it (see dateline.live.hub)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
django_application = get_asgi_application()

from dateline.live.hub import with_streams  # noqa: E402  (needs the settings loaded above)

application = with_streams(django_application)
