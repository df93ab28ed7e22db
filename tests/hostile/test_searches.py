"""The hostile search strings (corpus/searches/, one a line, and the large ones made here from
recipes) through every search box: the public search in three editions, the media bank, the
API's, and the newsroom's, signed in. Each answers a normal results page (possibly empty):
no 5xx, no traceback, within 10 s and 256 MB (tests/hostile/bounds.py), every box for one
string in one bounded child."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from dateline.editions.actions import create_edition
from tests.hostile.bounds import CORPUS, bounded

PUBLIC = ["/en/search/", "/ru/search/", "/ar/search/", "/mediabank/", "/api/stories"]
# Those that search through the search backend (FTS5 or tsquery) and those that filter with
# the ORM; test_every_newsroom_search_box_answers_any_text (dateline/search/tests) finds any
# box added later.
NEWSROOM = [
    "/admin/pages/search/",
    "/admin/choose-page/search/",
    "/admin/images/",
    "/admin/images/chooser/results/",
    "/admin/documents/",
    "/admin/snippets/people/person/",
    "/admin/snippets/choose/people/person/results/",
    "/admin/snippets/sections/section/",
    "/admin/snippets/sections/place/",
    "/admin/snippets/mediabank/licencerequest/",
    "/admin/users/",
    "/admin/wire/",
    "/admin/chat-rooms/",
    "/admin/live_entries/",
    "/admin/api-keys/",
    "/admin/redirects/",
]
# The boxes that read the search backend: every corpus string goes through these; the boxes
# that filter with the ORM (a bound parameter, never syntax) take the generated strings, and
# dateline/search/tests/test_any_text.py's syntax strings, so that the suite stays short.
BACKEND = [
    "/admin/pages/search/",
    "/admin/choose-page/search/",
    "/admin/images/",
    "/admin/snippets/people/person/",
]


def corpus_strings() -> list[str]:
    text = (CORPUS / "searches" / "strings.txt").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line != ""]


# Large inputs, made here: (name, recipe).
GENERATED = {
    "10,000 one-letter words": lambda: "a " * 5000,
    "one word of 10,000 letters": lambda: "x" * 10_000,
    "10,000 quotes": lambda: '"' * 10_000,
    "10,000 open parentheses": lambda: "(" * 10_000,
    "a hyphen chain": lambda: "-".join(["ab"] * 3300),
    "2,000 ORs": lambda: " OR ".join(["glacier"] * 2000),
    "2,000 NEARs": lambda: "NEAR(" * 2000,
    "a combining flood": lambda: "glacier " + "\u0301" * 9_990,
    "10,000 emoji": lambda: "🧊" * 10_000,
    "10,000 Arabic letters": lambda: "ا" * 10_000,
    "RTL overrides between words": lambda: "\u202eglacier " * 1000,
    "NUL inside": lambda: "glacier\x00report",
    "NULs only": lambda: "\x00" * 100,
    "control characters": lambda: "".join(chr(c) for c in range(1, 32)) + "glacier",
}


@pytest.fixture
def boxes(client, make_story, make_photo):
    """A small archive in three editions and a signed-in editor's client."""
    make_story("Glacier report", photo=make_photo(caption="Glacier at dawn"), bylines=["Ann Lee"])
    create_edition("ru", site_name="Тестовые новости", agency="Тествайр")
    create_edition("ar", site_name="أخبار الاختبار", agency="تست")
    chief = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    newsroom = Client()
    newsroom.force_login(chief)
    return client, newsroom


def search_everywhere(reader, newsroom, query: str, newsroom_boxes) -> list[tuple[str, int]]:
    """Ask every public box and ``newsroom_boxes`` for ``query``; return the addresses and
    statuses."""
    answers = []
    for url in PUBLIC:
        answers.append((url, reader.get(url, {"q": query}).status_code))
    for url in newsroom_boxes:
        answers.append((url, newsroom.get(url, {"q": query}).status_code))
    return answers


def check(boxes, name: str, query: str, newsroom_boxes=NEWSROOM) -> list[str]:
    reader, newsroom = boxes
    # Each query comes from a fresh reader: the API's limit per address is not what is tested
    # (on PostgreSQL the forked children's counts add up in the test's transaction).
    caches["limits"].clear()
    outcome = bounded(search_everywhere, reader, newsroom, query, newsroom_boxes)
    problems = []
    if not outcome.within_bounds or outcome.error:
        problems.append(f"{name}: {outcome.describe()}\n{outcome.traceback}")
    for url, status in outcome.value or []:
        if status != 200:
            problems.append(f"{name}: {url} answered {status}")
    return problems


def test_the_corpus_through_every_search_box(boxes):
    problems = []
    for query in corpus_strings():
        problems += check(boxes, repr(query)[:60], query, BACKEND)
    assert not problems, "\n".join(problems)


def test_large_and_generated_strings_through_every_search_box(boxes):
    problems = []
    for name, recipe in GENERATED.items():
        problems += check(boxes, name, recipe())
    assert not problems, "\n".join(problems)


def test_undecodable_bytes_through_the_public_boxes(boxes):
    reader, _newsroom = boxes

    def ask():
        return [
            reader.get(url, QUERY_STRING="q=%FF%FE%ED%A0%80glacier%C0%AF").status_code
            for url in PUBLIC
        ]

    outcome = bounded(ask)
    assert outcome.within_bounds and not outcome.error, outcome.describe() + outcome.traceback
    assert outcome.value == [200] * len(PUBLIC)
