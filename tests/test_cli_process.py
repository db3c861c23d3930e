"""The tests' command-line runner: a run forked from a process with the modules imported gives what `python -m fupin`
started from scratch gives, ends at its time limit, and two runs at once both finish."""

import os
import subprocess
import threading

import pytest
from cli_process import from_scratch
from conftest import copy_store, run_cli


@pytest.mark.parametrize("args", [
    ["--help"],
    ["brief", "--format", "json"],
    ["brief", "--township", "火星乡"],
    ["import", "purchases", "/nonexistent/采购.csv"],
])
def test_a_forked_run_gives_what_a_fresh_process_gives(tiny_store, args):
    forked = run_cli(*args, data=tiny_store.root)
    fresh = from_scratch(["--data", str(tiny_store.root), *args], dict(os.environ), None, 300)
    assert (forked.returncode, forked.stdout, forked.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)


def test_standard_input_reaches_the_command(tiny_store, tmp_path):
    data = copy_store(tiny_store, tmp_path / "data").root
    forked = run_cli("users", "add", "li", "--role", "clerk", "--scope", "140827", "--password-stdin",
                     data=data, input="secret-pass-1\n")
    assert forked.returncode == 0, forked.stderr
    assert "li" in run_cli("users", "list", data=data).stdout


def test_a_run_past_its_time_is_ended_and_reported_as_subprocess_does(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):
        run_cli("demo", data=tmp_path / "demo", timeout=0.5)
    assert run_cli("--help").returncode == 0      # the next run is served as before


def test_two_runs_at_once_both_finish(tiny_store):
    results = []
    threads = [threading.Thread(target=lambda: results.append(run_cli("brief", "--format", "json",
                                                                       data=tiny_store.root)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0] and results[0].stdout == results[1].stdout
