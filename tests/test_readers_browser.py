"""What a reader sees on a phone (360x740) and a desktop (1280x800), in headless Chromium: the number
first, nothing wider than the screen, chart text large enough, no label on another, values on tap."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
# An indicator, place, source and session page; what its first listed figure must show.
PAGES = {
    "indicator": (
        "indicators/vneid-activated-accounts/",
        ".latest .figure",
        {"vi": "trên 55,25 triệu", "en": "more than 55.25 million"},
    ),
    "place": ("places/vn-31/", "table.figures td.value strong", {"vi": "100%", "en": "100%"}),
    "source": ("sources/baomoi-vinhphuc-2025-02-session-10/", "table.figures td.value strong", {"vi": "", "en": ""}),
    "session": ("sessions/committee-session-9/", "table.figures td.value strong", {"vi": "", "en": ""}),
}


@pytest.fixture
def sized_tab(browser, request):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


def inside_viewport(tab, selector: str) -> bool:
    return tab.eval_on_selector(
        selector, "e => { const b = e.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth + 0.5; }"
    )


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_each_figure_is_readable_without_scrolling_sideways(sized_tab, site_url, lang, kind):
    tab = sized_tab
    path, value_selector, expected = PAGES[kind]
    tab.goto(site_url + lang + path)
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth"), "the page scrolls sideways"
    value = tab.locator(value_selector).first
    assert inside_viewport(tab, value_selector)
    text = expected["en" if lang else "vi"]
    assert text in value.inner_text()
    # the period and the source line of that figure are on the screen's width too
    container = ".latest li" if kind == "indicator" else "table.figures tbody tr"
    row = tab.locator(container).first
    if kind == "source":  # the page is the source: each figure gives its line
        assert row.locator("td.line").inner_text().isdigit()
    else:
        assert re.search(r"(dòng|line) \d+", row.inner_text())
    assert re.search(r"20\d\d", row.inner_text())
    assert tab.eval_on_selector(container, "e => e.getBoundingClientRect().right <= innerWidth + 0.5")


CHART_PAGES = ["", "indicators/online-dossier-share/", "indicators/fixed-broadband-speed/", "indicators/egdi-rank/"]


@pytest.mark.parametrize("sized_tab", ["phone"], indirect=True)
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_is_at_least_12_px_as_displayed_on_a_phone(sized_tab, site_url, lang, path):
    tab = sized_tab
    tab.goto(site_url + lang + path)
    images = tab.locator("figure.chart img")
    assert images.count() > 0
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        tab.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
        smallest = tab.evaluate(
            r"""async i => {
                const text = await (await fetch(i.currentSrc)).text();
                const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
                const scale = i.clientWidth / svg.viewBox.baseVal.width;
                const sizes = [...svg.querySelectorAll("text")].map(t =>
                    parseFloat(t.getAttribute("font-size") || /font-size:\s*([0-9.]+)/.exec(t.getAttribute("style"))[1])
                );
                return Math.min(...sizes) * scale;
            }""",
            image.element_handle(),
        )
        assert smallest >= 12, (path, index, smallest)


BOXES = "sel => [...document.querySelectorAll(sel)].map(e => Math.round(e.getBoundingClientRect().height))"


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
def test_a_link_to_a_heading_below_charts_not_yet_loaded_lands_on_it(sized_tab, site_url, lang):
    """Charts below the first screen load late: each keeps its drawn size from the start, so the
    page does not grow under the reader (on a phone it once grew by 1,900 px and a link to the
    heading after the charts landed far above it)."""
    tab = sized_tab
    tab.goto(site_url + lang)
    heading = tab.evaluate(  # the first heading after the last chart
        "() => { const charts = document.querySelectorAll('figure.chart'); const last = charts[charts.length - 1];"
        " return [...document.querySelectorAll('h2[id]')].find(h => last.compareDocumentPosition(h) & 4).id; }"
    )
    tab.goto(site_url + lang + "#" + heading)
    waiting = tab.evaluate("() => [...document.querySelectorAll('figure.chart img')].filter(i => !i.complete).length")
    before = tab.evaluate(BOXES, "figure.chart img")
    assert all(before), before  # no chart is an empty box while it waits
    tab.wait_for_load_state("networkidle")
    for image in tab.locator("figure.chart img").all():
        tab.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
    after = tab.evaluate(BOXES, "figure.chart img")
    assert all(abs(a - b) <= 2 for a, b in zip(before, after)), (waiting, before, after)
    top, at_end = tab.eval_on_selector(  # at the top of the screen, unless the page ends before
        f"#{heading}", "h => [h.getBoundingClientRect().top, scrollY + innerHeight >= document.body.scrollHeight - 1]"
    )
    assert 0 <= top < 120 or (at_end and 0 <= top < tab.viewport_size["height"]), (heading, top)


SVGS = [
    "charts/indicators/online-dossier-share",
    "charts/indicators/fixed-broadband-speed",
    "charts/indicators/vneid-activated-accounts",
    "charts/indicators/egdi-rank",
    "charts/overview/results-against-targets",
    "charts/overview/tasks-done-and-in-progress",  # two values in one short bar once ran together
    "charts/overview/broadband-speed-against-world",
]


@pytest.mark.parametrize("variant", ["svg", "narrow.svg"])
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
@pytest.mark.parametrize("chart", SVGS)
def test_no_chart_label_overlaps_another(tab, site_url, lang, chart, variant):
    """Measured by the browser's own text layout (each text's box on the screen, rotation included), not by
    the layout's estimate."""
    tab.goto(f"{site_url}{lang}{chart}.{variant}")
    overlaps = tab.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()]);
            const out = [];
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [a, p] = boxes[i], [b, q] = boxes[j];
                const x = Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x);
                const y = Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y);
                if (x > 1 && y > 1) out.push([a, b]);
            }
            return out;
        }"""
    )
    assert not overlaps


@pytest.mark.parametrize("variant", ["svg", "narrow.svg"])
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
def test_results_against_targets_reads_across_the_width_with_no_text_on_a_target_mark(tab, site_url, lang, variant):
    """Each indicator's row spans the drawing: its name above its bar, the figures under it. On the phone
    drawing the names once took half the width, and the bars were 50 px long; a bar short of its
    target once had its share across the target's line."""
    tab.goto(f"{site_url}{lang}charts/overview/results-against-targets.{variant}")
    found = tab.evaluate(
        """() => {
            const width = document.documentElement.getBoundingClientRect().width;
            const marks = [...document.querySelectorAll("path")]
                .filter(p => /stroke: ?#c2410c/.test(p.getAttribute("style") || ""))
                .map(p => p.getBoundingClientRect()).filter(r => r.height > r.width);  // not the legend's key
            const texts = [...document.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()]);
            const crossing = texts.filter(([, r]) => marks.some(m =>
                r.left < m.left && r.right > m.right && r.top < m.bottom && r.bottom > m.top)).map(([t]) => t);
            const bars = [...document.querySelectorAll("path")]
                .filter(p => /fill: ?#(1d4e89|b45309)/.test(p.getAttribute("style") || ""))
                .map(p => p.getBoundingClientRect()).filter(r => r.width > r.height);
            return {width, marks: marks.length, crossing, longest: Math.max(...bars.map(r => r.width))};
        }"""
    )
    assert found["marks"] == 5, found  # one per indicator
    assert not found["crossing"], found
    assert found["longest"] > 0.5 * found["width"], found


@pytest.mark.parametrize("lang, expected", [("", "dòng 10"), ("en/", "line 10")])
def test_a_points_value_period_and_source_show_on_keys_and_on_tap(tab, site_url, lang, expected):
    tab.goto(site_url + lang + "indicators/online-dossier-share/")
    tab.wait_for_load_state("networkidle")
    figure = tab.locator("figure.chart").first
    figure.focus()
    tab.keyboard.press("ArrowRight")
    tip = tab.locator(".chart-tip").first
    tip.wait_for(state="visible")
    assert "2023" in tip.inner_text() and "18%" in tip.inner_text() and expected in tip.inner_text()
    tab.keyboard.press("Escape")
    box = tab.locator("figure.chart img").first.bounding_box()
    points = tab.evaluate(
        "u => fetch(u).then(r => r.text()).then(t => chartPoints(t).points)",  # portal.js reads its columns
        tab.eval_on_selector("figure.chart img", "i => i.currentSrc"),
    )
    latest = max(points, key=lambda p: p[0])
    tab.mouse.click(box["x"] + latest[0] * box["width"], box["y"] + latest[1] * box["height"])
    tip.wait_for(state="visible")
    assert "45%" in tip.inner_text()
