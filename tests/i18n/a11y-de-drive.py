# The real glint window in German, read through the accessibility tree as
# a German user's screen reader reads it: the controls carry the German
# names of po/de.po, from the GtkBuilder layouts and from the code; after
# Connect the log speaks German too. Prints TAP.
import os
import sys
import time

os.environ.setdefault("GSETTINGS_BACKEND", "memory")
from gi.repository import Gio  # noqa: E402

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


def named(app, name, role=None, seconds=10):
    pred = GenericPredicate(name=name, roleName=role) if role else GenericPredicate(name=name)
    return wait_for(lambda: app.findChild(pred, retry=False), seconds)


app = find_app(time.time() + 60)
check(app is not None, "glint appears in the accessibility tree")
if app is not None:
    frame = wait_for(lambda: [c for c in app.children if c.roleName == "frame"])
    title = frame[0].name if frame else ""
    check(title == "Glint — Simuliertes Board",
          "the window title is German (%r)" % title)
    connect = named(app, "Verbinden", "push button", 30)
    check(connect is not None, "the Connect button is named „Verbinden“ (set by the code)")
    for name, role, where in (("Programmieren", "push button", "a layout label"),
                              ("Prüfen", "push button", "a layout label"),
                              ("Firmware-Datei", "radio button", "a stack page title"),
                              ("Optionsbytes", "radio button", "a stack page title"),
                              ("Speicher", "radio button", "a stack page title"),
                              ("Im Protokoll suchen", None, "an accessible name in a layout"),
                              ("Simuliertes Szenario", None, "an accessible name in a layout"),
                              ("Keine Datei geladen", None, "a label set by the code")):
        check(named(app, name, role) is not None, "%s is German: %r" % (where, name))
    check(app.findChild(GenericPredicate(name="Connect", roleName="push button"),
                        retry=False, requireResult=False) is None,
          "no English „Connect“ button is left")
    if connect is not None:
        connect.doActionNamed("click")
        disconnect = named(app, "Trennen", "push button", 30)
        check(disconnect is not None, "after Connect the button reads „Trennen“")
        log = named(app, "Protokollzeilen")
        check(log is not None, "the log view is named „Protokollzeilen“")
        said = log is not None and wait_for(lambda: "Verbunden: STM32L47x/L48x" in log.text)
        check(said, "the log reports the connection in German")
        # The option-byte page: rows from the family's table, translated by
        # the panel (glint_tr), next to untranslated register names.
        page = named(app, "Optionsbytes", "radio button")
        if page is not None:
            page.doActionNamed("click")
        meaning = named(app, "Brown-out-Reset-Schwelle (Level 0-4)", None, 30)
        check(meaning is not None, "an option byte's meaning is German on the option page")
        # The Target tab: its template's controls, then the core panel's
        # state line, set by the code from the core's halt reason.
        target = named(app, "Target", "radio button")
        check(target is not None, "the Target page's switch is found")
        if target is not None:
            target.doActionNamed("click")
        for name, role in (("Anhalten", "push button"), ("Einzelschritt", "push button"),
                           ("Die ELF-Datei wählen", None), ("Kernregister", None),
                           ("Zur Beobachtungsliste hinzufügen", None),
                           ("RTT starten oder beenden", None), ("Fault-Bericht", None)):
            check(named(app, name, role) is not None,
                  "the Target tab's control is German: %r" % name)
        halt = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
            app.findChild(GenericPredicate(name="Zurücksetzen und anhalten",
                                           roleName="push button"), retry=False)))
        check(halt is not None, "the Target tab's „Zurücksetzen und anhalten“ is enabled")
        if halt is not None:
            halt.doActionNamed("click")
        halted = halt and wait_for(lambda: app.findChild(
            lambda n: n.roleName == "label" and n.name.startswith("Angehalten ("), retry=False))
        check(halted, "the core panel says „Angehalten (…)“")
        check(app.findChild(lambda n: n.roleName == "label" and n.name.startswith("Halted"),
                            retry=False, requireResult=False) is None,
              "no English „Halted“ is left on the Target tab")

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _ in results) else 1)
