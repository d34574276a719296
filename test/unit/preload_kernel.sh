#!/bin/sh
# What the kernel's bpf_preload does, from an out-of-tree module, without
# privileges: builds skel_preload.c (a module loading the light skeleton of
# preload_iters.bpf.o at insmod and handing its two iterator links to bpffs
# through bpf_preload_ops) against installed kernel headers, boots the matching
# kernel under qemu (TCG) with a busybox initramfs and runs preload_vm.sh there:
# it mounts bpffs before insmod, after it and after rmmod, reads the preloaded
# files and prints PASS/FAIL lines, judged with the module's own (kvm_lib.sh).
# Skips when the headers, a kernel image of the same version (/boot/vmlinuz-VER
# or $LSKEL_VM_KERNEL), qemu, a static busybox or cpio are missing.
#
# Usage: preload_kernel.sh LSKEL PRELOAD_ITERS.bpf.o SRCDIR WORKDIR
set -eu

lskel=$1 obj=$2 src=$3 work=$4
. "$src/kvm_lib.sh"

kvm_find_kernel
rm -rf "$work"
mkdir -p "$work/mod"
"$lskel" gen -o "$work/mod/preload_iters.lskel.h" "$obj"
cp "$src/skel_preload.c" "$work/mod/"
kvm_build_module skel_preload
kvm_require_vm
# module: load, register, unregister; preload_vm.sh: 10 checks
kvm_run_module skel_preload 13 "$src/preload_vm.sh"
