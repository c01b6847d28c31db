#!/bin/bash
# Done when: on `bfb2-empty`, `diagnose` warns that BFB2 is set and bank 2
# holds no valid image.
. "$(dirname "$0")/lib.sh"

sim bfb2-empty diagnose
check "diagnose on bfb2-empty succeeds" rc_is 0
check "diagnose warns (severity warning or error)" says_i "^(warning|error): bfb2-empty-bank2"
check "the warning names BFB2" says "BFB2"
check "the warning says bank 2 holds no valid image" says_i "bank 2"
check "it offers the command that clears BFB2" says "options set BFB2=0"

sim bfb2-empty info
check "info shows BFB2=1 and the empty bank" says "BFB2=1, but bank 2 holds no valid image"

sim bfb2-empty options set BFB2=0
check "options set BFB2=0 succeeds" rc_is 0
sim bfb2-empty diagnose
check "diagnose no longer warns about BFB2" says_not "bfb2-empty-bank2"

cli --sim fresh diagnose
check "diagnose on fresh succeeds" rc_is 0
check "diagnose on fresh has no warnings" says_not "warning:"
check "diagnose on fresh has no errors" says_not "error:"

finish
