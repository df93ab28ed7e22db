"""`dateline backup` while the site serves and writes, then `dateline restore` on a fresh
machine: every public page (from the sitemaps) answers the same, on SQLite and PostgreSQL.
And the archives restore refuses: damaged, foreign, or over a site that has content."""

import contextlib
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import free_port

BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# Writes a comment every few milliseconds until the stop file appears, each id on a line of
# its own as soon as it is committed.
WRITER = """
import os, time
from pathlib import Path
from django.contrib.auth import get_user_model
from dateline.articles.models import ArticlePage
from dateline.discussion.models import Comment
reader, _ = get_user_model().objects.get_or_create(username="backup-writer")
page = ArticlePage.objects.live().order_by("pk").first()
stop = Path(os.environ["DATELINE_WRITER_STOP"])
while not stop.exists():
    comment = Comment.objects.create(page_id=page.pk, user=reader, text="During the backup.")
    print(comment.pk, flush=True)
    time.sleep(0.02)
"""


class Site:
    """A Dateline site of its own var directory and database, run from outside."""

    def __init__(self, var: Path, database_url: str | None = None, env: dict | None = None):
        self.var = var
        self.env = {
            key: value
            for key, value in (env or os.environ).items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
        }
        self.env.update(DATELINE_DEMO="1", DATELINE_VAR_DIR=str(var))
        if database_url:
            self.env["DATABASE_URL"] = database_url
        var.mkdir(parents=True, exist_ok=True)

    def dateline(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "dateline"), *args],
            env=self.env,
            cwd=self.var,
            check=check,
            capture_output=True,
            text=True,
            timeout=900,
        )

    @contextlib.contextmanager
    def serving(self):
        """Run uvicorn on this site; yield its address."""
        port = free_port()
        env = dict(self.env, SITE_URL=f"http://127.0.0.1:{port}")
        log = (self.var / f"server-{port}.log").open("w")
        server = subprocess.Popen(
            [str(BIN / "uvicorn"), "dateline.config.asgi:application", "--port", str(port)],
            env=env,
            cwd=self.var,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(url + "/en/", timeout=5).read()  # noqa: S310
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the site did not start: see {log.name}") from None
                    time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()

    def photos_without_original(self) -> list[str]:
        """The photos whose original file is missing from the media folder."""
        out = self.dateline(
            "shell",
            "-c",
            "from dateline.mediabank.models import Photo; "
            "print([p.file.name for p in Photo.objects.all() "
            "if not p.file.storage.exists(p.file.name)] or 'none')",
        ).stdout
        return [] if out.strip().endswith("none") else [out.strip().splitlines()[-1]]

    def comment_ids(self) -> set[int]:
        out = self.dateline(
            "shell",
            "-c",
            "from dateline.discussion.models import Comment; "
            "print(list(Comment.objects.values_list('pk', flat=True)))",
        ).stdout
        return set(json.loads(out.strip().splitlines()[-1]))


def fetch(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    url = parts._replace(path=quote(parts.path, safe="/%")).geturl()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def public_paths(url: str) -> list[str]:
    """Every address the site's sitemaps list (and the sitemaps themselves), as paths."""
    paths, queue, seen = set(), ["/sitemap.xml"], set()
    while queue:
        sitemap = queue.pop()
        if sitemap in seen:
            continue
        seen.add(sitemap)
        status, text = fetch(url + sitemap)
        assert status == 200, f"{sitemap} answered {status}"
        for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text):
            path = urlsplit(loc).path
            if path.endswith(".xml"):
                queue.append(path)
            else:
                paths.add(path)
    return sorted(paths) + sorted(seen)


def main_content(html: str) -> str:
    """The page's main content (the whole document where it has no <main>), without what
    differs between two answers of the same page: tokens, nonces, times, stream positions and
    the count of comments (written on during the backup; checked apart)."""
    match = re.search(r"<main\b.*</main>", html, re.DOTALL)
    text = match.group(0) if match else html
    text = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", text)
    text = re.sub(r'\snonce="[^"]*"', "", text)
    text = re.sub(r"(<time\b[^>]*>).*?(</time>)", r"\1\2", text, flags=re.DOTALL)
    text = re.sub(r'(data-[a-z-]*(?:event|position|last)[a-z-]*=)"[^"]*"', r"\1", text)
    text = re.sub(r'(class="discussion__count">)\d+', r"\1", text)
    text = re.sub(r"<lastmod>[^<]*</lastmod>", "", text)
    text = re.sub(r"http://127\.0\.0\.1:\d+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def written_ids(path: Path) -> set[int]:
    """The ids of the comments the writer has committed so far."""
    return {int(line) for line in path.read_text().splitlines() if line.strip().isdigit()}


def round_trip(source: Site, target: Site, tmp_path: Path) -> None:
    """Back ``source`` up while it serves readers and takes comments, restore the archive
    into ``target`` (fresh), and check that every public page answers the same on both."""
    folder = tmp_path / "backups"
    folder.mkdir()
    stop = tmp_path / "stop"
    ids_file = tmp_path / "written"
    with source.serving() as url:
        paths = public_paths(url)
        assert len(paths) > 20, paths
        errors: list[str] = []

        def read_pages():
            while not stop.exists():
                for path in paths:
                    if stop.exists():
                        return
                    status, _ = fetch(url + path)
                    if status >= 500:
                        errors.append(f"{path}: {status}")

        readers = [threading.Thread(target=read_pages) for _ in range(2)]
        for reader in readers:
            reader.start()
        with ids_file.open("w") as out:
            writer = subprocess.Popen(
                [str(BIN / "dateline"), "shell", "-c", WRITER],
                env=dict(source.env, DATELINE_WRITER_STOP=str(stop)),
                cwd=source.var,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                while len(written_ids(ids_file)) < 20:
                    assert writer.poll() is None, ids_file.read_text()
                    time.sleep(0.1)
                before = written_ids(ids_file)
                backup = source.dateline("backup", "--output", str(folder))
                time.sleep(0.5)  # ids are printed just after their commit
                after = written_ids(ids_file)
            finally:
                stop.touch()
                writer.wait(timeout=60)
                for reader in readers:
                    reader.join(timeout=120)
        written = written_ids(ids_file)
        assert not errors, errors
        assert "Backed up the" in backup.stdout, backup.stdout
        archives = list(folder.glob("dateline-backup-*.tar"))
        assert len(archives) == 1, list(folder.iterdir())  # no partial file left beside it
        restore = target.dateline("restore", str(archives[0]))
        assert "Restored the backup" in restore.stdout, restore.stdout + restore.stderr

        assert target.photos_without_original() == []

        # The snapshot is consistent: every comment committed before the backup began is in
        # it, none written after it ended, and none missing in between.
        restored = target.comment_ids()
        ours = restored & written
        assert before <= ours
        assert ours <= after
        assert ours == {n for n in written if n <= max(ours)}

        with target.serving() as restored_url:
            differences = []
            for path in paths:
                status, html = fetch(url + path)
                restored_status, restored_html = fetch(restored_url + path)
                if status != restored_status:
                    differences.append(f"{path}: {status} here, {restored_status} restored")
                elif main_content(html) != main_content(restored_html):
                    differences.append(f"{path}: the content differs")
            assert not differences, differences[:20]
            # The photos the restored pages show are there, originals' copies and all.
            media = set()
            for path in paths[:: max(1, len(paths) // 40)]:
                media |= set(re.findall(r"/media/[^\"'\s,?<>]+", fetch(restored_url + path)[1]))
            assert media, "no photos on the pages"
            missing = [src for src in sorted(media) if fetch(restored_url + src)[0] != 200]
            assert not missing, missing[:10]
            assert fetch(restored_url + "/admin/login/")[0] == 200


def test_it_restores_a_sqlite_site_taken_while_it_served(demo, tmp_path):
    source = Site(demo.var, env=demo.env)
    round_trip(source, Site(tmp_path / "restored"), tmp_path)


@pytest.fixture
def postgres_databases(postgres_demo, tmp_path):
    """Two throwaway PostgreSQL databases, dropped afterwards: the source, with the demo as
    migrate and load-demo leave it (a clone of postgres_demo, its files in tmp_path/source),
    and an empty one to restore into."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL does not answer at {POSTGRES}: {error}")
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES}: {error}")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            message = f"{tool} is missing (apt-get install postgresql-client)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
    names = [f"dateline_backup_{secrets.token_hex(4)}" for _ in range(2)]
    base = POSTGRES.rsplit("/", 1)[0]
    try:
        postgres_demo.clone(names[0], tmp_path / "source")
        admin.execute(f'CREATE DATABASE "{names[1]}"')
        yield [f"{base}/{name}" for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_it_restores_a_postgresql_site_taken_while_it_served(postgres_databases, tmp_path):
    source = Site(tmp_path / "source", postgres_databases[0])
    round_trip(source, Site(tmp_path / "restored", postgres_databases[1]), tmp_path)


# --- what restore refuses


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    """An archive of a small site (migrated, one photo file), and that site."""
    var = tmp_path_factory.mktemp("small-site")
    site = Site(var)
    site.dateline("migrate", "--noinput")
    (var / "media" / "original_images").mkdir(parents=True)
    (var / "media" / "original_images" / "photo.jpg").write_bytes(b"\xff\xd8 not really")
    out = tmp_path_factory.mktemp("small-backups")
    site.dateline("backup", "--output", str(out))
    (archive,) = out.glob("*.tar")
    return archive, site


def snapshot(folder: Path) -> dict:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith("server-")
    }


def test_it_refuses_to_restore_over_a_site_with_content(small_archive):
    archive, site = small_archive
    before = snapshot(site.var)
    result = site.dateline("restore", str(archive), check=False)
    assert result.returncode != 0
    assert "This site is not empty" in result.stderr
    assert "--force" in result.stderr and "Nothing was changed" in result.stderr
    assert snapshot(site.var) == before
    forced = site.dateline("restore", "--force", str(archive))
    assert "Restored the backup" in forced.stdout


def test_it_refuses_a_damaged_archive_and_changes_nothing(small_archive, tmp_path):
    archive, _ = small_archive
    damaged = tmp_path / archive.name
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = tar.getmember("database.sqlite3")
        data[member.offset_data + member.size // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    fresh = Site(tmp_path / "fresh")
    result = fresh.dateline("restore", str(damaged), check=False)
    assert result.returncode != 0
    assert "is damaged: database.sqlite3 does not match its checksum" in result.stderr
    assert not (fresh.var / "dateline.sqlite3").exists()
    assert not (fresh.var / "media").exists()

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 3])
    result = fresh.dateline("restore", str(truncated), check=False)
    assert result.returncode != 0 and "Nothing was changed" in result.stderr
    assert not (fresh.var / "dateline.sqlite3").exists()


@pytest.mark.parametrize(
    "contents, message",
    [
        ({"notes.txt": b"hello"}, "is not a Dateline backup (it has no manifest)"),
        ({"manifest.json": b'{"format": "other"}'}, "is not a Dateline backup (its manifest"),
        (None, "is not a Dateline backup (not a tar file"),
    ],
)
def test_it_refuses_a_foreign_archive(tmp_path, contents, message):
    archive = tmp_path / "foreign.tar"
    if contents is None:
        archive.write_bytes(b"PK\x03\x04 a zip, not a tar" * 40)
    else:
        with tarfile.open(archive, "w") as tar:
            for name, data in contents.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    fresh = Site(tmp_path / "fresh")
    result = fresh.dateline("restore", str(archive), check=False)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert not (fresh.var / "dateline.sqlite3").exists()


def test_it_refuses_a_member_the_manifest_does_not_list(small_archive, tmp_path):
    archive, _ = small_archive
    sneaky = tmp_path / "sneaky.tar"
    shutil.copy(archive, sneaky)
    with tarfile.open(sneaky, "a") as tar:
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    fresh = Site(tmp_path / "fresh")
    result = fresh.dateline("restore", str(sneaky), check=False)
    assert result.returncode != 0
    assert "which its manifest does not list" in result.stderr
    assert not (tmp_path / "outside.txt").exists() and not (fresh.var / "dateline.sqlite3").exists()


def test_backup_names_a_folder_it_cannot_write_to(small_archive, tmp_path):
    _, site = small_archive
    result = site.dateline("backup", "--output", str(tmp_path / "nowhere"), check=False)
    assert result.returncode != 0
    assert f"{tmp_path / 'nowhere'} is not a folder" in result.stderr
