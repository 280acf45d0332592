"""Run a reader on one input in a forked child under a memory limit and a time limit.

An allocation bomb does not raise in the reader: calamine's Rust code aborts the process (exit
134) when an allocation fails, and a Python reader would first take all the memory there is.
So each input is read in a child process (``os.fork``: nothing is imported again) whose
address space is capped (``RLIMIT_AS``) a little above what the parent uses, and the parent
tells a clean result or refusal from anything else: another exception, an abort, a kill.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Callable
from typing import Any

#: Address space a reader may add to what the test process already has.
MEMORY = 1024 * 1024 * 1024
SECONDS = 30


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def outcome(
    read: Callable[[], Any], clean: tuple[type[BaseException], ...], *, memory: int = MEMORY
) -> str:
    """ "ok" (a result), "refused" (one of the ``clean`` error types), or what went wrong."""
    reader_end, writer_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(reader_end)
            limit = _address_space() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            signal.alarm(SECONDS)
            try:
                read()
                message = "ok"
            except clean:
                message = "refused"
            except BaseException as exc:  # the very thing the fuzzing looks for
                message = f"raised {type(exc).__name__}: {str(exc)[:300]}"
            os.write(writer_end, message.encode("utf-8", "replace"))
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    os.close(writer_end)
    with os.fdopen(reader_end, "rb") as pipe:
        message = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)} ({message or 'no result'})"
    if os.WEXITSTATUS(status) != 0:
        return f"exit status {os.WEXITSTATUS(status)}"
    return message
