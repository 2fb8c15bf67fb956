"""The work folder's state files (what the last build made, the caches' manifests): written so that a
power loss cannot leave one half-written, and read so that a damaged one is never fatal.

A state file is written beside itself, flushed to the disk (fsync), renamed over the old one and the
folder flushed, so that after a crash it is either the old file or the new one. One found empty,
truncated, not JSON or of another shape is discarded with a one-line notice, and the build goes on as
if it had never been written: what it described is made again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_durably(path: Path, content: bytes) -> None:
    """path holds content, or (after a crash at any point) what it held before."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    sync_folder_entry(path.parent)


def sync_folder_entry(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems refuse fsync on a folder: the rename is as durable as they make it
        pass
    finally:
        os.close(handle)


def write_json(path: Path, value: dict) -> None:
    write_durably(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def _raw(path: Path, label: str | None) -> bytes | None:
    """The bytes of a state file; None when it is missing, or unreadable (then discarded, with a notice)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        return _discard(path, label, f"unreadable ({error.strerror or error})")


def read_json(path: Path, label: str | None = None) -> dict | None:
    """The object a state file holds; None when it is missing, or damaged (then discarded, with a notice)."""
    raw = _raw(Path(path), label)
    if raw is None:
        return None
    if not raw.strip():
        return _discard(path, label, "empty")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _discard(path, label, "truncated or not JSON")
    if not isinstance(value, dict):
        return _discard(path, label, f"a JSON {type(value).__name__}, not an object")
    return value


def _discard(path: Path, label: str | None, why: str) -> None:
    print(f"  notice: {label or path} was damaged ({why}): discarded, and what it described is made again", flush=True)
    try:
        path.unlink()
    except OSError:
        pass
    return None
