#!/usr/bin/env python3
"""Benchmark, not a test: loader size (instructions) and data blob size of lskel's
light skeleton against `bpftool gen skeleton -L` for the same objects. Prints a table.
Usage: test/bench/size.py build/compiler/lskel OBJ..."""
import re
import subprocess
import sys

lskel, objs = sys.argv[1], sys.argv[2:]


def sizes(cmd, insns_key, data_key):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        return None
    insns = re.search(insns_key + r" = (\d+)", p.stdout)
    data = re.search(data_key + r" = (\d+)", p.stdout)
    return int(insns.group(1)) // 8, int(data.group(1)), len(p.stdout)


print("%-16s %12s %12s %12s %12s %10s %10s" % ("object", "insns lskel", "insns bpftool",
                                            "blob lskel", "blob bpftool", "hdr lskel", "hdr bpftool"))
for obj in objs:
    ours = sizes([lskel, "gen", obj], "insns_sz", "blob_sz")
    theirs = sizes(["bpftool", "gen", "skeleton", "-L", obj], "insns_sz", "data_sz")
    name = obj.rsplit("/", 1)[-1].replace(".bpf.o", "")
    fmt = lambda v, i: "-" if v is None else str(v[i])
    print("%-16s %12s %12s %12s %12s %10s %10s" % (name, fmt(ours, 0), fmt(theirs, 0), fmt(ours, 1),
                                                  fmt(theirs, 1), fmt(ours, 2), fmt(theirs, 2)))
