"""The app as a screen reader meets it: walks the AT-SPI tree of a running Truce Atlas (opened
on 1 May 2016 at noon, Damascus time) and checks what "Usable with a screen reader" asks.

Run by tests/atspi/run.sh (a private session bus with the AT-SPI bus, under Xvfb), with
Debian's python3-pyatspi. Exits 1 with every failure listed.
"""

import re
import sys
import time

import pyatspi

INTERACTIVE = {
    "push button", "toggle button", "slider", "entry", "combo box", "menu item",
    "check box", "radio button", "link",
}


def find_app(timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and "truce" in (app.name or "").lower():
                # Wait for the window's content, not only the application node.
                if count(app) > 50:
                    return app
        time.sleep(0.5)
    return None


def nodes(node):
    yield node
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from nodes(child)


def count(node):
    return sum(1 for _ in nodes(node))


def slider(app):
    return next(n for n in nodes(app) if n.getRoleName() == "slider" and n.name == "Instant")


def value_text(node):
    """The `valuetext` attribute: what Orca speaks for a slider instead of its number."""
    attributes = dict(a.split(":", 1) for a in node.getAttributes() if ":" in a)
    return attributes.get("valuetext", "")


def main():
    app = find_app()
    if app is None:
        print("the app never appeared on the AT-SPI bus")
        return 1
    failures = []
    all_nodes = list(nodes(app))

    # The slider says the instant in words (its value text), then the selected zone's status.
    s = slider(app)
    words = "Sunday 1 May 2016, 12:00, Damascus, UTC+3. Aleppo: Negotiating"
    if not value_text(s).startswith(words):
        failures.append(f"slider value text {value_text(s)!r}, not {words!r}…")

    # The menu bar is a menu bar (egui's own role for it is an unnamed "menu").
    if not any(n.getRoleName() == "menu bar" and n.name for n in all_nodes):
        failures.append("no named menu bar")

    # Each zone is a named map node with its status in words.
    names = [n.name or "" for n in all_nodes]
    for zone, status in [
        ("Damascus", "In effect, contested"),
        ("Latakia", "In effect, contested"),
        ("Eastern Ghouta", "In effect, contested"),
        ("Aleppo", "Negotiating"),
    ]:
        if not any(name.startswith(f"Zone {zone}: {status}") for name in names):
            failures.append(f"no map node for {zone} saying {status!r}")

    # No interactive node is unnamed or a glyph alone.
    for n in all_nodes:
        role = n.getRoleName()
        if role in INTERACTIVE and not re.search(r"[A-Za-z0-9]", n.name or ""):
            failures.append(f"[{role}] named {n.name!r}")

    # No two Copy buttons share a name.
    copies = [name for name in names if name.startswith("Copy quote")]
    if len(copies) < 5:
        failures.append(f"only {len(copies)} Copy buttons")
    if len(set(copies)) != len(copies):
        failures.append("two Copy buttons share a name")

    # The event lanes are one focusable node that says how to move in it.
    lanes = [n for n in all_nodes if n.name == "Event lanes"]
    if len(lanes) != 1:
        failures.append(f"{len(lanes)} 'Event lanes' nodes")
    elif not lanes[0].getState().contains(pyatspi.STATE_FOCUSABLE):
        failures.append("the event lanes cannot take the focus")
    elif "Up and Down" not in (lanes[0].description or ""):
        failures.append(f"the event lanes describe no keys: {lanes[0].description!r}")

    # Setting the slider through AT-SPI moves the instant (one day later: 24 hours).
    value = s.queryValue()
    value.currentValue = value.currentValue + 24
    end = time.time() + 10
    moved = "Monday 2 May 2016, 12:00, Damascus, UTC+3. Aleppo: "
    while time.time() < end and not value_text(slider(app)).startswith(moved):
        time.sleep(0.2)
    if not value_text(slider(app)).startswith(moved):
        failures.append(f"after setting the slider: {value_text(slider(app))!r}")

    print(f"{len(all_nodes)} nodes walked")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
