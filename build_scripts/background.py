"""Work that runs beside the build in a forked process: the downloads, while charts, pages and
MkDocs take their turn. On two cores the pages and the catalogue use one core; the downloads
fill the other.

A background task dies with the build (even a build killed with SIGKILL), its exceptions are
raised again in the build, and it is killed when the build fails before asking for its result.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import time


def release_freed_memory() -> None:
    """Give the memory this process has freed back to the system, before it forks.

    glibc keeps freed heap pages mapped for reuse. A page that is shared with a forked child and then
    reused by the build is copied, and the child keeps the old one: at 1.3 million rows the children
    held a few hundred megabytes of the build's garbage.
    """
    arrow = sys.modules.get("pyarrow")  # not imported: it holds no memory (a no-op build never imports it)
    if arrow is not None:
        arrow.default_memory_pool().release_unused()  # Arrow's allocator keeps its freed pages too
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the build only takes more memory


def die_with_parent() -> None:
    """In a child process: ask Linux to kill it when the build that started it dies (even by SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass  # not Linux: the pipeline still waits for leftovers before the next build


class BackgroundTask:
    """function(*args) in a forked process; result() gives (its return value, its seconds)."""

    def __init__(self, function, *args):
        context = multiprocessing.get_context("fork")
        release_freed_memory()
        self._receive, send = context.Pipe(duplex=False)
        # Objects that exist now are left out of the child's garbage collections, so that the child
        # does not touch, and copy, the pages of the build's large tables.
        gc.freeze()
        # Not a daemon, so that a task may start tasks of its own; it still dies with the build
        # (die_with_parent) and is killed by cancel().
        self._process = context.Process(target=_run, args=(send, function, args), daemon=False)
        self._process.start()
        gc.unfreeze()
        send.close()

    def result(self):
        try:
            outcome, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"a background step ended without a result (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if outcome == "error":
            raise value
        return value

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _run(send, function, args) -> None:
    die_with_parent()
    start = time.perf_counter()
    try:
        send.send(("ok", (function(*args), time.perf_counter() - start)))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the build, which reports it
        try:
            send.send(("error", error))
        except Exception:  # an exception that cannot be pickled is sent as its description
            send.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
