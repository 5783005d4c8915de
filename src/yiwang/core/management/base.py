"""What the project's management commands share."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand

__all__ = ["EXIT_BROKEN_PIPE", "PipeFriendlyCommand"]

# What a shell reports for a program ended by SIGPIPE (128 + 13); distinct from the commands'
# own statuses (``audit verify`` exits 1 for a broken chain).
EXIT_BROKEN_PIPE = 141


class PipeFriendlyCommand(BaseCommand):
    """A command whose output may be piped into ``head`` or ``less`` and cut short.

    When the reader goes away, Python raises ``BrokenPipeError`` at the next write or at the
    final flush and prints a traceback. Here the output is flushed inside the command, and a
    broken pipe ends it quietly with status 141, like a program killed by SIGPIPE.
    """

    def execute(self, *args, **options):
        try:
            try:
                return super().execute(*args, **options)
            finally:
                self.stdout.flush()
        except BrokenPipeError:
            _silence_stdout(self.stdout)
            raise SystemExit(EXIT_BROKEN_PIPE) from None


def _silence_stdout(stream) -> None:
    # Python flushes sys.stdout once more at exit; pointed at /dev/null, that flush cannot fail
    # again ("Exception ignored … BrokenPipeError"). Only the process's own stdout is redirected
    # (not a stream handed in by call_command).
    if getattr(stream, "_out", stream) is not sys.stdout:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (an in-memory stream)
        pass
