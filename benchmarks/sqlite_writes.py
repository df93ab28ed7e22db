"""SQLite under concurrent writes, the embedded tier: 50 signed-in readers comment and chat
(and read stories) against one uvicorn process while an editor publishes and schedules stories
and the scheduler publishes what comes due, for two minutes.

What must hold: no error reaches anyone (no 5xx, no "database is locked" in any log, the
editor's publishes all succeed), and no write is lost (every comment and chat message answered
2xx is in the database afterwards; every refusal is a 4xx with a message). Baseline: the same
readers in the first third of the run, before the editor and the scheduler start writing; the
comment POST's latency is given as a ratio of it.

``run_load`` is also what tests/test_sqlite_writes.py runs, for a shorter time."""

# This module starts the site's own commands with arguments it builds itself.
# ruff: noqa: S603, S310

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
SECONDS = 120
READERS = 50

SETUP = """
import json, os
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from dateline.articles.models import ArticlePage
from dateline.chats.actions import open_general_room
from dateline.editions.models import Edition
count = int(os.environ["DATELINE_LOAD_ARG"])
edition = Edition.objects.get(locale__language_code="en")
room = open_general_room(edition)
sessions = []
for n in range(count):
    user, _ = get_user_model().objects.get_or_create(
        username=f"load-reader-{n}", defaults={"email": f"load-reader-{n}@example.org"}
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
stories = [
    (page.pk, page.url)
    for page in ArticlePage.objects.live().filter(locale__language_code="en").order_by("pk")[:8]
]
print(json.dumps({"sessions": sessions, "stories": stories, "room": room.slug}))
"""

# The editor: publishes a new revision of a story, then schedules one a second ahead for the
# scheduler, over and over; every failure is printed.
EDITOR = """
import datetime as dt, os, time, traceback
from pathlib import Path
from django.contrib.auth import get_user_model
from django.utils import timezone
from dateline.articles.models import ArticlePage
stop = Path(os.environ["DATELINE_LOAD_ARG"])
editor = get_user_model().objects.get(username="editor")
pages = list(ArticlePage.objects.live().filter(locale__language_code="en").order_by("-pk")[:6])
n = published = scheduled = 0
while not stop.exists():
    page = ArticlePage.objects.get(pk=pages[n % len(pages)].pk)
    try:
        page.standfirst = (page.standfirst or "").split(" (update ")[0] + f" (update {n})"
        if n % 2:
            page.save_revision(
                user=editor, approved_go_live_at=timezone.now() + dt.timedelta(seconds=1)
            )
            scheduled += 1
        else:
            page.save_revision(user=editor).publish(user=editor)
            published += 1
    except Exception:
        print("EDITOR ERROR", traceback.format_exc().replace(chr(10), " | "), flush=True)
    n += 1
    time.sleep(0.5)
print(f"EDITOR DONE published={published} scheduled={scheduled}", flush=True)
"""

CHECK = """
import json, os
from dateline.chats.models import ChatMessage
from dateline.discussion.models import Comment
accepted = json.loads(open(os.environ["DATELINE_LOAD_ARG"]).read())
comments = set(Comment.objects.filter(pk__in=accepted["comment"]).values_list("pk", flat=True))
chats = set(ChatMessage.objects.filter(pk__in=accepted["chat"]).values_list("pk", flat=True))
print(json.dumps({
    "comment": sorted(set(accepted["comment"]) - comments),
    "chat": sorted(set(accepted["chat"]) - chats),
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Write:
    kind: str  # comment, chat
    phase: str  # baseline, loaded
    status: int
    seconds: float
    id: int | None = None
    error: str = ""


@dataclass
class Outcome:
    seconds: float
    requests: int = 0
    writes: list[Write] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost: dict = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)
    editor: str = ""
    scheduler_published: int = 0

    def accepted(self, kind: str) -> list[Write]:
        return [w for w in self.writes if w.kind == kind and 200 <= w.status < 300]

    def refused(self) -> list[Write]:
        return [w for w in self.writes if 400 <= w.status < 500]

    def latency(self, kind: str, phase: str, q: float) -> float:
        times = sorted(w.seconds for w in self.writes if w.kind == kind and w.phase == phase)
        if not times:
            return float("nan")
        return times[min(len(times) - 1, int(q * len(times)))]

    def report(self) -> str:
        lines = [f"SQLite under concurrent writes, {self.seconds:.0f} s:"]
        lines.append(
            f"  requests: {self.requests}; writes: {len(self.writes)} "
            f"({len(self.accepted('comment'))} comments and {len(self.accepted('chat'))} chat "
            f"messages accepted, {len(self.refused())} refused with a message)"
        )
        lines.append(f"  editor: {self.editor}; scheduler published {self.scheduler_published}")
        for kind in ("comment", "chat"):
            base50 = self.latency(kind, "baseline", 0.5)
            base99 = self.latency(kind, "baseline", 0.99)
            load50 = self.latency(kind, "loaded", 0.5)
            load99 = self.latency(kind, "loaded", 0.99)
            lines.append(
                f"  {kind} POST p50 {base50 * 1000:.0f} ms alone, {load50 * 1000:.0f} ms with "
                f"the editor and scheduler ({load50 / base50:.2f}x); p99 {base99 * 1000:.0f} "
                f"ms, {load99 * 1000:.0f} ms ({load99 / base99:.2f}x)"
            )
        lost = sum(len(v) for v in self.lost.values())
        lines.append(
            f"  errors: {len(self.errors)}; 'database is locked' in logs: {len(self.locked)}; "
            f"lost writes: {lost}"
        )
        return "\n".join(lines)


def _dateline(env: dict, var: Path, code: str, arg: str) -> str:
    """Run ``code`` in `dateline shell` with ``arg`` in DATELINE_LOAD_ARG; return its output."""
    result = subprocess.run(
        [str(BIN / "dateline"), "shell", "-c", code],
        env=dict(env, DATELINE_LOAD_ARG=arg),
        cwd=var,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise RuntimeError(f"dateline shell failed: {result.stderr[-3000:]}")
    return result.stdout


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/en/", timeout=5).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the site did not start: see {log}") from None
            time.sleep(0.3)


class Reader(threading.Thread):
    def __init__(self, n: int, url: str, session: str, setup: dict, outcome: Outcome, state):
        super().__init__(daemon=True)
        self.n, self.url, self.setup, self.outcome, self.state = n, url, setup, outcome, state
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked token Django accepts
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"
        self.random = random.Random(n)

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie}
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers.update({"Content-Type": "application/json", "X-CSRFToken": self.csrf})
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        with self.state["lock"]:
            self.outcome.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def write(self, kind: str, path: str, text: str) -> None:
        phase = self.state["phase"]
        started = time.perf_counter()
        try:
            status, body = self.request(path, {"text": text})
        except OSError as error:
            self.outcome.errors.append(f"{kind} {path}: {error}")
            return
        took = time.perf_counter() - started
        write = Write(kind, phase, status, took)
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        if 200 <= status < 300 and isinstance(data.get("id"), int):
            write.id = data["id"]
        elif 400 <= status < 500 and str(data.get("error", "")).strip():
            write.error = data["error"]
        else:
            self.outcome.errors.append(f"{kind} {path}: {status} {body[:300]!r}")
        with self.state["lock"]:
            self.outcome.writes.append(write)

    def run(self) -> None:
        stories = self.setup["stories"]
        next_comment = time.monotonic() + self.random.uniform(0, 8)
        k = 0
        while not self.state["stop"].is_set():
            k += 1
            try:
                if time.monotonic() >= next_comment:
                    page_id, _url = stories[self.random.randrange(len(stories))]
                    self.write(
                        "comment",
                        f"/discussion/pages/{page_id}/comments/",
                        f"Reader {self.n}, comment {k}: a thought on this story.",
                    )
                    next_comment = time.monotonic() + 8.5  # under the flood limit, 8 a minute
                else:
                    self.write(
                        "chat",
                        f"/en/chats/{self.setup['room']}/messages/",
                        f"Reader {self.n}, message {k}",
                    )
                if k % 3 == 0:
                    _id, url = stories[self.random.randrange(len(stories))]
                    status, _body = self.request(url)
                    if status >= 500:
                        self.outcome.errors.append(f"GET {url}: {status}")
            except OSError as error:
                self.outcome.errors.append(f"reader {self.n}: {error}")
            self.state["stop"].wait(self.random.uniform(1.6, 2.4))


def run_load(var: Path, env: dict, seconds: float = SECONDS, readers: int = READERS) -> Outcome:
    """Run the load against the site in ``var`` (set up, with the demo's editor user) and
    return what happened. Starts and stops its own uvicorn and scheduler."""
    env = dict(env, DATELINE_VAR_DIR=str(var), ALLOWED_HOSTS="127.0.0.1,localhost")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    setup = json.loads(_dateline(env, var, SETUP, str(readers)).splitlines()[-1])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env["SITE_URL"] = url
    logs = var / "sqlite-writes"
    logs.mkdir(exist_ok=True)
    server_log, scheduler_log, editor_log = (logs / f"{n}.log" for n in ("server", "sched", "ed"))
    outcome = Outcome(seconds=seconds)
    processes = []
    with server_log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "uvicorn"), "dateline.config.asgi:application", "--port", str(port)],
            env=env,
            cwd=var,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    processes.append(server)
    stop_file = logs / "stop"
    stop_file.unlink(missing_ok=True)
    try:
        _wait_for(url, server, server_log)
        state = {"phase": "baseline", "stop": threading.Event(), "lock": threading.Lock()}
        threads = [
            Reader(n, url, session, setup, outcome, state)
            for n, session in enumerate(setup["sessions"])
        ]
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        state["phase"] = "loaded"
        with scheduler_log.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [str(BIN / "dateline"), "run-scheduler", "--interval", "1"],
                    env=env,
                    cwd=var,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        with editor_log.open("w") as out:
            editor = subprocess.Popen(
                [str(BIN / "dateline"), "shell", "-c", EDITOR],
                env=dict(env, DATELINE_LOAD_ARG=str(stop_file)),
                cwd=var,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(editor)
        time.sleep(seconds * 2 / 3)
        state["stop"].set()
        stop_file.touch()
        for thread in threads:
            thread.join(timeout=120)
        editor.wait(timeout=120)
        time.sleep(2)  # the scheduler's last look at what was scheduled
    finally:
        stop_file.touch()
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    accepted = {
        kind: [w.id for w in outcome.accepted(kind) if w.id is not None]
        for kind in ("comment", "chat")
    }
    accepted_file = logs / "accepted.json"
    accepted_file.write_text(json.dumps(accepted))
    outcome.lost = json.loads(_dateline(env, var, CHECK, str(accepted_file)).splitlines()[-1])
    for log in (server_log, scheduler_log, editor_log):
        for line in log.read_text(errors="replace").splitlines():
            if "database is locked" in line or "database table is locked" in line:
                outcome.locked.append(f"{log.name}: {line[:300]}")
            if line.startswith("EDITOR ERROR"):
                outcome.errors.append(line[:2000])
            if line.startswith("EDITOR DONE"):
                outcome.editor = line.removeprefix("EDITOR DONE ")
            if "published:" in line and log == scheduler_log:
                outcome.scheduler_published += 1
    for log in (server_log, scheduler_log):
        text = log.read_text(errors="replace")
        if "Traceback" in text:
            start = text.index("Traceback")
            outcome.errors.append(f"{log.name} has a traceback: {text[start : start + 1500]}")
    return outcome


def run() -> None:
    from django.conf import settings

    var = Path(settings.VAR_DIR)
    outcome = run_load(var, dict(os.environ), SECONDS, READERS)
    print(outcome.report(), flush=True)
    if outcome.errors:
        print("  first errors:", *outcome.errors[:5], sep="\n    ")
