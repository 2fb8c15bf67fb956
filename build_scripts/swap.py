"""Putting a new site in place: all of it or none of it.

The build renders into a staging folder; here it is checked that the output folder can be written,
one build at a time holds the work folder, and the staged site is swapped in with one atomic exchange
(renameat2) where the system has it, else two renames undone on failure. An interrupted swap is
recovered on the next build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


def check_writable(out: Path) -> None:
    """Fail before any work when the site cannot be replaced (root ignores permissions: try it)."""
    existing = next(p for p in (out, *out.parents) if p.exists() or p.is_symlink())
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{existing} is a file, not a folder", str(out))
    folder = existing if existing != out else out.parent
    for path in {folder, *([out] if out.exists() else [])}:
        if not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, "permission denied (the folder is not writable)", str(path))
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{out.name}.probe-", dir=folder)
    except OSError as error:
        error.filename = str(folder)
        raise
    os.close(handle)
    with contextlib.suppress(FileNotFoundError):  # another build's clean-up may have removed it already
        os.unlink(probe)


@contextmanager
def build_lock(work: Path):
    """One build at a time per work folder: a second one fails at once instead of mixing the two."""
    work.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    with open(work / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BlockingIOError(
                errno.EWOULDBLOCK, "another build is running with the same work folder", str(work)
            ) from None
        yield


def wait_for_stale_writers(work: Path, timeout: float = 120.0) -> None:
    """Wait for MkDocs processes that a killed build left behind and that still write into work/staging.

    MkDocs runs in child processes; when the build itself is killed (SIGKILL) they run on and would
    write into the staging folder of the next build. This build's own are not waited for. Linux only
    (reads /proc); elsewhere a no-op.
    """
    deadline = time.monotonic() + timeout
    announced = False
    while stale := _mkdocs_processes_of(work):
        if time.monotonic() > deadline:
            pids = ", ".join(map(str, stale))
            raise BlockingIOError(errno.EBUSY, f"MkDocs of an earlier build (pid {pids}) is still running", str(work))
        if not announced:
            print(f"  waiting for MkDocs of an interrupted build (pid {', '.join(map(str, stale))})", flush=True)
            announced = True
        time.sleep(0.05)


def _mkdocs_processes_of(work: Path) -> list[int]:
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    prefixes = tuple({os.path.join(str(work), "mkdocs."), os.path.join(str(work.resolve()), "mkdocs.")})
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mkdocs" in args and any(os.fsdecode(a).startswith(prefixes) and a.endswith(b".yml") for a in args):
            if _parent_of(entry) != os.getpid():  # this build's own (engine.MkDocsProcesses) wait for its word
                found.append(int(entry.name))
    return sorted(found)


def _parent_of(process: Path) -> int | None:
    """The parent's pid of a /proc/<pid> entry (the fourth field of its stat, after the name in brackets)."""
    try:
        return int((process / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def recover_interrupted_publish(out: Path) -> None:
    """Undo what a build killed during its publish step left beside the site.

    Where the file system cannot swap two folders in one step, the previous site is moved aside
    to .<out>.old for a moment; if the build died right then, put it back.
    """
    old, near = out.parent / f".{out.name}.old", out.parent / f".{out.name}.new"
    if old.is_dir() and not out.exists():
        os.rename(old, out)
    probes = out.parent.glob(f".{out.name}.probe-*") if out.parent.is_dir() else []
    for leftover in (old, near, *probes):  # and the empty file of a writability check (see check_writable)
        _remove(leftover, quietly=True)


def publish(new_site: Path, out: Path, then=None) -> None:
    """Swap the finished site into place in one step; the old one stays whole until the swap.

    `then` runs right after the swap (it replaces the root datapackage.json); if it fails, the
    swap is undone, so the site and the descriptor change together or not at all.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    near = out.parent / f".{out.name}.new"
    old = out.parent / f".{out.name}.old"
    try:
        if os.stat(new_site).st_dev != os.stat(out.parent).st_dev:  # another file system: copy next to it first
            _remove(near)
            shutil.copytree(new_site, near)
            new_site = near
        if out.exists() and _exchange(new_site, out):
            previous = new_site  # the previous site now lives where the new one was

            def undo():
                _exchange(new_site, out)

        else:  # no atomic exchange here: two renames, the old site put back on failure
            _remove(old)
            if out.exists():
                os.rename(out, old)
            try:
                os.rename(new_site, out)
            except OSError:
                if old.exists():
                    os.rename(old, out)  # put the previous site back exactly as it was
                raise
            previous = old

            def undo():
                os.rename(out, new_site)
                if old.exists():
                    os.rename(old, out)

        try:
            if then is not None:
                then()
        except BaseException:
            undo()
            raise
        if previous != new_site:  # moved aside beside the site: removed here; else the caller discards it
            _remove(previous, quietly=True)
    finally:
        _remove(near, quietly=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


TRASH = ".trash"


def discard(path: Path, work: Path) -> None:
    """Remove a folder without waiting for it: renamed at once into work/.trash (the same file system),
    and deleted there by a process of its own, which the build does not wait for (deleting the previous
    site took seconds of every rebuild). Where the rename fails, it is deleted here."""
    if not (path.exists() or path.is_symlink()):
        return
    try:
        trash = work / TRASH
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(path, Path(tempfile.mkdtemp(dir=trash)) / path.name)
    except OSError:
        _remove(path, quietly=True)
        return
    empty_trash(work)


def empty_trash(work: Path) -> None:
    """Delete what is in work/.trash in a detached process (a build killed before left some too)."""
    trash = work / TRASH
    leftovers = sorted(str(p) for p in trash.iterdir()) if trash.is_dir() else []
    if leftovers:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, True)", *leftovers],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def write_atomically(path: Path, content: bytes) -> None:
    """path holds content or what it held before, even after a power loss (state.write_durably)."""
    from .state import write_durably

    try:
        write_durably(path, content)
    finally:
        _remove(path.parent / f".{path.name}.tmp", quietly=True)


def _remove(path: Path, quietly: bool = False) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError:
        if not quietly:
            raise
