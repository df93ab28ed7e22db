"""The "command process" of benchmarks/live.py: a Django process apart from the app servers
that publishes, as a management command, the scheduler or a task worker does.

Run with the site's environment: ``python -m benchmarks.live_publisher STORY_ID``. It prints
``{"ready": true}``, then for each line read on stdin toggles the story's breaking news flag
(the newsroom's breaking news action: one event after the commit) and prints
``{"start": …, "end": …}``, the ``time.monotonic()`` just before the change and once it has
returned, the event stored (and pushed to Pushpin on that tier).
"""

import json
import sys
import time


def main(story_id: int) -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from dateline.articles.models import ArticlePage
    from dateline.live.models import BreakingNews

    story = ArticlePage.objects.select_related("edition").get(pk=story_id)

    def toggle() -> None:
        # As dateline.live.views.toggle_breaking does it, for a story that is the only one
        # ever flagged: the event is sent when the transaction commits, inside this call.
        with transaction.atomic():
            active = list(BreakingNews.objects.select_for_update().active().filter(story=story))
            for flag in active:
                flag.ended_at = timezone.now()
                flag.save()
            if not active:
                BreakingNews.objects.create(story=story, edition=story.edition)

    toggle()  # warm: imports, the connection, the first save's signal handlers
    toggle()
    print(json.dumps({"ready": True}), flush=True)
    for _ in sys.stdin:
        start = time.monotonic()
        toggle()
        end = time.monotonic()
        print(json.dumps({"start": start, "end": end}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
