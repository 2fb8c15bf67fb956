"""How the build scales: clean build by stage, no-op rebuild, rebuild after one change, memory, output.

    .venv/bin/python bench/benchmark.py [--sizes S,M,L] [--out bench/out] [--timeout 2400]
    make bench [SIZES=S,M]

Sizes: S is the real data in data/ (copied, never touched); M and L are
synthetic sets written by build_scripts/synth.py:

    M   200 indicators x 35 places x 12 periods  ~    84,000 observations
    L 1,000 indicators x 64 places x 20 periods  ~ 1,280,000 observations

Each build runs as `python -m build_scripts build` in a fresh measuring
subprocess (this file with --measure), which timestamps the stage lines the
build prints ("  <stage> <seconds> s"), samples the memory of the build's
whole process tree twice a second (the sum of each process's PSS: forked chart
workers and the downloads process share the build's pages, which a sum of RSS
would count once per process), and reports getrusage(RUSAGE_CHILDREN).ru_maxrss,
the peak RSS of the largest single process of that one build. The build does not
print load and validate (they run quietly inside validate_data): their time is
what lies between the "Building" line and the start of the package stage.

The machine is shared and noisy, so each size runs --repeat times (default 2)
a clean build followed by its floor, and as many one-change builds; the targets
take the best of each kind of run (noise only adds time) and list every run.

The floor is plain MkDocs on the very pages the build generated:
`python -m mkdocs build -f <work>/mkdocs.<lang>.yml --site-dir <scratch>`, both
languages at once as the build runs them.

Builds run from a snapshot of the working tree (<out>/code, copied once at the
start, without .git, .venv and outputs), so that edits made to the repository
while the benchmark runs do not change the code under measurement (a changed
charts.py, for one, would redraw every chart). The snapshot's build_scripts are compiled to
bytecode once, as a maintainer's checkout is after its first build: Python writes __pycache__
unless PYTHONDONTWRITEBYTECODE is set, as it is on some machines (this one), where every build
would otherwise compile the build's 75 modules again (0.27-0.3 s of a 2.2-2.3 s one-change build
at M, measured alternating twice).

After each clean build the published site is weighed (bench/site_report.py): its total (apparent
bytes of every file), its largest file, the count of files, the bytes by part (downloads/, api/,
charts/, pagefind/, assets/, HTML pages, the rest) and by top-level folder, and the HTML per page
of each language (median, 95th percentile, largest). GitHub Pages' limits are read strictly, in
decimal units: the site ≤ 10^9 bytes ("no larger than 1 GB"; 1 GiB would be 1,073,741,824) and no
file > 10^8 bytes (GitHub blocks files over 100 MiB = 104,857,600). A size whose site breaks one
is marked FAILED in the targets, printed as a FAILED line at the end, and the benchmark exits 1
(after writing every result). The search data a phone downloads per query is measured at every
size, Lighthouse (mobile) on the home, an indicator, a place and the data page of the S and L
sites (--lighthouse-sizes; --lighthouse-runs 0 skips it); the L site has no real indicator or
place of S's, so its largest indicator page and largest place page are taken.

Results: <out>/results.md (printed) and <out>/results.json; the results of
sizes not run this time are kept from the previous run.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import site_report  # noqa: E402  (bench/site_report.py: site size, GitHub Pages limits, readers' side)

SIZES = {
    "S": None,  # the real data (of the code snapshot)
    "M": {"indicators": 200, "places": 35, "periods": 12},
    "L": {"indicators": 1000, "places": 64, "periods": 20},
}
STAGES = (
    "startup",
    "load",
    "package",
    "charts",
    "pages",
    "drawing",
    "mkdocs",
    "search",
    "catalog",
    "downloads",
    "publish",
)
SNAPSHOT_SKIP = (
    ".git",
    ".venv",
    "build",
    "site",
    "out",
    ".pytest_cache",
    "__pycache__",
    ".hypothesis",
    ".cache",
    ".site-*",
)
STAGE_LINE = re.compile(r"^\s+(\w+)\s+([\d.]+) s(?:\s+\((.*)\))?$")  # time, then what was redone
SAMPLE_SECONDS = 0.5
MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes to run (default: S,M,L)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work and results folder")
    parser.add_argument(
        "--timeout", type=float, default=2400, help="seconds before one build is stopped (default: 2400)"
    )
    parser.add_argument(
        "--stub-charts",
        action="store_true",
        help="replace chart drawing by a stub in every build (otherwise only after a clean build timed out in charts)",
    )
    parser.add_argument(
        "--code",
        choices=("worktree", "head"),
        default="worktree",
        help="build with a copy of the working tree (default) or of the last commit (git archive HEAD)",
    )
    parser.add_argument(
        "--size-budget",
        type=float,
        default=0,
        help="seconds per size after which its remaining runs (floor, no-op, one change) are skipped; 0: none",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="clean builds (each with its floor) and one-change builds per size; the targets take the best "
        "of each (default: 2)",
    )
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=1,
        help="Lighthouse (mobile) runs per page on the site of each of --lighthouse-sizes after it is built "
        "(median reported); 0: none",
    )
    parser.add_argument("--lighthouse-sizes", default="S,L", help="sizes whose site Lighthouse measures (default: S,L)")
    parser.add_argument("--measure", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:
        return measure(args.measure, args.timeout)

    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results["environment"] = environment(args.code)
    results.setdefault("sizes", {})
    if "lighthouse" in results:  # older results: Lighthouse on the S site only, kept at the top
        old = results.pop("lighthouse")
        if "S" in results["sizes"]:
            results["sizes"]["S"].setdefault("lighthouse", old)
    lighthouse_sizes = {s.strip().upper() for s in args.lighthouse_sizes.split(",") if s.strip()}
    code = snapshot(out / "code", args.code)

    def save() -> None:  # after every run, so that a stopped benchmark keeps what it measured
        results["sizes"] = {s: results["sizes"][s] for s in SIZES if s in results["sizes"]}
        results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        (out / "results.md").write_text(markdown(results), encoding="utf-8")

    for size in sizes:
        print(f"== {size}", flush=True)
        result = results["sizes"][size] = {"size": size, "commit": results["environment"]["commit"]}
        run_size(result, out / size, args.timeout, code, args.stub_charts, args.size_budget, save, args.repeat)
        save()
        if size in lighthouse_sizes and args.lighthouse_runs and result.get("output"):
            result["lighthouse"] = readers_side(out / size / "site", args.lighthouse_runs, size)
            save()
    print()
    print(markdown(results))
    failed = [
        f"FAILED: {size}: {line}"
        for size in sizes
        for line in site_report.failed_limits(results["sizes"].get(size, {}).get("output") or {})
    ]
    built = [size for size in sizes if (results["sizes"].get(size) or {}).get("output")]
    unbuilt = f"; not measured at {', '.join(s for s in sizes if s not in built)} (no site)" if built != sizes else ""
    print("\n".join(failed) or f"GitHub Pages limits: met at {', '.join(built) or 'no size'}{unbuilt}")
    return 1 if failed else 0


def readers_side(site: Path, runs: int, size: str) -> dict:
    """Lighthouse (mobile) on the home, an indicator, a place and the data page of one size's site,
    served with gzip as GitHub Pages serves it (bench/site_report.py, bench/lighthouse.py)."""
    print(f"== Lighthouse (mobile) on the {size} site", flush=True)
    found = site_report.lighthouse_report(site, runs)
    for page, scores in found.get("pages", {}).items():
        print(f"   {page} (/{found['paths'][page]}): {site_report.scores_cell(scores)}", flush=True)
    if "error" in found:
        print(f"   not measured: {found['error']}", flush=True)
    return found


# ---------------------------------------------------------------- one size


def snapshot(target: Path, source: str = "worktree") -> Path:
    """A copy of the code to build with (the repository itself may change meanwhile), its
    build_scripts compiled to bytecode."""
    _remove(target)
    if source == "head":
        import io
        import tarfile

        tar = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
            archive.extractall(target, filter="data")
        return _compiled(target)
    skip = shutil.ignore_patterns(*SNAPSHOT_SKIP)

    anywhere = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis", ".cache")

    def ignore(folder: str, names: list[str]) -> set[str]:
        """The outputs at the top only: build_scripts/site/ is code, and a bare 'site' pattern skipped it."""
        inside = {n for n in names if Path(folder, n).resolve() == target.parent.resolve()}  # the results folder
        top = Path(folder).resolve() == ROOT.resolve()
        return set(skip(folder, names) if top else anywhere(folder, names)) | inside

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return _compiled(target)


def _compiled(code: Path) -> Path:
    """The code's build_scripts compiled to __pycache__, as a first build leaves them (module docstring)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "build_scripts")], check=True)
    return code


def run_size(
    result: dict, folder: Path, timeout: float, code: Path, stub_charts: bool, budget: float, save, repeat: int = 1
) -> dict:
    """Measure one size into result (saved after every run)."""
    from build_scripts.data.synth import write_synthetic

    size = result["size"]
    folder.mkdir(parents=True, exist_ok=True)
    data, site, work = folder / "data", folder / "site", folder / "work"
    result["when"] = datetime.datetime.now().isoformat(timespec="seconds")
    start = time.perf_counter()
    if SIZES[size] is None:
        _remove(data)
        shutil.copytree(code / "data", data)  # the data that goes with the code
        result["shape"] = "real data/"
    else:
        write_synthetic(folder, **SIZES[size])
        shape = SIZES[size]
        result["shape"] = f"{shape['indicators']} × {shape['places']} × {shape['periods']}"
    result["prepare_seconds"] = round(time.perf_counter() - start, 2)
    result["observations"] = _count_rows(data / "observations.csv")
    result["indicators"] = _count_rows(data / "indicators.csv")
    print(
        f"   {result['shape']}: {result['observations']:,} observations, prepared in {result['prepare_seconds']} s",
        flush=True,
    )

    runs = result["runs"] = {}
    stub = stub_charts
    if not stub:
        for path in (site, work):
            _remove(path)
        command = build_command(data, site, work, code)
        result["command"] = " ".join(str(c) for c in command)
        runs["clean"] = run_build("clean", command, timeout, work, code)
        save()
        if not runs["clean"]["ok"]:
            if not (runs["clean"]["timed_out"] and runs["clean"]["stopped_in"] == "charts"):
                return result
            # Drawing every chart takes too long at this size: measure the other stages with the drawing stubbed.
            runs["clean"]["charts_estimate"] = estimate_charts(runs["clean"], result["indicators"])
            stub = True
    suffix = " (charts stubbed)" if stub else ""
    if stub:
        for path in (site, work):
            _remove(path)
        command = build_command(data, site, work, code, stub=True)
        result["command"] = " ".join(str(c) for c in command)
        runs["clean" + suffix] = run_build("clean" + suffix, command, timeout, work, code)
        save()
        if not runs["clean" + suffix]["ok"]:
            return result
    result["charts_stubbed"] = stub
    result["output"] = site_metrics(site, work)
    result["search"] = search_per_query(site, data)
    save()

    def over_budget(what: str) -> bool:
        if budget and time.perf_counter() - start > budget:
            result.setdefault("skipped", []).append(what)
            print(f"   {what}: skipped (over the budget of {budget:.0f} s for {size})", flush=True)
            return True
        return False

    result["floors"] = []
    if not over_budget("floor"):
        result["floors"].append(mkdocs_floor(work, folder / "floor-site", code))
        save()
    if not stub and not over_budget("tool floors"):
        result["tool_floors"] = tool_floors(data, folder, code, timeout)
        save()
    # The machine is shared: another clean build, and its own floor, taken in turn with the first.
    for number in range(2, repeat + 1):
        name = f"clean #{number}{suffix}"
        if over_budget(name):
            break
        for path in (site, work):
            _remove(path)
        runs[name] = run_build(name, command, timeout, work, code)
        save()
        if not runs[name]["ok"] or over_budget(f"floor #{number}"):
            break
        result["floors"].append(mkdocs_floor(work, folder / "floor-site", code))
        save()
    if not over_budget("no-op"):
        runs["no-op" + suffix] = run_build("no-op" + suffix, command, timeout, work, code)
        save()
    result["changed"] = []
    for number in range(1, repeat + 1):
        name = "one change" + (f" #{number}" if number > 1 else "") + suffix
        if over_budget(name):
            break
        result["changed"].append(change_one_value(data))
        runs[name] = run_build(name, command, timeout, work, code)
        save()
    for kind, change in CHANGES.items():
        name = f"change: {kind}{suffix}"
        if over_budget(name):
            break
        result["changed"].append({**change(data), "kind": kind})
        runs[name] = run_build(name, command, timeout, work, code)
        save()
    return result


# Replaces the drawing of a chart's files in the build process (and, by fork, in its chart workers):
# every other step runs, and each variant of each language gets a file.
STUB_DRAWING = (
    "import build_scripts.site.charts\n"
    "from build_scripts.site.chart_style import VARIANTS\n"
    "def stub_drawing(specs):\n"
    '    svg = b\'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"/>\'\n'
    "    return {f'{lang}.{variant}': svg for lang in specs for variant in VARIANTS}\n"
    "build_scripts.site.charts.draw_variants_in_worker = stub_drawing\n"
)


def build_command(data: Path, site: Path, work: Path, code: Path, stub: bool = False) -> list[str]:
    """`python -m build_scripts build` with --work where the command line has it (else build_site(work=))."""
    help_text = subprocess.run(
        [sys.executable, "-m", "build_scripts", "build", "--help"], cwd=code, capture_output=True, text=True
    ).stdout
    if "--work" in help_text:
        arguments = ["build", "--data", str(data), "--out", str(site), "--work", str(work)]
        if not stub:
            return [sys.executable, "-m", "build_scripts", *arguments]
        run = "import sys\nfrom build_scripts.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
        return [sys.executable, "-c", STUB_DRAWING + run, *arguments]
    # The command line has no --work yet: call the same function, so the repository's build/ is left alone.
    run = (
        "import sys; from pathlib import Path; from build_scripts.pipeline import build_site\n"
        "build_site(Path(sys.argv[1]), Path(sys.argv[2]), work=Path(sys.argv[3]))\n"
    )
    return [sys.executable, "-c", (STUB_DRAWING if stub else "") + run, str(data), str(site), str(work)]


def estimate_charts(run: dict, indicators: int) -> dict:
    """From a build stopped while drawing: charts drawn per second, and the whole stage at that rate."""
    before = sum(v for k, v in run["stages"].items() if k != "charts")
    elapsed = max(0.0, run["total"] - before)
    drawn = run["charts_in_cache"]
    expected = 2 * indicators  # one per indicator and language, plus a few overview charts
    rate = drawn / elapsed if elapsed else 0.0
    return {
        "elapsed": round(elapsed, 1),
        "drawn": drawn,
        "expected": expected,
        "seconds_per_chart": round(elapsed / drawn, 2) if drawn else None,
        "stage_estimate": round(expected / rate) if rate else None,
    }


def run_build(name: str, command: list[str], timeout: float, work: Path, code: Path) -> dict:
    load = os.getloadavg()[0]
    print(f"   {name} build (load average {load:.2f}) ...", flush=True)
    measured = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--timeout", str(timeout), "--measure", *command],
        cwd=code,
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(measured.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise RuntimeError(f"the measuring process failed:\n{measured.stdout}\n{measured.stderr}") from None
    run = summarise(report)
    run["load_average_before"] = round(load, 2)
    run["charts_in_cache"] = len(list((work / "cache" / "charts").glob("*.svg")))
    status = "ok" if run["ok"] else ("TIMED OUT in " + run["stopped_in"] if run["timed_out"] else "FAILED")
    stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stages"].items())
    print(f"   {name}: {run['total']:.1f} s ({status}); {stages}; peak {run['maxrss_mb']:.0f} MB", flush=True)
    if not run["ok"] and not run["timed_out"]:
        print(report["output"][-3000:], flush=True)
    return run


def summarise(report: dict) -> dict:
    """Stage times and per-stage peak memory from the timestamped output and RSS samples."""
    lines = report["lines"]
    building = next((t for t, text in lines if text.startswith("Building ")), None)
    stages: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    if building is not None:
        stages["startup"] = building
        spans["startup"] = (0.0, building)
    printed = [(t, m.group(1), float(m.group(2))) for t, text in lines if (m := STAGE_LINE.match(text))]
    if building is not None:
        first_start = printed[0][0] - printed[0][2] if printed else report["wall"]
        if not any(name == "load" for _, name, _ in printed):  # older code: load and validation, unprinted
            stages["load"] = max(0.0, first_start - building)
            spans["load"] = (building, first_start)
    for end, name, seconds in printed:
        stages[name] = seconds
        spans[name] = (end - seconds, end)
    samples = report["samples"]
    memory = {}
    for name, (begin, end) in spans.items():
        inside = [s for s in samples if begin - SAMPLE_SECONDS / 2 <= s[0] <= end + SAMPLE_SECONDS / 2]
        if inside:
            memory[name] = {
                "tree_mb": round(max(s[1] for s in inside) / 1024, 1),
                "main_mb": round(max(s[2] for s in inside) / 1024, 1),
            }
    done = list(stages)
    following = [name for name in STAGES if name not in stages and name != "startup"]
    return {
        "ok": report["returncode"] == 0 and not report["timed_out"],
        "timed_out": report["timed_out"],
        "returncode": report["returncode"],
        "stopped_in": following[0] if report["timed_out"] and following else "",
        "total": round(report["wall"], 2),
        "stages": {k: round(v, 2) for k, v in stages.items()},
        "stages_done": done,
        "redone": {m.group(1): m.group(3) for _, text in lines if (m := STAGE_LINE.match(text)) and m.group(3)},
        "memory_by_stage": memory,
        "maxrss_mb": round(report["maxrss_children_kb"] / 1024, 1),
        "peak_tree_pss_mb": round(max((s[1] for s in report["samples"]), default=0) / 1024, 1),
        "peak_tree_mb": round(max((s[1] for s in samples), default=0) / 1024, 1),
        "output_tail": "\n".join(text for _, text in lines[-12:]),
    }


# ------------------------------------------------------ the measuring process


def measure(command: list[str], timeout: float) -> int:
    """Run one build; print one JSON line: output with timestamps, RSS samples, ru_maxrss of the children."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=os.getcwd(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: list[tuple[float, str]] = []
    samples: list[tuple[float, int, int]] = []
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(SAMPLE_SECONDS):
            tree, main_rss = tree_rss_kb(process.pid)
            samples.append((round(time.perf_counter() - start, 2), tree, main_rss))

    def read() -> None:
        for text in process.stdout:
            lines.append((round(time.perf_counter() - start, 3), text.rstrip("\n")))

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=read, daemon=True)]
    for thread in threads:
        thread.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGTERM)  # the build's own process group: it, MkDocs, chart workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    wall = time.perf_counter() - start
    finished.set()
    threads[1].join(timeout=5)
    report = {
        "returncode": process.returncode,
        "timed_out": timed_out,
        "wall": wall,
        "lines": lines,
        "samples": samples,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "output": "\n".join(text for _, text in lines),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def tree_rss_kb(root: int) -> tuple[int, int]:
    """(memory of the process and all its descendants, RSS of the process itself), in KiB.

    The tree's memory is the sum of each process's PSS (proportional set size): chart workers and
    the downloads process are forked from the build and share its pages until they write them, so
    summing RSS would count those pages once per process.
    """
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, own, todo = 0, 0, [root]
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        if pid == root:
            try:
                with open(f"/proc/{pid}/statm") as handle:
                    own = int(handle.read().split()[1]) * page_kb
            except (OSError, IndexError, ValueError):
                own = 0
        todo.extend(children.get(pid, []))
    return total, own


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


# --------------------------------------------------------------- the floor


def mkdocs_floor(work: Path, scratch: Path, code: Path) -> dict:
    """Plain MkDocs on the generated pages, both languages at once, as the build runs them."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    processes = {}
    start = time.perf_counter()
    for lang in ("vi", "en"):
        target = scratch / lang
        _remove(target)
        processes[lang] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "-f",
                str(work / f"mkdocs.{lang}.yml"),
                "--site-dir",
                str(target),
            ],
            cwd=code,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
    result: dict = {}
    pending = {p.pid: lang for lang, p in processes.items()}
    while pending:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in pending:
            continue
        lang = pending.pop(pid)
        result[lang] = {
            "seconds": round(time.perf_counter() - start, 2),
            "maxrss_mb": round(usage.ru_maxrss / 1024, 1),
            "ok": os.waitstatus_to_exitcode(status) == 0,
        }
        processes[lang].returncode = os.waitstatus_to_exitcode(status)
    result["both_seconds"] = round(time.perf_counter() - start, 2)
    print(
        f"   mkdocs floor: vi {result['vi']['seconds']} s, en {result['en']['seconds']} s, "
        f"both {result['both_seconds']} s",
        flush=True,
    )
    _remove(scratch)
    return result


def tool_floors(data: Path, folder: Path, code: Path, timeout: float) -> dict:
    """bench/floors.py on the size's data, in a process of its own: drawing and downloads against the
    plain tools' time on the same figures and tables, both sides measured in that one run."""
    out = folder / "tool-floors.json"
    out.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            [sys.executable, str(code / "bench" / "floors.py"), "--data", str(data), "--json", str(out)],
            cwd=code,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if done.returncode != 0 or not out.is_file():
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]}
    found = json.loads(out.read_text(encoding="utf-8"))
    drawing, downloads = found["drawing"], found["downloads"]
    print(
        f"   tool floors: drawing {drawing['build_s']} s ÷ {drawing['floor_s']} s = {drawing['ratio']}×; "
        f"downloads {downloads['build_cpu_s']} s ÷ {downloads['floor_cpu_s']} s = {downloads['ratio']}×",
        flush=True,
    )
    return found


# ---------------------------------------------------------- one value changed


def change_one_value(data: Path, where: str = "first") -> dict:
    """Change the first figure that can be changed validly, from the table's start, its middle or its end
    (where: first, middle, last): its printed number and its value, consistently."""
    from build_scripts.config.load import use
    from build_scripts.config.site import current
    from build_scripts.data.numbers import read_figure

    use(data)  # its number formats and share units
    units, languages = {}, {}
    with open(data / "indicators.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            units[row["indicator_id"]] = row["unit"]
    if (data / "sources.csv").exists():  # figures are read in their source's language
        with open(data / "sources.csv", encoding="utf-8", newline="") as handle:
            languages = {row["source_id"]: row.get("language", "") for row in csv.DictReader(handle)}
    path = data / "observations.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    column = {name: i for i, name in enumerate(header)}
    numbered = list(enumerate(records[1:], start=2))
    order = {"first": numbered, "middle": numbered[len(numbered) // 2 :], "last": numbered[::-1]}[where]
    for number, record in order:
        row = dict(zip(header, record))
        if row["is_derived"] == "true":
            continue
        match = re.search(r"\d[\d.,]*\d|\d", row["as_written"])
        if not match:
            continue
        digit = int(match.group()[-1])
        new_token = match.group()[:-1] + str(digit - 1 if digit else 1)
        written = row["as_written"][: match.start()] + new_token + row["as_written"][match.end() :]
        try:
            language = languages.get(row.get("source_id", "")) or current().default_language
            value = read_figure(written, current().number_format(language))
        except ValueError:
            continue
        if value <= 0 or (units.get(row["indicator_id"]) in current().share_units and value > 100):
            continue
        plain = f"{value:f}"
        plain = plain.rstrip("0").rstrip(".") if "." in plain else plain
        record[column["as_written"]], record[column["value"]] = written, plain
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(records)
        key = ", ".join(row[k] for k in ("indicator_id", "geo", "period", "kind"))
        return {"row": number, "key": key, "from": row["as_written"], "to": written}
    raise RuntimeError(f"no observation in {path} could be changed")


def rename_indicator(data: Path) -> dict:
    """The middle indicator's English name, with a word added: every page that names it, and the lists."""
    path = data / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    column = records[0].index("name_en")
    number = 1 + (len(records) - 1) // 2
    before = records[number][column]
    records[number][column] = before + " (renamed)"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    return {"row": number + 1, "key": records[number][0], "from": before, "to": records[number][column]}


def add_row(data: Path) -> dict:
    """A new observation at the end of the table: the last actual figure's, for the year before its
    indicator's, place's and kind's first (no other row has that key)."""
    path = data / "observations.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    column = {name: i for i, name in enumerate(header)}
    last = next(
        r for r in reversed(records[1:]) if r[column["kind"]] == "actual" and r[column["is_derived"]] == "false"
    )
    key = [column[c] for c in ("indicator_id", "geo", "kind")]
    years = [int(r[column["period"]][:4]) for r in records[1:] if [r[i] for i in key] == [last[i] for i in key]]
    added = list(last)
    added[column["period"]] = str(min(years) - 1)
    records.append(added)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    return {"row": len(records), "key": ", ".join(added[i] for i in key), "from": "", "to": added[column["period"]]}


# One change anywhere (issue 34): each is made after the one before, and built in the same folders.
CHANGES = {
    "a middle row's value": partial(change_one_value, where="middle"),
    "the last row's value": partial(change_one_value, where="last"),
    "an indicator's name": rename_indicator,
    "a new row": add_row,
}


# ------------------------------------------------------------------ output


def search_per_query(site: Path, data: Path) -> dict:
    """The search data a phone downloads for each of a few queries (bench/search_bytes.py)."""
    found = site_report.search_report(site, data)
    print(f"   search data per query, mean / largest (KB): {site_report.search_cell(found)}", flush=True)
    return found


SEARCH_QUERY_BUDGET = 300 * 1024  # bytes of search data per query, at every size


def site_metrics(site: Path, work: Path) -> dict:
    """The published site: files, bytes (apparent), largest file, bytes by part and by top-level
    folder, GitHub Pages' limits, HTML per page by language (bench/site_report.py); pages, charts,
    search index, downloads and the generated Markdown."""
    files = site_report.site_files(site)
    sizes = site_report.size_report(site, files)
    html = [(size, path) for path, size in files if path.endswith(".html")]
    charts = [(size, path) for path, size in files if "charts" in path.split("/")[:-1]]
    markdown_files = list((work / "docs").rglob("*.md"))
    biggest_html = max(html, default=(0, "."))
    biggest_chart = max(charts, default=(0, "."))
    metrics = {
        "files": sizes["files"],
        "bytes": sizes["bytes"],
        "largest_file": sizes["largest_file"],
        "largest_file_bytes": sizes["largest_file_bytes"],
        "by_part": sizes["by_part"],
        "by_folder": sizes["by_folder"],
        "limits": sizes["limits"],
        "files_over_limit": sizes["files_over_limit"],
        "html_pages": len(html),
        "html_bytes": sum(size for size, _ in html),
        "html_avg_bytes": round(sum(size for size, _ in html) / len(html)) if html else 0,
        "html_max_bytes": biggest_html[0],
        "html_max_page": biggest_html[1],
        "html_by_language": site_report.html_per_page(site, files),
        "charts": len(charts),
        "chart_bytes": sum(size for size, _ in charts),
        "chart_max_bytes": biggest_chart[0],
        "chart_max_file": biggest_chart[1],
        "search_index_bytes": sizes["by_part"]["pagefind"]["bytes"],
        "downloads_bytes": sizes["by_part"]["downloads"]["bytes"],
        "markdown_pages": len(markdown_files),
        "markdown_bytes": sum(p.stat().st_size for p in markdown_files),
    }
    print(
        f"   site: {metrics['files']:,} files, {metrics['bytes']:,} bytes; largest file "
        f"{metrics['largest_file']} {metrics['largest_file_bytes']:,} bytes"
        + "".join(f"; FAILED: {line}" for line in site_report.failed_limits(sizes)),
        flush=True,
    )
    return metrics


def stage_order(sizes: dict) -> list[str]:
    """The usual stages, and any other the build prints, in the order it prints them."""
    order = list(STAGES)
    for r in sizes.values():
        for run in r.get("runs", {}).values():
            previous = None
            for name in run["stages"]:
                if name not in order:
                    order.insert(order.index(previous) + 1 if previous in order else len(order), name)
                previous = name
    return order


def markdown(results: dict) -> str:
    sizes = results.get("sizes", {})
    stages = stage_order(sizes)
    env = results.get("environment", {})
    dirty = " + uncommitted changes" if env.get("dirty") else ""
    dirty = f" ({'working tree' if env.get('code', 'worktree') == 'worktree' else 'last commit'}{dirty})"
    out = [
        "# Build benchmark\n",
        f"{env.get('when', '')} · commit {env.get('commit', '?')}{dirty} · {env.get('cpus', '?')} CPUs · "
        f"Python {env.get('python', '?')}\n",
        "Each size was measured in one run: "
        + "; ".join(f"{size} at {r.get('when', '?')} on {r.get('commit', '?')}" for size, r in sizes.items())
        + ".\n",
        "## Build time by stage (seconds)\n",
        "load: reading the CSV files; validation runs in a process beside the package stage (code older than "
        "that validated before packaging: load is then load and validation, inferred). Peak RSS: ru_maxrss of "
        "the largest process of the build (RUSAGE_CHILDREN).\n",
        "| size | observations | run | total | " + " | ".join(stages) + " | peak RSS (MB) |",
        "| --- | --: | --- | --: | " + " | ".join("--:" for _ in stages) + " | --: |",
    ]
    for size, r in sizes.items():
        for name, run in r.get("runs", {}).items():
            status = "" if run["ok"] else (f" (stopped in {run['stopped_in']})" if run["timed_out"] else " (FAILED)")
            cells = [_seconds(run["stages"].get(stage)) for stage in stages]
            out.append(
                f"| {size} | {r['observations']:,} | {name} | {run['total']:.1f}{status} | "
                + " | ".join(cells)
                + f" | {run['maxrss_mb']:.0f} |"
            )
    out += [
        "\n## Memory by stage, clean build (peak MB: PSS of the whole process tree / RSS of the build process)\n",
        "| size | " + " | ".join(stages) + " |",
        "| --- | " + " | ".join("--:" for _ in stages) + " |",
    ]
    for size, r in sizes.items():
        run = r.get("runs", {}).get("clean")
        if run:
            memory = run["memory_by_stage"]
            cells = [f"{memory[s]['tree_mb']:.0f} / {memory[s]['main_mb']:.0f}" if s in memory else "" for s in stages]
            out.append(f"| {size} | " + " | ".join(cells) + " |")
    out += [
        "\n## Output\n",
        "| size | files | site (MB) | HTML pages | HTML avg (KB) | HTML max (KB) | largest page | charts | "
        "largest chart | search index, all chunks (MB) | downloads (MB) | Markdown (MB) |",
        "| --- | --: | --: | --: | --: | --: | --- | --: | --- | --: | --: | --: |",
    ]
    for size, r in sizes.items():
        o = r.get("output")
        if o:
            out.append(
                f"| {size} | {o['files']:,} | {o['bytes'] / MB:.1f} | {o['html_pages']:,} | "
                f"{o['html_avg_bytes'] / 1024:.1f} | {o['html_max_bytes'] / 1024:.1f} | `{o['html_max_page']}` | "
                f"{o['charts']:,} | {o['chart_max_bytes'] / 1024:.1f} KB `{o['chart_max_file']}` | "
                f"{o['search_index_bytes'] / MB:.1f} | {o['downloads_bytes'] / MB:.1f} | "
                f"{o['markdown_bytes'] / MB:.1f} |"
            )
    out += published_table(sizes)
    out += readers_table(sizes)
    out += [
        "\n## Readers' side: search data per query (Pagefind, at 360 px, transferred bytes; target ≤ 300 KB)\n",
        "| size | queries | mean (KB) | largest (KB) | largest query | met |",
        "| --- | --: | --: | --: | --- | --- |",
    ]
    for size, r in sizes.items():
        found = r.get("search")
        if not found:
            continue
        if "error" in found:
            out.append(f"| {size} | not measured: {found['error']} | | | | |")
            continue
        worst = max(found["queries"].items(), key=lambda item: item[1]["bytes"])
        met = "yes" if found["max_bytes"] <= SEARCH_QUERY_BUDGET else "no"
        out.append(
            f"| {size} | {len(found['queries'])} | {found['mean_bytes'] / 1024:.0f} | "
            f"{found['max_bytes'] / 1024:.0f} | `{worst[0]}` | {met} |"
        )
    out += [
        "\n## Against plain MkDocs on the same pages (the floor)\n",
        "Each clean build and the plain MkDocs build of its pages right after it.\n",
        "| size, run | clean build (s) | mkdocs stage in build (s) | plain mkdocs vi (s) | plain mkdocs en (s) | "
        "both at once (s) | plain mkdocs peak RSS (MB) | build ÷ floor |",
        "| --- | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for size, r in sizes.items():
        for (name, run), floor in zip(repeated(r.get("runs", {}), "clean"), floors_of(r)):
            peak = max(floor["vi"]["maxrss_mb"], floor["en"]["maxrss_mb"])
            out.append(
                f"| {size} {name} | {run['total']:.1f} | {_seconds(run['stages'].get('mkdocs'))} | "
                f"{floor['vi']['seconds']:.1f} | {floor['en']['seconds']:.1f} | {floor['both_seconds']:.1f} | "
                f"{peak:.0f} | {run['total'] / floor['both_seconds']:.2f}× |"
            )
    out += stage_floor_table(sizes)
    out += targets(sizes)
    for size, r in sizes.items():
        older = results.get("lighthouse") if size == "S" else None  # older results kept it at the top
        out += lighthouse_table(size, r.get("lighthouse") or older, r.get("charts_stubbed"))
    changed = [(s, c) for s, r in sizes.items() for c in _as_list(r.get("changed"))]
    if changed:
        out.append(
            "\nOne change (each one-change build changes one more): "
            + "; ".join(f"{s}: row {c['row']} ({c['key']}) '{c['from']}' → '{c['to']}'" for s, c in changed)
            + "."
        )
    redone = [
        f"{size} {name}: " + "; ".join(f"{stage} {what}" for stage, what in run["redone"].items())
        for size, r in sizes.items()
        for name, run in r.get("runs", {}).items()
        if run.get("redone")
    ]
    if redone:
        out.append("\nWhat each build redid (as the build printed it):\n\n" + "\n".join(f"- {x}" for x in redone))
    for size, r in sizes.items():
        run = r.get("runs", {}).get("clean")
        if run and not run["ok"]:
            out.append(
                f"\n{size}: the clean build was stopped after {run['total']:.0f} s in stage {run['stopped_in'] or '?'}"
                f" ({run['charts_in_cache']} chart drawings in the cache)."
            )
            estimate = run.get("charts_estimate")
            if estimate and estimate["drawn"]:
                out.append(
                    f"At {estimate['seconds_per_chart']} s per chart ({estimate['drawn']} drawn in "
                    f"{estimate['elapsed']:.0f} s), drawing all {estimate['expected']:,} indicator charts would take "
                    f"about {estimate['stage_estimate']:,} s."
                )
        if r.get("skipped"):
            out.append(f"\n{size}: skipped after its time budget: {', '.join(r['skipped'])}.")
        if r.get("charts_stubbed"):
            out.append(
                f"\n{size}: runs marked '(charts stubbed)' replace chart drawing by a stub that returns a tiny "
                "SVG; all else (specs, cache, pages, MkDocs, downloads) runs as usual. Chart sizes in "
                "the output table are the stubs'."
            )
    return "\n".join(out) + "\n"


OURS_STAGES = ("load", "package", "charts", "pages", "catalog", "search")  # what is ours beside the tools
STAGE_TARGETS = {"drawing": 1.5, "downloads": 1.5, "mkdocs": 1.2, "ours": 0.5}  # issue 34, at M and L


NOOP_SHARE, CHANGE_SHARE = 0.02, 0.10  # issue 34: a no-op, and one change anywhere, of the clean build


def stage_floor_table(sizes: dict) -> list[str]:
    """Each stage against its own floor: drawing and downloads against the plain tools on the same figures
    and tables (floors.py, CPU seconds, both sides in one process's run); MkDocs in the build, and the rest
    that is ours (OURS_STAGES, wall seconds of the best clean build), against plain MkDocs on the same pages."""
    rows = []
    for size, r in sizes.items():
        cleans = [run for _, run in repeated(r.get("runs", {}), "clean") if run["ok"]]
        floors = floors_of(r)
        tools = r.get("tool_floors") or {}
        if "drawing" in tools:
            d = tools["drawing"]
            detail = f"savefig {d['savefig_s']} + PNG {d['png_s']}; {d['charts']} charts, {d['files']} files"
            rows.append((size, "drawing (CPU s)", d["build_s"], d["floor_s"], d["ratio"], "drawing", detail))
        if "downloads" in tools:
            d = tools["downloads"]
            plain = ", ".join(f"{k} {v}" for k, v in d["plain_cpu_s"].items())
            detail = f"plain: {plain}; ours: {d['files']} files, {d['bytes'] / MB:.0f} MB"
            rows.append(
                (size, "downloads (CPU s)", d["build_cpu_s"], d["floor_cpu_s"], d["ratio"], "downloads", detail)
            )
        if cleans and floors:
            clean = min(cleans, key=lambda run: run["total"])
            plain = min(f["both_seconds"] for f in floors)
            mkdocs = clean["stages"].get("mkdocs")
            if mkdocs:
                rows.append((size, "MkDocs (s)", mkdocs, plain, round(mkdocs / plain, 2), "mkdocs", "plain MkDocs"))
            ours = sum(clean["stages"].get(stage, 0) for stage in OURS_STAGES)
            detail = " + ".join(f"{stage} {clean['stages'].get(stage, 0):.1f}" for stage in OURS_STAGES)
            rows.append((size, "the rest, ours (s)", round(ours, 2), plain, round(ours / plain, 2), "ours", detail))
    if not rows:
        return []
    out = [
        "\n## Each stage against its floor\n",
        "drawing: every chart drawn in one process, against matplotlib's own savefig and resvg's PNG inside it; "
        "downloads: the build's writers against pyarrow's CSV and Parquet writers and sqlite3's executemany on "
        "the same tables (bench/floors.py); MkDocs and the rest that is ours (" + ", ".join(OURS_STAGES) + "): "
        "the best clean build's stages against plain MkDocs on its pages. Targets at M and L.\n",
        "| size | stage | ours | floor | ratio | target | met | how |",
        "| --- | --- | --: | --: | --: | --: | --- | --- |",
    ]
    for size, name, ours, floor, ratio, kind, detail in rows:
        target = STAGE_TARGETS[kind]
        met = "" if ratio is None else ("yes" if ratio <= target else "no")
        out.append(f"| {size} | {name} | {ours:.2f} | {floor:.2f} | {ratio}× | ≤ {target}× | {met} | {detail} |")
    return out


def published_table(sizes: dict) -> list[str]:
    """The published site of each size: total, largest file, files, bytes by part, GitHub Pages' limits."""
    rows = [(size, r["output"]) for size, r in sizes.items() if (r.get("output") or {}).get("by_part")]
    if not rows:
        return []
    parts = site_report.PARTS
    out = [
        "\n## Published site: size and GitHub Pages limits\n",
        f"{site_report.LIMITS_NOTE}. Parts: the folder of that name at the top or under a language's folder; "
        "pages: every other HTML file; other: sitemaps, feed, catalogue and the like. The bytes of every "
        "top-level folder are in results.json (by_folder).\n",
        "| size | files | total (bytes) | total (GiB) | largest file | largest (bytes) | site ≤ 1 GB | "
        "no file > 100 MB | " + " | ".join(f"{part} (MiB)" for part in parts) + " |",
        "| --- | --: | --: | --: | --- | --: | --- | --- | " + " | ".join("--:" for _ in parts) + " |",
    ]
    for size, o in rows:
        met = ["yes" if limit["ok"] else "**no: FAILED**" for limit in o["limits"]]
        out.append(
            f"| {size} | {o['files']:,} | {o['bytes']:,} | {o['bytes'] / 2**30:.2f} | `{o['largest_file']}` | "
            f"{o['largest_file_bytes']:,} | {met[0]} | {met[1]} | "
            + " | ".join(f"{o['by_part'][part]['bytes'] / MB:,.1f}" for part in parts)
            + " |"
        )
    for size, o in rows:
        out += [f"\nFAILED: {size}: {line}" for line in site_report.failed_limits(o)]
    return out


def readers_table(sizes: dict) -> list[str]:
    """What a reader's phone gets at each size (S and L above all): search data per query, HTML per
    page by language, Lighthouse scores."""
    rows = [(size, r) for size, r in sizes.items() if (r.get("output") or {}).get("html_by_language")]
    if not rows:
        return []
    languages = sorted({lang for _, r in rows for lang in r["output"]["html_by_language"]})
    pages = list(dict.fromkeys(page for _, r in rows for page in (r.get("lighthouse") or {}).get("pages", {})))
    out = [
        "\n## Readers' side by size\n",
        "Search: the Pagefind data a phone downloads per query, mean / largest (KB, transferred, gzip). HTML: "
        "bytes of the HTML pages of each language (`<html lang>`), median / 95th percentile (nearest rank) / "
        "max (KB, uncompressed). Lighthouse (mobile, median of the runs): performance / accessibility / best "
        "practices / SEO; the pages measured are listed under each size's Lighthouse table.\n",
        "| size | search per query (KB) | "
        + " | ".join(f"HTML {lang} (KB)" for lang in languages)
        + "".join(f" | Lighthouse {page}" for page in pages)
        + " |",
        "| --- | --: | " + " | ".join("--:" for _ in languages) + "".join(" | --:" for _ in pages) + " |",
    ]
    for size, r in rows:
        html = r["output"]["html_by_language"]
        light = r.get("lighthouse") or {}
        cells = [site_report.html_cell(html[lang]) if lang in html else "" for lang in languages]
        scores = light.get("pages", {})
        cells += [site_report.scores_cell(scores[page]) if page in scores else "not measured" for page in pages]
        out.append(f"| {size} | {site_report.search_cell(r.get('search'))} | " + " | ".join(cells) + " |")
    return out


def lighthouse_table(size: str, result: dict | None, stubbed: bool = False) -> list[str]:
    if not result:
        return []
    out = [
        f"\n## Readers' side: Lighthouse (mobile), {size} site, median of {result['runs']} run(s), {result['when']}\n"
    ]
    if stubbed:
        out.append("The charts of this site are stubs (see below): its pages are lighter than they would be.\n")
    if "error" in result:
        return out + [f"Not measured: {result['error']}"]
    out += [
        "| page | path | performance (≥ 95) | accessibility (100) | best practices (100) | SEO (100) | met | "
        "transferred (KB) | LCP (s) | TBT (ms) |",
        "| --- | --- | --: | --: | --: | --: | --- | --: | --: | --: |",
    ]
    paths = result.get("paths", lighthouse_pages())
    for page, scores in result["pages"].items():
        median = {category: scores[category]["median"] for category in scores if category != "audits"}
        met = median["performance"] >= 95 and all(median[c] == 100 for c in ("accessibility", "best-practices", "seo"))
        out.append(
            f"| {page} | `/{paths.get(page, '?')}` | {median['performance']} | {median['accessibility']} | "
            f"{median['best-practices']} | {median['seo']} | {'yes' if met else 'no'} | {_audits(scores)} |"
        )
    return out


def _audits(scores: dict) -> str:
    """Bytes transferred, largest contentful paint and total blocking time, medians (older results: none)."""
    audits = scores.get("audits")
    if not audits:
        return " | | "
    return (
        f"{audits['total-byte-weight']['median'] / 1024:.0f} | "
        f"{audits['largest-contentful-paint']['median'] / 1000:.1f} | {audits['total-blocking-time']['median']:.0f}"
    )


def lighthouse_pages() -> dict:
    """The pages older results measured (they did not record their paths)."""
    import lighthouse

    return lighthouse.PAGES


GENERATION_STAGES = ("charts", "pages", "drawing")  # what a change must redo only in part


def repeated(runs: dict, kind: str) -> list[tuple[str, dict]]:
    """The runs of one kind ("clean", "one change"), in order: the first, then "#2", "#3"..."""
    return [(name, run) for name, run in runs.items() if name == kind or name.startswith(f"{kind} #")]


def floors_of(result: dict) -> list[dict]:
    return result.get("floors") or ([result["floor"]] if result.get("floor") else [])  # older results: one floor


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def targets(sizes: dict) -> list[str]:
    """The issue's targets, each computed from runs of this benchmark (never from another run). Where a
    run was repeated, the best of the repeats is taken (noise on a shared machine only adds time), and
    every repeat is shown."""
    rows = []
    for size, r in sizes.items():
        runs, o = r.get("runs", {}), r.get("output") or {}
        cleans = [run for _, run in repeated(runs, "clean") if run["ok"]]
        changes = [run for _, run in repeated(runs, "one change") if run["ok"]]
        floors = floors_of(r)
        clean = min(cleans, key=lambda run: run["total"]) if cleans else runs.get("clean")
        if cleans and floors:  # issue 16's 1.5x is withdrawn (issue 34): each stage has its own floor
            ratio = clean["total"] / min(f["both_seconds"] for f in floors)
            pairs = ", ".join(f"{c['total'] / f['both_seconds']:.2f}×" for c, f in zip(cleans, floors))
            rows.append((size, "clean build ÷ plain MkDocs", f"{ratio:.2f}× (best of each; each pair: {pairs})", None))
        if cleans and changes:
            before = [sum(run["stages"].get(x, 0) for x in GENERATION_STAGES) for run in cleans]
            after = [sum(run["stages"].get(x, 0) for x in GENERATION_STAGES) for run in changes]
            if min(before):
                share = min(after) / min(before)
                each = "one change " + ", ".join(f"{a:.2f}" for a in after)
                each += " s; clean " + ", ".join(f"{b:.2f}" for b in before) + " s"
                rows.append(
                    (
                        size,
                        "one change: charts + pages + drawing ÷ clean (≤ 10 %)",
                        f"{share:.1%} (best of each; {each})",
                        share <= 0.10,
                    )
                )
        noops = [run for _, run in repeated(runs, "no-op") if run["ok"]]
        kinds = [("no-op", NOOP_SHARE, noops), ("one change", CHANGE_SHARE, changes)]
        kinds += [
            (f"change: {kind}", CHANGE_SHARE, [run for _, run in repeated(runs, f"change: {kind}") if run["ok"]])
            for kind in CHANGES
        ]
        for kind, limit, these in kinds:
            if cleans and these:  # the whole build, every stage, against the best clean build
                share = min(run["total"] for run in these) / clean["total"]
                each = ", ".join(f"{run['total']:.1f}" for run in these) + f" s; clean {clean['total']:.1f} s"
                rows.append(
                    (size, f"{kind}: whole build ÷ clean (≤ {limit:.0%})", f"{share:.1%} ({each})", share <= limit)
                )
        if cleans and len(cleans) > 1:  # memory: the larger peak of the clean builds
            clean = dict(clean, peak_tree_pss_mb=max(run.get("peak_tree_pss_mb", 0) for run in cleans))
            clean["maxrss_mb"] = max(run["maxrss_mb"] for run in cleans)
        if clean and clean["ok"] and o.get("html_pages"):
            rows.append((size, "clean build seconds per HTML page", f"{clean['total'] / o['html_pages']:.3f}", None))
        if clean and "peak_tree_pss_mb" in clean:
            pss = clean["peak_tree_pss_mb"]
            below = pss < 2048 if size == "L" else None
            rows.append((size, "peak memory of the whole build, PSS sampled (L < 2 GB)", f"{pss:.0f} MB", below))
        if clean:
            largest = clean["maxrss_mb"]
            below = largest < 2048 if size == "L" else None
            rows.append((size, "peak RSS of the largest process (L < 2 GB)", f"{largest:.0f} MB", below))
        if o:
            rows.append(
                (
                    size,
                    "largest HTML page (< 100 KB)",
                    f"{o['html_max_bytes'] / 1024:.1f} KB",
                    o["html_max_bytes"] < 100 * 1024,
                )
            )
            rows.append(
                (
                    size,
                    "largest chart (< 60 KB)",
                    f"{o['chart_max_bytes'] / 1024:.1f} KB",
                    o["chart_max_bytes"] < 60 * 1024,
                )
            )
            for limit in o.get("limits", []):  # GitHub Pages would not publish the site: a failure, not a miss
                rows.append((size, limit["what"], limit["shown"], True if limit["ok"] else "FAILED"))
    per_page = {size: value for size, what, value, _ in rows if what.startswith("clean build seconds per")}
    if "M" in per_page and "L" in per_page:
        growth = float(per_page["L"]) / float(per_page["M"])
        rows.append(("L ÷ M", "time per page (≤ 1.5×)", f"{growth:.2f}×", growth <= 1.5))
    if not rows:
        return []
    out = ["\n## Targets (each from this run)\n", "| size | target | measured | met |", "| --- | --- | --: | --- |"]
    out += [f"| {size} | {what} | {value} | {_met(ok)} |" for size, what, value, ok in rows]
    return out


def _met(ok) -> str:
    if ok == "FAILED":
        return "**no: FAILED**"
    return "" if ok is None else ("yes" if ok else "no")


def _seconds(value) -> str:
    return "" if value is None else f"{value:.2f}"


def environment(code: str = "worktree") -> dict:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "code": code,
        "dirty": code == "worktree" and bool(git("status", "--porcelain", "--untracked-files=no")),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def _count_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


if __name__ == "__main__":
    sys.exit(main())
