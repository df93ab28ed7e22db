import datetime as dt

from django.utils import timezone


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_home_front_leads_with_the_top_story(client, make_story):
    make_story("Newest Ordinary Story", published_at=ago(1))
    make_story("Chosen Top Story", published_at=ago(5), top=True)
    html = main_of(client.get("/en/"))
    top = html[html.index('class="front-top"') : html.index("</section>")]
    assert "Chosen Top Story" in top and "Newest Ordinary Story" not in top


def test_without_a_pick_the_newest_story_leads(client, make_story):
    make_story("Older Story", published_at=ago(3))
    make_story("Newest Story", published_at=ago(1))
    html = main_of(client.get("/en/"))
    top = html[html.index('class="front-top"') : html.index("</section>")]
    assert "Newest Story" in top


def test_latest_stories_show_photo_time_and_section_newest_first(client, make_story):
    make_story("Lead", published_at=ago(1))
    make_story("Second", published_at=ago(2), section="europe")
    make_story("Third", published_at=ago(3), section="science")
    html = main_of(client.get("/en/"))
    latest = html[html.index('class="front-secondaries"') :]
    assert latest.index("Second") < latest.index("Third")
    card_start = latest.rindex("<article", 0, latest.index("Second"))
    second = latest[card_start : latest.index("</article>", card_start)]
    assert "<img" in second and "<time datetime=" in second and ">Europe</a>" in second


def section_of(html, css_class):
    start = html.index(f'class="{css_class}')
    return html[start : html.index("</section>", start)]


def test_the_lead_has_secondaries_and_the_rest_go_to_the_latest_rail(client, make_story):
    make_story("Lead", published_at=ago(1))
    for hour in range(2, 8):
        make_story(f"Story {hour}", published_at=ago(hour))
    html = main_of(client.get("/en/"))
    secondaries = section_of(html, "front-secondaries")
    latest = section_of(html, "front-latest")
    assert [f"Story {h}" in secondaries for h in range(2, 8)] == [True] * 3 + [False] * 3
    assert [f"Story {h}" in latest for h in range(2, 8)] == [False] * 3 + [True] * 3
    # The secondaries' grid has as many columns as it has stories.
    assert 'class="package package--3"' in secondaries


def test_a_story_without_a_photo_gets_the_photo_less_card_with_its_standfirst(client, make_story):
    make_story(
        "Words Only",
        photo=False,
        standfirst="A standfirst that stands in for the photo.",
        published_at=ago(2),
    )
    make_story("Lead", published_at=ago(1))
    html = main_of(client.get("/en/"))
    card_start = html.rindex("<article", 0, html.index("Words Only"))
    card = html[card_start : html.index("</article>", card_start)]
    assert "card--text" in card and "<img" not in card
    assert "A standfirst that stands in for the photo." in card
    assert "<time datetime=" in card and ">World</a>" in card


def test_a_packages_grid_has_as_many_columns_as_stories(client, make_story):
    make_story("News Lead", published_at=ago(1))
    for hour in range(2, 4):
        make_story(f"Odd {hour}", kind="offbeat", section="offbeat", published_at=ago(hour))
    html = main_of(client.get("/en/"))
    assert 'class="rail__stories package package--2"' in section_of(html, "rail rail--offbeat")


def test_a_section_fronts_first_page_is_a_lead_secondaries_grid_and_list(client, make_story):
    for hour in range(1, 13):
        make_story(f"Asia {hour:02}", section="asia", published_at=ago(hour))
    html = main_of(client.get("/en/asia/"))
    assert "Asia 01" in section_of(html, "front-top")
    assert all(f"Asia {h:02}" in section_of(html, "front-secondaries") for h in (2, 3, 4))
    assert all(f"Asia {h:02}" in section_of(html, "rail rail--more") for h in (5, 6, 7, 8))
    assert all(f"Asia {h:02}" in section_of(html, "rail rail--list") for h in (9, 10, 11, 12))


def test_rails_gather_off_beat_features_and_analysis(client, make_story):
    make_story("News Lead", published_at=ago(1))
    make_story("Dancing Goats", kind="offbeat", section="offbeat", published_at=ago(2))
    make_story("Long Read on Tides", kind="feature", published_at=ago(3))
    make_story("Why Rates Rose", kind="analysis", section="business", published_at=ago(4))
    html = main_of(client.get("/en/"))
    for rail, headline in [
        ("offbeat", "Dancing Goats"),
        ("feature", "Long Read on Tides"),
        ("analysis", "Why Rates Rose"),
    ]:
        start = html.index(f"rail--{rail}")
        assert headline in html[start : html.index("</section>", start)]


def test_a_section_front_includes_stories_filed_there_as_a_further_section(client, make_story):
    make_story("Chip Plant Opens", section="asia", further_sections=["business"])
    make_story("Only World", section="world")
    html = main_of(client.get("/en/business/"))
    assert "Chip Plant Opens" in html and "Only World" not in html


def test_the_archive_pages_through_every_story(client, make_story):
    for n in range(25):
        make_story(f"Archived Story {n:02d}", published_at=ago(n + 1), photo=False)
    first = main_of(client.get("/en/archive/"))
    second = main_of(client.get("/en/archive/?page=2"))
    assert "Archived Story 00" in first and "Archived Story 19" in first
    assert "Archived Story 20" in second and "Archived Story 00" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert client.get("/en/archive/?page=abc").status_code == 200


def test_date_archives_list_the_stories_of_their_day(client, make_story):
    story = make_story("Filed Today", published_at=ago(0.1))
    day_url = story.url.rsplit("/", 2)[0] + "/"
    assert "Filed Today" in main_of(client.get(day_url))


def test_year_month_and_day_archives_list_their_period_in_the_editions_time(client, make_story):
    utc = dt.UTC
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    july = make_story("First Of July", published_at=dt.datetime(2025, 6, 30, 23, 30, tzinfo=utc))
    june = make_story("End Of June", published_at=dt.datetime(2025, 6, 30, 22, 30, tzinfo=utc))
    make_story("New Year", published_at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=utc))
    assert "/2025/07/01/" in july.url and "/2025/06/30/" in june.url
    year = main_of(client.get("/en/2025/"))
    assert year.index("First Of July") < year.index("End Of June")
    assert "New Year" not in year
    month = main_of(client.get("/en/2025/07/"))
    assert "First Of July" in month and "End Of June" not in month
    day = main_of(client.get("/en/2025/06/30/"))
    assert "End Of June" in day and "First Of July" not in day


def test_tag_and_person_pages_list_their_stories(client, make_story):
    make_story("Tagged Story", tags=["volcanoes"], bylines=["Elena Vasquez"])
    make_story("Other Story", tags=["tennis"])
    tag_html = main_of(client.get("/en/tags/volcanoes/"))
    person_html = main_of(client.get("/en/people/elena-vasquez/"))
    assert "Tagged Story" in tag_html and "Other Story" not in tag_html
    assert "Tagged Story" in person_html and "Other Story" not in person_html


def test_unknown_sections_and_editions_are_not_found(client, edition):
    assert client.get("/en/no-such-section/").status_code == 404
    assert client.get("/xx/").status_code == 404


def test_navigation_lists_the_sections(client, edition):
    html = client.get("/en/").content.decode()
    nav = html[html.index('class="sections-nav"') : html.index("</nav>")]
    for name in ["World", "Asia", "Europe", "Business", "Science", "Off-beat"]:
        assert f">{name}</a>" in nav


def test_the_subscribe_page_offers_the_feeds(client, make_story):
    make_story("Feed Item")
    html = client.get("/en/subscribe/?section=world").content.decode()
    assert 'href="/en/feed/"' in html and 'href="/en/world/feed/"' in html
    feed = client.get("/en/feed/").content.decode()
    assert "<title>Feed Item</title>" in feed
