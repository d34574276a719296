#!/bin/sh
# kconfig externs in the kernel flavour at run time: builds skel_kconfig_kvm.c (a
# module loading three light skeletons from its init) against installed kernel
# headers, boots the matching kernel under qemu (TCG) with a busybox initramfs,
# loads the module and reads its PASS/FAIL lines from the kernel log. Skips without
# kernel headers; with headers the module must build (the kernel flavour's kconfig
# table compiles against that kernel's config), and only then does the test skip,
# as runtime_kernel.sh does, without a kernel image of the same version
# (/boot/vmlinuz-VER or $LSKEL_VM_KERNEL), qemu, a static busybox or cpio.
#
# Usage: kconfig_kvm.sh LSKEL KCONFIG.bpf.o KCONFIG_LINUX.bpf.o KCONFIG_MISSING.bpf.o SRCDIR WORKDIR
set -eu

lskel=$1 kconfig=$2 kconfig_linux=$3 missing=$4 src=$5 work=$6
. "$src/kvm_lib.sh"

kvm_find_kernel
rm -rf "$work"
mkdir -p "$work/mod"
"$lskel" gen -o "$work/mod/kconfig.lskel.h" "$kconfig"
"$lskel" gen -o "$work/mod/kconfig_linux.lskel.h" "$kconfig_linux"
"$lskel" gen -o "$work/mod/kconfig_missing.lskel.h" "$missing"
cp "$src/skel_kconfig_kvm.c" "$work/mod/"
kvm_build_module skel_kconfig_kvm
kvm_require_vm
kvm_run_module skel_kconfig_kvm 3
