#!/usr/bin/env python3
"""For objects whose features lskel gen does not support yet: skip with lskel's own
one-line reason while it refuses them with "not supported yet", fail on any other
error, pass once it compiles them (then move the object out of lskel_pending).
Usage: pending_gen.py LSKEL OBJ OUT.h"""
import subprocess
import sys

p = subprocess.run([sys.argv[1], "gen", "-o", sys.argv[3], sys.argv[2]], capture_output=True, text=True)
if p.returncode == 0:
    print("lskel gen now compiles %s: move it out of lskel_pending" % sys.argv[2])
    sys.exit(0)
if "not supported yet" in p.stderr:
    print("skipped: " + p.stderr.strip())
    sys.exit(77)
print(p.stderr.strip())
sys.exit(1)
