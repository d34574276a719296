#!/bin/sh
# Builds skel_kmod.c, a kernel module using a generated skeleton, against the
# installed kernel headers: the kernel flavour of the runtime must compile with
# -Werror and modpost must find every symbol it uses (kern_sys_bpf, bpf_map_get,
# bpf_map_put, close_fd, kvmalloc). The module is never loaded.
#
# Usage: header_kmod.sh MK_TEST_HEADER SRCDIR WORKDIR
set -eu

mk=$1 src=$2 work=$3
kdir=
for d in /lib/modules/"$(uname -r)"/build /usr/src/linux-headers-*-amd64 \
	 /usr/src/linux-headers-*-arm64 /usr/src/linux-headers-*; do
	if [ -f "$d/Module.symvers" ] && [ -f "$d/Makefile" ]; then
		kdir=$d
		break
	fi
done
if [ -z "$kdir" ]; then
	echo "skipped: no kernel headers with Module.symvers (linux-headers-amd64)"
	exit 77
fi

rm -rf "$work"
mkdir -p "$work"
"$mk" "$work/test_a.h" test_a_bpf
cp "$src/skel_kmod.c" "$work/"
printf 'obj-m := skel_kmod.o\nccflags-y := -Werror\n' > "$work/Kbuild"
echo "building against $kdir"
make -C "$kdir" M="$work" modules 2>&1 | tee "$work/build.log"
test -f "$work/skel_kmod.ko"
if grep -E 'WARNING|undefined' "$work/build.log"; then
	echo "modpost complained"
	exit 1
fi
echo "skel_kmod.ko built"
