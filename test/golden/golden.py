#!/usr/bin/env python3
"""Golden trace: `lskel dump OBJ` must print exactly EXPECTED. With UPDATE=1 in the
environment the expected file is rewritten instead. Options for lskel may follow.
Usage: golden.py LSKEL OBJ EXPECTED [OPTION...]"""
import difflib
import os
import subprocess
import sys

lskel, obj, expected = sys.argv[1:4]
extra = sys.argv[4:]
p = subprocess.run([lskel, "dump", *extra, obj], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("lskel dump failed (%d): %s" % (p.returncode, p.stderr.strip()))
if os.environ.get("UPDATE") == "1":
    open(expected, "w").write(p.stdout)
    print("updated", expected)
    sys.exit(0)
want = open(expected).read()
if p.stdout != want:
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                               expected, "lskel dump " + os.path.basename(obj)))
    sys.exit(1)
print("ok:", os.path.basename(expected))
