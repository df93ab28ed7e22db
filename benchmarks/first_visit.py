"""No first visit is slow: the first render of each page after a publish against a warm render.

On the demo site (a fresh one, set up by ``python -m benchmarks``), in one process:

1. every page type is requested once, as a running server would have done (templates
   compiled, the URL configuration loaded);
2. a story with a new photo is published in each edition, as the newsroom does: the photo
   through ``import_photo`` (which makes its public copies), the story through
   ``publish_story``; both are timed;
3. each page that now shows the new story or photo is requested for the first time, then
   WARM more times; the first render is compared with the median warm one, in wall time and
   in this process's CPU time (the machine may be shared), and the renditions the first render
   made are counted (none is the point).

Requests go through Django's test client, that is past the page cache (an ASGI layer in front
of Django), so both measure the render.
"""

import io
import statistics
import time

from django.test import Client
from django.utils import timezone

from dateline.articles.actions import file_story, publish_story
from dateline.articles.models import ArticlePage
from dateline.demo.photos import draw_photo
from dateline.editions.models import Edition
from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import PhotoRendition
from dateline.mediabank.renditions import missing_specs
from dateline.sections.models import Section

WARM = 5


def timed(client: Client, url: str) -> tuple[float, float]:
    """Return the wall and CPU seconds of one request for ``url`` (which must answer 200)."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def new_photo(name: str):
    buffer = io.BytesIO()
    draw_photo(name).save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    return import_photo(
        buffer,
        name=f"{name}.jpg",
        fields={"caption": f"Benchmark photo {name}", "photographer": "Bench Photographer"},
    ).photo


def publish(edition: Edition, photo, headline: str) -> ArticlePage:
    section = Section.objects.filter(edition=edition).order_by("sort_order").first()
    story = ArticlePage(
        title=headline,
        locale_id=edition.locale_id,
        kind="news",
        standfirst=f"{headline}: the standfirst.",
        primary_section=section,
        lead_photo=photo,
        is_top_story=True,
        live=False,
        body=[{"type": "paragraph", "value": f"<p>{headline}.</p>"}],
    )
    file_story(edition, timezone.now()).add_child(instance=story)
    return publish_story(story)


def pages_of(story: ArticlePage, photo) -> dict[str, str]:
    lang = story.edition.slug
    word = story.title.split()[-1]
    return {
        f"home front /{lang}/": f"/{lang}/",
        f"section front ({lang})": story.primary_section.url,
        f"article ({lang})": story.url,
        f"feed ({lang})": f"/{lang}/feed/",
        f"search ({lang})": f"/{lang}/search/?q={word}",
        "media bank": "/mediabank/",
        f"photo page ({lang})": photo.get_absolute_url(),
        "photographer page": f"/mediabank/photographers/{photo.photographer.slug}/",
    }


def run() -> None:
    client = Client()
    editions = list(Edition.objects.live().filter(slug__in=["en", "ru", "ar"]).order_by("pk"))
    # 1. A running server: every page type rendered once before the publish.
    some_story = ArticlePage.objects.visible().exclude(lead_photo=None).first()
    for edition in editions:
        for url in pages_of(
            ArticlePage.objects.visible().filter(edition=edition).exclude(lead_photo=None)[0],
            some_story.lead_photo,
        ).values():
            client.get(url)

    # 2. The newsroom's part: a new photo and a story for it, in each edition.
    published, import_seconds, publish_seconds = [], [], []
    for n, edition in enumerate(editions):
        start = time.perf_counter()
        photo = new_photo(f"first-visit-benchmark-{edition.slug}")
        import_seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        story = publish(edition, photo, f"Benchmark story number {n + 1} Zephyrine{n}")
        publish_seconds.append(time.perf_counter() - start)
        assert missing_specs(photo) == [], "the new photo lacks copies after import and publish"
        published.append((story, photo))

    # 3. The readers' part: the first render of each page against warm ones.
    pages: dict[str, str] = {}
    for story, photo in published:
        pages.update(pages_of(story, photo))
    rows = []
    for name, url in pages.items():
        before = PhotoRendition.objects.count()
        first_wall, first_cpu = timed(client, url)
        made = PhotoRendition.objects.count() - before
        warm = [timed(client, url) for _ in range(WARM)]
        warm_wall = statistics.median(w for w, _ in warm)
        warm_cpu = statistics.median(c for _, c in warm)
        rows.append((name, first_wall, warm_wall, first_cpu, warm_cpu, made))

    print()
    print("First visit after a publish (test client, past the page cache, one process)")
    print(
        f"Importing a new 1600×1000 photo (its copies included): "
        f"{statistics.median(import_seconds):.2f} s median of {len(import_seconds)}; "
        f"publishing its story: {statistics.median(publish_seconds):.2f} s"
    )
    print(
        f"{'page':<24} {'first ms':>9} {'warm ms':>8} {'ratio':>6} "
        f"{'first CPU':>10} {'warm CPU':>9} {'ratio':>6} {'renditions made':>16}"
    )
    for name, first_wall, warm_wall, first_cpu, warm_cpu, made in rows:
        print(
            f"{name:<24} {first_wall * 1000:>9.0f} {warm_wall * 1000:>8.0f} "
            f"{first_wall / warm_wall:>6.2f} {first_cpu * 1000:>10.0f} {warm_cpu * 1000:>9.0f} "
            f"{first_cpu / max(warm_cpu, 1e-6):>6.2f} {made:>16}"
        )
    worst = max(rows, key=lambda row: row[1] / row[2])
    print(f"Worst first/warm (wall): {worst[0]}, {worst[1] / worst[2]:.2f}")
    as_before(client, *published[0])


def as_before(client: Client, story: ArticlePage, photo) -> None:
    """For comparison: the same first renders when the photo's copies are left to the first
    reader, as they were before copies were made ahead."""
    from django.core.cache import cache

    photo.renditions.all().delete()
    cache.clear()  # Wagtail keeps renditions it has looked up in the cache
    lang = story.edition.slug
    pages = {
        f"home front /{lang}/": f"/{lang}/",
        f"article ({lang})": story.url,
        "media bank": "/mediabank/",
        f"photo page ({lang})": photo.get_absolute_url(),
    }
    print()
    print("The same pages when the new photo's copies are left to the first reader (as before)")
    print(f"{'page':<24} {'first ms':>9} {'warm ms':>8} {'ratio':>6} {'renditions made':>16}")
    for name, url in pages.items():
        before = PhotoRendition.objects.count()
        first, _ = timed(client, url)
        made = PhotoRendition.objects.count() - before
        warm = statistics.median(timed(client, url)[0] for _ in range(WARM))
        print(
            f"{name:<24} {first * 1000:>9.0f} {warm * 1000:>8.0f} {first / warm:>6.2f} {made:>16}"
        )
