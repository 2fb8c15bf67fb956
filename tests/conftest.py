"""Shared fixtures: the repository paths, copies of the data, and one real build of the site.

The generator's tests run on fixture datasets under tests/fixtures/datasets/, never on data/: DATA is
the Vietnamese portal as a fixture (a snapshot of its data folder), and replacing data/ with another
portal's leaves these tests as they are. Tests of this portal's own curated data are in tests/portal/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = FIXTURES / "datasets"
DATA = DATASETS / "vietnam"  # the Vietnamese portal, two languages, a few places, events
PORTAL_DATA = ROOT / "data"  # this portal's curated data: only tests/portal/ reads it
ARCHIVE = ROOT.parent / "shared" / "sources"

from build_scripts.config import load as site_load  # noqa: E402

site_load.use(DATA)  # the configuration the tests' direct calls (formats, schema) read


def on_fixture(args) -> list[str]:
    """The command's arguments, with --data DATA (the fixture portal) where a data command names no data
    folder: the generator's tests never read data/."""
    args = [str(a) for a in args]
    if args and args[0] in ("validate", "build", "release") and not {"--data", "--project"} & set(args):
        args[1:1] = ["--data", str(DATA)]
    return args


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m build_scripts ARGS` as a maintainer would (on the fixture portal, see on_fixture)."""
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", *on_fixture(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/, to break one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def archive() -> Path:
    if not ARCHIVE.is_dir():
        pytest.skip(f"the archive of sources is not at {ARCHIVE}; provenance cannot be checked here")
    return ARCHIVE


def built_once(tmp_path_factory, name: str, build) -> Path:
    """The folder `build(folder)` filled, made once per test session: the first worker to ask builds it
    under a lock, the others (pytest-xdist's workers share their base folder's parent) wait and read
    it. A build that failed is not kept: the next to ask builds again and sees its failure."""
    import fcntl

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    folder, done = shared / f"built-{name}", shared / f"built-{name}.done"
    with open(shared / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once from the real data into a temporary folder (shared by the workers: a
    test that changes a site works on a copy)."""
    from build_scripts.pipeline import build_site

    folder = built_once(tmp_path_factory, "portal", lambda base: build_site(DATA, base / "site", work=base / "work"))
    return folder / "site"


EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(site.parent.parent.name for site in EXAMPLES.glob("*/data/site.yml"))  # by folder


@pytest.fixture(scope="session")
def built_example(tmp_path_factory):
    """name -> the site of the example project examples/<name>, built (as `build --project` builds it, with
    its archive where it has one) the first time a session asks for it; build.output[name]: what the
    build printed."""
    sites: dict[str, Path] = {}

    def run(name: str, out: Path) -> None:
        project = EXAMPLES / name
        archive = ["--archive", project / "archive"] if (project / "archive").is_dir() else []
        # through the installed command, as a reuser runs it (make installs it into the environment)
        odportal = Path(sys.executable).parent / "odportal"
        assert odportal.is_file(), f"{odportal} is not installed: `make test` installs it (pip install -e .)"
        result = subprocess.run(
            [odportal, "build", "--project", project, *archive, "--out", out / "site", "--work", out / "work"],
            cwd=out,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        (out / "output.txt").write_text(result.stdout, encoding="utf-8")

    def build(name: str) -> Path:
        if name not in sites:
            out = built_once(tmp_path_factory, f"example-{name}", lambda folder: run(name, folder))
            sites[name] = out / "site"
            build.output[name] = (out / "output.txt").read_text(encoding="utf-8")
        return sites[name]

    build.output = {}
    return build


def build_variant(base: Path, built_site: Path, replacements: dict[str, str]) -> Path:
    """The site built from a copy of data/ with some files replaced by fixtures (fixture -> the data
    file it replaces), into base/site; its charts reuse the cache of the session build."""
    from build_scripts.pipeline import build_site

    data = base / "data"
    shutil.copytree(DATA, data)
    for fixture, replaces in replacements.items():
        shutil.copy(FIXTURES / fixture, data / replaces)
    cache = built_site.parent / "work" / "cache"
    if cache.is_dir():
        shutil.copytree(cache, base / "work" / "cache")
    build_site(data, base / "site", work=base / "work")
    return base / "site"


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("google-chrome") or ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serve(folder: Path):
    """Serve a folder on a free localhost port in a thread; returns (server, base URL)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.fail("no Chromium found: `make test` installs Debian's chromium (or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    """A fresh page that records every request and console error."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="vi-VN")
    page = context.new_page()
    page.requests = []
    page.console_errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
