"""Lighthouse (mobile) on the home, an indicator, a place and the data page of a built site; not a test.

The indicator and the place are the real site's (PAGES); on a site without them (a synthetic one)
the largest indicator page and the largest place page are taken. Serves the site on localhost
with gzip, as GitHub Pages serves it, and runs Lighthouse from bench/node_modules (npm install,
pinned in bench/package.json) in Debian's chromium. Writes bench/out/lighthouse.json and prints
the four category scores per page.

    .venv/bin/python bench/lighthouse.py [--site site] [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PAGES = {"home": "", "indicator": "indicators/online-dossier-share/", "place": "places/vn-69/", "data": "data/"}
KINDS = {"indicator": "indicators", "place": "places"}  # where to look for another page of the kind
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Audits kept beside the scores: the bytes do not depend on the machine's load, the times do.
AUDITS = ("total-byte-weight", "largest-contentful-paint", "total-blocking-time", "first-contentful-paint")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser accepts it (as GitHub Pages does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def install_lighthouse() -> Path:
    binary = BENCH / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(BENCH)], check=True)
    return binary


def pages_of(site: Path) -> dict[str, str]:
    """The pages to measure on this site: PAGES where the site has them, else the largest page of
    the kind (an indicator, a place)."""
    pages = {}
    for name, path in PAGES.items():
        if (site / path / "index.html").is_file() or name not in KINDS:
            pages[name] = path
            continue
        found = [p for p in (site / KINDS[name]).glob("*/index.html")]
        if found:
            largest = max(found, key=lambda p: (p.stat().st_size, p.parent.name))
            pages[name] = f"{KINDS[name]}/{largest.parent.name}/"
    return pages


def run(site: Path, runs: int, pages: dict[str, str] | None = None) -> dict:
    binary = install_lighthouse()
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        for name, path in (pages_of(site) if pages is None else pages).items():
            scores = {c: [] for c in CATEGORIES}
            audits = {a: [] for a in AUDITS}
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as folder:
                    report = Path(folder) / "report.json"
                    subprocess.run(
                        [
                            str(binary),
                            base + path,
                            "--quiet",
                            "--output=json",
                            f"--output-path={report}",
                            "--form-factor=mobile",
                            f"--chrome-flags={CHROME_FLAGS}",
                        ],
                        check=True,
                        env={**os.environ, "CHROME_PATH": chromium},
                    )
                    found = json.loads(report.read_text())
                for category in CATEGORIES:
                    scores[category].append(round(100 * found["categories"][category]["score"]))
                for audit in AUDITS:
                    audits[audit].append(round(found["audits"][audit].get("numericValue") or 0))
            results[name] = {c: {"median": statistics.median(v), "runs": v} for c, v in scores.items()}
            results[name]["audits"] = {a: {"median": statistics.median(v), "runs": v} for a, v in audits.items()}
    finally:
        server.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "lighthouse.json")
    args = parser.parse_args()
    results = run(args.site, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print("| page | " + " | ".join(CATEGORIES) + " |\n| --- |" + " --: |" * len(CATEGORIES))
    paths = pages_of(args.site)
    for name, scores in results.items():
        print(f"| {name} (`{paths[name]}`) | " + " | ".join(str(scores[c]["median"]) for c in CATEGORIES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
