"""A differential fuzzer of the build's input: seeded mutations of the real data folder.

Each case copies data/, changes it as a careless or hostile maintainer might (one cell, a header,
a row, a whole file, a key of package.yml or overview.yml), and runs `validate` in this process.
validate must either accept the folder or reject it with problems that each name a file of the
folder and a rule; a traceback or a hang is a failure. The folders it accepts are built for real,
several mutations together where they agree, and the site must hold no 'nan', 'inf' or 'None' that
the data does not, and no file may appear outside the build's own folders.

tests/test_fuzz.py runs a fixed number of cases of a fixed seed in the suite (the same cases on any
machine, however busy); `make fuzz` runs for a time of its own with a seed of its own (FUZZ_SECONDS,
FUZZ_SEED). A failing case is written to build/fuzz-failures/<case>/ with what it did, to become a
named fixture in tests/fixtures/.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from test_robustness import tree_hashes

TABLES = ("observations", "indicators", "places", "sources", "events")
CONFIGS = ("package.yml", "overview.yml")

HOSTILE = [
    # special floats and number spellings
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "1e45",
    "-1e19",
    "1_000",
    "1,000",
    "+5",
    "-0",
    "0x1F",
    "1.",
    ".5",
    # digits of other scripts: full-width, Arabic-Indic, Devanagari, mathematical bold
    "１２",
    "١٢",
    "٢٠٢٢",
    "१२",
    "𝟏𝟐",
    "𝟐𝟎𝟐𝟐",
    # empty, whitespace, invisible and control characters
    "",
    " ",
    "\t",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\x00",
    "\x1b",
    "\x07",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufffe",
    # emoji, combining marks, other scripts
    "😀",
    "👍🏽",
    "e\u0301",
    "Đà Nẵng",
    "ﬁ",
    "İ",
    "𝒳",
    # quoting tricks, separators, line breaks
    '"',
    '""',
    '"a""b"',
    "a,b",
    "a;b",
    "a\nb",
    "a\r\nb",
    "'",
    "`",
    # impossible periods and dates
    "2022-02-30",
    "2022-13",
    "2022-H3",
    "2022-Q5",
    "0000",
    "9999",
    "1899",
    "2022-8-8",
    "20220808",
    "9999-12-31",
    "2022-00-10",
    "2022-02-29",
    # line numbers
    "0",
    "-1",
    "99999999999",
    "1.5",
    # path-like and reserved ids
    "../x",
    "../../../../../../escaped",
    "/etc/passwd",
    "index",
    "pillar-x",
    "con",
    "a" * 65,
    "A-B",
    "a--b",
    # markup and formulas
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=1+1",
    '=HYPERLINK("http://evil.example/","y")',
    "@SUM(1)",
    "-2+3",
    "javascript:alert(1)",
    # words a broken build prints
    "None",
    "null",
    "true",
    "false",
    "NULL",
]
LONG = ["x" * 32_768, "y" * 100_001, "z" * 131_073]
YAML_SNIPPETS = [
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!!set {a, b}",
    "&a [*a]",
    "*undefined",
    "[",
    "{a: 1",
    ".nan",
    ".inf",
    "~",
    "null",
    "2026-02-30",
    "0o17",
    "1e45",
    "yes",
    "[]",
    "{}",
    "'<script>x</script>'",
    "!!timestamp 2022-01-01",
    "<<: {a: 1}",
    '"\\x00"',
    '"\\u202e"',
]


@dataclass
class Case:
    """One mutation: what it changed (for the report) and the files it wrote."""

    number: int
    what: str
    files: dict[str, bytes]  # file name -> new content (None: removed)

    def apply(self, folder: Path) -> None:
        for name, content in self.files.items():
            path = folder / name
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content)


@dataclass
class Finding:
    case: str
    what: str
    detail: str


@dataclass
class Report:
    cases: int = 0
    accepted: int = 0
    rejected: int = 0
    builds: int = 0
    refused_builds: int = 0
    findings: list[Finding] = field(default_factory=list)


def read_folder(data: Path) -> dict[str, bytes]:
    return {name: (data / name).read_bytes() for name in [*(f"{t}.csv" for t in TABLES), *CONFIGS]}


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _value(rng: random.Random, old: str) -> str:
    roll = rng.random()
    hostile = rng.choice(LONG) if rng.random() < 0.03 else rng.choice(HOSTILE)
    if roll < 0.55:
        return hostile
    if roll < 0.7:
        return old + hostile
    if roll < 0.85:
        return hostile + old
    cut = rng.randint(0, len(old))
    return old[:cut] + hostile + old[cut:]


class Mutator:
    """The mutations, drawn from one seeded random generator: the same seed gives the same cases."""

    def __init__(self, original: dict[str, bytes], seed: int):
        self.original, self.rng = original, random.Random(seed)
        self.operators: list[tuple[float, Callable[[], tuple[str, dict]]]] = [
            (0.45, self.cell),
            (0.08, self.header),
            (0.12, self.row),
            (0.07, self.whole_file),
            (0.18, self.yaml_value),
            (0.10, self.yaml_text),
        ]

    def case(self, number: int) -> Case:
        weights = [w for w, _ in self.operators]
        operator = self.rng.choices([op for _, op in self.operators], weights)[0]
        what, files = operator()
        return Case(number, what, files)

    def _table(self) -> tuple[str, list[list[str]]]:
        table = self.rng.choice(TABLES)
        return table, _rows(self.original[f"{table}.csv"])

    def cell(self):
        table, rows = self._table()
        row = self.rng.randrange(1, len(rows))
        column = self.rng.randrange(len(rows[0]))
        old = rows[row][column]
        rows[row][column] = _value(self.rng, old)
        return f"{table}.csv row {row + 1} column {rows[0][column]}: {old[:30]!r} -> {rows[row][column][:60]!r}", {
            f"{table}.csv": _csv(rows)
        }

    def header(self):
        table, rows = self._table()
        column = self.rng.randrange(len(rows[0]))
        choice = self.rng.randrange(4)
        if choice == 0:
            rows[0][column] = _value(self.rng, rows[0][column])
        elif choice == 1:
            rows[0][column] = rows[0][(column + 1) % len(rows[0])]
        elif choice == 2:
            for row in rows:
                del row[column]
        else:
            self.rng.shuffle(rows[0])
        return f"{table}.csv header, change {choice} at column {column}", {f"{table}.csv": _csv(rows)}

    def row(self):
        table, rows = self._table()
        content = self.original[f"{table}.csv"]
        row = self.rng.randrange(1, len(rows))
        choice = self.rng.randrange(7)
        if choice == 0:
            rows.insert(row, list(rows[row]))  # a duplicate key
            content = _csv(rows)
        elif choice == 1:
            del rows[row]
            content = _csv(rows)
        elif choice == 2:
            content += b"," * (len(rows[0]) - 1) + b"\n"  # a row of commas, as spreadsheets export
        elif choice == 3:
            content += b"\n\n   \n"
        elif choice == 4:
            rows[row] = rows[row][:-1]
            content = _csv(rows)
        elif choice == 5:
            rows[row] = [*rows[row], "extra"]
            content = _csv(rows)
        else:
            content = content.replace(b"\n", b"\r\n") if self.rng.random() < 0.5 else b"\xef\xbb\xbf" + content
        return f"{table}.csv row {row + 1}, change {choice}", {f"{table}.csv": content}

    def whole_file(self):
        name = self.rng.choice([*(f"{t}.csv" for t in TABLES), *CONFIGS])
        content = self.original[name]
        choice = self.rng.randrange(6)
        new = [
            b"",
            b"   \n\n",
            bytes(self.rng.randrange(256) for _ in range(200)),
            content.decode("utf-8").encode("utf-16"),
            content[: self.rng.randrange(len(content))],
            None,
        ][choice]
        return f"{name} whole file, change {choice}", {name: new}

    def yaml_value(self):
        name = self.rng.choice(CONFIGS)
        lines = self.original[name].decode("utf-8").splitlines(keepends=True)
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", line)]
        index = self.rng.choice(keyed)
        key = lines[index].split(":", 1)[0]
        hostile = self.rng.choice(YAML_SNIPPETS) if self.rng.random() < 0.6 else _yaml_quoted(_value(self.rng, ""))
        lines[index] = f"{key}: {hostile}\n"
        return f"{name} line {index + 1}: {key}: {hostile[:60]!r}", {name: "".join(lines).encode("utf-8")}

    def yaml_text(self):
        name = self.rng.choice(CONFIGS)
        lines = self.original[name].decode("utf-8").splitlines(keepends=True)
        choice = self.rng.randrange(4)
        index = self.rng.randrange(len(lines))
        if choice == 0:
            del lines[index]
        elif choice == 1:
            lines.insert(index, lines[index])  # a key given twice, or a list item twice
        elif choice == 2:
            lines[index] = "  " + lines[index]  # indentation broken
        else:
            lines.insert(
                0, "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "x"] * 9) + "]\n" for i in range(7))
            )
        return f"{name} line {index + 1}, change {choice}", {name: "".join(lines).encode("utf-8")}


def _yaml_quoted(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


class Timeout(BaseException):  # not an Exception: the build's own handlers must not take it for a failure
    pass


def _alarm(signum, frame):
    raise Timeout()


def within(seconds: float, function, *args, **kwargs):
    """function(*args) in this process, or Timeout after so many seconds."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def validate_case(data: Path, seconds: float):
    """validate on the folder in this process: None if accepted, the InputError if rejected; any
    other exception (a traceback) or Timeout is raised."""
    from build_scripts.pipeline import validate_data
    from build_scripts.problems import InputError

    try:
        within(seconds, validate_data, data)
    except InputError as error:
        return error
    return None


def problems_are_precise(error, data: Path) -> str | None:
    """Why the problems fall short of naming file and rule (None when each does)."""
    names = {f"{t}.csv" for t in TABLES} | set(CONFIGS)
    for problem in error.problems:
        if not problem.rule or not problem.found:
            return f"a problem without rule or text: {problem!r}"
        if Path(problem.file).name not in names:
            return f"a problem names no file of the folder: {problem}"
        if problem.row is not None and (not isinstance(problem.row, int) or problem.row < 1):
            return f"a problem names no real row: {problem}"
        if "\n" in str(problem):
            return f"a problem takes more than one line: {problem!r}"
    return None


BROKEN_WORDS = re.compile(r"\b(nan|NaN|inf|None|undefined)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror")  # HOSTILE's markup, unescaped


def site_findings(site: Path, data: Path) -> list[str]:
    """What a clean build never has: words of a broken build ('nan', 'None', ...) on a page that no
    data file holds, HOSTILE's markup live in a page, a chart drawing that is not well-formed XML."""
    data_text = " ".join((data / name).read_text("utf-8", errors="replace") for name in read_folder(data))
    allowed = set(BROKEN_WORDS.findall(data_text))
    found = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text("utf-8")
        words = set(BROKEN_WORDS.findall(visible_text(html))) - allowed
        if words:
            found.append(f"{page.relative_to(site)} shows {sorted(words)}")
        found += [f"{page.relative_to(site)} holds live {m!r}" for m in LIVE_MARKUP if m in html]
    for drawing in sorted(site.rglob("*.svg")):
        try:
            ElementTree.parse(drawing)
        except ElementTree.ParseError as error:
            found.append(f"{drawing.relative_to(site)} is not well-formed XML: {error}")
    return found


def tree(folder: Path, skip: tuple[Path, ...]) -> set[str]:
    """Every file and folder under folder, relative to it, except the skipped folders and what they hold:
    not entered at all, as a build's detached clean-up may be emptying work/.trash meanwhile."""
    found = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not any((Path(root) / d).is_relative_to(s) for s in skip)]
        found |= {str((Path(root) / name).relative_to(folder)) for name in dirs + files}
    return found


def run(
    original_data: Path,
    sandbox: Path,
    seed: int,
    seconds: float | None = None,
    cases: int | None = None,
    build_every: int = 8,
    refused_build_every: int = 40,
) -> Report:
    """So many cases, or cases until so many seconds are up; accepted ones built in batches of agreeing
    mutations; the first refused folder once a site exists is built too, and one in refused_build_every after."""
    from build_scripts.pipeline import build_site

    original = read_folder(original_data)
    mutator = Mutator(original, seed)
    report = Report()
    deadline = time.monotonic() + (seconds or 0)

    def more() -> bool:
        return report.cases < cases if cases is not None else time.monotonic() < deadline

    accepted: list[Case] = []
    out, work = sandbox / "out", sandbox / "work"
    before = tree(sandbox, (out, work))

    def folder_for(case_name: str, cases: list[Case]) -> Path:
        data = sandbox / "cases" / case_name
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(original_data, data, ignore=shutil.ignore_patterns("releases"))
        for case in cases:
            case.apply(data)
        return data

    def record(case_name: str, what: str, detail: str, data: Path) -> None:
        report.findings.append(Finding(case_name, what, detail))
        keep = Path(__file__).resolve().parents[1] / "build" / "fuzz-failures" / case_name
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(data, keep)
        (keep / "WHAT.txt").write_text(f"{what}\n\n{detail}\n", encoding="utf-8")

    def build(cases: list[Case]) -> None:
        name = f"build-{cases[0].number}-{cases[-1].number}"
        data = folder_for(name, cases)
        if validate_case(data, 30) is not None:  # these mutations disagree together: build the first alone
            cases = cases[:1]
            data = folder_for(name, cases)
        report.builds += 1
        what = "; ".join(c.what for c in cases)
        try:
            within(120, build_site, data, out, work=work)
        except Timeout:
            record(name, what, "the build ran more than 120 s", data)
            return
        except Exception as error:  # noqa: BLE001 - every failure of an accepted folder is a finding
            record(name, what, f"validate accepted it, the build failed: {type(error).__name__}: {error}", data)
            return
        for finding in site_findings(out, data):
            record(name, what, finding, data)
        shutil.rmtree(data)

    def build_refused(name: str, case: Case, data: Path) -> None:
        """The build of a refused folder, as a maintainer runs it: one line a problem, no traceback,
        and the previous site exactly as it was."""
        before_site = tree_hashes(out)
        result = subprocess.run(
            [sys.executable, "-m", "build_scripts", "build", "--data", data, "--out", out, "--work", work],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            timeout=120,
        )
        report.refused_builds += 1
        if result.returncode != 1 or "Traceback" in result.stderr or "nothing was written" not in result.stderr:
            record(
                name,
                case.what,
                f"the build of a refused folder: exit {result.returncode}: {result.stderr[-800:]}",
                data,
            )
        elif tree_hashes(out) != before_site:
            record(name, case.what, "the build of a refused folder changed the previous site", data)

    number = 0
    while more():
        number += 1
        case = mutator.case(number)
        name = f"case-{seed}-{number}"
        data = folder_for(name, [case])
        report.cases += 1
        try:
            error = validate_case(data, 20)
        except Timeout:
            record(name, case.what, "validate ran more than 20 s", data)
            continue
        except Exception as error:  # noqa: BLE001 - a traceback is the finding
            record(name, case.what, f"validate raised {type(error).__name__}: {error}", data)
            continue
        if error is None:
            report.accepted += 1
            if any(name in c.files for c in accepted for name in case.files):  # one mutation a file a batch
                build(accepted)
                accepted = []
            accepted.append(case)
            if len(accepted) >= build_every:
                build(accepted)
                accepted = []
        else:
            report.rejected += 1
            reason = problems_are_precise(error, data)
            if reason:
                record(name, case.what, reason, data)
            elif out.exists() and report.refused_builds * refused_build_every < report.rejected:
                build_refused(name, case, data)
        shutil.rmtree(data, ignore_errors=True)
    if accepted:
        build(accepted)
    shutil.rmtree(sandbox / "cases", ignore_errors=True)
    escaped = tree(sandbox, (out, work)) - before - {"cases"}
    if escaped:
        report.findings.append(Finding("all", "files outside the build's folders", ", ".join(sorted(escaped))))
    return report
