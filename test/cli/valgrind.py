#!/usr/bin/env python3
"""lskel gen under valgrind (memcheck) on every object given: no invalid access, no
use of uninitialised memory, no leak. Skips when valgrind is missing.
Usage: valgrind.py LSKEL OBJ..."""
import os
import shutil
import subprocess
import sys
import tempfile

if not shutil.which("valgrind"):
    print("skipped: valgrind is not installed")
    sys.exit(77)
lskel, objs = sys.argv[1], sys.argv[2:]
bad = 0
with tempfile.TemporaryDirectory() as tmp:
    for obj in objs:
        for cmd in (["gen", "-o", os.path.join(tmp, "x.h")], ["dump"]):
            p = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                                "--errors-for-leak-kinds=definite,indirect", lskel, *cmd, obj],
                               capture_output=True, text=True)
            ok = p.returncode == 0
            print("%s: lskel %s %s" % ("ok" if ok else "FAIL", cmd[0], obj))
            if not ok:
                print(p.stderr[-3000:])
                bad += 1
sys.exit(1 if bad else 0)
