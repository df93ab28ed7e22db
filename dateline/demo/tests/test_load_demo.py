from collections import Counter

from django.core.management import call_command

from dateline.articles.models import ArticlePage
from dateline.demo.content import SECTIONS
from dateline.mediabank.models import Photo


def test_the_demo_has_stories_of_every_kind_in_every_section(loaded_demo, db, client):
    stories = ArticlePage.objects.visible()
    assert stories.count() >= 30
    assert set(Counter(stories.values_list("kind", flat=True))) == {
        "news",
        "feature",
        "analysis",
        "opinion",
        "offbeat",
    }
    assert {s for s, _ in SECTIONS} <= set(stories.values_list("primary_section__slug", flat=True))
    assert stories.filter(lead_photo__isnull=True).count() == 0
    assert Photo.objects.filter(photographer__isnull=True).count() == 0
    with_cards = [s for s in stories if any(b.block_type == "related" for b in s.body)]
    with_read_more = [s for s in stories if any(b.block_type == "read_more" for b in s.body)]
    assert len(with_cards) >= 3 and len(with_read_more) >= 3
    assert "Sample content" in client.get("/en/").content.decode()
    assert "Demo ready" in loaded_demo


def test_running_it_again_keeps_the_data(loaded_demo, db, capsys):
    count = ArticlePage.objects.count()
    call_command("load-demo")
    assert ArticlePage.objects.count() == count
    assert "keeping the data" in capsys.readouterr().out
