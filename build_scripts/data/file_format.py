"""Whether a CSV file is one the reader takes, before its records are read: its bytes as text (decode:
UTF-8, with or without a byte-order mark, line endings made line feeds; another encoding named by
guess_encoding) and its header (check_header: comma-separated, each column of the schema once).
"""

from __future__ import annotations

from ..data.schema import Resource
from ..problems import Problem

BOMS = {
    b"\xef\xbb\xbf": None,
    b"\xff\xfe": "UTF-16 (little-endian), as spreadsheets write 'Unicode text'",
    b"\xfe\xff": "UTF-16 (big-endian)",
}


def decode(raw: bytes, file: str) -> tuple[str, Problem | None]:
    for bom, foreign in BOMS.items():
        if raw.startswith(bom):
            if foreign:
                return "", Problem(
                    file, None, None, "encoding", f"the file is {foreign}", "save it as 'CSV UTF-8 (comma delimited)'"
                )
            raw = raw[len(bom) :]
            break
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return "", Problem(
            file,
            None,
            None,
            "encoding",
            f"not UTF-8 (byte {raw[error.start]:#04x} at offset {error.start}); it looks like {guess_encoding(raw)}",
            "save it as 'CSV UTF-8 (comma delimited)'",
        )
    if "\x00" in text:
        return "", Problem(
            file,
            None,
            None,
            "encoding",
            "the file holds NUL bytes; it looks like UTF-16 without a byte-order mark",
            "save it as 'CSV UTF-8 (comma delimited)'",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def guess_encoding(raw: bytes) -> str:
    if raw.count(b"\x00") > len(raw) // 4:
        return "UTF-16 without a byte-order mark"
    # Windows-1258 is the Vietnamese code page: combining tones at 0xCC, 0xD2, 0xDE, 0xEC, 0xF2
    if any(b in raw for b in (b"\xd2", b"\xde", b"\xec", b"\xf2", b"\xcc")):
        return "Windows-1258 (the Vietnamese Windows code page)"
    return "Windows-1252 or another 8-bit code page"


def check_header(header: list[str], file: str, resource: Resource) -> list[Problem]:
    expected = list(resource.fields)
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        delimiter = "semicolon" if ";" in header[0] else "tab"
        return [
            Problem(
                file,
                1,
                None,
                "delimiter",
                f"the header is {delimiter}-separated: '{header[0][:60]}'",
                "save the file with commas between values (CSV UTF-8 comma delimited)",
            )
        ]
    problems = []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for column in missing:
        problems.append(
            Problem(
                file,
                1,
                column,
                "missing-column",
                "the column is missing from the header",
                f"expected columns: {','.join(expected)}",
            )
        )
    for column in extra:
        problems.append(
            Problem(
                file,
                1,
                column or "(empty)",
                "extra-column",
                "the header has a column the schema does not define",
                f"expected columns: {','.join(expected)}",
            )
        )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for column in duplicated:
        problems.append(Problem(file, 1, column, "duplicate-column", "the column appears twice in the header"))
    return problems
