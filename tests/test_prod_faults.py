"""The production tier under faults (issue 17, reliability): Redis killed and started again
under load, the app servers restarted under readers held by Pushpin, Pushpin itself restarted
under readers. Readers here behave like browsers' EventSource (benchmarks/stream_readers.py):
when their stream is closed they open it again with the id of the last event they had.

These are the short versions of `python -m benchmarks stream_faults` (2,000 and 5,000 readers):
what a reader sees, with a few hundred readers. Needs what tests/test_prod_tier.py needs."""

import http.cookiejar
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from benchmarks.stream_readers import Fleet
from tests.prodtier import (
    fetch,
    insecure_context,
    running_tier,
)

CHANNEL = "edition-en"
# What a stream begins with: padding for old proxies, then the open.
OPENING = ":" + " " * 2048 + "\n\n" + "event: stream-open\ndata:\n\n"


@pytest.fixture(scope="module")
def prod(tmp_path_factory, postgres_demo):
    with running_tier(
        tmp_path_factory.mktemp("prod-faults"), "dateline_faults_test", postgres_demo
    ) as tier:
        yield tier


def publish_events(tier, kind: str, count: int) -> None:
    """Publish ``count`` events of type ``kind`` from a separate process, as the scheduler or
    a command does."""
    tier.dateline(
        "shell",
        "-c",
        "from dateline.live.events import publish\n"
        f"for n in range({count}): publish({CHANNEL!r}, {kind!r}, {{'n': n}})\n",
    )


def published_ids(tier, kind: str) -> list[str]:
    """The ids of the stored events of type ``kind``, in order, as a stream names them."""
    out = tier.dateline(
        "shell",
        "-c",
        "from django_eventstream.models import Event; import json;"
        f"print(json.dumps(list(Event.objects.filter(channel={CHANNEL!r}, type={kind!r})"
        ".order_by('eid').values_list('eid', flat=True))))",
    )
    return [f"{CHANNEL}:{eid}" for eid in json.loads(out.strip().splitlines()[-1])]


def readers(tier, n: int) -> Fleet:
    fleet = Fleet(tier.s.pushpin_port, f"/events/?channel={CHANNEL}")
    fleet.open(n, timeout=120)
    return fleet


class PageLoad:
    """Readers asking for pages through nginx, in a thread, noting every status."""

    def __init__(self, tier, paths):
        self.urls = [tier.s.url + path for path in paths]
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.stop.is_set():
            for url in self.urls:
                self.statuses.append(fetch(url)[0])
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def sign_up(tier, email: str) -> tuple[int, str, str]:
    """Sign up for the English edition's first newsletter as a reader does; return the status,
    the final URL and the text of the page the reader ends on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar),
        urllib.request.HTTPSHandler(context=insecure_context()),
    )
    url = tier.s.url + "/en/subscribe/"
    form = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    newsletter = re.search(r'name="newsletters" value="(\d+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "newsletters": newsletter}
    ).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def is_stored(tier, email: str) -> bool:
    out = tier.dateline(
        "shell",
        "-c",
        "from dateline.subscriptions.models import Subscriber;"
        f"print(Subscriber.objects.filter(email={email!r}).exists())",
    )
    return out.strip().splitlines()[-1] == "True"


def test_redis_dies_and_comes_back_under_load_and_readers_notice_nothing(prod):
    kind = f"fault-redis-{secrets.token_hex(3)}"
    fleet = readers(prod, 50)
    try:
        with PageLoad(prod, ["/en/", "/en/world/", "/robots.txt"]) as load:
            publish_events(prod, kind, 3)
            prod.kill_redis()
            publish_events(prod, kind, 3)
            # A reader signs up for a newsletter while Redis is away: the sign-up is stored,
            # or refused with a message on the page (never an error page).
            email = f"outage-{secrets.token_hex(3)}@example.org"
            status, url, text = sign_up(prod, email)
            assert status < 500, text[:500]
            if url.endswith("/subscribe/sent/"):
                assert is_stored(prod, email)
            else:
                assert 'role="alert"' in text, text[:2000]
                assert not is_stored(prod, email)
            time.sleep(1)
            prod.ensure_redis()
            publish_events(prod, kind, 3)
            # And after Redis is back a sign-up is stored.
            email = f"after-{secrets.token_hex(3)}@example.org"
            status, url, _ = sign_up(prod, email)
            assert url.endswith("/subscribe/sent/")
            assert is_stored(prod, email)
        expected = published_ids(prod, kind)
        assert len(expected) == 9
        assert fleet.wait_received(9, timeout=20)
        # Every reader got every event, in order, on the stream it opened before Redis died.
        assert all(sequence == expected for sequence in fleet.id_sequences(kind))
        assert fleet.drops() == 0
    finally:
        fleet.close()
    assert load.statuses
    assert not [status for status in load.statuses if status >= 500], sorted(set(load.statuses))


def test_readers_on_pushpin_keep_their_streams_and_every_event_while_the_app_restarts(prod):
    kind = f"fault-app-{secrets.token_hex(3)}"
    fleet = readers(prod, 300)
    try:
        with PageLoad(prod, ["/en/"]) as load:
            publish_events(prod, kind, 5)
            prod.stop_app()
            # While no app server runs, a command publishes: stored, and pushed by Pushpin.
            publish_events(prod, kind, 5)
            prod.start_app()
            publish_events(prod, kind, 5)
        expected = published_ids(prod, kind)
        assert len(expected) == 15
        assert fleet.wait_received(15, timeout=20)
        sequences = fleet.id_sequences(kind)
        assert all(sequence == expected for sequence in sequences), next(
            s for s in sequences if s != expected
        )
        assert fleet.drops() == 0
    finally:
        fleet.close()
    assert load.statuses and all(status == 200 for status in load.statuses)


def test_readers_come_back_after_a_pushpin_restart_and_get_what_they_missed(prod):
    kind = f"fault-pushpin-{secrets.token_hex(3)}"
    fleet = readers(prod, 500)
    try:
        publish_events(prod, kind, 3)
        assert fleet.wait_received(3, timeout=20)
        stopped = time.monotonic()
        prod.restart_pushpin()
        answering = time.monotonic()  # Pushpin answers again
        # Published while the readers are away or coming back: replayed from their last id.
        publish_events(prod, kind, 3)
        back = fleet.wait_all_open(stopped, timeout=60)
        assert back is not None, "not every reader came back within 60 s"
        publish_events(prod, kind, 3)
        expected = published_ids(prod, kind)
        assert len(expected) == 9
        assert fleet.wait_received(9, timeout=20)
        sequences = fleet.id_sequences(kind)
        assert all(sequence == expected for sequence in sequences), next(
            s for s in sequences if s != expected
        )
        # Every reader is back within 15 s of Pushpin answering again.
        assert back - (answering - stopped) < 15
    finally:
        fleet.close()


def test_a_stream_open_through_pushpin_is_checked_before_it_is_held(prod):
    """The lean route in front of Django still refuses what Django's view refused."""
    base = f"http://127.0.0.1:{prod.s.pushpin_port}/events/"

    def get(query, headers=None):
        request = urllib.request.Request(base + query, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read(len(OPENING)).decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    # A chat room that does not exist (or that readers may not see) has no stream.
    assert get("?channel=chat-987654321") == (404, "No such channel: 'chat-987654321'.\n")
    assert get("?channel=admin-secrets") == (400, "No such channel: 'admin-secrets'.\n")
    assert get("?channel=edition-en", {"Last-Event-ID": "edition-en:x"})[0] == 400
    status, text = get("?channel=edition-en")
    assert status == 200
    assert "event: stream-open" in text
    # Straight to an app server, a forged signature is refused by the lean route too.
    request = urllib.request.Request(
        f"http://127.0.0.1:{prod.s.app_port}/events/?channel=edition-en",
        headers={"Grip-Sig": "forged"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert refused.value.code == 403
    assert "Grip-Hold" not in refused.value.headers
