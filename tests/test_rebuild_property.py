"""Point 2 of the build's promise as a property (rebuild_fuzz.py): after any sequence of edits, additions
and deletions of a project's inputs, of tampering with its published site and of damage to its work
folder, a rebuild in place is byte-identical to a clean build of the same inputs. A fixed seed here;
`make fuzz` runs it for longer with a seed of its own (FUZZ_SECONDS, FUZZ_SEED)."""

from __future__ import annotations

import os

from rebuild_fuzz import run

SECONDS = float(os.environ["FUZZ_SECONDS"]) if os.environ.get("FUZZ_SECONDS") else None
STEPS = None if SECONDS else 8
SEED = int(os.environ.get("FUZZ_SEED", "29"))


def test_every_rebuild_is_byte_identical_to_a_clean_build_of_the_same_inputs(tmp_path):
    report = run(tmp_path, SEED, steps=STEPS, seconds=SECONDS)
    print(f"seed {SEED}: {len(report.steps)} steps")
    assert not report.findings, "\n".join(report.findings) + "\nsteps:\n" + "\n".join(report.steps)
    assert len(report.steps) >= (STEPS or 1)
