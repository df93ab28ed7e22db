"""The ASGI application the HTTP form of benchmarks/pages.py serves under uvicorn: the site's
own (dateline.config.asgi), with the page cache off (PAGE_CACHE=0 in the environment) and the
benchmark's URLconf, the site's patterns with the minimal view added (benchmarks.pages)."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.config.settings")
django.setup()
settings.ROOT_URLCONF = "benchmarks.pages"

from dateline.config.asgi import application  # noqa: E402, F401  (needs the URLconf set above)
