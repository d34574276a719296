#!/usr/bin/env python3
"""The command line: --help, --version, usage errors, bpftool's spelling, default and
explicit skeleton names, -o writing the file whole. Usage: cli.py LSKEL OBJ (OBJ named
like x.bpf.o)."""
import os
import subprocess
import sys
import tempfile

lskel, obj = sys.argv[1:3]
failures = 0


def run(*args, cwd=None):
    return subprocess.run([lskel, *args], capture_output=True, text=True, cwd=cwd)


def check(what, cond, detail=""):
    global failures
    print("%s: %s%s" % ("ok" if cond else "FAIL", what, (" (" + detail + ")") if detail and not cond else ""))
    failures += not cond


p = run("--help")
check("--help exits 0 and shows usage", p.returncode == 0 and "Usage: lskel gen" in p.stdout)
p = run("--version")
check("--version prints a version", p.returncode == 0 and p.stdout.startswith("lskel "), p.stdout)
for bad in ([], ["frobnicate"], ["gen"], ["gen", "-x", obj], ["gen", "skeleton"],
            ["gen", "skeleton", obj, "name"], ["gen", "skeleton", obj, obj]):
    p = run(*bad)
    check("usage error for %s exits 2" % bad, p.returncode == 2 and "Usage:" in p.stderr,
          "exit %d" % p.returncode)
p = run("gen", "-n", "not-an-ident", obj)
check("invalid -n NAME is refused", p.returncode == 2 and "not a C identifier" in p.stderr)

base = os.path.basename(obj)
default = base[:-2].replace(".", "_").replace("-", "_")
ours = run("gen", obj)
check("gen writes a header to stdout", ours.returncode == 0 and ("struct %s {" % default) in ours.stdout,
      ours.stderr)
check("default name derived as bpftool does (%s)" % default,
      ("%s__open_and_load" % default) in ours.stdout)
bpftool_way = run("gen", "skeleton", "-L", obj)
check("bpftool spelling without name gives the same header", bpftool_way.stdout == ours.stdout)
named = run("gen", "-n", "custom", obj)
bpftool_named = run("gen", "skeleton", obj, "name", "custom")
check("-n NAME and 'name NAME' agree", named.returncode == 0 and named.stdout == bpftool_named.stdout)
check("-n NAME renames the skeleton", "struct custom {" in named.stdout and "custom__destroy" in named.stdout)

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "x.lskel.h")
    p = run("gen", "-o", out, obj)
    check("-o FILE writes the same bytes as stdout",
          p.returncode == 0 and p.stdout == "" and open(out).read() == ours.stdout)
    check("-o leaves no temporary files", sorted(os.listdir(tmp)) == ["x.lskel.h"], str(os.listdir(tmp)))
    p = run("gen", "-o", os.path.join(tmp, "no", "such", "dir.h"), obj)
    check("-o into a missing directory fails cleanly", p.returncode == 1 and p.stderr.count("\n") == 1,
          p.stderr)
again = run("gen", obj)
check("output is reproducible", again.stdout == ours.stdout)
p = run("dump", obj)
check("dump prints the trace", p.returncode == 0 and "PROG_LOAD" in p.stdout)
p = run("gen", "--btf", "/no/such.btf", obj)
check("--btf with a missing file fails in one line",
      p.returncode == 1 and p.stderr.count("\n") == 1 and
      "--btf /no/such.btf: cannot read BTF: No such file or directory" in p.stderr, p.stderr)
p = run("gen", "--btf")
check("--btf without a file is a usage error", p.returncode == 2 and "Usage:" in p.stderr)
if os.path.exists("/sys/kernel/btf/vmlinux"):
    p = run("gen", "--btf", "/sys/kernel/btf/vmlinux", obj)
    check("--btf leaves an object without CO-RE relocations as it was", p.stdout == ours.stdout)
sys.exit(1 if failures else 0)
