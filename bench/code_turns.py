"""Clean builds of the same data by two versions of the code, taken in turns, and the examples' builds.

    .venv/bin/python bench/code_turns.py --before 9b1cdaf --sizes S,M,L --turns 2

For each size the data is made once (S: the repository's data/; M and L: `synth`), then built clean
by the code of --before and by the working tree, alternately (before, after, before, after...), so
that the machine's load falls on both alike. The report gives each build's seconds, the best of
each side and their ratio, and how much the turns of one side differ from each other (the noise).
Then each project under examples/ is built clean, twice, with the working tree.
Results: bench/out/code-turns.md and .json.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from benchmark import SIZES, snapshot  # noqa: E402


def code_of(revision: str, target: Path) -> Path:
    """The repository at a revision, extracted (no .git, no venv)."""
    shutil.rmtree(target, ignore_errors=True)
    tar = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target


def clean_build(code: Path, arguments: list[str], work: Path) -> float:
    shutil.rmtree(work, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_scripts",
            "build",
            *arguments,
            "--out",
            str(work / "site"),
            "--work",
            str(work / "w"),
        ],
        cwd=code,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"build failed in {code}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return round(seconds, 2)


def spread(values: list[float]) -> float:
    """How far the slowest turn is above the fastest, in percent."""
    return round(100 * (max(values) / min(values) - 1), 1) if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the git revision to compare with (e.g. 9b1cdaf)")
    parser.add_argument("--after", default="worktree", help="a git revision, or the working tree (default)")
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--turns", type=int, default=2, help="builds per side and size (default: 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    before = code_of(args.before, out / "code-before")
    after = snapshot(out / "code-after") if args.after == "worktree" else code_of(args.after, out / "code-after")
    results = {"before": args.before, "sizes": {}, "examples": {}}
    for size in [s.strip().upper() for s in args.sizes.split(",") if s.strip()]:
        folder = out / f"turns-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        if SIZES[size] is None:
            shutil.copytree(after / "data", folder / "data")
        else:  # the data the code after writes (its synth), which the code before reads as well
            shape = SIZES[size]
            subprocess.run(
                [sys.executable, "-m", "build_scripts", "synth", "--out", str(folder)]
                + [f"--{k}={v}" for k, v in shape.items()],
                cwd=after,
                check=True,
                capture_output=True,
            )
        sides = {"before": [], "after": []}
        for turn in range(args.turns):
            for side, code in (("before", before), ("after", after)):
                seconds = clean_build(code, ["--data", str(folder / "data")], folder / f"build-{side}")
                sides[side].append(seconds)
                print(f"{size} turn {turn + 1} {side}: {seconds} s", flush=True)
        results["sizes"][size] = {
            **sides,
            "ratio_of_best": round(min(sides["after"]) / min(sides["before"]), 3),
            "spread_before_percent": spread(sides["before"]),
            "spread_after_percent": spread(sides["after"]),
        }
    for project in sorted(p for p in (after / "examples").iterdir() if (p / "mkdocs.yml").is_file()):
        times = [clean_build(after, ["--project", str(project)], out / f"example-{project.name}") for _ in range(2)]
        results["examples"][project.name] = times
        print(f"example {project.name}: {times}", flush=True)
    (out / "code-turns.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = [
        f"# Clean builds in turns: {args.before} (before) and the working tree (after)",
        "",
        "| size | before (s) | after (s) | after / before, best of each | spread before | spread after |",
        "|---|---|---|--:|--:|--:|",
    ]
    for size, r in results["sizes"].items():
        lines.append(
            f"| {size} | {', '.join(map(str, r['before']))} | {', '.join(map(str, r['after']))} | "
            f"{r['ratio_of_best']:.3f} | {r['spread_before_percent']}% | {r['spread_after_percent']}% |"
        )
    lines += ["", "| example | clean build (s), twice |", "|---|---|"]
    lines += [f"| {name} | {', '.join(map(str, times))} |" for name, times in results["examples"].items()]
    (out / "code-turns.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
