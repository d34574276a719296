#!/usr/bin/env python3
"""One bad-input case: `lskel gen -o OUT OBJ` and `lskel dump OBJ` must both exit 1
with exactly the expected one-line error on stderr, print nothing on stdout, and leave
no output file. Usage: check_error.py LSKEL OBJ EXPECTED.err [OPTION...]"""
import os
import subprocess
import sys
import tempfile

lskel, obj, expected_file = sys.argv[1:4]
extra = sys.argv[4:]	# options given to lskel before the object
lskel = os.path.abspath(lskel)
expected = open(expected_file).read().strip()
workdir = os.path.dirname(os.path.abspath(obj))
base = os.path.basename(obj)
failed = False

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out.lskel.h")
    for argv in ([lskel, "gen", *extra, "-o", out, base], [lskel, "dump", *extra, base]):
        p = subprocess.run(argv, cwd=workdir, capture_output=True, text=True)
        err = p.stderr.strip()
        problems = []
        if p.returncode != 1:
            problems.append("exit code %d, expected 1" % p.returncode)
        if err != expected:
            problems.append("stderr %r, expected %r" % (err, expected))
        if "\n" in err:
            problems.append("error is not one line")
        if p.stdout:
            problems.append("printed %d bytes on stdout" % len(p.stdout))
        if os.path.exists(out) or os.listdir(tmp):
            problems.append("left files behind: %s" % os.listdir(tmp))
        for pr in problems:
            print("%s: %s: %s" % (base, " ".join(argv[1:2]), pr))
            failed = True
print("%s: %s" % (base, "FAILED" if failed else "ok"))
sys.exit(1 if failed else 0)
