"""The previous site survives anything: bad data, a failing stage, a kill, a full disk, a blocked folder.

A "previous site" is a copy of the session build with a marker file added, so that any swap, even
to a complete new site of the same data, shows in the hashes. Every test hashes the whole tree
before and after, and lists the folder around it: a failed build leaves nothing beside the site.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ARCHIVE, DATA, FIXTURES, ROOT, on_fixture, run_cli
from test_data_package import BROKEN, PROVENANCE_RULES

from build_scripts import pipeline, render, swap
from build_scripts.__main__ import main
from build_scripts.data.package import load_metadata
from build_scripts.engine import MkDocsProcesses
from build_scripts.pipeline import build_site

MARKER = "PREVIOUS-SITE.txt"


# ----------------------------------------------------------------------------------------- helpers


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file, 'dir' for every folder, the target of every link: the tree as it is."""
    tree = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            tree[key] = "link:" + os.readlink(path)
        elif path.is_dir():
            tree[key] = "dir"
        else:
            tree[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return tree


def around(out: Path) -> list[str]:
    """What lies beside the site (the work folder is elsewhere)."""
    return sorted(os.listdir(out.parent))


def make_previous_site(built_site: Path, out: Path) -> dict[str, str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built_site, out)
    (out / MARKER).write_text("the site before this build\n", encoding="utf-8")
    return tree_hashes(out)


def warm_work(built_site: Path, work: Path) -> Path:
    """A work folder with the session build's chart cache, so that only what a test changes is drawn."""
    cache = built_site.parent / "work" / "cache"
    if cache.is_dir():
        shutil.copytree(cache, work / "cache")
    work.mkdir(parents=True, exist_ok=True)
    return work


def assert_untouched(out: Path, before: dict[str, str], beside: list[str]) -> None:
    after = tree_hashes(out)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"{len(changed)} paths changed, e.g. {changed[:5]}"
    assert around(out) == beside, f"left beside the site: {set(around(out)) ^ set(beside)}"


@pytest.fixture
def previous(tmp_path, built_site):
    """(out, its hashes, what lies beside it, a warm work folder) for one test."""
    out = tmp_path / "published" / "site"
    before = make_previous_site(built_site, out)
    work = warm_work(built_site, tmp_path / "work")
    return out, before, around(out), work


@pytest.fixture
def cli(capsys):
    """The command line run in this process (so that faults can be injected); returns (code, stderr lines)."""
    handler = signal.getsignal(signal.SIGTERM)

    def run(*args) -> tuple[int, list[str]]:
        capsys.readouterr()
        code = main(on_fixture(args))
        return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]

    yield run
    signal.signal(signal.SIGTERM, handler)


def broken_copy(tmp_path: Path, fixture: str, replaces: str) -> Path:
    data = tmp_path / "broken-data"
    shutil.copytree(DATA, data)
    shutil.copy(FIXTURES / fixture, data / f"{replaces}.csv")
    return data


# ------------------------------------------------------------------------ (a) a build that fails


def test_bad_data_leaves_the_previous_site_byte_identical(previous, tmp_path, cli):
    out, before, beside, work = previous
    data = broken_copy(tmp_path, "observations-value-wrong-type.csv", "observations")
    code, errors = cli("build", "--data", data, "--out", out, "--work", work)
    assert code == 1
    assert "[type]" in errors[0] and errors[-1] == "1 problem(s) found; nothing was written."
    assert_untouched(out, before, beside)


def test_failure_after_mkdocs_wrote_the_whole_staging_site_publishes_nothing(previous, monkeypatch):
    out, before, beside, work = previous
    real = MkDocsProcesses.build

    def mkdocs_then_fail(processes, staging):
        real(processes, staging)
        assert (staging / "site" / "index.html").exists()  # a complete site was staged ...
        raise RuntimeError("injected failure at the end of the MkDocs stage")

    monkeypatch.setattr(MkDocsProcesses, "build", mkdocs_then_fail)
    with pytest.raises(RuntimeError, match="injected"):
        build_site(DATA, out, work=work)
    assert_untouched(out, before, beside)  # ... and none of it was published
    assert not (work / "staging").exists()


def test_mkdocs_failing_for_real_leaves_the_previous_site(previous, monkeypatch, cli):
    """MkDocs refuses the configuration (an invalid site_url): exit 1, one closing line, site intact. The
    address is put into MkDocs' own configuration after the build wrote it: a SITE_URL like it is
    refused before any work (test_published_exactly.py)."""
    out, before, beside, work = previous
    write_config = render.write_config

    def with_a_broken_address(*args):
        path = write_config(*args)
        path.write_text(path.read_text(encoding="utf-8") + "\nsite_url: not a url\n", encoding="utf-8")
        return path

    monkeypatch.setattr(render, "write_config", with_a_broken_address)
    code, errors = cli("build", "--out", out, "--work", work)
    assert code == 1
    assert "mkdocs (vi) failed:" in errors or "mkdocs (en) failed:" in errors
    assert errors[-1].startswith("error: the build failed: RuntimeError: mkdocs (")
    assert errors[-1].endswith("(the previous site, if any, is unchanged)")
    assert_untouched(out, before, beside)


@pytest.mark.parametrize("function", ["sync_folder", "write_downloads"], ids=["pages", "downloads"])
def test_failure_in_an_early_or_late_stage_leaves_the_previous_site(previous, monkeypatch, function):
    out, before, beside, work = previous

    def fail(*args, **kwargs):
        raise ValueError(f"injected failure in {function}")

    monkeypatch.setattr(render, function, fail)
    with pytest.raises(ValueError, match="injected"):
        build_site(DATA, out, work=work, run_mkdocs=False)
    assert_untouched(out, before, beside)


def mkdocs_children() -> list[int]:
    """This process's child processes that run MkDocs (engine.MkDocsProcesses starts them with the build)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and swap._parent_of(entry) == os.getpid():
            try:
                if b"build_scripts.mkdocs_run" in (entry / "cmdline").read_bytes():
                    children.append(int(entry.name))
            except OSError:  # ended meanwhile
                pass
    return children


def test_a_build_failing_before_mkdocs_leaves_no_mkdocs_process_waiting(previous, monkeypatch):
    """MkDocs' processes start with the build and wait to be told to build: a build that fails in the
    pages stage, before telling them, stops them."""
    out, before, beside, work = previous
    started = []
    real = MkDocsProcesses.__init__

    def record(processes, work_dir):
        real(processes, work_dir)
        started.extend(process.pid for process in processes.processes.values())
        assert mkdocs_children()  # they run, waiting, while the stages before MkDocs do

    def fail(*args, **kwargs):
        raise ValueError("injected failure in the pages stage")

    monkeypatch.setattr(MkDocsProcesses, "__init__", record)
    monkeypatch.setattr(render, "sync_folder", fail)
    with pytest.raises(ValueError, match="injected"):
        build_site(DATA, out, work=work)
    assert len(started) == 2
    assert not mkdocs_children()
    assert_untouched(out, before, beside)


# ------------------------------------------------------------------------- (b) a build killed -9


KILL_POINTS = [
    # (name, what to wait for before SIGKILL)
    ("staging folder created", lambda work, line: (work / "staging").is_dir()),
    ("charts stage done", lambda work, line: line.startswith("  charts")),
    ("MkDocs writing", lambda work, line: any((work / "staging" / f"site-{lang}").exists() for lang in ("vi", "en"))),
    ("MkDocs done, downloads being written", lambda work, line: line.startswith("  mkdocs")),
]


def kill_build_when(out: Path, work: Path, ready, timeout: float = 120) -> str:
    """Start `python -m build_scripts build`, SIGKILL it (the build process only) when ready(work, line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "build_scripts", "build", "--out", str(out), "--work", str(work)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen, deadline = [""], time.monotonic() + timeout
    try:
        while not any(ready(work, line) for line in seen):
            assert time.monotonic() < deadline, "kill point never reached:\n" + "".join(seen)
            assert process.poll() is None, "the build ended before the kill point:\n" + "".join(seen)
            try:
                seen.append(lines.get(timeout=0.002))
            except queue.Empty:
                pass
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not any(line.startswith("  publish") for line in seen), "killed too late: the build had published"
    return "".join(seen)


def test_a_build_killed_at_any_stage_leaves_the_previous_site_and_the_next_build_succeeds(previous, built_site):
    """Four builds start at once, each with its own work folder, and each is killed at its own point."""
    out, before, beside, work = previous
    works = [warm_work(built_site, work.parent / f"work-{i}") for i in range(len(KILL_POINTS))]
    with ThreadPoolExecutor(max_workers=len(KILL_POINTS)) as pool:
        list(pool.map(lambda point, w: kill_build_when(out, w, point[1]), KILL_POINTS, works))
    assert tree_hashes(out) == before, "a killed build changed the previous site"
    assert around(out) == beside, f"left beside the site: {set(around(out)) ^ set(beside)}"
    # the next build succeeds, in the work folder of the build killed while MkDocs was writing
    # (MkDocs may still be running there: the build waits for it rather than mixing outputs)
    mkdocs_killed = works[[name for name, _ in KILL_POINTS].index("MkDocs writing")]
    result = run_cli("build", "--out", out, "--work", mkdocs_killed)
    assert result.returncode == 0, result.stderr
    assert around(out) == beside
    assert not (mkdocs_killed / "staging").exists()
    # ... and its site is, byte for byte, the site a clean build makes
    clean, rebuilt = tree_hashes(built_site), tree_hashes(out)
    differ = [k for k in clean.keys() | rebuilt.keys() if clean.get(k) != rebuilt.get(k)]
    assert not differ, f"the build after the kills differs from a clean build: {sorted(differ)[:10]}"


def test_a_publish_interrupted_between_its_two_renames_is_repaired_by_the_next_run(previous, tmp_path, cli):
    """Where no atomic exchange exists, the old site sits at .site.old for an instant; a kill then is undone."""
    out, before, beside, work = previous
    os.rename(out, out.parent / f".{out.name}.old")  # the state a kill between the two renames leaves
    data = broken_copy(tmp_path, "observations-duplicate-key.csv", "observations")
    code, _ = cli("build", "--data", data, "--out", out, "--work", work)  # even a failing run repairs it
    assert code == 1
    assert_untouched(out, before, beside)


# --------------------------------------------------------------------------------- the swap itself


def test_a_failing_swap_puts_the_previous_site_back(previous, monkeypatch):
    """Without renameat2 (two renames): the second rename fails, the first is undone."""
    out, before, beside, work = previous
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    real_rename, calls = os.rename, []

    def rename(source, target):
        if out.parent not in (Path(source).parent, Path(target).parent):  # a rename inside the work folder
            return real_rename(source, target)
        calls.append((source, target))
        if len(calls) == 2:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(target))
        real_rename(source, target)

    monkeypatch.setattr(swap.os, "rename", rename)
    with pytest.raises(OSError, match="cross-device"):
        build_site(DATA, out, work=work, run_mkdocs=False)
    assert len(calls) == 3  # out -> .site.old, staging -> out (fails), .site.old -> out
    assert_untouched(out, before, beside)


def test_the_swap_is_one_atomic_exchange_on_linux(previous, monkeypatch):
    out, before, beside, work = previous
    if not swap._exchange(work, work):  # exchanging a folder with itself: a no-op where supported
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    real_rename = os.rename

    def rename(source, target):
        if out.parent in (Path(source).parent, Path(target).parent):
            pytest.fail("two-step rename used")
        real_rename(source, target)  # inside the work folder (the downloads into the staging site)

    monkeypatch.setattr(swap.os, "rename", rename)
    build_site(DATA, out, work=work, run_mkdocs=False)
    assert not (out / MARKER).exists() and (out / "downloads" / "observations.csv").exists()
    assert around(out) == beside


@pytest.fixture
def own_root(tmp_path, monkeypatch):
    """A repository root of our own, so that the root datapackage.json is written there, not in the repo."""
    root = tmp_path / "repo"
    shutil.copytree(DATA, root / "data")
    monkeypatch.setattr(pipeline, "ROOT", root)
    return root


def test_site_and_root_datapackage_change_together_or_not_at_all(previous, own_root, monkeypatch):
    out, _, beside, work = previous
    build_site(own_root / "data", out, work=work, run_mkdocs=False)
    descriptor = own_root / "datapackage.json"
    version = str(load_metadata(own_root / "data")["version"])
    assert f'"version": "{version}"'.encode() in descriptor.read_bytes()
    (out / MARKER).write_text("built\n", encoding="utf-8")
    site_before, descriptor_before = tree_hashes(out), descriptor.read_bytes()
    package = own_root / "data" / "package.yml"
    major, minor, patch = version.split(".")
    newer = f"{major}.{minor}.{int(patch) + 1}"
    bumped = package.read_text(encoding="utf-8").replace(f"version: {version}", f"version: {newer}")
    assert bumped != package.read_text(encoding="utf-8")
    package.write_text(bumped, "utf-8")

    # replacing the descriptor fails right after the swap: the swap is undone
    def replace_fails(source, target):
        raise OSError(errno.EIO, "Input/output error", str(target))

    monkeypatch.setattr(swap.os, "replace", replace_fails)
    with pytest.raises(OSError, match="Input/output"):
        build_site(own_root / "data", out, work=work, run_mkdocs=False)
    assert tree_hashes(out) == site_before and descriptor.read_bytes() == descriptor_before
    assert sorted(os.listdir(own_root)) == ["data", "datapackage.json"]  # no .datapackage.json.tmp left
    assert around(out) == beside

    # a full disk while the descriptor is prepared: nothing changes either
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "ROOT", own_root)
    real_write = Path.write_bytes

    def write_bytes(path, content):
        if path.name == ".datapackage.json.tmp":
            real_write(path, content[: len(content) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, content)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(OSError, match="No space left"):
        build_site(own_root / "data", out, work=work, run_mkdocs=False)
    assert tree_hashes(out) == site_before and descriptor.read_bytes() == descriptor_before
    assert sorted(os.listdir(own_root)) == ["data", "datapackage.json"]

    monkeypatch.setattr(Path, "write_bytes", real_write)
    build_site(own_root / "data", out, work=work, run_mkdocs=False)
    assert f'"version": "{newer}"'.encode() in descriptor.read_bytes() and not (out / MARKER).exists()


# ------------------------------------------------------------------ (5) full disk, blocked folders


def enospc_after(monkeypatch, calls: int, under: Path, suffix: str = "") -> list[Path]:
    """Path.write_bytes fails with ENOSPC from the n-th write under `under` on (half the bytes written)."""
    real_write, written = Path.write_bytes, []

    def write_bytes(path, content):
        if Path(path).is_relative_to(under) and path.name.endswith(suffix):
            written.append(path)
            if len(written) >= calls:
                real_write(path, content[: len(content) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, content)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return written


@pytest.mark.parametrize("calls", [1, 12])
def test_a_full_disk_while_the_downloads_are_written_is_one_clear_error(previous, monkeypatch, cli, calls):
    out, before, beside, work = previous
    shutil.rmtree(work / "cache" / "downloads", ignore_errors=True)  # every download is made afresh
    enospc_after(monkeypatch, calls, work / "staging" / "downloads")  # written beside the rest, in a child process
    code, errors = cli("build", "--out", out, "--work", work, "--no-mkdocs")
    assert code == 2
    assert errors == [  # write() errors carry no file name: the work folder is named
        f"error: cannot write {work}: No space left on device (stage downloads; the previous site, if any, "
        "is unchanged)"
    ]
    assert_untouched(out, before, beside)
    assert not (work / "staging").exists()


def test_a_full_disk_while_pages_are_written_is_one_clear_error(previous, monkeypatch, cli):
    out, before, beside, work = previous
    shutil.rmtree(work / "docs", ignore_errors=True)  # every page is written afresh
    enospc_after(monkeypatch, 5, work / "docs", suffix=".md")
    code, errors = cli("build", "--out", out, "--work", work)
    assert code == 2
    assert errors == [
        f"error: cannot write {work}: No space left on device (stage pages; the previous site, if any, is unchanged)"
    ]
    assert_untouched(out, before, beside)


def test_an_output_folder_under_a_regular_file_fails_before_any_work(tmp_path, cli):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be\n", encoding="utf-8")
    started = time.perf_counter()
    code, errors = cli("build", "--out", blocker / "site", "--work", tmp_path / "work")
    assert code == 2
    assert errors == [
        f"error: cannot write {blocker / 'site'}: {blocker} is a file, not a folder "
        "(the previous site, if any, is unchanged)"
    ]
    assert time.perf_counter() - started < 10  # refused before validating and rendering
    assert sorted(os.listdir(tmp_path)) == ["blocker"]


@pytest.mark.parametrize(
    "error",
    [OSError(errno.EACCES, "Permission denied"), OSError(errno.EROFS, "Read-only file system")],
    ids=["permission", "read-only"],
)
def test_an_output_folder_that_refuses_writes_is_one_clear_error(previous, monkeypatch, cli, error):
    """Root ignores chmod: refuse the writes in the folder itself (mkstemp) as a read-only mount would."""
    out, before, beside, work = previous
    real_mkstemp = swap.tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if Path(dir) == out.parent:
            raise type(error)(error.errno, error.strerror, str(Path(dir) / "probe"))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(swap.tempfile, "mkstemp", mkstemp)
    code, errors = cli("build", "--out", out, "--work", work)
    assert code == 2
    assert errors == [f"error: cannot write {out.parent}: {error.strerror} (the previous site, if any, is unchanged)"]
    assert_untouched(out, before, beside)


def test_a_swap_refused_by_the_file_system_is_one_clear_error(previous, monkeypatch, cli):
    out, before, beside, work = previous

    def refuse(a, b):
        raise PermissionError(errno.EACCES, "Permission denied", str(b))

    monkeypatch.setattr(swap, "_exchange", refuse)
    code, errors = cli("build", "--out", out, "--work", work, "--no-mkdocs")
    assert code == 2
    assert errors == [
        f"error: cannot write {out}: Permission denied (stage publish; the previous site, if any, is unchanged)"
    ]
    assert_untouched(out, before, beside)


def test_a_missing_archive_directory_is_one_clear_error_and_changes_nothing(previous, tmp_path, cli):
    out, before, beside, work = previous
    code, errors = cli("build", "--archive", tmp_path / "no-such-archive", "--out", out, "--work", work)
    assert code == 1
    assert errors == [
        f"{tmp_path / 'no-such-archive'}: [archive-missing] the archive directory does not exist "
        "(pass --archive with the folder of the archived sources)",
        "1 problem(s) found; nothing was written.",
    ]
    assert_untouched(out, before, beside)


def test_a_second_build_in_the_same_work_folder_is_refused(previous, cli):
    out, before, beside, work = previous
    with open(work / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a build holding the work folder
        code, errors = cli("build", "--out", out, "--work", work, "--no-mkdocs")
    assert code == 2
    assert errors == [
        f"error: cannot write {work}: another build is running with the same work folder "
        "(the previous site, if any, is unchanged)"
    ]
    assert_untouched(out, before, beside)


@pytest.mark.parametrize(
    "edit, expected",
    [
        (None, ["/data/package.yml: [file-missing] the file does not exist"]),
        (("^name: .*$", "name: [unclosed"), ["/data/package.yml: line 4: [yaml] not valid YAML"]),
        (("^version: .*$", ""), ["/data/package.yml: line 3, key version: [config-required] the key is missing"]),
        (("^released: .*$", "released: 2026-02-30"), ["/data/package.yml: line 5, key released: [config-date]"]),
        (
            ("^released: .*$", 'released: "soon"'),
            ["package.yml: line 5, key released: [config-date] 'soon' is not a date"],
        ),
    ],
    ids=["missing", "not-yaml", "missing-key", "impossible-date", "not-a-date"],
)
def test_a_broken_package_yml_is_reported_like_any_data_problem(previous, tmp_path, cli, edit, expected):
    out, before, beside, work = previous
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    package = data / "package.yml"
    if edit is None:
        package.unlink()
    else:
        package.write_text(re.sub(edit[0], edit[1], package.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    code, errors = cli("build", "--data", data, "--out", out, "--work", work)
    assert code == 1, errors
    assert all(any(part in line for line in errors) for part in expected), errors
    assert errors[-1] == "1 problem(s) found; nothing was written."
    assert_untouched(out, before, beside)


def test_source_date_epoch_does_not_leak_out_of_a_build(previous, monkeypatch):
    out, _, _, work = previous
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(DATA, out, work=work, run_mkdocs=False)
    assert "SOURCE_DATE_EPOCH" not in os.environ


# ------------------------------------------------------- (6) every malformed input, through `build`


@pytest.fixture(scope="module")
def site_before_broken_builds(tmp_path_factory, built_site):
    base = tmp_path_factory.mktemp("broken-builds")
    out = base / "site"
    return out, make_previous_site(built_site, out), around(out)


@pytest.fixture(scope="module")
def broken_builds(site_before_broken_builds, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every broken fixture through `python -m build_scripts build`, against the same previous site.

    The runs go in parallel (each fails at validation, in about a second); every run has its own
    work folder, and all of them target the one out folder.
    """
    out, _, _ = site_before_broken_builds
    base = tmp_path_factory.mktemp("broken-data")

    def run(case):
        fixture, replaces, expected = case
        data = base / fixture / "data"
        shutil.copytree(DATA, data)
        shutil.copy(FIXTURES / fixture, data / f"{replaces}.csv")
        provenance = any(rule in expected for rule in PROVENANCE_RULES)
        if provenance and not ARCHIVE.is_dir():
            return fixture, None
        options = ["--archive", ARCHIVE] if provenance else []
        return fixture, run_cli("build", "--data", data, "--out", out, "--work", base / fixture / "work", *options)

    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(pool.map(run, BROKEN))


def test_every_malformed_input_case_is_covered():
    assert len(BROKEN) >= 21
    assert all((FIXTURES / fixture).exists() for fixture, _, _ in BROKEN)


@pytest.mark.parametrize("fixture, replaces, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_malformed_input_leaves_the_previous_site_untouched(
    fixture, replaces, expected, broken_builds, site_before_broken_builds
):
    result = broken_builds[fixture]
    if result is None:
        pytest.skip(f"the archive of sources is not at {ARCHIVE}; provenance cannot be checked here")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("problem(s) found; nothing was written.")
    line = next(line for line in result.stderr.splitlines() if f"/{replaces}.csv" in line)
    assert all(part in line for part in expected), line
    assert not re.search(r"^\s+mkdocs\s", result.stdout, re.M), result.stdout  # stopped before MkDocs
    out, before, beside = site_before_broken_builds
    assert_untouched(out, before, beside)


def test_a_build_killed_while_charts_are_drawn_leaves_no_process_behind(tmp_path):
    """The drawing processes die with the build: killed -9, a build left three of them asleep for good,
    100 MB each."""
    out, work = tmp_path / "site", tmp_path / "work"
    kill_build_when(out, work, lambda work, line: line.startswith("  pages"))
    deadline = time.monotonic() + 10
    while True:
        left = subprocess.run(["pgrep", "-f", str(out)], capture_output=True, text=True).stdout.split()
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for pid in left:  # so that a failure here leaves nothing running either
        os.kill(int(pid), signal.SIGKILL)
    assert not left, f"{len(left)} processes of the killed build still running"
