import pytest


@pytest.fixture(autouse=True)
def _drop_root(settings, tmp_path):
    # The demo's agencies deliver into drop folders under WIRE_DROP_ROOT: each test its own.
    settings.WIRE_DROP_ROOT = tmp_path / "wire"
