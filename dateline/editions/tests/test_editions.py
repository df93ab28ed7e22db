import subprocess
import sys
from pathlib import Path

from dateline.editions.actions import create_edition


def test_the_root_sends_readers_to_english_by_default(client, edition):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert "Accept-Language" in response["Vary"]


def test_the_root_follows_accept_language_to_an_existing_edition(client, edition):
    create_edition("ru", site_name="Тестовые новости", agency="Тестваир", time_zone="Europe/Moscow")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response["Location"] == "/ru/"
    # A language without an edition falls back to English.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/en/"


def test_an_edition_page_speaks_its_language_and_shows_its_identity(client, edition):
    create_edition(
        "ru",
        site_name="Тестовые новости",
        tagline="Новости для тестов",
        agency="Тестваир",
        time_zone="Europe/Moscow",
    )
    html = client.get("/ru/").content.decode()
    assert '<html lang="ru"' in html
    assert "Тестовые новости" in html and "Новости для тестов" in html
    english = client.get("/en/").content.decode()
    assert '<html lang="en"' in english and "The Test Times" in english


def test_times_show_in_the_editions_timezone_and_style(client, make_story):
    import datetime as dt

    story = make_story(
        "Summer Time Story", published_at=dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
    )
    html = client.get(story.url).content.decode()
    # London is an hour ahead of UTC in July; the default style is day-month.
    assert ">1 July 2026, 10:30</time>" in html


def test_creating_an_edition_twice_keeps_the_first(edition):
    again = create_edition("en", site_name="Another Name", agency="Other")
    assert again.pk == edition.pk and again.site_name == "The Test Times"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATELINE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dateline.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_deploy_checks_pass_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATELINE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "news.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dateline"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
