"""`python -m fupin` for the tests, each run in a process of its own, forked from one that has already imported the
command line's modules: a run costs its command, not the half second of imports before it (~140 runs a session).

`serve()` is that process (one per test worker, started at the first run): it reads one request a line (arguments,
environment, working folder, files for stdin/stdout/stderr) and forks a child that runs `fupin/__main__.py` as
`python -m fupin` does, then answers with the child's pid and, once it ends, its exit status.
"""

import json
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
import warnings
from pathlib import Path

from fupin.settings import PROJECT_ROOT

# What the commands import when they run (fupin/cli imports them inside the command), imported once before the forks.
PRELOADED = ["fupin.cli.main", "fupin.demo", "fupin.deploy.checks", "fupin.deploy.probe", "fupin.deploy.render",
             "fupin.ledger.columns", "fupin.ledger.files", "fupin.ledger.importer", "fupin.ledger.replacing",
             "fupin.push.place", "fupin.push.runner", "fupin.push.subscriptions", "fupin.query.choices",
             "fupin.query.db", "fupin.query.filters", "fupin.query.scope", "fupin.report.brief",
             "fupin.report.briefing", "fupin.report.briefing_pdf", "fupin.store.backup", "fupin.store.retention",
             "fupin.store.sync", "fupin.store.upgrade"]


def serve() -> None:
    """Answer requests on stdin until it closes; every command runs in a child forked from this process."""
    warnings.filterwarnings("ignore", category=FutureWarning)   # as fupin.cli.main does before its imports
    for name in PRELOADED:
        __import__(name)
    requests, answers = sys.stdin.buffer, sys.stdout
    while line := requests.readline():
        request = json.loads(line)
        answers.flush()
        pid = os.fork()
        if pid == 0:
            _run_child(request)
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


def _run_child(request: dict) -> None:
    """In the child: the request's folder, environment and files, then `python -m fupin ARGS`; never returns."""
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, path, flags in ((0, request["stdin"], os.O_RDONLY), (1, request["stdout"], os.O_WRONLY),
                                (2, request["stderr"], os.O_WRONLY)):
            opened = os.open(path, flags)
            os.dup2(opened, fd)
            os.close(opened)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.argv = [str(PROJECT_ROOT / "fupin" / "__main__.py"), *request["args"]]
        runpy.run_module("fupin", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as e:
        code = _exit_status(e.code)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def _exit_status(code) -> int:
    """The status `sys.exit(code)` gives a process: None is 0, a number itself, anything else printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


class Forker:
    """The test side: starts `serve()` at the first run and sends it one run at a time."""

    def __init__(self):
        self._server: subprocess.Popen | None = None
        self._log: Path | None = None
        self._lock = threading.Lock()

    def run(self, args: list[str], env: dict, input: str | None, timeout: float) -> subprocess.CompletedProcess:
        """One run, as `subprocess.run(capture_output=True, text=True)` gives it; a second run asked for while one
        is running (from another thread) gets a process started from scratch instead."""
        if not self._lock.acquire(blocking=False):
            return from_scratch(args, env, input, timeout)
        try:
            return self._run(args, env, input, timeout)
        finally:
            self._lock.release()

    def _run(self, args, env, input, timeout) -> subprocess.CompletedProcess:
        server = self._started()
        with tempfile.TemporaryDirectory(prefix="fupin-cli-") as folder:
            files = {name: Path(folder) / name for name in ("stdin", "stdout", "stderr")}
            files["stdin"].write_text(input or "", encoding="utf-8")
            for name in ("stdout", "stderr"):
                files[name].touch()
            request = {"args": args, "env": env, "cwd": str(PROJECT_ROOT), **{k: str(v) for k, v in files.items()}}
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            pid = self._answer(server)["pid"]
            killed = threading.Event()
            timer = threading.Timer(timeout, _kill, (pid, killed))
            timer.start()
            try:
                status = self._answer(server)["status"]
            finally:
                timer.cancel()
            stdout, stderr = (files[name].read_text(encoding="utf-8") for name in ("stdout", "stderr"))
            command = [sys.executable, "-m", "fupin", *args]
            if killed.is_set():
                raise subprocess.TimeoutExpired(command, timeout, stdout, stderr)
            return subprocess.CompletedProcess(command, status, stdout, stderr)

    def _answer(self, server: subprocess.Popen) -> dict:
        if line := server.stdout.readline():
            return json.loads(line)
        raise RuntimeError(f"the command-line runner's process ended: {self._log.read_text(errors='replace')[-2000:]}")

    def _started(self) -> subprocess.Popen:
        if self._server is None or self._server.poll() is not None:
            log, name = tempfile.mkstemp(prefix="fupin-cli-runner-", suffix=".log")   # its own errors, if any
            self._log = Path(name)
            self._server = subprocess.Popen(
                [sys.executable, "-c", "import cli_process; cli_process.serve()"], cwd=PROJECT_ROOT, encoding="utf-8",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT / "tests"), str(PROJECT_ROOT)])})
            os.close(log)
        return self._server


def _kill(pid: int, killed: threading.Event) -> None:
    killed.set()
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:   # it ended as the time ran out
        pass


def from_scratch(args: list[str], env: dict, input: str | None, timeout: float) -> subprocess.CompletedProcess:
    """`python -m fupin ARGS` started from scratch, as a person starts it."""
    return subprocess.run([sys.executable, "-m", "fupin", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          input=input, timeout=timeout, env=env)
