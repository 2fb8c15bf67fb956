"""A table's cells as load.py keeps them: per column, each cell's code into the column's distinct values
(SharedCells, built a chunk of records at a time), and the columns as a pandas frame of text (frame_of).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class SharedCells:
    """A table's columns, built from csv records a chunk at a time: trimmed, without blank records, and
    with every distinct cell text held once.

    A long table repeats few values (1.3 M observation rows hold 230,000 distinct cells): kept as
    csv.reader's lists of strings it took a gigabyte, as columns of shared strings a tenth of that.
    Trimming and the blank-record test also run once per distinct value of a chunk, not once per cell.
    """

    def __init__(self, header: list[str]):
        self.header = header
        self.known: list[dict[str, str]] = [{} for _ in header]  # per column, text -> its one trimmed string
        self.ids: list[dict[str, int]] = [{} for _ in header]  # per column, trimmed string -> its code
        self.code_parts: list[list[np.ndarray]] = [[] for _ in header]  # per column, one array per chunk
        self.numbers: list[int] = []  # spreadsheet row of each record kept

    def add(self, records: list[list[str]], numbers: list[int]) -> None:
        """Append records that have one field per column; drop those whose every cell is empty."""
        if not records:
            return
        grid = np.array(records, dtype=object)
        codes, distinct = zip(*(pd.factorize(grid[:, column]) for column in range(len(self.header))))
        self.add_coded(codes, distinct, numbers)

    def add_coded(self, codes, distinct, numbers: list[int]) -> None:
        """Append records given per column as codes into that column's distinct texts."""
        blank = np.ones(len(numbers), dtype=bool)
        for column_codes, column_distinct in zip(codes, distinct):
            blank &= (column_distinct == "")[column_codes]  # empty before trimming: a record of spaces is not blank
        kept = ~blank
        for column, (column_codes, column_distinct) in enumerate(zip(codes, distinct)):
            known, ids = self.known[column], self.ids[column]
            kept_codes = column_codes[kept]
            global_codes = np.full(len(column_distinct), -1, dtype=np.int32)
            # the codes in use, in ascending order (a value only blank records had is not the column's);
            # counted, not sorted: np.unique sorted every column's 1.3 million codes at L
            for code in np.flatnonzero(np.bincount(kept_codes, minlength=len(column_distinct))).tolist():
                global_codes[code] = ids.setdefault(_shared_trimmed(column_distinct[code], known), len(ids))
            self.code_parts[column].append(global_codes[kept_codes])
        self.numbers += [number for number, is_blank in zip(numbers, blank) if not is_blank]

    def codes(self, fields: tuple[str, ...]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per column: each kept cell's code, and the column's distinct (trimmed) values in code order."""
        out = {}
        for name in fields:
            column = self.header.index(name)
            parts = self.code_parts[column]
            codes = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
            out[name] = (codes, np.array(list(self.ids[column]), dtype=object))
        return out


def frame_of(codes: dict[str, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The columns as text (object dtype) with a 0..n-1 index, each cell its column's one string object
    for its value."""
    columns = {name: distinct.take(cells) for name, (cells, distinct) in codes.items()}
    return pd.DataFrame(columns, dtype=object, copy=False)


def _shared_trimmed(text: str, known: dict[str, str]) -> str:
    """text trimmed, as the one string object its column uses for that value."""
    shared = known.get(text)
    if shared is None:
        trimmed = text.strip()
        shared = known[text] = known.setdefault(trimmed, trimmed)
    return shared
