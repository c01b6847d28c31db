# Finds glint's controls by accessible name and uses them; prints TAP.
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


def wait_for(fn, seconds=30):
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


app = find_app(time.time() + 60)
check(app is not None, "glint appears in the accessibility tree")
if app is not None:
    connect = wait_for(lambda: app.findChild(GenericPredicate(name="Connect", roleName="push button"),
                                             retry=False))
    check(connect is not None, "the Connect button is found by its accessible name")
    for name in ("Program", "Verify", "Erase", "Cancel", "Search the log", "Log level filter", "Simulated scenario"):
        node = wait_for(lambda n=name: app.findChild(GenericPredicate(name=n), retry=False), 10)
        check(node is not None, "a control named %r exists" % name)
    if connect is not None:
        connect.doActionNamed("click")
        chip = wait_for(lambda: app.findChild(GenericPredicate(name="STM32L47x/L48x"), retry=False))
        check(chip is not None, "after Connect the target's chip name is shown")
        disconnect = wait_for(lambda: app.findChild(
            GenericPredicate(name="Disconnect", roleName="push button"), retry=False))
        check(disconnect is not None, "the button now reads Disconnect")
        erase = app.findChild(GenericPredicate(name="Erase", roleName="push button"), retry=False)
        if erase is not None:
            erase.doActionNamed("click")
        accept = erase and wait_for(lambda: app.findChild(
            GenericPredicate(name="Erase Everything", roleName="push button"), retry=False))
        check(accept is not None, "Erase asks first, in a dialog found by name")
        if accept is not None:
            accept.doActionNamed("click")
            log = app.findChild(GenericPredicate(name="Log lines"), retry=False)
            done = wait_for(lambda: "Mass erase" in log.text)
            check(done, "the log view's text shows the mass erase summary")

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _ in results) else 1)
