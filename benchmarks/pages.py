"""Rendering speed of the public pages, uncached, in process.

Baseline: a minimal Django view answered through the same middleware stack, so that the
ratio shows what the page itself costs. Also the SQL queries each page makes."""

import statistics
import sys
import time
import types
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path

from dateline.articles.models import ArticlePage

ROUNDS = 5
REQUESTS = 40


def minimal_view(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal_view)]


def rate(client: Client, url: str) -> float:
    """Return the median requests per second over ROUNDS rounds of REQUESTS requests."""
    client.get(url)  # warm: renditions, template caches
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        rates.append(REQUESTS / (time.perf_counter() - start))
    return statistics.median(rates)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def run() -> None:
    story = (
        ArticlePage.objects.visible()
        .order_by("-published_at")
        .filter(body__icontains='"related"')
        .first()
    )
    pages = {
        "home front": "/en/",
        "section front": "/en/asia/",
        "article (2 cards)": story.url,
        "search": "/en/search/?q=climate",
        "photo page": story.lead_photo.get_absolute_url(),
    }
    client = Client()
    # The baseline's URLconf: the minimal view first, then the site's own patterns.
    module = types.ModuleType("benchmarks_urls")
    module.urlpatterns = urlpatterns + import_module(settings.ROOT_URLCONF).urlpatterns
    sys.modules["benchmarks_urls"] = module
    with override_settings(ROOT_URLCONF="benchmarks_urls"):
        baseline = rate(client, "/bench/minimal/")
        print()
        print(
            "Uncached page rendering, one process, Django test client "
            f"(median of {ROUNDS} × {REQUESTS} requests)"
        )
        print(f"{'page':<20} {'req/s':>8} {'vs minimal view':>16} {'SQL queries':>12}")
        print(f"{'minimal view':<20} {baseline:>8.1f} {1.0:>16.3f} {'-':>12}")
        for name, url in pages.items():
            measured = rate(client, url)
            print(
                f"{name:<20} {measured:>8.1f} {measured / baseline:>16.3f} "
                f"{queries(client, url):>12}"
            )
