"""What a built site weighs, for GitHub Pages and for its readers; not a test.

For any built site: its total size (apparent bytes of every file, not disk blocks), its largest
file, the count of files and the bytes by part (downloads/, api/, charts/, pagefind/, assets/, the
HTML pages, the rest), checked against GitHub Pages' limits; the HTML per page in each language
(median, 95th percentile, largest); and, with a browser, the search data a phone downloads per
query (bench/search_bytes.py) and Lighthouse (mobile) on the home, an indicator, a place and the
data page (bench/lighthouse.py). bench/benchmark.py calls the same functions for each size.

    .venv/bin/python bench/site_report.py --site DIR [--data DIR] [--lighthouse-runs 1] [--json FILE]

--data is the data the site was built from (the search queries are taken from its indicator
names); without it, search is not measured. --lighthouse-runs 0 skips Lighthouse. The exit status
is 1 when the site breaks a GitHub Pages limit.

GitHub Pages' limits, read strictly, in decimal units: "Published GitHub Pages sites may be no
larger than 1 GB" is taken as 10^9 bytes (not 1 GiB = 1,073,741,824), and GitHub's block of files
larger than 100 MiB (104,857,600 bytes, for files pushed to a repository, so for a site published
from a branch) as 10^8 bytes. A site within both is within either reading. The site's own bytes
are measured, uncompressed: the artifact actions/upload-pages-artifact uploads is a tar of them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"

SITE_LIMIT = 10**9  # bytes: GitHub Pages, "no larger than 1 GB", read as decimal (the stricter)
FILE_LIMIT = 10**8  # bytes: GitHub blocks files over 100 MiB; read as 100 MB decimal (the stricter)
LIMITS_NOTE = (
    "GitHub Pages' limits read strictly, in decimal units: site ≤ 1 GB = 10^9 bytes (1 GiB would be "
    "1,073,741,824), no file > 100 MB = 10^8 bytes (GitHub's repository limit is 100 MiB = 104,857,600); "
    "apparent bytes of the published files, uncompressed"
)
PARTS = ("downloads", "api", "charts", "pagefind", "assets", "pages", "other")
LANG = re.compile(rb"<html[^>]*\blang=[\"']?([A-Za-z-]+)")
MB = 1024 * 1024


# ------------------------------------------------------------------ sizes


def site_files(site: Path) -> list[tuple[str, int]]:
    """(path relative to the site, apparent size in bytes) of every file, sorted by path; symbolic
    links are followed, as the Pages artifact (tar --dereference) follows them."""
    found = []
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            found.append((os.path.relpath(path, site).replace(os.sep, "/"), os.stat(path).st_size))
    return sorted(found)


def languages_of(site: Path) -> list[str]:
    """The site's languages other than its default: top-level folders with their own home page."""
    return sorted(p.parent.name for p in site.glob("*/index.html") if (p.parent / "404.html").is_file())


def part_of(path: str, languages: list[str]) -> str:
    """Which part of the site a file belongs to: downloads, api, charts, pagefind, assets (under a
    language's folder too), pages (any other HTML file) or other (sitemaps, feed, catalogue, ...)."""
    parts = path.split("/")
    if len(parts) > 1 and parts[0] in languages:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in PARTS:
        return parts[0]
    return "pages" if path.endswith(".html") else "other"


def size_report(site: Path, files: list[tuple[str, int]] | None = None) -> dict:
    """Total bytes, largest file, count of files, bytes by part and by top-level folder, and the
    GitHub Pages limits."""
    files = site_files(site) if files is None else files
    languages = languages_of(site)
    by_part = {part: {"files": 0, "bytes": 0} for part in PARTS}
    by_folder: dict[str, dict] = {}
    for path, size in files:
        part = by_part[part_of(path, languages)]
        part["files"] += 1
        part["bytes"] += size
        top = path.split("/")[0] + "/" if "/" in path else "(top-level files)"
        folder = by_folder.setdefault(top, {"files": 0, "bytes": 0})
        folder["files"] += 1
        folder["bytes"] += size
    largest = max(files, key=lambda item: (item[1], item[0]), default=("", 0))
    total = sum(size for _, size in files)
    return {
        "files": len(files),
        "bytes": total,
        "largest_file": largest[0],
        "largest_file_bytes": largest[1],
        "by_part": by_part,
        "by_folder": dict(sorted(by_folder.items(), key=lambda item: -item[1]["bytes"])),
        "files_over_limit": [{"path": p, "bytes": s} for p, s in files if s > FILE_LIMIT],
        "limits": pages_limits(total, largest),
    }


def pages_limits(total: int, largest: tuple[str, int]) -> list[dict]:
    """GitHub Pages' limits, each with what was measured and whether the site is within it."""
    return [
        {
            "what": "published site ≤ 1 GB (GitHub Pages; 10^9 bytes)",
            "limit": SITE_LIMIT,
            "measured": total,
            "shown": f"{total:,} bytes ({total / 2**30:.2f} GiB)",
            "ok": total <= SITE_LIMIT,
        },
        {
            "what": "no file > 100 MB (GitHub; 10^8 bytes)",
            "limit": FILE_LIMIT,
            "measured": largest[1],
            "shown": f"largest {largest[1]:,} bytes (`{largest[0]}`)",
            "ok": largest[1] <= FILE_LIMIT,
        },
    ]


def failed_limits(report: dict) -> list[str]:
    """One line per GitHub Pages limit the site breaks."""
    lines = []
    for limit in report.get("limits", []):
        if not limit["ok"]:
            lines.append(f"{limit['what']}: {limit['shown']} > {limit['limit']:,} bytes")
    over = report.get("files_over_limit", [])
    if len(over) > 1:
        lines.append(f"{len(over)} files over {FILE_LIMIT:,} bytes: " + ", ".join(f"{f['path']}" for f in over))
    return lines


# ------------------------------------------------------------ HTML per page


def page_language(path: Path) -> str:
    with open(path, "rb") as handle:
        match = LANG.search(handle.read(4096))
    return match.group(1).decode() if match else "?"


def html_per_page(site: Path, files: list[tuple[str, int]] | None = None) -> dict:
    """Bytes of the HTML pages in each language (the <html lang>): count, median, 95th percentile
    (nearest rank: a real page's size) and the largest, with its path."""
    files = site_files(site) if files is None else files
    pages: dict[str, list[tuple[int, str]]] = {}
    for path, size in files:
        if path.endswith(".html"):
            pages.setdefault(page_language(site / path), []).append((size, path))
    result = {}
    for language, found in sorted(pages.items()):
        found.sort()
        sizes = [size for size, _ in found]
        result[language] = {
            "pages": len(found),
            "median_bytes": round(statistics.median(sizes)),
            "p95_bytes": sizes[max(0, math.ceil(0.95 * len(sizes)) - 1)],
            "max_bytes": found[-1][0],
            "max_page": found[-1][1],
        }
    return result


# ------------------------------------------------------------- in a browser


def search_report(site: Path, data: Path) -> dict:
    """The search data a phone downloads for each of a few queries (bench/search_bytes.py)."""
    sys.path.insert(0, str(BENCH))
    import search_bytes

    try:
        return search_bytes.measure(site, search_bytes.queries_of(data))
    except Exception as error:  # no chromium, no playwright: say so in the results
        return {"error": f"{type(error).__name__}: {error}"}


def lighthouse_report(site: Path, runs: int) -> dict:
    """Lighthouse (mobile) on the home, an indicator, a place and the data page, served with gzip
    as GitHub Pages serves them (bench/lighthouse.py)."""
    import datetime
    import subprocess

    sys.path.insert(0, str(BENCH))
    import lighthouse

    when = datetime.datetime.now().isoformat(timespec="seconds")
    pages = lighthouse.pages_of(site)
    try:
        return {"when": when, "runs": runs, "paths": pages, "pages": lighthouse.run(site, runs, pages)}
    except (OSError, subprocess.CalledProcessError) as error:  # no npm, no chromium: say so in the results
        return {"when": when, "runs": runs, "paths": pages, "error": f"{type(error).__name__}: {error}"}


# ------------------------------------------------------------------ output


def scores_cell(scores: dict) -> str:
    """performance / accessibility / best practices / SEO, medians."""
    return " / ".join(str(scores[c]["median"]) for c in ("performance", "accessibility", "best-practices", "seo"))


def html_cell(stats: dict) -> str:
    return f"{stats['median_bytes'] / 1024:.1f} / {stats['p95_bytes'] / 1024:.1f} / {stats['max_bytes'] / 1024:.1f}"


def search_cell(found: dict | None) -> str:
    if not found:
        return "not measured"
    if "error" in found:
        return f"not measured ({found['error'][:80]})"
    return f"{found['mean_bytes'] / 1024:.0f} / {found['max_bytes'] / 1024:.0f}"


def markdown(site: Path, report: dict) -> str:
    sizes, html = report["sizes"], report["html"]
    out = [
        f"# {site}\n",
        f"{sizes['files']:,} files, {sizes['bytes']:,} bytes ({sizes['bytes'] / MB:,.1f} MiB, "
        f"{sizes['bytes'] / 2**30:.2f} GiB); largest file `{sizes['largest_file']}` "
        f"{sizes['largest_file_bytes']:,} bytes ({sizes['largest_file_bytes'] / MB:.1f} MiB).\n",
        f"{LIMITS_NOTE}.\n",
        "| GitHub Pages limit | measured | met |",
        "| --- | --- | --- |",
    ]
    out += [f"| {x['what']} | {x['shown']} | {'yes' if x['ok'] else 'no: FAILED'} |" for x in sizes["limits"]]
    out += ["\n| part | files | MiB |", "| --- | --: | --: |"]
    out += [f"| {part} | {v['files']:,} | {v['bytes'] / MB:,.1f} |" for part, v in sizes["by_part"].items()]
    out += ["\n| top-level folder | files | MiB |", "| --- | --: | --: |"]
    out += [f"| {name} | {v['files']:,} | {v['bytes'] / MB:,.1f} |" for name, v in sizes["by_folder"].items()]
    out += [
        "\n| language | HTML pages | median / 95th percentile / max (KB) | largest page |",
        "| --- | --: | --: | --- |",
    ]
    out += [f"| {lang} | {v['pages']:,} | {html_cell(v)} | `{v['max_page']}` |" for lang, v in html.items()]
    if "search" in report:
        out.append(f"\nSearch data per query, mean / largest (KB): {search_cell(report['search'])}.")
        for query, q in report["search"].get("queries", {}).items():
            out.append(f"- `{query}`: {q['bytes'] / 1024:.0f} KB in {q['files']} files, {q['results']} results")
    light = report.get("lighthouse")
    if light:
        out.append(f"\nLighthouse (mobile), median of {light['runs']} run(s), performance / accessibility / best ")
        out[-1] += "practices / SEO:"
        if "error" in light:
            out.append(f"not measured: {light['error']}")
        else:
            for page, scores in light["pages"].items():
                audits = scores.get("audits", {})
                weight = audits.get("total-byte-weight", {}).get("median", 0) / 1024
                lcp = audits.get("largest-contentful-paint", {}).get("median", 0) / 1000
                tbt = audits.get("total-blocking-time", {}).get("median", 0)
                out.append(
                    f"- {page} (`/{light['paths'][page]}`): {scores_cell(scores)}; {weight:.0f} KB transferred, "
                    f"LCP {lcp:.1f} s, TBT {tbt:.0f} ms"
                )
    failed = failed_limits(sizes)
    out += [f"\nFAILED: {line}" for line in failed]
    return "\n".join(out) + "\n"


def report(site: Path, data: Path | None = None, lighthouse_runs: int = 0) -> dict:
    files = site_files(site)
    result = {"sizes": size_report(site, files), "html": html_per_page(site, files)}
    if data is not None:
        result["search"] = search_report(site, data)
    if lighthouse_runs:
        result["lighthouse"] = lighthouse_report(site, lighthouse_runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site)")
    parser.add_argument("--data", type=Path, help="the data it was built from, for the search queries")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="runs per page (median); 0: none")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} has no index.html: not a built site")
    result = report(args.site, args.data, args.lighthouse_runs)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(markdown(args.site, result), end="")
    return 1 if failed_limits(result["sizes"]) else 0


if __name__ == "__main__":
    sys.exit(main())
