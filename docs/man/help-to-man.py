#!/usr/bin/env python3
"""Builds a man page from a program's own --help output and a hand-written
template, so the options and commands in the page can never drift from what
the program accepts.

    help-to-man.py --template glint-cli.1.in --output glint-cli.1 \
        --version 0.1.0 --metainfo org.glint.Glint.metainfo.xml \
        -- build/app/glint-cli --help

The help text is read as the usual two-column layout: a line at column 0 is
a heading when indented entries follow it ("Commands:", "GTK+ Options"),
prose otherwise; an entry is a term (an option, a command with its operands,
an exit code) at column 2 and its description at the section's description
column; deeper lines continue the description, shallower ones the term. A
GOption "Usage:" block or a "Usage: ..." line becomes the SYNOPSIS.

The template is roff with these placeholders, each alone on a line:
    @TH@             the .TH line (name, section, date, version)
    @SYNOPSIS@       the usage line(s) of the help
    @DESCRIPTION@    the help's prose before its first heading
    @HELP@           every help section not placed elsewhere: headings that
                     name options become .SS under one .SH OPTIONS (the
                     program's own first), the others .SH of their own
    @HELP:Heading@   the body of one help section, e.g. @HELP:Examples@
A template naming a heading the help does not have is an error, so a
renamed section breaks the build instead of vanishing from the page.

The date is that of SOURCE_DATE_EPOCH when set (Debian sets it from the
changelog), else that of the newest release in the AppStream metainfo: the
same tree always gives the same page.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ENTRY_INDENT = 2


class Entry:
    def __init__(self, term):
        self.term_lines = [term]
        self.desc_lines = []


class Section:
    def __init__(self, heading):
        self.heading = heading
        # A list of Entry and str (a prose paragraph), in order.
        self.items = []


class Help:
    def __init__(self):
        self.usage = []
        self.prose = []
        self.sections = []


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def brackets_balanced(text):
    depth = 0
    for ch in text:
        if ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
    return depth == 0


def two_space_split(line):
    """Column where the description starts after a run of two or more
    spaces that follows a complete term, or None."""
    for m in re.finditer(r"\S( {2,})(?=\S)", line):
        col = m.end()
        if brackets_balanced(line[:col]):
            return col
    return None


def split_entry(line, col):
    """(term, description) of an entry line; description may be ''."""
    if col is not None and len(line) > col and line[col - 1] == " " and line[col] != " ":
        if line[:col].strip() and brackets_balanced(line[:col]):
            return line[:col].strip(), line[col:].strip()
    at = two_space_split(line)
    if at is not None:
        return line[:at].strip(), line[at:].strip()
    return line.strip(), ""


def description_column(lines):
    """The most common column at which entries' descriptions start."""
    counts = {}
    for line in lines:
        if indent_of(line) != ENTRY_INDENT:
            continue
        at = two_space_split(line)
        if at is not None:
            counts[at] = counts.get(at, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -c))


def blocks(lines):
    """Splits the text at blank lines."""
    block = []
    for line in lines:
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def parse_help(text):
    help_ = Help()
    lines = text.expandtabs().splitlines()
    section = None
    i = 0
    # "Usage: prog ARGS" on one line, or "Usage:" with indented lines.
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].startswith("Usage:"):
        rest = lines[i][len("Usage:"):].strip()
        if rest:
            help_.usage.append(rest)
        i += 1
        while i < len(lines) and lines[i].startswith(" ") and lines[i].strip():
            help_.usage.append(lines[i].strip())
            i += 1
    for block in blocks(lines[i:]):
        j = 0
        while j < len(block):
            if indent_of(block[j]) > 0:
                # Indented lines with no heading in this block: more entries
                # of the current section (a blank line inside a list).
                if section is None:
                    section = Section("")
                    help_.sections.append(section)
                k = j
                while k < len(block) and indent_of(block[k]) > 0:
                    k += 1
                add_entries(section, block[j:k])
                j = k
            elif j + 1 < len(block) and indent_of(block[j + 1]) > 0:
                # A heading: the indented lines that follow are its entries.
                section = Section(block[j].rstrip(":").strip())
                help_.sections.append(section)
                j += 1
            else:
                # Prose, up to the next heading: the description before the
                # first heading, a note of the current section after it.
                k = j
                while (k < len(block) and indent_of(block[k]) == 0
                       and not (k + 1 < len(block) and indent_of(block[k + 1]) > 0)):
                    k += 1
                paragraph = " ".join(l.strip() for l in block[j:k])
                if section is None:
                    help_.prose.append(paragraph)
                else:
                    section.items.append(paragraph)
                j = k
    return help_


def add_entries(section, lines):
    col = description_column(lines)
    entry = None
    for line in lines:
        ind = indent_of(line)
        if ind <= ENTRY_INDENT:
            term, desc = split_entry(line, col)
            entry = Entry(term)
            if desc:
                entry.desc_lines.append(desc)
            section.items.append(entry)
        elif entry is None:
            section.items.append(line.strip())
        elif col is not None and ind >= col:
            entry.desc_lines.append(line.strip())
        elif entry.desc_lines:
            # Shallower than the description column after a description:
            # still the description (some help texts indent less).
            entry.desc_lines.append(line.strip())
        else:
            # A term that wraps; its description may start on this line.
            term, desc = split_entry(line, col)
            entry.term_lines.append(term)
            if desc:
                entry.desc_lines.append(desc)


# ---- roff ---------------------------------------------------------------


def escape(text):
    """Plain text to roff: backslashes, non-ASCII characters, and the
    dashes of options (minus signs, so they can be pasted into a shell)."""
    out = text.replace("\\", "\\e")
    out = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*",
                 lambda m: m.group(0).replace("-", "\\-"), out)
    out = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in out)
    return out


def line_safe(roff):
    """A line of text must not start with a control character."""
    if roff.startswith(".") or roff.startswith("'"):
        return "\\&" + roff
    return roff


def format_term(term):
    """Options and command words in bold, placeholders in italics."""
    parts = re.split(r"(\s+|[\[\]|,:]|\.\.\.)", term)
    out = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(" ")
            continue
        if re.fullmatch(r"[\[\]|,:]|\.\.\.", part):
            out.append(part)
            continue
        # --opt=VALUE, NAME=VALUE
        m = re.fullmatch(r"(-[-\w]*)(=)(.+)", part)
        if m:
            out.append("\\fB%s\\fR=\\fI%s\\fR" % (
                m.group(1).replace("-", "\\-"), escape(m.group(3))))
        elif part.startswith("-"):
            out.append("\\fB%s\\fR" % part.replace("-", "\\-"))
        elif re.fullmatch(r"[A-Z][A-Z0-9_]*(=[A-Z][A-Z0-9_]*)?\W*", part) and len(part) > 1:
            out.append("\\fI%s\\fR" % escape(part))
        else:
            out.append("\\fB%s\\fR" % escape(part))
    return "".join(out).strip()


def section_body(section):
    out = []
    plain_run = []

    def flush_plain():
        if plain_run:
            out.append(".PP")
            out.append(".RS 4")
            out.append(".nf")
            out.extend(line_safe(escape(l)) for l in plain_run)
            out.append(".fi")
            out.append(".RE")
            plain_run.clear()

    for item in section.items:
        if isinstance(item, str):
            flush_plain()
            out.append(".PP")
            out.append(line_safe(escape(item)))
        elif not item.desc_lines and " " in item.term_lines[0]:
            # A line with no description (an example command): verbatim.
            plain_run.extend(item.term_lines)
        else:
            flush_plain()
            out.append(".TP")
            out.append(line_safe(format_term(" ".join(item.term_lines))))
            if item.desc_lines:
                out.append(line_safe(escape(" ".join(item.desc_lines))))
            else:
                out.append("\\&")
    flush_plain()
    return out


def is_options_heading(heading):
    return "option" in heading.lower()


def render(template, help_, name, section_no, version, date):
    placed = set(re.findall(r"^@HELP:(.+)@$", template, re.M))
    known = {s.heading for s in help_.sections}
    for heading in placed:
        if heading not in known:
            raise SystemExit("help-to-man: the template places the help section '%s', "
                             "which %s --help no longer has (it has: %s)" % (
                                 heading, name, ", ".join(sorted(known))))
    out = []
    for line in template.splitlines():
        if line == "@TH@":
            out.append('.TH "%s" "%s" "%s" "Glint %s" "User Commands"' % (
                name.upper(), section_no, date, version))
        elif line == "@SYNOPSIS@":
            for usage in help_.usage:
                out.append(".PP")
                out.append(line_safe(format_term(usage)))
        elif line == "@DESCRIPTION@":
            for paragraph in help_.prose:
                out.append(".PP")
                out.append(line_safe(escape(paragraph)))
        elif line == "@HELP@":
            rest = [s for s in help_.sections if s.heading not in placed]
            option_sections = sorted(
                (s for s in rest if is_options_heading(s.heading)),
                key=lambda s: not s.heading.lower().startswith(("application", "global")))
            if option_sections:
                out.append(".SH OPTIONS")
            for section in option_sections:
                out.append('.SS "%s"' % escape(section.heading))
                out.extend(section_body(section))
            for section in rest:
                if not is_options_heading(section.heading):
                    out.append('.SH "%s"' % escape(section.heading.upper() or "MORE"))
                    out.extend(section_body(section))
        elif line.startswith("@HELP:") and line.endswith("@"):
            heading = line[len("@HELP:"):-1]
            for section in help_.sections:
                if section.heading == heading:
                    out.extend(section_body(section))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def page_date(metainfo):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime(
            "%Y-%m-%d")
    if metainfo:
        root = ET.parse(metainfo).getroot()
        dates = [r.get("date") for r in root.iter("release") if r.get("date")]
        if dates:
            return max(dates)
    raise SystemExit("help-to-man: no date: set SOURCE_DATE_EPOCH or give --metainfo")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--metainfo")
    parser.add_argument("--section", default="1")
    parser.add_argument("command", nargs="+", help="the program and its help option")
    args = parser.parse_args()

    env = dict(os.environ)
    # A sanitizer build's leak report would otherwise turn a help text into
    # a failed build step; the text is what matters here.
    env["ASAN_OPTIONS"] = "detect_leaks=0"
    # The page is the English one: C.UTF-8 alone would still let LANGUAGE
    # pick a translation of the help.
    env["LC_ALL"] = "C.UTF-8"
    env.pop("LANGUAGE", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(args.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, check=False)
    if result.returncode != 0:
        raise SystemExit("help-to-man: '%s' exited with %d: %s" % (
            " ".join(args.command), result.returncode, result.stderr.decode(errors="replace")))
    help_ = parse_help(result.stdout.decode())
    if not help_.usage or not help_.sections:
        raise SystemExit("help-to-man: no usage line or no sections in the output of '%s'" %
                         " ".join(args.command))
    name = os.path.basename(args.output).rsplit(".", 1)[0]
    with open(args.template, encoding="utf-8") as f:
        template = f.read()
    page = render(template, help_, name, args.section, args.version, page_date(args.metainfo))
    with open(args.output + ".tmp", "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
