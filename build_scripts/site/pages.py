"""Stage 5: Markdown pages, one set per language, for MkDocs to publish.

Pages live at the same path in both languages (indicators/<id>.md), so the
language switcher can land on the same page. Every string from the data goes
through markdown.text(); links to downloads are relative, so the site works
under any sub-path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

from ..data import schema
from .page_data import _preview_frame, data_overview, resource_page
from .page_home import api_page, home_page, search_page
from .page_indicators import indicator_catalogue, indicator_page, topic_catalogue, topic_members, topic_page
from .page_parts import PageContext
from .page_places import place_catalogue, place_page
from .page_share import share_plan
from .page_sources import session_page, session_timeline, source_catalogue, source_page


def render_pages(ctx: PageContext, handwritten: dict[str, str]) -> dict[str, str]:
    """All generated pages of one language: {relative path: Markdown}."""
    return {path: write() for path, (_, write) in page_plan(ctx, handwritten).items()}


ALL_DATA = ("all", "")  # depends on every observation
ROW_COUNT, COVERAGE = ("rows", ""), ("coverage", "")  # how many observations; their sources, places and span


def page_plan(ctx: PageContext, handwritten: dict[str, str]) -> dict[str, tuple[tuple, Callable[[], str]]]:
    """Every generated page: path -> (what it shows, a function that writes it).

    What a page shows is a tuple of keys: ("indicator", id), ("place", geo), ("source", id),
    ("event", id), ("chart", key), ALL_DATA, ROW_COUNT, COVERAGE, ("with-data", "indicators"), or
    ("text", a hash of what else it shows). A rebuild rewrites a page only when the
    fingerprint of one of them (or of the shared tables and code) changed, so one changed figure
    rewrites its indicator, place and source pages and the few summaries that list them.
    """
    portal = ctx.portal
    overview = tuple(("chart", key) for key in ctx.charts if key.startswith("overview/"))
    members = topic_members(portal, with_empty=True)
    intro = handwritten.get("index.md", "")  # the hand-written introduction the home page takes in
    shown_intro = ("text", hashlib.sha256(intro.encode("utf-8")).hexdigest())
    plan = {"index.md": ((ALL_DATA, shown_intro, *overview), partial(home_page, ctx, intro))}
    listed = tuple(("indicator", i) for ids in members.values() for i in ids)
    plan["search.md"] = ((("text", "search"),), partial(search_page, ctx))
    plan["indicators/index.md"] = ((*listed, *overview), partial(indicator_catalogue, ctx))
    for indicator_id in portal.by_indicator:
        plan[f"indicators/{indicator_id}.md"] = (
            (("indicator", indicator_id), ("chart", f"indicators/{indicator_id}")),
            partial(indicator_page, ctx, indicator_id),
        )
    for topic, ids in members.items():
        if any(i in portal.by_indicator for i in ids):
            plan[topic_page(portal.config, topic)] = (
                tuple(("indicator", i) for i in ids),
                partial(topic_catalogue, ctx, topic),
            )
    plan["places/index.md"] = (tuple(("place", geo) for geo in portal.places), partial(place_catalogue, ctx))
    for geo in portal.places:
        plan[f"places/{geo.lower()}.md"] = ((("place", geo),), partial(place_page, ctx, geo))
    plan["sources/index.md"] = (tuple(("source", s) for s in portal.sources), partial(source_catalogue, ctx))
    for source_id in portal.sources:
        plan[f"sources/{source_id}.md"] = ((("source", source_id),), partial(source_page, ctx, source_id))
    events = portal.config.events
    if events:  # a site without events has no events pages
        plan[f"{events.path}/index.md"] = (tuple(("event", e) for e in portal.events), partial(session_timeline, ctx))
        for event_id in portal.events:
            plan[f"{events.path}/{event_id}.md"] = ((("event", event_id),), partial(session_page, ctx, event_id))
    # the data pages show counts, coverage and a preview, not each figure: a changed figure leaves them be
    plan["data/index.md"] = ((ROW_COUNT, COVERAGE, ("with-data", "indicators")), partial(data_overview, ctx))  # JSON-LD
    plan["api.md"] = ((("with-data", "indicators"),), partial(api_page, ctx))
    preview = ("text", hashlib.sha256(_preview_frame(portal, "observations").to_csv().encode("utf-8")).hexdigest())
    for resource in schema.resources():
        shows = (ROW_COUNT, COVERAGE, preview) if resource.name == "observations" else (COVERAGE,)
        plan[f"data/{resource.name}.md"] = (shows, partial(resource_page, ctx, resource.name))
    plan.update(share_plan(ctx, handwritten))  # embed pages; the About page with the package's citation
    return plan


# ------------------------------------------------------------------- helpers


# ---------------------------------------------------------------------- home


# ---------------------------------------------------------------- indicators


# -------------------------------------------------------------------- places


# ------------------------------------------------------------------- sources


# ------------------------------------------------------------------ sessions


# ---------------------------------------------------------------------- data


# ------------------------------------------------------- citation, JSON-LD, API
