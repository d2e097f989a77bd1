"""Filling a template within a fixed budget of time and memory, whatever the template asks for.

A template is a small program, and templates arrive by e-mail. Jinja's sandbox stops one reaching
Python's internals, and sandbox.py stops the obvious ways of building text without limit, but
neither can bound what a template does in general: three ``{% for %}`` loops nested over
``range(10000)`` run for days, ``{{ (s ~ s ~ s ~ s)|replace('1', s) }}`` builds gigabytes, and a
filter's regular expression runs in C where no check can interrupt it. Before this module, such a
template uploaded on the web kept a server thread busy until the server was stopped, and on
SQLite held the write lock, so nobody could log in or save anything.

So every template is filled (drafting, checking, preview) in a worker process:

- **memory**: the worker's address space is capped by the kernel (``RLIMIT_AS``) at what it had
  when it started plus ``memory_budget()``; an allocation beyond it fails with MemoryError in the
  worker, which answers with a refusal and is then replaced (Windows has no such limit: there only
  the time budget holds, and the docs say so);
- **time**: the caller waits ``seconds_budget()`` for the answer, then kills the worker and refuses.

Either refusal is one line naming the template and what it asked for. Nothing else changes: the
worker runs the same functions the caller would have run, and returns the same bytes and text, or
the same refusal (CorrespondenceError pickles with its field and steps).

Why a worker that lives on, rather than a process per letter: the bundled letter takes about 3 ms
to fill, and starting a process takes longer than that. A kept worker costs one round trip over a
pipe (well under a millisecond); benchmarks/drafting.py measures it against the draft it is part of.
Workers are forked where the caller has a single thread (the command line: a fork costs a few
milliseconds and is safe there) and otherwise come from multiprocessing's fork server (the web
workspace, whose other threads may hold locks a fork would copy held).
"""

from __future__ import annotations

import gc
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from correspondence.records.errors import CorrespondenceError, Step
from correspondence.records.settings import number_from_environment

SECONDS_VARIABLE = "CORR_TEMPLATE_SECONDS"
MEMORY_VARIABLE = "CORR_TEMPLATE_MEMORY_MB"
DEFAULT_SECONDS = 10.0  # a real letter fills in a few milliseconds; SQLite writers wait 30 s before giving up
DEFAULT_MEMORY_MB = 512  # beyond the worker's own; a real letter needs a few MB
IDLE_KEPT = 2  # workers kept waiting per process; more are started while several fill at once
PARENT_CHECK_SECONDS = 30  # how often an idle worker checks that whoever started it is still there
PRELOADED = ["correspondence.drafting.rendering"]  # what the fork server imports once, for every worker it forks


def seconds_budget() -> float:
    """How long one template may take to fill in (CORR_TEMPLATE_SECONDS, default 10)."""
    return number_from_environment(SECONDS_VARIABLE, DEFAULT_SECONDS, 0.1, 600)


def memory_budget() -> int:
    """How many bytes one template may use beyond the worker's own (CORR_TEMPLATE_MEMORY_MB, default 512 MB)."""
    return int(number_from_environment(MEMORY_VARIABLE, DEFAULT_MEMORY_MB, 16, 65536)) * 1024 * 1024


class OverBudget(CorrespondenceError):
    """A template that ran over the time or memory a template may use: nothing was made from it."""


def run_bounded(function: Callable[..., Any], template: Path, *args: Any, steps: tuple[Step, ...] = ()) -> Any:
    """``function(template, *args)``, run in a worker within the budget: its result, or the
    refusal it raised, or OverBudget (naming the template, with ``steps``) when it ran over
    time or memory.

    ``function`` must be a module-level function (it is named to the worker, not sent)."""
    worker = _take()
    finished = False
    try:
        worker.connection.send((os.getcwd(), function, (template, *args)))  # a path given relative to our folder
        if not worker.connection.poll(seconds_budget()):
            raise _over_time(template, steps)
        try:
            outcome, value = worker.connection.recv()
        except EOFError:  # the worker ended without answering: killed by the kernel, or by a signal
            raise _over_memory(template, steps) from None
        if outcome == "memory":
            raise _over_memory(template, steps)
        finished = True
    finally:
        if finished:
            _give_back(worker)
        else:
            worker.stop()
    if outcome == "refused":
        raise value
    if outcome == "crashed":  # a bug in the tool, not the template: shown with the worker's traceback
        raise RuntimeError(f"filling in template {template.name} failed in the worker process:\n{value}")
    return value


def _over_time(template: Path, steps: tuple[Step, ...]) -> OverBudget:
    return OverBudget(
        f"template {template.name} was still being filled in after {seconds_budget():g} seconds, the most a template "
        "may take (a real letter takes a fraction of a second); it probably loops far too many times, so nothing was made from it",
        steps=steps)


def _over_memory(template: Path, steps: tuple[Step, ...]) -> OverBudget:
    return OverBudget(
        f"template {template.name} asked for more than {memory_budget() // (1024 * 1024):,} MB of memory while being "
        "filled in, the most a template may use (a real letter needs a few MB); it probably builds text without limit, "
        "so nothing was made from it",
        steps=steps)


@dataclass
class _Worker:
    process: Any
    connection: Any
    memory: int  # the budget it was started with: a worker started under another is not reused

    def stop(self) -> None:
        """End the worker now, whatever it is doing (it may be deep in a runaway loop)."""
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


_idle: list[_Worker] = []
_idle_lock = threading.Lock()
_owner_pid = os.getpid()


def _take() -> _Worker:
    global _owner_pid
    with _idle_lock:
        if _owner_pid != os.getpid():  # a forked copy of this process: its parent's workers are not its own
            _idle.clear()
            _owner_pid = os.getpid()
        memory = memory_budget()
        while _idle:
            worker = _idle.pop()
            if worker.process.is_alive() and worker.memory == memory:
                return worker
            worker.stop()
    return _start(memory)


def _give_back(worker: _Worker) -> None:
    with _idle_lock:
        if len(_idle) < IDLE_KEPT and _owner_pid == os.getpid():
            _idle.append(worker)
            return
    worker.stop()


def _start(memory: int) -> _Worker:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOADED)
    else:  # Windows: a fresh interpreter per worker (about a second, once per worker kept)
        context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    # A forked worker is born holding our end of the pipe too, and must close it: else, were this
    # process killed, the worker would wait for its next letter for ever instead of seeing the pipe close.
    ours_in_worker = ours if context.get_start_method() == "fork" else None
    process = context.Process(target=_serve, args=(theirs, memory, ours_in_worker), daemon=True, name="corr-template-worker")
    process.start()
    theirs.close()
    return _Worker(process, ours, memory)


def _serve(connection: Any, memory: int, callers_end: Any = None) -> None:
    """The worker: fill templates as asked until the pipe closes or its parent is gone, within
    ``memory`` bytes more than it holds now."""
    gc.freeze()  # nothing copied from the parent is ever finalised here (a database connection would close the parent's socket)
    if callers_end is not None:
        callers_end.close()
    parent = os.getppid()
    _limit_memory(memory)
    while True:
        try:
            while not connection.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:  # the caller (or the fork server) was killed: nobody will ask again
                    return
            folder, function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            os.chdir(folder)  # the caller's: a worker outlives the folder it was started in
            answer: tuple[str, Any] = ("done", function(*args))
        except MemoryError:
            answer = ("memory", None)
        except CorrespondenceError as error:
            answer = ("refused", error)
        except Exception:  # noqa: BLE001 - a bug, reported to the caller with its traceback
            answer = ("crashed", traceback.format_exc())
        try:
            connection.send(answer)
        except MemoryError:
            connection.send(("memory", None))
        if answer[0] == "memory":
            return  # a worker that ran out of memory is not trusted with the next letter


def _limit_memory(memory: int) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: the time budget still holds
        return
    try:
        with open("/proc/self/statm") as statm:
            held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    limit = held + memory
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
