#!/bin/sh
# The kernel flavour of the runtime at run time, without privileges: builds
# skel_kvm.c (a module loading three light skeletons from its init, as
# bpf_preload does) against installed kernel headers, boots the matching kernel
# under qemu (TCG) with a busybox initramfs, loads the module there and reads its
# PASS/FAIL lines from the kernel log (kvm_lib.sh). Skips when the headers, a kernel image of
# the same version (/boot/vmlinuz-VER or $LSKEL_VM_KERNEL), qemu, a static busybox
# or cpio are missing.
#
# Usage: runtime_kernel.sh MK_TEST_HEADER LSKEL MINIMAL.bpf.o ITER.bpf.o SRCDIR WORKDIR
set -eu

mk=$1 lskel=$2 minimal=$3 iter=$4 src=$5 work=$6
. "$src/kvm_lib.sh"

kvm_find_kernel
rm -rf "$work"
mkdir -p "$work/mod"
"$mk" "$work/mod/test_a.h" test_a_bpf
"$lskel" gen -o "$work/mod/minimal.lskel.h" "$minimal"
"$lskel" gen -o "$work/mod/iter.lskel.h" "$iter"
cp "$src/skel_kvm.c" "$work/mod/"
kvm_build_module skel_kvm
kvm_require_vm
kvm_run_module skel_kvm 3
