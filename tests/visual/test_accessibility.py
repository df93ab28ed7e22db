"""Accessibility and validity of every public page type in the three editions: axe-core finds
no serious or critical violation, and the Nu HTML checker finds no error in the HTML the
server sends. Both tools come from npm (package.json at the repository's root, `make node`);
the checker runs on Java."""

import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from .site import EDITIONS, PUBLIC, public_shot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IMPACTS = ("serious", "critical")


def require(path: Path, command: str = "") -> None:
    """Skip when a tool is missing (fail under CI=true, which must run every gate)."""
    missing = f"{command} is not installed" if command and not shutil.which(command) else ""
    if not missing and not path.exists():
        missing = f"{path.relative_to(ROOT)} is missing (run `make node`)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture(scope="session")
def axe_source():
    require(AXE)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", PUBLIC)
def test_axe_finds_no_serious_violation(browsing, found, axe_source, name, edition):
    shot = public_shot(name, edition, found)
    page, _ = browsing.open(shot)
    # Evaluated through the DevTools protocol rather than a <script> tag, which the site's
    # Content-Security-Policy would refuse; the page is otherwise as a reader gets it.
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(axe_source)
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
    )
    serious = [v for v in results if v["impact"] in IMPACTS]
    report = [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×), e.g. "
        + "; ".join(f"{n['target']} {n['html'][:120]}" for n in v["nodes"][:3])
        for v in serious
    ]
    assert not report, f"axe on {shot.path} ({edition}):\n" + "\n".join(report)


def test_nu_html_checker_finds_no_error(browsing, found, tmp_path):
    require(VNU, "java")
    for edition in EDITIONS:
        for name in PUBLIC:
            shot = public_shot(name, edition, found)
            # The HTML the server sends this reader (cookies and session of the browser page).
            page = browsing.page("desktop", shot.edition, shot.user)
            response = page.context.request.get(browsing.url + shot.path)
            assert response.ok, f"{shot.path} answered {response.status}"
            (tmp_path / f"{shot.id}.html").write_bytes(response.body())
    # One run for every page: the JVM's start is the slow part.
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always"]
        + sorted(str(path) for path in tmp_path.glob("*.html")),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    (tmp_path / "vnu.json").write_text(run.stderr, encoding="utf-8")
    errors = [m for m in json.loads(run.stderr)["messages"] if m["type"] != "info"]
    # One line per kind of error (the message with the values that vary elided), with the pages.
    kinds = defaultdict(list)
    for message in errors:
        kind = re.sub(r"“[^”]*\d[^”]*”", "“…”", message["message"])
        kinds[kind].append(message)
    report = []
    for kind, messages in sorted(kinds.items(), key=lambda item: -len(item[1])):
        pages = sorted({Path(m.get("url", "?")).stem for m in messages})
        example = " ".join(messages[0].get("extract", "").split())[:120]
        report.append(f"{len(messages)}× {kind}\n    on {', '.join(pages)}\n    e.g. {example}")
    assert not report, (
        f"the Nu HTML checker found {len(errors)} errors (all in {tmp_path / 'vnu.json'}):\n"
        + "\n".join(report)
    )
