"""Zip files (the package zip, the workbooks), written as Python's zipfile writes them, and with entries
whose deflate stream is a run of blocks (blocks.py), copied from the last build's file where unchanged.

zipfile compresses what it is given and cannot take a stream made elsewhere, so the headers are written
here: the fields zipfile writes, for files under 4 GiB (no ZIP64). An entry given as bytes comes out as
zipfile would make it, byte for byte (tests/test_exports.py checks it).
"""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

from .blocks import LastFile, Piece, Stream

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
VERSION = 20  # what zipfile writes: made by and needed to extract (deflate)
UNIX = 3  # the system that made the file: its permissions are in the external attributes
FILE_MODE = 0o644 << 16
LIMIT = 0xFFFFFFFF


def fixed_zip_time() -> tuple:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(time.gmtime(int(epoch))[:6], ZIP_EPOCH)


class ZipWriter:
    """A zip written to an open file, one entry after another; close() writes the central directory."""

    def __init__(self, handle, date_time: tuple | None = None):
        self.handle = handle
        dt = date_time or fixed_zip_time()
        self.time = dt[3] << 11 | dt[4] << 5 | dt[5] // 2
        self.date = (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]
        self.entries: list[tuple[bytes, int, int, int, int, int]] = []  # name, flags, crc, sizes, offset
        self.start = handle.tell()

    def add(self, name: str, content: bytes, level: int | None = None) -> None:
        """An entry of these bytes, deflated at level (zlib's default for None), as zipfile does."""
        compressor = zlib.compressobj(-1 if level is None else level, zlib.DEFLATED, -15)
        body = compressor.compress(content) + compressor.flush()
        self._entry(name, zlib.crc32(content), len(body), len(content))
        self.handle.write(body)

    def add_blocks(self, name: str, pieces: Iterable[Piece], last: LastFile, level: int) -> Stream:
        """An entry whose deflate stream is the blocks (blocks.Stream). The sizes and CRC are known only
        after the blocks, so the local header is written again over the first."""
        header_at = self.handle.tell()
        self._local_header(name, 0, 0, 0)
        stream = Stream(self.handle, last, level).write(pieces)
        stream.end()
        end = self.handle.tell()
        self.handle.seek(header_at)
        self._entry(name, stream.crc, stream.packed, stream.raw)
        self.handle.seek(end)
        return stream

    def _entry(self, name: str, crc: int, packed: int, raw: int) -> None:
        if max(packed, raw, self.handle.tell()) > LIMIT:
            raise ValueError(f"{name}: over 4 GiB, which a zip without ZIP64 cannot hold")
        encoded, flags = _name(name)
        self.entries.append((encoded, flags, crc, packed, raw, self.handle.tell() - self.start))
        self._local_header(name, crc, packed, raw)

    def _shared(self, flags: int, crc: int, packed: int, raw: int) -> tuple:
        """The fields a local header and its central directory entry share, in their order."""
        return flags, zlib.DEFLATED, self.time, self.date, crc, packed, raw

    def _local_header(self, name: str, crc: int, packed: int, raw: int) -> None:
        encoded, flags = _name(name)
        fields = self._shared(flags, crc, packed, raw)
        self.handle.write(struct.pack("<4s2B4HL2L2H", b"PK\003\004", VERSION, 0, *fields, len(encoded), 0) + encoded)

    def close(self) -> None:
        directory = io.BytesIO()
        for encoded, flags, crc, packed, raw, offset in self.entries:
            fields = (*self._shared(flags, crc, packed, raw), len(encoded), 0, 0, 0, 0, FILE_MODE, offset)
            directory.write(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", VERSION, UNIX, VERSION, 0, *fields) + encoded)
        at = self.handle.tell() - self.start
        count, size = len(self.entries), directory.tell()
        self.handle.write(directory.getvalue())
        self.handle.write(struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, count, count, size, at, 0))


def _name(name: str) -> tuple[bytes, int]:
    """The name's bytes and flags: ASCII as it is, else UTF-8 with the flag that says so (as zipfile)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800


def zip_bytes(entries: dict[str, bytes], sort: bool = True, level: int | None = None) -> bytes:
    out = io.BytesIO()
    archive = ZipWriter(out)
    for name in sorted(entries) if sort else entries:
        archive.add(name, entries[name], level)
    archive.close()
    return out.getvalue()


def write_zip(path: Path, build):
    """path as the zip that build(writer) writes (a fresh file: a link to a kept copy is not written through);
    returns what build returns."""
    path.unlink(missing_ok=True)
    with path.open("wb") as handle:
        archive = ZipWriter(handle)
        made = build(archive)
        archive.close()
    return made
