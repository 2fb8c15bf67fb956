"""The incremental build as a function of its inputs, tried at random: a small project (as `new` writes it,
with an INHERIT file and a variable read with !ENV) is edited, added to and deleted from, its published
site tampered with and its work folder damaged, one random step at a time; after each step the project
is rebuilt in place and built clean in folders of its own, and the two sites must be byte-identical.

run(folder, seed, steps=N | seconds=S) -> Report; tests/test_rebuild_property.py runs it on a fixed seed,
`make fuzz` for longer.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = "PORTAL_REPOSITORY"  # read by the project's mkdocs.yml with !ENV


@dataclass
class Report:
    steps: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def cli(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def make_project(folder: Path) -> Path:
    """A starter project without its archive (provenance is not what is tried here), whose mkdocs.yml
    inherits a file of the project and reads a variable with !ENV, and with a folder of its own assets."""
    project = folder / "portal"
    result = cli("new", project, "--languages", "en,fr", env={})
    assert result.returncode == 0, result.stderr
    shutil.rmtree(project / "archive")
    config = project / "mkdocs.yml"
    config.write_text(
        "INHERIT: base.yml\n"
        + config.read_text(encoding="utf-8")
        + f'repo_url: !ENV [{VARIABLE}, "https://example.org/repository"]\n',
        encoding="utf-8",
    )
    (project / "base.yml").write_text("repo_name: Repository 0\n", encoding="utf-8")
    (project / "docs" / "assets").mkdir()
    (project / "docs" / "assets" / "note-0.txt").write_text("a note\n", encoding="utf-8")
    return project


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def difference(built: Path, clean: Path) -> str | None:
    a, b = files_of(built), files_of(clean)
    if sorted(a) != sorted(b):
        only_here, only_clean = sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5]
        return f"only in the rebuild: {only_here}; only in the clean build: {only_clean}"
    different = [name for name in a if a[name] != b[name]]
    return f"{len(different)} file(s) differ, such as {different[:5]}" if different else None


def keep_times(path: Path):
    """A context that puts path's modification time back as it was: an edit a size-and-time check misses."""
    status = os.stat(path)

    class Kept:
        def __enter__(self):
            return path

        def __exit__(self, *exc):
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))

    return Kept()


def same_size_edit(path: Path, rng: random.Random) -> None:
    """One ASCII letter of path replaced by another, its size and modification time kept."""
    content = bytearray(path.read_bytes())
    letters = [i for i, byte in enumerate(content) if 97 <= byte <= 122]
    if not letters:
        content += b"x"
        path.write_bytes(bytes(content))
        return
    i = rng.choice(letters)
    content[i] = 97 + (content[i] - 97 + rng.randrange(1, 26)) % 26
    with keep_times(path):
        with open(path, "r+b") as handle:  # in place: a hard link to it sees the change too
            handle.write(bytes(content))


class Steps:
    """Each step changes the project, its published site or its work folder and says what it did."""

    def __init__(self, project: Path, site: Path, work: Path, env: dict, rng: random.Random):
        self.project, self.site, self.work, self.env, self.rng = project, site, work, env, rng
        self.count = 0

    def pages(self) -> list[Path]:
        return sorted((self.project / "docs").glob("*/*.md"))

    def assets(self) -> list[Path]:
        return sorted((self.project / "docs" / "assets").glob("*"))

    # ------------------------------------------------------------------ inputs

    def edit_page(self) -> str:
        page = self.rng.choice(self.pages())
        with open(page, "a", encoding="utf-8") as handle:
            handle.write(f"\nEdit {self.count}.\n")
        return f"appended to {page.relative_to(self.project)}"

    def edit_page_same_size(self) -> str:
        page = self.rng.choice(self.pages())
        same_size_edit(page, self.rng)
        return f"same-size edit of {page.relative_to(self.project)}, its time kept"

    def add_page(self) -> str:
        lang = self.rng.choice(["en", "fr"])
        page = self.project / "docs" / lang / f"extra-{self.count}.md"
        page.write_text(f"# Extra {self.count}\n\nA page added by hand.\n", encoding="utf-8")
        return f"added {page.relative_to(self.project)}"

    def delete_page(self) -> str:
        extra = [p for p in self.pages() if p.name.startswith("extra-") or p.name == "about.md"]
        if not extra:
            return self.add_page()
        page = self.rng.choice(extra)
        page.unlink()
        return f"deleted {page.relative_to(self.project)}"

    def add_asset(self) -> str:
        asset = self.project / "docs" / "assets" / f"note-{self.count}.txt"
        asset.write_text(f"note {self.count}\n", encoding="utf-8")
        return f"added {asset.relative_to(self.project)}"

    def edit_asset(self) -> str:
        if not self.assets():
            return self.add_asset()
        asset = self.rng.choice(self.assets())
        same_size_edit(asset, self.rng)
        return f"same-size edit of {asset.relative_to(self.project)}"

    def delete_asset(self) -> str:
        if not self.assets():
            return self.add_asset()
        asset = self.rng.choice(self.assets())
        asset.unlink()
        return f"deleted {asset.relative_to(self.project)}"

    def edit_inherited(self) -> str:
        (self.project / "base.yml").write_text(f"repo_name: Repository {self.count}\n", encoding="utf-8")
        return "edited base.yml (mkdocs.yml's INHERIT)"

    def change_variable(self) -> str:
        self.env[VARIABLE] = f"https://example.org/repository-{self.count}"
        return f"{VARIABLE}={self.env[VARIABLE]} (read by mkdocs.yml with !ENV)"

    def edit_value(self) -> str:
        path = self.project / "data" / "observations.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        rows = [i for i, line in enumerate(lines) if i and ",actual," in line]
        i = self.rng.choice(rows)
        cells = lines[i].split(",")
        value = f"{self.rng.randrange(10, 99)}.{self.rng.randrange(1, 9)}"
        cells[4], cells[9] = value, f"{value}%"
        lines[i] = ",".join(cells)
        path.write_text("".join(lines), encoding="utf-8")
        return f"observations.csv row {i + 1}: value {value}"

    def rename_indicator(self) -> str:
        path = self.project / "data" / "indicators.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Households with internet access", f"Households online {self.count}", 1))
        return "renamed the indicator (indicators.csv)"

    # ------------------------------------------------------------------ outputs and the work folder

    def published(self, suffixes: tuple[str, ...]) -> list[Path]:
        return sorted(p for p in self.site.rglob("*") if p.is_file() and p.suffix in suffixes)

    def tamper_page(self) -> str:
        page = self.rng.choice(self.published((".html",)))
        same_size_edit(page, self.rng)
        return f"tampered with site/{page.relative_to(self.site)} in place, its size and time kept"

    def tamper_download(self) -> str:
        download = self.rng.choice(self.published((".csv", ".json")))
        same_size_edit(download, self.rng)
        return f"tampered with site/{download.relative_to(self.site)} in place, its size and time kept"

    def delete_published(self) -> str:
        target = self.rng.choice(self.published((".html", ".csv", ".svg", ".json")))
        target.unlink()
        return f"deleted site/{target.relative_to(self.site)}"

    def add_published(self) -> str:
        (self.site / f"stray-{self.count}.html").write_text("<p>not built</p>\n", encoding="utf-8")
        return f"added site/stray-{self.count}.html"

    def damage_state(self) -> str:
        """A state or cache file of the work folder left empty, cut short or overwritten, as a power
        loss or a full disk can leave it (its time is not kept: such damage is not an edit in place)."""
        states = sorted(p for p in self.work.rglob("*") if p.is_file() and p.name != ".lock")
        if not states:
            return "no state file to damage"
        state = self.rng.choice(states)
        how = self.rng.choice(["empty", "truncated", "garbage"])
        content = state.read_bytes()
        state.write_bytes({"empty": b"", "truncated": content[: len(content) // 2], "garbage": b"\xff{not json"}[how])
        return f"{how} work/{state.relative_to(self.work)}"

    INPUTS = (
        "edit_page",
        "edit_page_same_size",
        "add_page",
        "delete_page",
        "add_asset",
        "edit_asset",
        "delete_asset",
        "edit_inherited",
        "change_variable",
        "edit_value",
        "rename_indicator",
    )
    OUTPUTS = ("tamper_page", "tamper_download", "delete_published", "add_published", "damage_state")

    def random_step(self) -> str:
        self.count += 1
        names = self.INPUTS + self.OUTPUTS
        return getattr(self, self.rng.choice(names))()


def run(folder: Path, seed: int, steps: int | None = None, seconds: float | None = None) -> Report:
    """Random steps (steps of them, or for seconds), each followed by a rebuild in place and a clean build."""
    rng = random.Random(seed)
    project = make_project(folder)
    site, work, env = project / "site", project / "build", {}
    report = Report()

    def build(out: Path, work_folder: Path) -> subprocess.CompletedProcess:
        return cli("build", "--project", project, "--out", out, "--work", work_folder, env=env)

    first = build(site, work)
    assert first.returncode == 0, first.stdout + first.stderr
    walker = Steps(project, site, work, env, rng)
    deadline = time.monotonic() + seconds if seconds else None
    while (deadline and time.monotonic() < deadline) or (steps is not None and len(report.steps) < steps):
        # a few steps between builds: edits that one build sees together
        said = "; ".join(walker.random_step() for _ in range(rng.randint(1, 3)))
        report.steps.append(said)
        rebuilt = build(site, work)
        clean_folder = folder / "clean"
        shutil.rmtree(clean_folder, ignore_errors=True)
        clean = build(clean_folder / "site", clean_folder / "work")
        if clean.returncode != 0:
            report.findings.append(
                f"step {len(report.steps)} ({said}): the clean build failed:\n{clean.stderr[-2000:]}"
            )
            break
        if rebuilt.returncode != 0:
            report.findings.append(f"step {len(report.steps)} ({said}): the rebuild failed:\n{rebuilt.stderr[-2000:]}")
            break
        wrong = difference(site, clean_folder / "site")
        if wrong:
            report.findings.append(f"step {len(report.steps)} ({said}): {wrong}\n{rebuilt.stdout}")
            break
    return report
