"""The SQLite database of a rebuild, made from the last build's when only some rows changed.

database.write_sqlite makes the database in a scratch file (each table's rows in file order, so a row's
rowid is its row number) and publishes it with VACUUM INTO. The scratch file is kept here
(build/cache/database/), with the hash of every row of every table, from its cells (row_digests). When the next
build's tables have the same header and the same number of rows, and the statements that make the schema
are the same, the rows whose digest changed are written over theirs in the kept file (UPDATE by rowid),
and VACUUM INTO publishes it. VACUUM INTO writes a new file from the schema and the rows alone, not
from the pages they were in, so the file is the one a whole build makes, byte for byte (tested in
tests/test_database_downloads.py and tests/test_incremental.py). Anything else makes the whole database:
at 1.3 million rows that took 15 to 16 s. The update is made in place (copying the 345 MB file at L
first took longer than the update), with the state removed first: a build stopped halfway leaves no
state, and the next makes the database whole.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from .. import state as durable
from ..data.package import Published

ROW_DIGEST_BYTES = 8  # compared as one 64-bit number a row
SCRATCH = "scratch.sqlite"
STATE = "state.json"


def row_digests(table: Published) -> tuple[str, bytes]:
    """The digest of the table's header, and ROW_DIGEST_BYTES of digest for each row: the hash of its
    cells (Published.row_hashes, computed column-wise; a BLAKE2 digest of each row's CSV record, one
    Python call a row, took 1.3 s at 1.3 million rows)."""
    header = table.content[: table.content.find(b"\n") + 1]
    return hashlib.sha256(header).hexdigest(), table.row_hashes.tobytes()


class KeptDatabase:
    """The scratch database of the last build, what it was made by (key) and the digests of its rows."""

    def __init__(self, folder: Path, key: str, published: dict[str, Published]):
        self.folder, self.key = Path(folder), key
        self.digests = {name: row_digests(table) for name, table in published.items()}
        self.state = durable.read_json(self.folder / STATE) or {}

    @property
    def scratch(self) -> Path:
        return self.folder / SCRATCH

    def changed_rows(self) -> dict[str, list[int]] | None:
        """Each table's rows (0-based) whose record changed since the kept database; None when the kept
        database cannot be updated into this one (none kept, another schema, a header or a row count that
        changed)."""
        tables = self.state.get("tables")
        if self.state.get("key") != self.key or not self.scratch.is_file() or set(tables or ()) != set(self.digests):
            return None
        changed = {}
        for name, (header, rows) in self.digests.items():
            try:
                before = (self.folder / f"{name}.rows").read_bytes()
            except OSError:
                return None
            if tables[name] != header or len(before) != len(rows):
                return None
            now, then = np.frombuffer(rows, dtype=np.uint64), np.frombuffer(before, dtype=np.uint64)
            changed[name] = np.flatnonzero(now != then).tolist()
        return changed

    def forget_state(self) -> None:
        """The kept database is no longer what the state says (before it is changed in place, or replaced)."""
        (self.folder / STATE).unlink(missing_ok=True)

    def keep(self, scratch: Path) -> None:
        """scratch (now the database of these tables; the kept file itself, after an update in place) kept
        for the next build, with its rows' digests; the state is written last, so that a build stopped
        halfway leaves no state and the next makes it whole."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.forget_state()
        if scratch != self.scratch:
            os.replace(scratch, self.scratch)
        for name, (_, rows) in self.digests.items():
            (self.folder / f"{name}.rows").write_bytes(rows)
        state = {"key": self.key, "tables": {name: header for name, (header, _) in self.digests.items()}}
        durable.write_json(self.folder / STATE, state)
