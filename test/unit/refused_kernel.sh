#!/bin/sh
# What the kernel flavour of the runtime refuses, without privileges: builds
# skel_refused.c (a module whose init loads the light skeletons of pinning.bpf.o,
# struct_ops.bpf.o and minimal.bpf.o and checks each refusal) against installed
# kernel headers, boots the matching kernel under qemu (TCG) with a busybox
# initramfs, loads and unloads the module there and reads its PASS/FAIL lines
# from the kernel log (kvm_lib.sh). Skips when the headers, a kernel image of the
# same version (/boot/vmlinuz-VER or $LSKEL_VM_KERNEL), qemu, a static busybox or
# cpio are missing.
#
# Usage: refused_kernel.sh LSKEL PINNING.bpf.o STRUCT_OPS.bpf.o MINIMAL.bpf.o SRCDIR WORKDIR
set -eu

lskel=$1 pinning=$2 struct_ops=$3 minimal=$4 src=$5 work=$6
. "$src/kvm_lib.sh"

kvm_find_kernel
rm -rf "$work"
mkdir -p "$work/mod"
"$lskel" gen -o "$work/mod/pinning.lskel.h" "$pinning"
"$lskel" gen -o "$work/mod/struct_ops.lskel.h" "$struct_ops"
"$lskel" gen -o "$work/mod/minimal.lskel.h" "$minimal"
cp "$src/skel_refused.c" "$work/mod/"
kvm_build_module skel_refused
kvm_require_vm
kvm_run_module skel_refused 3
