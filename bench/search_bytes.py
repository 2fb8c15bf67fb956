"""How many bytes of search data a phone downloads for one query, on a built site; not a test.

Serves the site with gzip (bench/lighthouse.py's server, as GitHub Pages serves it), opens its
search page in headless Chromium at 360 px, types each query, and adds up what the responses under
pagefind/ transferred once the results are shown: the entry file, the index chunks, the fragments
and the WebAssembly, not Pagefind's interface script and style (fetched once per visit, the same at
every size).

    .venv/bin/python bench/search_bytes.py [--site site] [QUERY ...]
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from lighthouse import GzipHandler  # noqa: E402

INTERFACE = ("pagefind-ui.js", "pagefind-ui.css")


def queries_of(data: Path, count: int = 3) -> list[str]:
    """Queries a reader of this data would type: the first two words of a few indicator names, and
    the same words without their marks (as typed on a phone)."""
    sys.path.insert(0, str(ROOT))
    from build_scripts.site.search import fold

    with open(data / "indicators.csv", encoding="utf-8", newline="") as handle:
        names = [row["name_vi"] for row in csv.DictReader(handle)]
    step = max(1, len(names) // count)
    chosen = [" ".join(name.split()[:2]) for name in names[::step][:count]]
    return chosen + [fold(query) for query in chosen]


def measure(site: Path, queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    per_query = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
            )
            for query in queries:
                context = browser.new_context(viewport={"width": 360, "height": 740})
                tab = context.new_page()
                tab.goto(base + "search/")
                tab.wait_for_selector("#site-search input")
                requests = []
                tab.on("requestfinished", lambda request, seen=requests: seen.append(request))
                tab.fill("#site-search input", query)
                try:
                    tab.wait_for_selector(".pagefind-ui__result-link, .pagefind-ui__message", timeout=20_000)
                    tab.wait_for_load_state("networkidle")
                except Exception:  # no result: what was fetched still counts
                    pass
                data = [r for r in requests if "/pagefind/" in r.url and not r.url.endswith(INTERFACE)]
                per_query[query] = {
                    "bytes": sum(max(0, r.sizes()["responseBodySize"]) for r in data),
                    "files": len(data),
                    "results": tab.locator(".pagefind-ui__result").count(),
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
    sizes = [q["bytes"] for q in per_query.values()]
    return {"queries": per_query, "max_bytes": max(sizes, default=0), "mean_bytes": round(sum(sizes) / len(sizes))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="where to take the queries from")
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.queries or queries_of(args.data)), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
