# Drives glint's Production mode through the accessibility tree (AT-SPI),
# finding every control by its accessible name; prints TAP lines numbered
# from FIRST.  Run by test-a11y-production.sh inside a private session bus.
#   a11y-production.py pass|fail FIRST
import os
import sys
import time

os.environ.setdefault("GSETTINGS_BACKEND", "memory")
from gi.repository import Gio  # noqa: E402

# dogtail refuses to start unless toolkit accessibility is on.
Gio.Settings.new("org.gnome.desktop.interface").set_boolean("toolkit-accessibility", True)

from dogtail import config  # noqa: E402

config.config.logDebugToStdOut = False
config.config.logDebugToFile = False
config.config.searchShowingOnly = False
from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402

MODE = sys.argv[1]
FIRST = int(sys.argv[2])
results = []


def check(ok, what):
    results.append((bool(ok), what))


def find_app(deadline):
    while time.time() < deadline:
        for app in tree.root.applications():
            if app.name == "glint":
                return app
        time.sleep(0.2)  # polling another process, not a timed assertion
    return None


def wait_for(fn, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            value = fn()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.2)
    return None


def node(app, name, role=None):
    if role is None:
        return app.findChild(GenericPredicate(name=name), retry=False)
    return app.findChild(GenericPredicate(name=name, roleName=role), retry=False)


def text_of(app, name):
    n = node(app, name)
    return n.text if n is not None else None


app = find_app(time.time() + 60)
check(app is not None, "%s: glint appears in the accessibility tree" % MODE)
if app is not None:
    start = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
        node(app, "Start", "push button")))
    check(start is not None, "%s: the recipe is loaded and Start is enabled (found by name)" % MODE)
    recipe = text_of(app, "Recipe")
    check(recipe is not None and "STM32L476RG" in recipe, "%s: the recipe's name and chip are shown" % MODE)
    if start is not None:
        start.doActionNamed("click")
        edit = wait_for(lambda: (lambda b: b if b is not None and not b.sensitive else None)(
            node(app, "Edit Recipe", "push button")), 20)
        check(edit is not None, "%s: while the station runs the recipe cannot be edited" % MODE)
        want = "PASS" if MODE == "pass" else "FAIL"
        status = wait_for(lambda: text_of(app, "Probe 1 status") == want)
        check(status, "%s: the probe's status reads %s" % (MODE, want))
        details = text_of(app, "Probe 1 details") or ""
        if MODE == "pass":
            check(details.startswith("Serial 1"), "%s: the tile names the serial number (%r)" % (MODE, details))
            check(wait_for(lambda: text_of(app, "Boards passed") == "1", 20),
                  "%s: Boards passed reads 1" % MODE)
        else:
            check("read protected" in details and "remove from line" in details,
                  "%s: the tile says what failed and what to do (%r)" % (MODE, details))
            check(wait_for(lambda: text_of(app, "Boards failed") == "1", 20),
                  "%s: Boards failed reads 1" % MODE)
        check(node(app, "Last records") is not None, "%s: the last records are there by name" % MODE)
        stop = node(app, "Stop", "push button")
        check(stop is not None and stop.sensitive, "%s: Stop is enabled while it runs" % MODE)
        if stop is not None:
            stop.doActionNamed("click")
            again = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
                node(app, "Start", "push button")))
            check(again is not None, "%s: after Stop the station has ended: Start is enabled again" % MODE)

for i, (ok, what) in enumerate(results, FIRST):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _ in results) else 1)
