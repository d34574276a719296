#!/usr/bin/env python3
"""Mutation fuzzing of the ELF/BTF reader: flips bytes of good objects with a fixed
seed and runs `lskel gen` on each variant. Every run must end with exit 0, or exit 1
and one line "lskel: FILE: ..." on stderr: never a signal, another exit code, or a
partial output file. Usage: fuzz.py LSKEL N OBJ..."""
import os
import random
import subprocess
import sys
import tempfile

lskel, rounds, objs = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
rng = random.Random(20261122)
bad = 0
with tempfile.TemporaryDirectory() as tmp:
    victim = os.path.join(tmp, "fuzz.bpf.o")
    out = os.path.join(tmp, "out.h")
    for i in range(rounds):
        data = bytearray(open(objs[i % len(objs)], "rb").read())
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            data[pos] = rng.choice([0, 0xff, rng.randrange(256), data[pos] ^ (1 << rng.randrange(8))])
        open(victim, "wb").write(data)
        p = subprocess.run([lskel, "gen", "-o", out, victim], capture_output=True, text=True, errors="replace",
                           timeout=60)
        err = p.stderr.strip()
        ok = (p.returncode == 0 and os.path.exists(out)) or \
             (p.returncode == 1 and not os.path.exists(out) and "\n" not in err and
              err.startswith("lskel: " + victim + ": "))
        if not ok:
            bad += 1
            keep = "/tmp/lskel-fuzz-%d.o" % i
            open(keep, "wb").write(data)
            print("round %d: exit %d, stderr %r (input kept as %s)" % (i, p.returncode, err[:300], keep))
        if os.path.exists(out):
            os.unlink(out)
print("%d rounds, %d bad" % (rounds, bad))
sys.exit(1 if bad else 0)
