"""Scheduled stories go live in the running site by themselves, as in `make demo`."""

import datetime as dt
import json
import re
import time
import urllib.request


def fetch(url):
    return urllib.request.urlopen(url, timeout=10).read().decode()  # noqa: S310


def test_a_scheduled_story_goes_live_without_anyone_running_a_command(demo, tmp_path):
    # Far enough ahead that loading the file (a new process, slow on a busy machine) ends first.
    go_live = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
    story_file = tmp_path / "scheduled.json"
    story_file.write_text(
        json.dumps(
            [
                {
                    "edition": "en",
                    "section": "world",
                    "slug": "ceasefire-takes-hold",
                    "headline": "Ceasefire Takes Hold at Dawn",
                    "standfirst": "Guns fall silent.",
                    "body": [{"type": "paragraph", "text": "The ceasefire began at dawn."}],
                    "published_at": go_live.isoformat(),
                }
            ]
        )
    )
    demo.dateline("load-stories", str(story_file), "--publish")
    front = fetch(demo.url + "/en/")
    assert dt.datetime.now(dt.UTC) < go_live, "loading took too long to see the story scheduled"
    assert "Ceasefire Takes Hold at Dawn" not in front

    deadline = time.monotonic() + 45
    while "Ceasefire Takes Hold at Dawn" not in fetch(demo.url + "/en/"):
        assert time.monotonic() < deadline, "the story did not go live by itself"
        time.sleep(0.5)
    assert dt.datetime.now(dt.UTC) >= go_live
    address = re.search(r'href="([^"]*/ceasefire-takes-hold/)"', fetch(demo.url + "/en/"))[1]
    assert "The ceasefire began at dawn." in fetch(demo.url + address)
