"""Every chart read by tap and keyboard, in headless Chromium on a phone (360x740, touch) and a desktop
(1280x800): the home page's charts answer a tap and the arrow keys as indicator charts do; a tooltip
covers neither the point it describes nor the chart's title; it names its source by title, date and line.

Where a tooltip, a point's mark and the title are is measured on the drawing itself: the chart's SVG is
laid, unseen, exactly over its picture, and its marks and title text are measured there."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from build_scripts.site.i18n import date_text
from tests.conftest import DATA

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
LANGS = {"vi": "", "en": "en/"}


@pytest.fixture(params=list(SIZES))
def phone_or_desktop(browser, request):
    """A page in a phone's viewport, with touch, or in a desktop's, with a mouse."""
    width, height = SIZES[request.param]
    phone = request.param == "phone"
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.tap_or_click = (lambda x, y: page.touchscreen.tap(x, y)) if phone else (lambda x, y: page.mouse.click(x, y))
    yield page
    assert not page.errors
    context.close()


def open_chart(tab, url: str, index: int = 0):
    """The page's index-th chart, in view and drawn, and the points its SVG lists."""
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    figure = tab.locator("figure.chart").nth(index)
    figure.scroll_into_view_if_needed()
    image = figure.locator("img")
    tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    # each [x, y, text, source], as portal.js reads them from the SVG's columns
    points = image.evaluate("i => fetch(i.currentSrc).then(r => r.text()).then(t => chartPoints(t).points)")
    return figure, points


def tap_point(tab, figure, point) -> None:
    box = figure.locator("img").bounding_box()
    tab.tap_or_click(box["x"] + point[0] * box["width"], box["y"] + point[1] * box["height"])


def tip_of(figure):
    tip = figure.locator(".chart-tip")
    tip.wait_for(state="visible")
    return tip


def test_a_home_page_chart_answers_the_arrow_keys_and_a_tap_with_a_points_value(phone_or_desktop, site_url):
    tab = phone_or_desktop
    figure, points = open_chart(tab, site_url)  # results against targets, the first of the overview
    hint = tab.get_attribute('meta[name="portal:chart-hint"]', "content")
    assert figure.get_attribute("tabindex") == "0" and figure.get_attribute("aria-label").endswith(hint)
    assert len(points) == 10  # each of the five results, at its bar's end and on its target's mark
    figure.focus()
    tab.keyboard.press("ArrowDown")  # from the top: the first row's points, left to right
    text = tip_of(figure).inner_text()
    assert "Tỷ trọng doanh thu thương mại điện tử" in text and "Mục tiêu: 7% (2022)" in text, text
    tab.keyboard.press("ArrowDown")
    text = tip_of(figure).inner_text()
    assert "161%" in text and "11,27% (6 tháng đầu năm 2022)" in text, text
    tab.keyboard.press("Escape")
    assert figure.locator(".chart-tip").is_hidden()
    vneid = next(p for p in points if "VNeID" in p[2] and "138,1%" in p[2])
    tap_point(tab, figure, vneid)
    text = tip_of(figure).inner_text()
    assert "138,1%" in text and "trên 55,25 triệu (2024)" in text, text


@pytest.mark.parametrize("index, expected", [(1, "Đã hoàn thành 59 (2022)"), (2, "Việt Nam 79,95 Mbps (2022)")])
def test_the_home_pages_other_charts_answer_a_tap(phone_or_desktop, site_url, index, expected):
    """The stacked bars (each part of a bar) and the grouped bars (each place's bar)."""
    tab = phone_or_desktop
    figure, points = open_chart(tab, site_url, index)
    tap_point(tab, figure, next(p for p in points if expected in p[2]))
    assert expected in tip_of(figure).inner_text()


BOXES = """(figure) => {
    // The chart's SVG laid, unseen, over its picture at the same size; the boxes on the page of the
    // title's lines, of every mark (matplotlib draws each as a <use> of its shape), and of the tooltip.
    const image = figure.querySelector("img"), at = image.getBoundingClientRect();
    return fetch(image.currentSrc).then(r => r.text()).then(text => {
        const holder = document.createElement("div");
        holder.style.cssText = `position:fixed;left:${at.left}px;top:${at.top}px;opacity:0;pointer-events:none`;
        holder.innerHTML = text.slice(text.indexOf("<svg"));
        const svg = holder.querySelector("svg");
        svg.setAttribute("width", at.width);
        svg.setAttribute("height", at.height);
        document.body.appendChild(holder);
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const title = document.querySelector("h1").textContent.replace(/\\s+/g, " ").trim();
        const texts = [...svg.querySelectorAll("text")];
        let lines = [];
        for (let i = 0; i < texts.length && !lines.length; i++) {  // the run of lines that reads as the title
            let run = "";
            for (let j = i; j < texts.length; j++) {
                run = (run + " " + texts[j].textContent).trim();
                if (run === title || run.startsWith(title + " (")) { lines = texts.slice(i, j + 1); break; }
                if (!title.startsWith(run)) break;
            }
        }
        const marks = [...svg.querySelectorAll("g[id^=line2d] use")].map(box);
        const tip = figure.querySelector(".chart-tip");
        const result = {title: lines.map(box), marks, tip: tip.hidden ? null : box(tip), image: box(image)};
        holder.remove();
        return result;
    });
}"""


def overlap(a, b) -> float:
    """The area two boxes (left, top, right, bottom) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def mark_of(marks, image, point):
    """The box of the mark drawn where a point is (the nearest mark's centre to it)."""
    x = image[0] + point[0] * (image[2] - image[0])
    y = image[1] + point[1] * (image[3] - image[1])
    return min(marks, key=lambda m: ((m[0] + m[2]) / 2 - x) ** 2 + ((m[1] + m[3]) / 2 - y) ** 2)


@pytest.mark.parametrize("lang", list(LANGS))
@pytest.mark.parametrize("indicator_id", ["online-dossier-share", "fixed-broadband-speed"])
def test_an_indicator_charts_tooltip_covers_neither_its_point_nor_the_title(
    phone_or_desktop, site_url, indicator_id, lang
):
    """Each point, by the arrow keys and by a tap: the tooltip's box meets neither the box of the
    point's mark nor that of the title; it once opened above the point, over both."""
    tab = phone_or_desktop
    figure, points = open_chart(tab, f"{site_url}{LANGS[lang]}indicators/{indicator_id}/")
    assert points
    figure.focus()
    for _ in points:
        tab.keyboard.press("ArrowRight")  # the next point, then the same point tapped
        shown = next(p for p in points if p[2] in tip_of(figure).inner_text())
        for how in ("key", "tap"):
            if how == "tap":
                tab.keyboard.press("Escape")
                tap_point(tab, figure, shown)
                tip_of(figure)
            boxes = figure.evaluate(BOXES)
            assert boxes["title"] and boxes["marks"] and boxes["tip"], boxes
            mark = mark_of(boxes["marks"], boxes["image"], shown)
            assert overlap(boxes["tip"], mark) == 0, (how, shown, boxes["tip"], mark)
            assert all(overlap(boxes["tip"], line) == 0 for line in boxes["title"]), (how, shown, boxes)


def source_row(indicator_id: str, period: str) -> tuple[dict, dict]:
    """The fixture portal's figure of the Vietnamese portal, and the source that prints it."""
    with open(DATA / "observations.csv", encoding="utf-8") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if (r["indicator_id"], r["geo"], r["period"]) == (indicator_id, "VN", period)
        )
    with open(DATA / "sources.csv", encoding="utf-8") as handle:
        source = next(s for s in csv.DictReader(handle) if s["source_id"] == row["source_id"])
    return row, source


@pytest.mark.parametrize("lang, line_word", [("vi", "dòng"), ("en", "line")])
@pytest.mark.parametrize("period", ["2024", "2024-H1"])
def test_a_tooltip_names_its_sources_title_date_and_line(phone_or_desktop, site_url, lang, line_word, period):
    """Two reports print the share of fully online dossiers, one of them with no printed publisher: the
    tooltip tells them apart by title, date and line, not only by a publisher."""
    tab = phone_or_desktop
    row, source = source_row("online-dossier-share", period)
    figure, points = open_chart(tab, f"{site_url}{LANGS[lang]}indicators/online-dossier-share/")
    value = f"{row['value']}%"
    tap_point(tab, figure, next(p for p in points if p[2].endswith(f": {value}")))
    text = tip_of(figure).inner_text()
    assert source["title"] in text, text
    if source["published"]:
        assert date_text(date.fromisoformat(source["published"]), lang) in text, text
    assert f"{line_word} {row['line']}" in text, text
    assert value in text
