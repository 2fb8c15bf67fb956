"""The differential fuzzer (fuzz.py) on a fixed budget: every hostile folder is refused precisely or
built cleanly. `make fuzz` runs a longer budget with a seed of its own."""

from __future__ import annotations

import os

from conftest import DATA
from fuzz import run

SECONDS = float(os.environ.get("FUZZ_SECONDS", "50"))
SEED = int(os.environ.get("FUZZ_SEED", "12"))


def test_hostile_folders_are_refused_precisely_or_built_cleanly(tmp_path):
    report = run(DATA, tmp_path / "sandbox", SEED, SECONDS)
    summary = (
        f"{report.cases} cases (seed {SEED}, {SECONDS:.0f} s): {report.accepted} accepted, {report.rejected} refused; "
        f"{report.builds} builds of accepted folders, {report.refused_builds} of refused ones"
    )
    print(summary)
    assert report.cases >= 50, summary
    assert report.builds >= 1 and report.refused_builds >= 1, summary
    assert not report.findings, (
        summary + "\n" + "\n".join(f"{f.case}: {f.what}\n    {f.detail}" for f in report.findings)
    )
