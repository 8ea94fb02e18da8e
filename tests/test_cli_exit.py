"""``gazette``'s exit (pipeline.cli.exit_without_teardown): the same exit code, output and exit
handlers as ``sys.exit``, without the interpreter's teardown; the usual exit when a thread still
runs or the code is a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


EXIT_AFTER = """
import atexit, sys, threading, time
from pipeline.cli import exit_without_teardown
atexit.register(lambda: print("handler ran"))
class Noisy:
    def __del__(self):
        print("torn down")  # only an interpreter teardown frees a module-level object
kept = Noisy()
print("output", end="")  # buffered: lost unless flushed
{before}
exit_without_teardown({code})
"""


def test_exit_code_output_and_handlers_as_sys_exit_without_teardown():
    done = run_python(EXIT_AFTER.format(before="", code=3))
    assert done.returncode == 3
    assert done.stdout == "outputhandler ran\n"  # flushed, handlers run, no teardown (no "torn down")


def test_success_is_code_zero():
    assert run_python(EXIT_AFTER.format(before="", code=None)).returncode == 0


def test_a_running_thread_gets_the_usual_exit():
    """An interpreter exit waits for non-daemon threads; os._exit would cut them off."""
    before = "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()"
    done = run_python(EXIT_AFTER.format(before=before, code=4))
    assert done.returncode == 4
    assert "thread done" in done.stdout and "torn down" in done.stdout


def test_a_message_exits_as_sys_exit_does():
    done = run_python(EXIT_AFTER.format(before="", code="'error: no such thing'"))
    assert done.returncode == 1
    assert "error: no such thing" in done.stderr


def test_the_command_line_keeps_its_exit_codes(tmp_path):
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "pipeline.cli"]
    missing = subprocess.run([*cli, "sql", "select 1", "--db", str(tmp_path / "none.duckdb")], env=env,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no warehouse here yet" in missing.stderr
    usage = subprocess.run([*cli, "no-such-command"], env=env, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
    helped = subprocess.run([*cli, "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "ingest" in helped.stdout
