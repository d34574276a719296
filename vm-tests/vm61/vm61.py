#!/usr/bin/env python3
"""The vm-tests apps on a second kernel: Debian's 6.1, booted under qemu (TCG).

Every invocation reports one app: `vm61.py --test NAME RESULTS_DIR SKIPLIST FILE...`,
where each FILE is an app (vm61-NAME, copied to /apps/NAME) or a BPF object
(X.bpf.o, copied to /objs/X.bpf.o). The first invocation to need results boots the
VM once for all apps (the others wait on a lock): an initramfs with a static busybox,
the statically linked apps and the objects, an init that mounts proc, sys, bpffs,
debugfs and tracefs, runs each app and prints its output and exit code on the serial
console. Results are cached in RESULTS_DIR until a file or the kernel image changes.
An app's exit code is its result: 0 passed, 77 skipped (its output says why),
anything else failed. SKIPLIST holds "name: reason" lines for apps that must not run
on this kernel. The image's config, config-VERSION next to vmlinuz-VERSION (where
test/setup.sh puts both), becomes /boot/config-VERSION: libbpf and the light
skeletons read Kconfig values there.

Arguments: apps run without any, except differential-X, which runs as
`differential-X /objs/X.bpf.o` (libbpf's side of the check loads that object).
app_args() is the one place deciding them; it writes app NAME's arguments to
/args/NAME in the initramfs, one line, and the init passes them on."""
import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

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


def kernel_config(image):
    """The config shipped with vmlinuz-VERSION, or None."""
    base = os.path.basename(image)
    if not base.startswith("vmlinuz-"):
        return None
    path = os.path.join(os.path.dirname(image), "config-" + base[len("vmlinuz-"):])
    return path if os.path.isfile(path) else None


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
	args=""
	[ -f /args/$name ] && args=$(cat /args/$name)
	$t $args > /out 2>&1
	rc=$?
	sed "s/^/MARK-out $name /" /out
	echo "MARK-rc $name $rc"
done
echo MARK-end
poweroff -f
""".replace("MARK", MARK)


def app_args(name):
    """The command-line arguments of app NAME inside the VM (see the docstring)."""
    if name.startswith("differential-"):
        return ["/objs/%s.bpf.o" % name[len("differential-"):]]
    return []


def make_initrd(work, busybox, config, files):
    root = os.path.join(work, "root")
    for d in ("bin", "boot", "apps", "args", "objs", "proc", "sys", "tmp"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    if config:
        shutil.copy(config, os.path.join(root, "boot", os.path.basename(config)))
    for path in files:
        if path.endswith(".o"):
            shutil.copy(path, os.path.join(root, "objs", os.path.basename(path)))
            continue
        name = os.path.basename(path)[len("vm61-"):]
        shutil.copy(path, os.path.join(root, "apps", name))
        args = app_args(name)
        if args:
            with open(os.path.join(root, "args", name), "w") as f:
                f.write(" ".join(args) + "\n")
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


def boot(results_dir, files):
    image = kernel_image()
    qemu, busybox = tools()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        initrd = make_initrd(work, busybox, kernel_config(image), files)
        size = os.path.getsize(initrd)
        p = subprocess.run([qemu, "-accel", "tcg", "-m", "1024", "-smp", "1", "-nographic",
                            "-no-reboot", "-kernel", image, "-initrd", initrd, "-append",
                            "console=ttyS0 panic=-1 quiet loglevel=3 lsm=lockdown,yama,bpf"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    console = p.stdout.decode(errors="replace")
    kernel, results, finished = parse(console)
    state = {"kernel": kernel, "finished": finished, "results": results,
             "seconds": time.monotonic() - start, "initrd_bytes": size,
             "tail": console[-3000:] if not finished else ""}
    with open(os.path.join(results_dir, "results.json"), "w") as f:
        json.dump(state, f)
    return state


def up_to_date(path, inputs):
    if not os.path.exists(path):
        return False
    newest = max(os.path.getmtime(i) for i in inputs)
    return os.path.getmtime(path) >= newest


def results_for(results_dir, files):
    os.makedirs(results_dir, exist_ok=True)
    with open(os.path.join(results_dir, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = os.path.join(results_dir, "results.json")
        image = kernel_image()
        inputs = files + [image, __file__] + [c for c in [kernel_config(image)] if c]
        if up_to_date(path, inputs):
            with open(path) as f:
                return json.load(f)
        return boot(results_dir, files)


def skiplist(path):
    reasons = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(":")
            reasons[name.strip()] = reason.strip()
    return reasons


def main():
    name, results_dir, skip_file, files = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    reasons = skiplist(skip_file)
    if name in reasons:
        skip("on 6.1: " + reasons[name])
    state = results_for(results_dir, [os.path.abspath(f) for f in files])
    print("kernel: %s; one boot for every app: %.0f s (initramfs %.1f MB)" %
          (state["kernel"], state.get("seconds", 0), state.get("initrd_bytes", 0) / 1e6))
    r = state["results"].get(name)
    if r is None or r["rc"] is None:
        print("the VM did not report '%s'%s" % (name, "" if state["finished"] else
                                                  "; it did not finish:\n" + state["tail"]))
        sys.exit(1)
    print("\n".join(r["out"]))
    sys.exit(r["rc"] if r["rc"] in (0, 77) else 1)


if __name__ == "__main__":
    main()
