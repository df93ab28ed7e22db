import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def _demo_dirs(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _drop_root(settings, _demo_dirs):
    # The demo's agencies deliver into drop folders under WIRE_DROP_ROOT: these tests' own.
    settings.WIRE_DROP_ROOT = _demo_dirs / "wire"


@pytest.fixture(autouse=True)
def _media_root(settings, _demo_dirs):
    # The photos' files are where loaded_demo's load-demo wrote them.
    settings.MEDIA_ROOT = _demo_dirs / "media"


@pytest.fixture(scope="package")
def loaded_demo(django_db_setup, django_db_blocker, _demo_dirs):
    """Run `load-demo` once for this package's tests, in a transaction rolled back after
    them (each test's own transaction is a savepoint in it); return what it printed.

    Loading draws and files every photo and makes all their copies, minutes on a busy
    machine: the tests look at one load instead of each making its own."""
    output = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_demo_dirs / "media", WIRE_DROP_ROOT=_demo_dirs / "wire"),
        transaction.atomic(),
    ):
        call_command("load-demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
