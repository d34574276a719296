#!/usr/bin/env python3
"""Several objects on the command line: they are linked (libbpf's bpf_linker) into
the same object `bpftool gen object` makes of them, a skeleton name is required,
errors name the input at fault in one line, and no temporary file is left in $TMPDIR
whatever happens. Usage: link.py LSKEL A.bpf.o B.bpf.o LINKED.bpf.o (LINKED made by
bpftool gen object from A and B)."""
import os
import shutil
import subprocess
import sys
import tempfile

lskel, obj_a, obj_b, linked = sys.argv[1:5]
failures = 0
tmpdir = tempfile.mkdtemp(prefix="lskel-cli-link-")


def run(*args):
    env = dict(os.environ, TMPDIR=tmpdir)
    return subprocess.run([lskel, *args], capture_output=True, text=True, env=env)


def check(what, cond, detail=""):
    global failures
    print("%s: %s%s" % ("ok" if cond else "FAIL", what, (" (" + detail + ")") if detail and not cond else ""))
    failures += not cond


def one_line_error(p, code, expected):
    return p.returncode == code and p.stderr == expected + "\n" and not p.stdout


p = run("gen", obj_a, obj_b)
check("two objects without -n: exit 2, one line",
      one_line_error(p, 2, "lskel: 2 objects to link: name the skeleton with -n NAME"), p.stderr)
p = run("dump", obj_a, obj_b)
check("dump of two objects without -n: the same", p.returncode == 2 and "-n NAME" in p.stderr)

ours = run("dump", "-n", "linked_bpf", obj_a, obj_b)
theirs = run("dump", linked)
check("dump -n linked_bpf A B succeeds", ours.returncode == 0, ours.stderr)
check("linking A B here gives the trace of bpftool gen object's output",
      ours.stdout == theirs.stdout and ours.stdout != "")

hdr = run("gen", "-n", "linked_bpf", obj_a, obj_b)
check("gen -n NAME A B writes a header", hdr.returncode == 0 and "struct linked_bpf {" in hdr.stdout,
      hdr.stderr)
joined = "%s+%s" % (obj_a, obj_b)
check("the header names both inputs", ("from %s;" % joined) in hdr.stdout)
again = run("gen", "-n", "linked_bpf", obj_a, obj_b)
check("linked output is reproducible", again.stdout == hdr.stdout)

out = os.path.join(tmpdir, "out.h")
p = run("gen", "-n", "linked_bpf", "-o", out, obj_a, obj_b)
check("-o FILE with several objects", p.returncode == 0 and open(out).read() == hdr.stdout)
os.unlink(out)

p = run("gen", "-n", "x", obj_a, "no-such.bpf.o")
check("a missing input is named",
      one_line_error(p, 1, "lskel: %s+no-such.bpf.o: linking no-such.bpf.o: cannot open: "
                     "No such file or directory" % obj_a), p.stderr)
junk = os.path.join(tmpdir, "junk.o")
open(junk, "w").write("not an object\n")
p = run("gen", "-n", "x", obj_a, junk)
os.unlink(junk)
check("an input that is not ELF is named (libbpf's linker is not given it)",
      one_line_error(p, 1, "lskel: %s+%s: linking %s: not an ELF file" % (obj_a, junk, junk)), p.stderr)
p = run("gen", "-n", "x", obj_a, obj_a)
check("a symbol defined twice: the linker's reason, with the input",
      p.returncode == 1 and p.stderr.startswith("lskel: %s+%s: linking %s: conflicting non-weak symbol"
                                                % (obj_a, obj_a, obj_a))
      and p.stderr.count("\n") == 1 and not p.stdout, p.stderr)
p = run("gen", "-n", "x", obj_b, obj_a)
check("link order does not matter for a strong/weak pair", p.returncode == 0, p.stderr)

def valgrind_usable():
    # Debian 12's valgrind cannot read clang 14's DWARF 5: then it fails on anything
    if not shutil.which("valgrind"):
        return False
    return subprocess.run(["valgrind", "-q", "--error-exitcode=99", lskel, "--version"],
                          capture_output=True).returncode == 0


if valgrind_usable():
    for args, code in (([obj_a, obj_b], 0), ([obj_a, obj_a], 1)):
        p = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                            "--errors-for-leak-kinds=definite,indirect", lskel, "dump", "-n", "x",
                            *args], capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmpdir))
        check("valgrind: linking %s is clean (exit %d)" % (" ".join(args), code), p.returncode == code,
              p.stderr[-2000:])
else:
    print("note: valgrind missing or unable to read lskel, linking not checked under it")

left = os.listdir(tmpdir)
check("nothing left in $TMPDIR", left == [], str(left))
os.rmdir(tmpdir)
sys.exit(1 if failures else 0)
