#!/usr/bin/env python3
"""The vm-tests apps on a second kernel: Debian's 6.1, booted under qemu (TCG).

Every invocation reports one app: `vm61.py --test NAME RESULTS_DIR SKIPLIST APP...`.
The first one to need results boots the VM once for all apps (the others wait on a
lock): an initramfs with a static busybox and the statically linked apps, an init
that mounts proc, sys, bpffs, debugfs and tracefs, runs each app and prints its
output and exit code on the serial console. Results are cached in RESULTS_DIR until
an app or the kernel image changes. An app's exit code is its result: 0 passed,
77 skipped (its output says why), anything else failed. SKIPLIST holds
"name: reason" lines for apps that must not run on this kernel."""
import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

MARK = "lskel-vm"


def skip(reason):
    print("skipped: " + reason)
    sys.exit(77)


def kernel_image():
    image = os.environ.get("LSKEL_VM_KERNEL", "")
    if not image or not os.path.isfile(image):
        skip("no 6.1 kernel image: test/setup.sh unpacks one into build/vm-kernel "
             "and test/run-all.sh exports LSKEL_VM_KERNEL")
    return image


def tools():
    qemu = shutil.which("qemu-system-x86_64")
    busybox = shutil.which("busybox")
    if not qemu:
        skip("no qemu-system-x86_64 (package qemu-system-x86)")
    if not busybox or subprocess.run(["ldd", busybox], capture_output=True).returncode == 0:
        skip("no static busybox (package busybox-static)")
    return qemu, busybox


INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
echo "MARK-kernel $(uname -r)"
for t in /apps/*; do
	name=${t#/apps/}
	$t > /out 2>&1
	rc=$?
	sed "s/^/MARK-out $name /" /out
	echo "MARK-rc $name $rc"
done
echo MARK-end
poweroff -f
""".replace("MARK", MARK)


def make_initrd(work, busybox, apps):
    root = os.path.join(work, "root")
    for d in ("bin", "apps", "proc", "sys", "tmp"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for app in apps:
        shutil.copy(app, os.path.join(root, "apps", os.path.basename(app)[len("vm61-"):]))
    with open(os.path.join(root, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(root, "init"), 0o755)
    files = subprocess.run("find .", shell=True, cwd=root, capture_output=True, check=True).stdout
    archive = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, input=files,
                             capture_output=True, check=True).stdout
    path = os.path.join(work, "initrd.gz")
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(archive)
    return path


def parse(console):
    results, kernel = {}, None
    for line in console.splitlines():
        pos = line.find(MARK + "-")
        if pos < 0:
            continue
        kind, _, rest = line[pos + len(MARK) + 1:].partition(" ")
        if kind == "kernel":
            kernel = rest.strip()
        elif kind == "out":
            name, _, text = rest.partition(" ")
            results.setdefault(name, {"out": [], "rc": None})["out"].append(text.rstrip("\r"))
        elif kind == "rc":
            name, _, rc = rest.partition(" ")
            results.setdefault(name, {"out": [], "rc": None})["rc"] = int(rc)
    return kernel, results, (MARK + "-end") in console


def boot(results_dir, apps):
    image = kernel_image()
    qemu, busybox = tools()
    with tempfile.TemporaryDirectory() as work:
        initrd = make_initrd(work, busybox, apps)
        p = subprocess.run([qemu, "-accel", "tcg", "-m", "1024", "-smp", "1", "-nographic",
                            "-no-reboot", "-kernel", image, "-initrd", initrd, "-append",
                            "console=ttyS0 panic=-1 quiet loglevel=3 lsm=lockdown,yama,bpf"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    console = p.stdout.decode(errors="replace")
    kernel, results, finished = parse(console)
    state = {"kernel": kernel, "finished": finished, "results": results,
             "tail": console[-3000:] if not finished else ""}
    with open(os.path.join(results_dir, "results.json"), "w") as f:
        json.dump(state, f)
    return state


def up_to_date(path, inputs):
    if not os.path.exists(path):
        return False
    newest = max(os.path.getmtime(i) for i in inputs)
    return os.path.getmtime(path) >= newest


def results_for(results_dir, apps):
    os.makedirs(results_dir, exist_ok=True)
    with open(os.path.join(results_dir, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = os.path.join(results_dir, "results.json")
        if up_to_date(path, apps + [kernel_image(), __file__]):
            with open(path) as f:
                return json.load(f)
        return boot(results_dir, apps)


def skiplist(path):
    reasons = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(":")
            reasons[name.strip()] = reason.strip()
    return reasons


def main():
    name, results_dir, skip_file, apps = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    reasons = skiplist(skip_file)
    if name in reasons:
        skip("on 6.1: " + reasons[name])
    state = results_for(results_dir, [os.path.abspath(a) for a in apps])
    print("kernel: %s" % state["kernel"])
    r = state["results"].get(name)
    if r is None or r["rc"] is None:
        print("the VM did not report '%s'%s" % (name, "" if state["finished"] else
                                                  "; it did not finish:\n" + state["tail"]))
        sys.exit(1)
    print("\n".join(r["out"]))
    sys.exit(r["rc"] if r["rc"] in (0, 77) else 1)


if __name__ == "__main__":
    main()
