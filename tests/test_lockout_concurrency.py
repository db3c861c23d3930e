"""The lock-out under concurrent guesses: 20 threads in each of 2 processes guess at one name at once, then try its
right password; at most 5 wrong passwords are ever checked against the hash, and the right one is refused while the
lock holds, with one `sign_in_locked` audit entry per attempt refused as locked."""

import json
import subprocess
import sys
from collections import Counter

from fupin.auth import accounts, audit
from fupin.settings import PROJECT_ROOT

PASSWORD = "walnut-2018!"
THREADS = 20
PROCESSES = 2

# One process of guessers: counts its hash checks, waits for "go" on stdin so both processes start together, then 20
# threads each try a wrong password and, once all 20 have their answer, the right one; prints what it saw as JSON.
GUESSER = """
import json, sys, threading
from argon2 import PasswordHasher
from fupin.auth import accounts

data, password, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
checked = []

class CountingHasher(PasswordHasher):
    def verify(self, hash, password):
        checked.append(1)
        return super().verify(hash, password)

accounts.HASHER = CountingHasher()
wrong, right = [], []
all_guessed = threading.Barrier(threads)

def guess(i):
    wrong.append(accounts.verify_password(data, "li", f"wrong-{i}").status)
    all_guessed.wait()
    right.append(accounts.verify_password(data, "li", password).status)

threads = [threading.Thread(target=guess, args=(i,)) for i in range(threads)]
print("ready", flush=True)
sys.stdin.readline()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"wrong": wrong, "right": right, "checked": len(checked)}))
"""


def test_concurrent_guesses_in_two_processes_check_at_most_five_wrong_passwords(tmp_path):
    accounts.add_user(tmp_path, "li", "clerk", "140827", PASSWORD)
    guessers = [subprocess.Popen([sys.executable, "-c", GUESSER, str(tmp_path), PASSWORD, str(THREADS)], cwd=PROJECT_ROOT,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for _ in range(PROCESSES)]
    for guesser in guessers:   # both imported and their threads built: start them together
        assert guesser.stdout.readline() == "ready\n"
    for guesser in guessers:
        guesser.stdin.write("go\n")
        guesser.stdin.flush()
    seen = [json.loads(guesser.communicate(timeout=120)[0]) for guesser in guessers]
    assert [guesser.returncode for guesser in guessers] == [0] * PROCESSES

    assert sum(s["checked"] for s in seen) == 5, "exactly the 5 wrong guesses that set the lock reached the hash"
    wrong = Counter(status for s in seen for status in s["wrong"])
    assert wrong == {"wrong": 4, "locked": PROCESSES * THREADS - 4}   # the 5th failure answers "locked" already
    assert [status for s in seen for status in s["right"]] == ["locked"] * PROCESSES * THREADS

    entries = audit.entries(tmp_path)
    actions = Counter(e["action"] for e in entries)
    assert actions == {"sign_in_failed": 5, "sign_in_locked": wrong["locked"] + PROCESSES * THREADS}
    assert [e["reason"] for e in entries if e["action"] == "sign_in_failed"] == [accounts.REFUSAL_WRONG] * 5
    assert len({e["until"] for e in entries if e["action"] == "sign_in_locked"}) == 1, "one lock, never renewed"
