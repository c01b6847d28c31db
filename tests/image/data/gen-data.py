#!/usr/bin/env python3
"""Writes the hand-made Intel HEX and S-record test files in this directory.

Each file exercises one rule of the loaders; test-image.c lists what each must
give. Run again after editing a case: ./gen-data.py (the output is committed,
so the tests do not need Python)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def ihex(count, addr, rtype, data, fix=None):
    body = bytes([count, (addr >> 8) & 0xFF, addr & 0xFF, rtype]) + bytes(data)
    csum = (-sum(body)) & 0xFF if fix is None else fix
    return ":" + (body + bytes([csum])).hex().upper()


def h(addr, data, rtype=0, **kw):
    return ihex(len(data), addr, rtype, data, **kw)


def srec(stype, addr, data, count=None, fix=None):
    alen = {0: 2, 1: 2, 2: 3, 3: 4, 5: 2, 6: 3, 7: 4, 8: 3, 9: 2}[stype]
    n = alen + len(data) + 1 if count is None else count
    body = bytes([n]) + addr.to_bytes(alen, "big") + bytes(data)
    csum = (~sum(body)) & 0xFF if fix is None else fix
    return "S%d" % stype + (body + bytes([csum])).hex().upper()


def write(name, lines, eol="\n"):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write(eol.join(lines) + eol)


BLOCK0 = list(range(0x00, 0x10))
BLOCK1 = list(range(0x10, 0x20))
TAIL = [0xDE, 0xAD, 0xBE, 0xEF]
BANK2 = [0xA5, 0x5A, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]
EOF = ":00000001FF"

# Good: extended linear addressing, records out of order, lower case, CRLF,
# a section in bank 2 and a start address.
write("good.hex", [
    h(0, [0x08, 0x00], rtype=4),
    h(0x0010, BLOCK1),
    h(0x0000, BLOCK0),
    h(0x0020, TAIL).lower(),
    h(0, [0x08, 0x08], rtype=4),
    h(0x0000, BANK2),
    h(0, [0x08, 0x00, 0x01, 0x31], rtype=5),
    EOF,
], eol="\r\n")

# The same image as S3/S7 records, with an S0 header and an S5 count.
write("good.s37", [
    srec(0, 0, b"good"),
    srec(3, 0x08000010, BLOCK1),
    srec(3, 0x08000000, BLOCK0),
    srec(3, 0x08000020, TAIL).lower().replace("s3", "S3"),
    srec(3, 0x08080000, BANK2),
    srec(5, 4, []),
    srec(7, 0x08000131, []),
])

# 16-bit (S1/S9) and 24-bit (S2/S8, S6 count) forms.
write("good.s19", [
    srec(0, 0, b"s19"),
    srec(1, 0x1000, BLOCK0),
    srec(1, 0x1010, BLOCK1),
    srec(5, 2, []),
    srec(9, 0x1001, []),
])
write("good.s28", [
    srec(2, 0x081000, BLOCK0),
    srec(6, 1, []),
    srec(8, 0x081001, []),
])

# Extended segment addressing (02) with an offset wrapping inside the
# segment, and a CS:IP start address (03).
write("good-segment.hex", [
    h(0, [0x10, 0x00], rtype=2),
    h(0xFFF8, BLOCK0),
    h(0, [0x00, 0x00, 0x01, 0x00], rtype=3),
    EOF,
])

# Overlapping records with the same bytes are fine.
write("good-overlap.hex", [
    h(0, [0x08, 0x00], rtype=4),
    h(0x0000, BLOCK0),
    h(0x0008, BLOCK0[8:] + BLOCK1[:8]),
    EOF,
])

# --- bad Intel HEX, one rule each ---
ext = h(0, [0x08, 0x00], rtype=4)
write("bad-checksum.hex", [ext, h(0, BLOCK0), h(0x10, BLOCK1, fix=0x3D), EOF])
bad_char = h(0x10, BLOCK1)
write("bad-char.hex", [ext, h(0, BLOCK0), bad_char[:13] + "G" + bad_char[14:], EOF])
write("bad-count.hex", [ext, ihex(16, 0, 0, BLOCK0[:15]), EOF])
write("bad-type.hex", [ext, h(0, BLOCK0), h(0, [1], rtype=6), EOF])
write("bad-after-end.hex", [ext, h(0, BLOCK0), EOF, h(0x10, BLOCK1)])
write("bad-overlap.hex", [ext, h(0, BLOCK0), h(4, [0xFF, 0xFF]), EOF])
write("bad-truncated.hex", [ext, h(0, BLOCK0), h(0x10, BLOCK1)])
write("bad-empty.hex", [ext, EOF])
write("bad-range.hex", [ext, h(0, BLOCK0), h(0, [0x08, 0x10], rtype=4), h(0, TAIL), EOF])
write("bad-colon.hex", [ext, ";" + h(0, BLOCK0)[1:], EOF])
write("bad-odd.hex", [ext, h(0, BLOCK0) + "0", EOF])
write("bad-eof-data.hex", [ext, h(0, BLOCK0), h(0, [0], rtype=1)])
write("bad-start-twice.hex", [ext, h(0, BLOCK0), h(0, [8, 0, 1, 0x31], rtype=5),
                              h(0, [8, 0, 1, 0x41], rtype=5), EOF])
write("bad-wrap.hex", [h(0, [0xFF, 0xFF], rtype=4), h(0xFFF8, BLOCK0), EOF])
write("bad-ext-len.hex", [ihex(1, 0, 4, [0x08]), h(0, BLOCK0), EOF])

# --- bad S-records ---
s0 = srec(0, 0, b"bad")
write("bad-checksum.srec", [s0, srec(3, 0x08000000, BLOCK0),
                            srec(3, 0x08000010, BLOCK1, fix=0x00), srec(7, 0, [])])
good_rec = srec(3, 0x08000010, BLOCK1)
write("bad-char.srec", [s0, srec(3, 0x08000000, BLOCK0), good_rec[:20] + "x" + good_rec[21:],
                        srec(7, 0, [])])
write("bad-count.srec", [s0, srec(3, 0x08000000, BLOCK0, count=22), srec(7, 0, [])])
write("bad-type.srec", [s0, "S4" + srec(3, 0x08000000, BLOCK0)[2:], srec(7, 0, [])])
write("bad-after-end.srec", [s0, srec(3, 0x08000000, BLOCK0), srec(7, 0, []),
                             srec(3, 0x08000010, BLOCK1)])
write("bad-overlap.srec", [s0, srec(3, 0x08000000, BLOCK0), srec(3, 0x08000008, [0xEE]),
                           srec(7, 0, [])])
write("bad-truncated.srec", [s0, srec(3, 0x08000000, BLOCK0)])
write("bad-empty.srec", [s0, srec(9, 0, [])])
write("bad-s5.srec", [s0, srec(1, 0x1000, BLOCK0), srec(1, 0x1010, BLOCK1), srec(5, 3, []),
                      srec(9, 0, [])])
write("bad-range.srec", [s0, srec(3, 0x08000000, BLOCK0), srec(3, 0x07FFFFF0, BLOCK1),
                         srec(7, 0, [])])
# An S3 record whose count leaves no room for its 4-byte address.
write("bad-short.srec", [s0, "S3030800F4", srec(7, 0, [])])
write("bad-letter.srec", [s0, "X" + srec(3, 0x08000000, BLOCK0)[1:], srec(7, 0, [])])

# --- a tiny ELF32 ARM executable (fuzz seed): .text at 0x08000000, .data run
# at 0x20000000 but loaded at 0x08000010, .bss in p_memsz only ---
import struct


def tiny_elf():
    shstr = b"\0.text\0.data\0.bss\0.shstrtab\0"
    f = bytearray(0x208)
    f[0:16] = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    struct.pack_into("<HHIIIIIHHHHHH", f, 16, 2, 40, 1, 0x08000009, 52, 0x140, 0x05000000,
                     52, 32, 2, 40, 5, 4)
    struct.pack_into("<8I", f, 52, 1, 0x100, 0x08000000, 0x08000000, 16, 16, 5, 4)
    struct.pack_into("<8I", f, 84, 1, 0x110, 0x20000000, 0x08000010, 8, 40, 6, 4)
    f[0x100:0x110] = bytes(range(0x10, 0x20))
    f[0x110:0x118] = bytes(range(0xD0, 0xD8))
    f[0x120:0x120 + len(shstr)] = shstr
    sections = [(0, 0, 0, 0, 0, 0), (1, 1, 6, 0x08000000, 0x100, 16),
                (7, 1, 3, 0x20000000, 0x110, 8), (13, 8, 3, 0x20000008, 0x118, 32),
                (18, 3, 0, 0, 0x120, len(shstr))]
    for i, (name, typ, flags, addr, off, size) in enumerate(sections):
        struct.pack_into("<10I", f, 0x140 + 40 * i, name, typ, flags, addr, off, size, 0, 0,
                         4, 0)
    with open(os.path.join(HERE, "tiny.elf"), "wb") as out:
        out.write(f)


tiny_elf()
