"""Large downloads made again a block at a time: after one changed value, the whole-table JSON, the
compressed CSV and database, the workbook and the package zip are the last build's bytes, but for the
block that holds the changed row.

A file's body is a run of blocks, each with a key (what its bytes are made from). Compressed, each block
is deflated on its own (a fresh compressor, ended at a byte boundary by a sync flush), so that a block of
the last build's file can be copied into the new one as it is; the blocks still make one deflate stream,
which every gzip and zip reader reads, and the file's CRC-32 is put together from the blocks' own
(crc32_combine, as zlib's). Each kept file's blocks (key, offset, compressed and plain length, CRC) are
kept with it (kept_downloads.py), and a block whose key the last build's file has is copied from it.

Blocks of rows are cut where a row's hash says (row_blocks: content-defined, as rsync and restic cut
files), so that rows inserted or removed change only the blocks they fall in, not every block after
them. A file with no rows of its own (the database) is cut every BLOCK_BYTES, keyed by its bytes' digest.
The same blocks give the same bytes, so a rebuild's file is its clean build's, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

BLOCK_ROWS = 4096  # rows in a block, on average (a power of two: a cut where a hash's top bits are zero)
MAX_BLOCK_ROWS = 4 * BLOCK_ROWS
BLOCK_BYTES = 1 << 20  # a file cut by its bytes
SYNC_END = b"\x00\x00\xff\xff"  # the empty stored block a sync flush ends with
FINAL_BLOCK = b"\x03\x00"  # an empty final deflate block: the end of the stream
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\xff"  # deflate; no name, no time; fastest; OS unknown

Piece = tuple[str, Callable[[], bytes]]  # a block's key, and what makes its bytes (called only if not kept)


def row_blocks(hashes: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each block of rows: a block ends after a row whose hash, mixed, has its top 12
    bits zero (BLOCK_ROWS on average), or at MAX_BLOCK_ROWS rows."""
    mixed = (hashes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - BLOCK_ROWS.bit_length() + 1)
    cuts = (np.flatnonzero(mixed == 0) + 1).tolist()
    blocks, start = [], 0
    for stop in [*cuts, len(hashes)]:
        while stop - start > MAX_BLOCK_ROWS:
            blocks.append((start, start + MAX_BLOCK_ROWS))
            start += MAX_BLOCK_ROWS
        if stop > start:
            blocks.append((start, stop))
            start = stop
    return blocks


def key_of(*parts: bytes | str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


class LastFile:
    """The last build's copy of a file and its blocks: key -> (offset, compressed length, plain length, CRC).
    A block is read when it is taken (not mapped: the pages of a mapped file count in the build's memory)."""

    def __init__(self, path: Path | None = None, index: list | None = None):
        self.blocks = {key: (offset, packed, raw, crc) for key, offset, packed, raw, crc in index or ()}
        self.path, self._handle = path, None

    def has(self, key: str) -> bool:
        return key in self.blocks

    def take(self, key: str) -> tuple[bytes, int, int]:
        """The block's bytes as they are in the file, its plain length and CRC."""
        if self._handle is None:
            self._handle = self.path.open("rb")
        offset, packed, raw, crc = self.blocks[key]
        return os.pread(self._handle.fileno(), packed, offset), raw, crc


class Stream:
    """A body of blocks written to an open file, deflated at level (None: as they are), each block copied
    from last where it has the block's key. index: what kept_downloads keeps of each block."""

    def __init__(self, handle, last: LastFile, level: int | None):
        self.handle, self.last, self.level = handle, last, level
        self.index: list[list] = []
        self.crc = self.raw = self.packed = 0
        self.made = 0

    def write(self, pieces: Iterable[Piece]) -> Stream:
        for piece_key, make in pieces:
            key = f"{self.level}/{piece_key}"  # a block deflated at another level is not this one
            if self.last.has(key):
                body, raw, crc = self.last.take(key)
            else:
                plain = make()
                raw, crc = len(plain), zlib.crc32(plain)
                body = plain if self.level is None else _deflated(plain, self.level)
                self.made += 1
            self.index.append([key, self.handle.tell(), len(body), raw, crc])
            self.handle.write(body)
            self.crc = crc32_combine(self.crc, crc, raw)
            self.raw += raw
            self.packed += len(body)
        return self

    def end(self) -> None:
        """The end of a deflate stream (nothing for a stream of plain blocks)."""
        if self.level is not None:
            self.handle.write(FINAL_BLOCK)
            self.packed += len(FINAL_BLOCK)


def _deflated(plain, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(plain) + compressor.flush(zlib.Z_SYNC_FLUSH)


def write_file(path: Path, pieces: Iterable[Piece], last: LastFile, level: int | None = None) -> Stream:
    """path as the blocks one after the other: plain (level None) or a gzip file of one deflate stream."""
    path.unlink(missing_ok=True)  # a link to the kept copy is never written through
    with path.open("wb") as handle:
        if level is not None:
            handle.write(GZIP_HEADER)
        stream = Stream(handle, last, level).write(pieces)
        stream.end()
        if level is not None:
            handle.write(struct.pack("<II", stream.crc, stream.raw & 0xFFFFFFFF))
    return stream


def file_pieces(path: Path) -> Iterable[Piece]:
    """A file cut every BLOCK_BYTES, each block keyed by its bytes' digest; read a block at a time."""
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            yield hashlib.sha1(block, usedforsecurity=False).hexdigest(), lambda block=block: block


# CRC-32 of two runs of bytes put together from theirs, as zlib's crc32_combine (which Python's zlib does
# not offer): crc1 multiplied by x^(8 * len2) modulo the CRC polynomial, then crc2 added.
POLY = 0xEDB88320


def _multiply(a: int, b: int) -> int:
    """a * b modulo the polynomial, in zlib's reflected bit order."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if a & (m - 1) == 0:
                return p
        m >>= 1
        b = (b >> 1) ^ POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    powers, p = [], 1 << 30  # x^1
    for _ in range(32):
        powers.append(p)
        p = _multiply(p, p)
    return powers


X_2N = _powers()  # x^(2^n) modulo the polynomial


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B, given A's, B's and B's length."""
    p, k = 1 << 31, 3  # x^0; bytes are 2^3 bits
    while len2:
        if len2 & 1:
            p = _multiply(X_2N[k & 31], p)
        len2 >>= 1
        k += 1
    return _multiply(p, crc1) ^ crc2
