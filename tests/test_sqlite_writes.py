"""SQLite under concurrent writes (the embedded tier): readers comment and chat while an
editor publishes and the scheduler runs, and nobody sees "database is locked" or loses a write.
The two-minute version with its figures is `make bench` (benchmarks/sqlite_writes.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.sqlite_writes import run_load

BIN = Path(sys.executable).parent

# Publishes a story whose lead photo has no copies yet (so that publishing makes them), and
# tries a reader's write from another connection, with no patience at all, at the moment the
# copies are being made.
PUBLISH_WITH_NEW_COPIES = """
import json, sqlite3
from django.conf import settings
from django.contrib.auth import get_user_model
from dateline.articles.models import ArticlePage
from dateline.mediabank import renditions
from dateline.mediabank.models import PhotoRendition

database = settings.DATABASES["default"]["NAME"]
story = ArticlePage.objects.live().filter(lead_photo__isnull=False).order_by("pk").first()
PhotoRendition.objects.filter(image_id=story.lead_photo_id).delete()
writes = []
make_renditions = renditions.make_renditions

def make_while_a_reader_writes(photos):
    reader = sqlite3.connect(database, timeout=0)
    try:
        reader.execute("BEGIN IMMEDIATE")
        reader.execute("ROLLBACK")
        writes.append("stored")
    except sqlite3.OperationalError as error:
        writes.append(str(error))
    finally:
        reader.close()
    return make_renditions(photos)

renditions.make_renditions = make_while_a_reader_writes
editor = get_user_model().objects.get(username="editor")
story.save_revision(user=editor).publish(user=editor)
copies = PhotoRendition.objects.filter(image_id=story.lead_photo_id).count()
print(json.dumps({"writes": writes, "copies": copies}))
"""


@pytest.fixture(scope="module")
def demo_copy(demo, tmp_path_factory):
    """A copy of the demo site of its own (by `dateline backup` and `dateline restore`), so
    that the load's comments and publishes do not change the demo other tests look at."""
    folder = tmp_path_factory.mktemp("demo-backup")
    demo.dateline("backup", "--output", str(folder))
    (archive,) = folder.glob("*.tar")
    var = tmp_path_factory.mktemp("demo-copy")
    env = dict(demo.env, DATELINE_VAR_DIR=str(var))
    subprocess.run(
        [str(BIN / "dateline"), "restore", str(archive)],
        env=env,
        cwd=var,
        check=True,
        capture_output=True,
    )
    return var, env


def test_a_reader_can_write_while_a_publish_makes_photo_copies(demo_copy):
    var, env = demo_copy
    result = subprocess.run(
        [str(BIN / "dateline"), "shell", "-c", PUBLISH_WITH_NEW_COPIES],
        env=env,
        cwd=var,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["writes"], "publishing made no copies"
    assert set(outcome["writes"]) == {"stored"}, outcome["writes"]
    assert outcome["copies"] > 0


def test_readers_comment_and_chat_while_the_editor_and_scheduler_publish(demo_copy):
    var, env = demo_copy
    outcome = run_load(var, env, seconds=20, readers=50)
    print(outcome.report())
    assert outcome.errors == []
    assert outcome.locked == []
    assert outcome.lost == {"comment": [], "chat": []}
    assert outcome.accepted("comment") and outcome.accepted("chat")
    assert all(write.error for write in outcome.refused())
    assert "published=0" not in outcome.editor and outcome.editor
    assert outcome.scheduler_published > 0
