"""Nothing from outside the project reaches the site: every path the build reads is checked first.

Git stores symbolic links, so one merged pull request could link a page or an asset to a file of the
machine that builds it (a CI runner's secrets, /proc/self/environ). Before the build reads anything,
every entry of the folders it reads (the data folder, the archive, the project's docs/ and the files
its mkdocs.yml INHERITs, the generator's own overrides and assets) must be a file or a folder that
resolves inside its bound: the project, for what is in the project; the folder itself, for a data
folder or an archive given from elsewhere; the generator, for its own files. A link that leaves its
bound, a link to nothing, and anything that is not a regular file (a named pipe would make the build
wait for ever, a device would be read without end) are refused, each named.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import Problem

GENERATOR = Path(__file__).resolve().parent  # the installed package (or this repository's copy of it)
GENERATOR_FOLDERS = (GENERATOR / "site" / "overrides", GENERATOR / "site" / "assets")
RULE = "path-outside-project"


def _within(path: str, bound: str) -> bool:
    return path == bound or path.startswith(bound.rstrip(os.sep) + os.sep)


def _label(path: str, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return path


def folder_problems(folder: Path, bound: Path, base: Path) -> list[Problem]:
    """Every entry under folder that leaves bound once its links are followed, or is not a regular
    file or folder; named relative to base. Links inside bound are followed (once: a loop ends)."""
    if not os.path.lexists(folder):
        return []
    real_bound = os.path.realpath(bound)
    problems: list[Problem] = []
    seen: set[str] = set()

    def visit(path: str) -> None:
        problem = _entry_problem(path, real_bound, base)
        if problem:
            problems.append(problem)
            return
        real = os.path.realpath(path)
        if os.path.isdir(real) and real not in seen:
            seen.add(real)
            for entry in sorted(os.listdir(path)):
                visit(os.path.join(path, entry))

    visit(os.fspath(folder))
    return problems


def file_problems(path: Path, bound: Path, base: Path) -> list[Problem]:
    problem = _entry_problem(os.fspath(path), os.path.realpath(bound), base) if os.path.lexists(path) else None
    return [problem] if problem else []


def _entry_problem(path: str, real_bound: str, base: Path) -> Problem | None:
    label = _label(path, base)
    real = os.path.realpath(path)
    if os.path.islink(path) and not os.path.exists(path):
        return Problem(label, None, None, RULE, f"a link to nothing ({os.readlink(path)})", "remove the link")
    if not _within(real, real_bound):
        shown_target = os.readlink(path) if os.path.islink(path) else real
        return Problem(
            label,
            None,
            None,
            RULE,
            f"resolves to {shown_target}, outside {real_bound}",
            "nothing from outside the project is published: copy the file into it instead of linking to it",
        )
    mode = os.stat(path).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Problem(label, None, None, RULE, "not a regular file or folder (a pipe, socket or device)", "remove it")
    return None


def bound_of(folder: Path, project: Path) -> Path:
    """What folder's links may reach: the project, when folder is in it; else folder itself."""
    return project if _within(os.path.realpath(folder), os.path.realpath(project)) else folder


def project_problems(data_dir: Path, project: Path, archive: Path | None, config_files: list[Path]) -> list[Problem]:
    """Every path of the build's inputs that resolves outside its bound (see the module's docstring)."""
    base = project
    problems = folder_problems(data_dir, bound_of(data_dir, project), base)
    if archive is not None:
        problems += folder_problems(archive, bound_of(archive, project), base)
    problems += folder_problems(project / "docs", project, base)
    for path in config_files:
        problems += file_problems(path, project, base)
    for folder in GENERATOR_FOLDERS:
        problems += folder_problems(folder, GENERATOR, GENERATOR)
    return problems
