import pytest


@pytest.fixture(autouse=True)
def drop_root(settings, tmp_path):
    """Each test's own WIRE_DROP_ROOT, made empty; drop folders go under it."""
    root = tmp_path / "wire-drop"
    root.mkdir()
    settings.WIRE_DROP_ROOT = root
    return root
