"""Rate limits hold under concurrency on the running site: the demo's data served by uvicorn
with four worker processes (SQLite in WAL mode, the limits store in the database, shared by
every worker): requests that arrive together are counted one by one. With one worker, sync
views run one at a time and even a get-then-set counter looks right; with several, a counter
kept per process, or read and written in two steps, lets far more through."""

import http.client
import random
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.conftest import free_port, start_app_server, wait_for_app_server


@pytest.fixture
def workers(demo, tmp_path):
    """The demo site served by four uvicorn workers; its address."""
    port = free_port()
    log = (tmp_path / "app.log").open("w")
    process = start_app_server(port, demo.env, demo.var, log, workers=4)
    base = f"http://127.0.0.1:{port}"
    wait_for_app_server(base, process, 90)
    yield base
    process.terminate()
    process.wait(timeout=30)
    log.close()


def _request(site: str, source: str, method: str, path: str, body=None, headers=None):
    address = urlsplit(site)
    # Each test run speaks from an address of its own (any 127/8 address is this machine).
    connection = http.client.HTTPConnection(
        address.hostname, address.port, timeout=120, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        connection.close()


def test_twenty_parallel_licence_requests_pass_a_five_an_hour_limit_five_times(workers):
    demo_site = workers
    source = f"127.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(2, 250)}"
    _status, _cookie, archive = _request(demo_site, source, "GET", "/mediabank/")
    photo_id = re.search(r"/mediabank/photos/(\d+)/", archive).group(1)
    path = f"/mediabank/photos/{photo_id}/license/"
    start = threading.Barrier(20)

    def ask(number: int) -> int:
        _status, cookie, page = _request(demo_site, source, "GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"Buyer {number}",
                "email": f"buyer{number}@example.org",
                "intended_use": "Print, one issue.",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie.split(";")[0],
            "Referer": demo_site + path,
        }
        start.wait()  # all twenty post at the same moment
        status, _cookie, page = _request(demo_site, source, "POST", path, body, headers)
        if status == 400:
            assert "Too many requests from your address" in page
        return status

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(ask, range(20)))
    assert sorted(statuses) == [302] * 5 + [400] * 15, statuses
