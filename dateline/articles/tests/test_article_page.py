import datetime as dt
import re

from django.utils import timezone

from dateline.articles.models import Correction


def p(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def positions(html, *needles):
    found = [html.find(n) for n in needles]
    missing = [n for n, i in zip(needles, found, strict=True) if i < 0]
    assert not missing, f"missing from the page: {missing}"
    return found


def test_it_shows_every_element_in_the_reference_order(client, make_story, make_photo):
    target = make_story("Ministers Agree to Meet Again in Spring", section="asia")
    older = make_story("Harbour Talks Resume After Long Pause", section="europe")
    story = make_story(
        "Coastal Cities Sign Flood Defence Pact",
        section="asia",
        standfirst="Twelve cities pledge to share tide data.",
        place=("Manila", "PH"),
        bylines=["Amara Okafor", "Lucas Brennan"],
        tags=["climate", "oceans"],
        photo=make_photo(caption="Sea wall at high tide", photographer="Yuki Tanaka"),
        body=[
            p("The first paragraph of the pact story."),
            {
                "type": "quote",
                "value": {"text": "Water knows no borders", "attribution": "Lena Ortiz, mayor"},
            },
            {"type": "related", "value": {"story": target.pk}},
            p("The second paragraph."),
            {"type": "read_more", "value": {"story": older.pk, "label": ""}},
            p("The last paragraph."),
        ],
    )
    html = client.get(story.url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    order = positions(
        main,
        'class="section-label" href="/en/asia/">Asia<',
        "Coastal Cities Sign Flood Defence Pact</h1>",
        f'href="/mediabank/photos/{story.lead_photo.pk}/">© Testwire / Yuki Tanaka',
        "Go to the media bank",
        "Sea wall at high tide",
        ">Subscribe<",
        "MANILA (Testwire) –</span> The first paragraph",
        "Water knows no borders",
        "Ministers Agree to Meet Again in Spring",
        "The second paragraph.",
        "Harbour Talks Resume After Long Pause",
        "The last paragraph.",
        'rel="tag">climate<',
    )
    assert order == sorted(order)
    assert "Amara Okafor" in html and "Lucas Brennan" in html


def test_it_opens_the_first_paragraph_with_the_dateline(client, make_story):
    story = make_story("Quake Shakes Coastal Town", place=("Valparaíso", "CL"), agency="")
    html = client.get(story.url).content.decode()
    assert re.search(r"<p><span class=\"dateline\">VALPARAÍSO \(Testwire\) –</span> Text of", html)


def test_a_related_card_shows_the_other_storys_photo_section_and_headline(client, make_story):
    target = make_story("Grain Prices Ease", section="business")
    story = make_story(
        "Farmers Plant Early",
        body=[p("Intro."), {"type": "related", "value": {"story": target.pk}}],
    )
    html = client.get(story.url).content.decode()
    card = html[html.index('class="related-card"') :]
    card = card[: card.index("</aside>")]
    assert f'href="{target.url}"' in card
    assert "Business" in card and "Grain Prices Ease" in card
    assert "<img" in card and 'alt="Boats in a harbour"' in card


def test_a_card_for_a_story_not_yet_published_is_not_shown(client, make_story):
    future = make_story(
        "Embargoed Budget Details", published_at=timezone.now() + dt.timedelta(hours=3)
    )
    story = make_story(
        "Budget Week Begins",
        body=[
            p("Intro."),
            {"type": "related", "value": {"story": future.pk}},
            {"type": "read_more", "value": {"story": future.pk, "label": ""}},
        ],
    )
    html = client.get(story.url).content.decode()
    assert "Embargoed Budget Details" not in html
    assert "related-card" not in html


def test_corrections_and_updates_show_with_their_time(client, make_story):
    story = make_story("Bridge Reopens")
    story.corrections.add(
        Correction(
            kind="correction",
            text="An earlier version misnamed the river.",
            published_at=timezone.now(),
        )
    )
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    assert "Correction" in html and "misnamed the river" in html
    assert "Updated" in html


def test_the_page_is_the_same_for_every_reader(client, make_story, django_user_model):
    story = make_story("Parliament Sits Late")
    anonymous = client.get(story.url).content
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    signed_in = client.get(story.url).content
    assert anonymous == signed_in
    assert b"csrfmiddlewaretoken" not in anonymous
    assert b"editor" not in signed_in


def test_it_has_open_graph_and_a_canonical_address(client, make_story, settings):
    story = make_story("Rail Strike Called Off", standfirst="Unions accept the offer.")
    html = client.get(story.url).content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}{story.url}">' in html
    assert '<meta property="og:title" content="Rail Strike Called Off">' in html
    assert 'property="og:image" content="' in html


def test_story_addresses_are_date_buckets_under_the_edition(make_story):
    when = dt.datetime(2026, 3, 5, 23, 30, tzinfo=dt.UTC)
    story = make_story("Late Night Vote", published_at=when, slug="late-night-vote")
    # 23:30 UTC on 5 March is still 5 March in London.
    assert story.url == "/en/2026/03/05/late-night-vote/"


def test_renders_in_a_fixed_number_of_queries(client, make_story, django_assert_max_num_queries):
    targets = [make_story(f"Target {n}") for n in range(6)]

    def story_with(cards):
        body = [p("Intro.")] + [{"type": "related", "value": {"story": t.pk}} for t in cards]
        return make_story(f"Story with {len(cards)} cards", body=body, tags=["a", "b", "c"])

    few, many = story_with(targets[:1]), story_with(targets)
    client.get(few.url)
    client.get(many.url)  # renditions are made on first view

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(few.url)
    with CaptureQueriesContext(connection) as six:
        client.get(many.url)
    assert len(six) == len(one)
