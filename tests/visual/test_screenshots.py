"""Visual regression: every public page type in the three editions and the newsroom's pages,
at 1366×900 and 390×844, compared with the baselines in tests/visual/baselines/.

`make visual-baselines` (VISUAL_BASELINES=write) writes the baselines instead of comparing. A
missing baseline is written and the test says so, except under CI=true, where it fails. When a
screenshot differs, the screenshot and a diff image (differing pixels in red) are kept under
var/visual-diffs/ and the failure names them."""

import os
from pathlib import Path

import pytest
from PIL import Image

from . import imagediff
from .conftest import STILL
from .site import EDITIONS, NEWSROOM, PUBLIC, VIEWPORTS, newsroom_shot, public_shot

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
DIFFS = Path(os.environ.get("VISUAL_DIFFS", HERE.parents[1] / "var" / "visual-diffs"))
# A long page is looked at down to this depth: enough for a front's lead, rails and packages.
MAX_HEIGHT = 2500


def shoot(browsing, shot, viewport) -> bytes:
    page, _ = browsing.open(shot, viewport)
    browsing.settle(page)
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    return page.screenshot(
        full_page=True,
        clip={"x": 0, "y": 0, "width": VIEWPORTS[viewport]["width"], "height": height},
        animations="disabled",
        caret="hide",
        style=STILL,
    )


def check(png: bytes, name: str) -> None:
    actual = imagediff.shrink(png)
    baseline_path = BASELINES / f"{name}.png"
    if os.environ.get("VISUAL_BASELINES") == "write":
        imagediff.save(actual, baseline_path)
        return
    if not baseline_path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no baseline {baseline_path}: run `make visual-baselines` and commit it")
        imagediff.save(actual, baseline_path)
        pytest.skip(f"no baseline for {name}: wrote {baseline_path.relative_to(HERE.parents[1])}")
    baseline = Image.open(baseline_path)
    result = imagediff.compare(baseline, actual)
    if not result.matches:
        imagediff.save(actual, DIFFS / f"{name}.actual.png")
        imagediff.save(result.diff, DIFFS / f"{name}.diff.png")
        size = "" if result.same_size else f", and it is {actual.size} where it was {baseline.size}"
        pytest.fail(
            f"{name} differs from its baseline in {result.fraction:.2%} of its pixels "
            f"(allowed {imagediff.ALLOWED_FRACTION:.2%}){size}: see {DIFFS / name}.diff.png "
            f"and {DIFFS / name}.actual.png; if the change is meant, run `make visual-baselines`"
        )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_looks_as_its_baseline(browsing, found, name, edition, viewport):
    shot = public_shot(name, edition, found)
    check(shoot(browsing, shot, viewport), f"{shot.id}-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", NEWSROOM)
def test_newsroom_page_looks_as_its_baseline(browsing, found, name, viewport):
    shot = newsroom_shot(name, found)
    check(shoot(browsing, shot, viewport), f"newsroom-{shot.id}-{viewport}")
