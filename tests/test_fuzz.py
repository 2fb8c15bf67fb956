"""The differential fuzzer (fuzz.py) on a fixed set of cases: every hostile folder is refused precisely or
built cleanly. `make fuzz` runs for a time, with a seed of its own (FUZZ_SECONDS, FUZZ_SEED)."""

from __future__ import annotations

import os

from conftest import DATA
from fuzz import run

SECONDS = float(os.environ["FUZZ_SECONDS"]) if os.environ.get("FUZZ_SECONDS") else None
CASES = None if SECONDS else 36  # seed 12: 2 builds of accepted folders, 1 of a refused one
SEED = int(os.environ.get("FUZZ_SEED", "12"))


def test_hostile_folders_are_refused_precisely_or_built_cleanly(tmp_path):
    report = run(DATA, tmp_path / "sandbox", SEED, seconds=SECONDS, cases=CASES)
    budget = f"{SECONDS:.0f} s" if SECONDS else f"{CASES} cases"
    summary = (
        f"{report.cases} cases (seed {SEED}, {budget}): {report.accepted} accepted, {report.rejected} refused; "
        f"{report.builds} builds of accepted folders, {report.refused_builds} of refused ones"
    )
    print(summary)
    assert report.cases == CASES if CASES else report.cases >= 1, summary
    assert report.builds >= 1 and report.refused_builds >= 1, summary
    assert not report.findings, (
        summary + "\n" + "\n".join(f"{f.case}: {f.what}\n    {f.detail}" for f in report.findings)
    )
