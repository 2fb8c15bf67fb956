"""Every chart drawing, opened in headless Chromium at its own size, keeps its texts inside the drawing
and apart from each other as the browser lays them out (getBBox of each <text>, with the fonts the SVG
names): the wide drawings in a 1280x800 window, the narrow ones (for phones) in a 360x740 one; for
this portal and for each example project under examples/."""

from __future__ import annotations

import pytest
from chart_boxes import BROWSER_BOXES_JS, CHECKS, browser_drawing, drawing_problems
from conftest import EXAMPLE_NAMES, serve

pytestmark = pytest.mark.browser

WINDOWS = {"wide": (1280, 800), "narrow": (360, 740)}  # the window each width of drawing is opened in


def drawings_of(site, width: str) -> list[str]:
    """The site's chart drawings of one width, as paths under the site."""
    paths = sorted(site.rglob("charts/**/*.svg"))
    return [str(p.relative_to(site)) for p in paths if p.name.endswith(".narrow.svg") == (width == "narrow")]


def browser_problems(browser, site, width: str) -> tuple[dict[str, list[str]], int]:
    """Per check, the problems of every drawing of one width as Chromium lays it out; and how many drawings."""
    window_width, window_height = WINDOWS[width]
    server, url = serve(site)
    context = browser.new_context(viewport={"width": window_width, "height": window_height})
    page = context.new_page()
    found = {check: [] for check in CHECKS}
    drawings = drawings_of(site, width)
    try:
        for path in drawings:
            page.goto(url + path)
            drawing = browser_drawing(page.evaluate(BROWSER_BOXES_JS))
            for check in CHECKS:
                found[check] += drawing_problems(drawing, path, (check,))
    finally:
        context.close()
        server.shutdown()
    return found, len(drawings)


def assert_fits(found: dict[str, list[str]], count: int, portal: str, width: str) -> None:
    failing = {check: len({p.split(": ", 1)[0] for p in problems}) for check, problems in found.items()}
    print(f"{portal}, {width}: of {count} drawings, failing " + ", ".join(f"{c}: {n}" for c, n in failing.items()))
    problems = [p for check in CHECKS for p in found[check]]
    assert count and not problems, f"{portal}, {width} ({failing}):\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("width", list(WINDOWS))
def test_the_portals_chart_texts_stay_inside_and_apart_in_chromium(browser, built_site, width):
    found, count = browser_problems(browser, built_site, width)
    assert_fits(found, count, "portal", width)


@pytest.mark.parametrize("width", list(WINDOWS))
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_examples_chart_texts_stay_inside_and_apart_in_chromium(browser, built_example, name, width):
    found, count = browser_problems(browser, built_example(name), width)
    assert_fits(found, count, name, width)
