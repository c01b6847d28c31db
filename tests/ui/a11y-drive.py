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
        # The erase dialog: whole chip, a bank, or chosen pages, by name.
        whole = erase and wait_for(lambda: app.findChild(
            GenericPredicate(name="Erase whole chip", roleName="radio button"), retry=False))
        check(whole is not None, "Erase opens the erase dialog (its choices found by name)")
        units = app.findChild(GenericPredicate(name="Erase units"), retry=False)
        check(units is not None, "the erase dialog lists the erase units")
        ready = whole and wait_for(lambda: app.findChild(
            GenericPredicate(name="Erase…", roleName="push button"), retry=False) if
            whole.doActionNamed("click") or True else None)
        go = ready and wait_for(lambda: (lambda b: b if b.sensitive else None)(app.findChild(
            GenericPredicate(name="Erase…", roleName="push button"), retry=False)))
        check(go is not None, "whole chip chosen: the dialog's Erase… button is enabled")
        if go is not None:
            go.doActionNamed("click")
        accept = go and wait_for(lambda: app.findChild(
            GenericPredicate(name="Erase Everything", roleName="push button"), retry=False))
        check(accept is not None, "a mass erase asks first, in a dialog found by name")
        log = app.findChild(GenericPredicate(name="Log lines"), retry=False)
        if accept is not None:
            accept.doActionNamed("click")
            done = wait_for(lambda: "Mass erase" in log.text)
            check(done, "the log view's text shows the mass erase summary")
        # The memory editor: a word into SRAM, by accessible names.
        # Its page first: widgets of a page never shown are not in the tree yet.
        page = app.findChild(GenericPredicate(name="Memory", roleName="radio button"),
                             retry=False)
        check(page is not None, "the Memory page's switch is found by name")
        if page is not None:
            page.doActionNamed("click")
        edit = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
            app.findChild(GenericPredicate(name="Edit memory", roleName="push button"),
                          retry=False)))
        check(edit is not None, "the memory view's Edit… is found by name and enabled")
        if edit is not None:
            edit.doActionNamed("click")
        address = edit and wait_for(lambda: app.findChild(
            GenericPredicate(name="Address to write"), retry=False))
        value = address and app.findChild(GenericPredicate(name="Value to write"), retry=False)
        write = address and app.findChild(
            GenericPredicate(name="Write memory", roleName="push button"), retry=False)
        check(address is not None and value is not None and write is not None,
              "the memory editor's fields are found by name")
        if address is not None and value is not None and write is not None:
            address.text = "0x20000100"
            value.text = "1234ABCD"
            write.doActionNamed("click")
            wrote = wait_for(lambda: "Write: 4 bytes" in log.text)
            check(wrote, "the log shows the memory write")
        # The Target tab: the core panel, the watch and the consoles by name;
        # the core (locked up on the erased chip) halted through them.
        target = app.findChild(GenericPredicate(name="Target", roleName="radio button"),
                               retry=False)
        check(target is not None, "the Target page's switch is found by name")
        if target is not None:
            target.doActionNamed("click")
        for name in ("Halt", "Run", "Step", "Reset", "Reset and Halt", "Choose the ELF file",
                     "Core registers", "Variable or address to watch", "Watch rate",
                     "Start or stop the SWO capture", "Start or stop RTT",
                     "Text to send over RTT", "Save the RTT output"):
            node = wait_for(lambda n=name: app.findChild(GenericPredicate(name=n), retry=False),
                            10)
            check(node is not None, "the Target tab has a control named %r" % name)
        halt = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
            app.findChild(GenericPredicate(name="Reset and Halt", roleName="push button"),
                          retry=False)))
        check(halt is not None, "the Target tab's Reset and Halt is enabled")
        if halt is not None:
            halt.doActionNamed("click")
        halted = halt and wait_for(lambda: app.findChild(
            lambda n: n.roleName == "label" and n.name.startswith("Halted ("), retry=False))
        check(halted, "the core panel says the core is halted")

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _ in results) else 1)
