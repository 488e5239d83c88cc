"""Listens to the app through Orca: starts Truce Atlas on 1 May 2016 at noon (Damascus time),
presses the keys of the three uses a blind user starts with (and reads the story: each step said,
the instant held back), and checks what Orca said after
each key, from the `SPEECH OUTPUT` lines of its debug log. Run by tests/orca/run.sh.

    listen.py BINARY ORCA_DEBUG_LOG

Exits 1 naming every check that failed and what Orca said at that step.
"""

import json
import re
import subprocess
import sys
import time

SPEECH = re.compile(r"SPEECH OUTPUT: '(.*)'(\{.*\})?$")
# Hours since 1970 (the slider's number) are six digits in any year a dataset covers.
NUMBER = re.compile(r"\b\d{5,}\b")
START = "2016-05-01T12:00:00+03:00"


class Orca:
    """What Orca says, read from its log as it grows."""

    def __init__(self, log):
        self.log = log
        self.seen = 0

    def _new(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        said = [m.group(1) for m in map(SPEECH.search, lines[self.seen :]) if m]
        self.seen = len(lines)
        return said

    def listen(self, until=None, timeout=8.0, quiet=1.0):
        """Everything said from now on: until `until` matches an utterance (then `quiet`
        seconds more, for what follows it), or until `quiet` seconds pass without speech once
        something was said, or `timeout`."""
        said, end, last = [], time.time() + timeout, None
        while time.time() < end:
            new = self._new()
            if new:
                said += new
                last = time.time()
            done = until is None or any(re.search(until, s) for s in said)
            if last is not None and done and time.time() - last >= quiet:
                break
            time.sleep(0.05)
        return said

    def skip(self):
        """Forgets what was said so far."""
        self._new()


class App:
    def __init__(self, binary, args=("--at", START)):
        self.binary = binary
        self.process = subprocess.Popen(
            [binary, "--fresh", "--size", "1400x900", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Truce Atlas"],
            capture_output=True, text=True, timeout=60,
        )
        self.window = found.stdout.split()[0]
        # No window manager under Xvfb: give the window the focus as one would.
        subprocess.run(["xdotool", "windowfocus", "--sync", self.window], timeout=10)

    def key(self, key):
        subprocess.run(["xdotool", "key", "--window", self.window, key], check=True, timeout=10)

    def first_quote(self, zone, at):
        """The first quote behind a zone's status, from the command line's JSON."""
        out = subprocess.run(
            [self.binary, "status", "--at", at, "--format", "json"],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        z = next(z for z in json.loads(out)["zones"] if z["id"] == zone)
        return z["citations"][0]["quote"]

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def expect(self, step, said, pattern, once=False):
        self.count += 1
        hits = [s for s in said if re.search(pattern, s)]
        if not hits or (once and len(hits) > 1):
            times = "once" if once else "at least once"
            self.failures.append(f"{step}: expected {pattern!r} {times}, heard {said!r}")
        return bool(hits)

    def no_number(self, step, said):
        self.count += 1
        numbers = [s for s in said if NUMBER.search(s)]
        if numbers:
            self.failures.append(f"{step}: a number was spoken: {numbers!r}")


def press_until(app, orca, key, pattern, presses):
    """Presses `key` until Orca says something matching `pattern`; returns what it said."""
    for _ in range(presses):
        app.key(key)
        # Each press is said at once; what it says is checked after a short silence.
        said = orca.listen(timeout=3.0, quiet=0.4)
        if any(re.search(pattern, s) for s in said):
            # What follows it (a description) comes after the same short pause.
            return said + orca.listen(timeout=1.0, quiet=0.6)
    return said


def launch(app, orca, checks):
    said = orca.listen(until=r"frame\.?$", timeout=40.0)
    checks.expect("launch", said, r"^Truce Atlas — Syria, spring 2016.* frame\.?$")


def slider(app, orca, checks):
    said = press_until(app, orca, "Tab", r"^Instant slider", 40)
    checks.expect("Tab to the slider", said,
                  r"^Instant slider Sunday 1 May 2016, 12:00, Damascus, UTC\+3\.?$")
    checks.no_number("Tab to the slider", said)
    app.key("Next")
    said = orca.listen(until=r"Monday 2 May")
    checks.expect("Page Down on the slider", said,
                  r"^Monday 2 May 2016, 12:00, Damascus, UTC\+3$", once=True)
    checks.no_number("Page Down on the slider", said)


def zone(app, orca, checks):
    said = press_until(app, orca, "F6", r"^Zone Latakia: ", 6)
    checks.expect("F6 to the map", said, r"^Zone Latakia: In effect, contested, .* push button")
    app.key("Return")
    said = orca.listen(until=r"^Selected")
    checks.expect("Enter on the zone", said, r"^Selected Latakia: In effect, contested, ", once=True)
    quote = app.first_quote("latakia", "2016-05-02T12:00:00+03:00")
    app.key("F6")
    said = orca.listen(until=re.escape(quote))
    for _ in range(5):
        if any(quote in s for s in said):
            break
        app.key("Tab")
        said += orca.listen(until=re.escape(quote))
    checks.expect("F6 and at most 5 Tabs to the first quote", said, re.escape(quote))


def step_elsewhere(app, orca, checks):
    said = press_until(app, orca, "F6", r"^File push button", 6)
    checks.expect("F6 to the menus", said, r"^File push button")
    app.key("Next")
    said = orca.listen(until=r"Tuesday 3 May")
    checks.expect("Page Down on a menu button", said,
                  r"^Tuesday 3 May 2016, 12:00, Damascus, UTC\+3\. Latakia: ", once=True)
    checks.no_number("Page Down on a menu button", said)


def story(app, orca, checks):
    """Reading the story: each step's title and text is said, and the instant is not."""
    said = orca.listen(until=r"^Step 1 of ", timeout=15)
    checks.expect("opened reading the story", said, r"^Step 1 of \d+\. 27 February: ")
    orca.skip()
    app.key("Right")
    said = orca.listen(until=r"^Step 2 of ")
    checks.expect("→ while reading", said, r"^Step 2 of \d+\. Late April: .*hundreds", once=True)
    checks.expect("→ while reading (the instant held back)", [s for s in said if re.search(r"^Sunday 24 April", s)] or ["none"], r"^none$")
    app.key("Escape")
    said = orca.listen(until=r"Stopped reading")
    checks.expect("Esc while reading", said, r"^Stopped reading the story\.$", once=True)


def main():
    binary, log = sys.argv[1], sys.argv[2]
    orca = Orca(log)
    if not any("Screen reader on" in s for s in orca.listen(until="Screen reader on", timeout=30)):
        print("FAIL: Orca did not start (no 'Screen reader on' in its log)")
        return 1
    checks = Checks()
    app = App(binary)
    try:
        for use in (launch, slider, zone, step_elsewhere):
            use(app, orca, checks)
    finally:
        app.close()
    app = App(binary, ("--story",))
    try:
        story(app, orca, checks)
    finally:
        app.close()
    for f in checks.failures:
        print("FAIL:", f)
    print(f"Orca: {checks.count - len(checks.failures)} of {checks.count} checks held")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
