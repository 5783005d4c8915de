"""Commands piped into ``head``: a reader that goes away ends them quietly (status 141)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from yiwang.core import audit
from yiwang.core.management.base import EXIT_BROKEN_PIPE

YIWANG = Path(sys.executable).with_name("yiwang")


class ClosedPipe(io.StringIO):
    """stdout after ``head`` has read its lines and exited."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [("audit", "tail"), ("calendar", "show", "2026"), ("validate", "uscc", "91350100M000100Y43")],
)
def test_broken_pipe_ends_the_command_with_status_141(args):
    audit.record("test.event")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(*args, stdout=ClosedPipe(), stderr=err)
    assert exit_.value.code == EXIT_BROKEN_PIPE == 141
    assert err.getvalue() == ""


def test_console_script_piped_into_a_closed_reader_prints_no_traceback(tmp_path):
    env = {**os.environ, "YIWANG_DATA_DIR": os.environ.get("YIWANG_DATA_DIR", str(tmp_path))}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes anything
    try:
        done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(YIWANG), "validate", "person-id", "11010519491231002X"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")
