#!/bin/sh
# The kernel flavour of the runtime at run time, without privileges: builds
# skel_kvm.c (a module loading three light skeletons from its init, as
# bpf_preload does) against installed kernel headers, boots the matching kernel
# under qemu (TCG) with a busybox initramfs, loads the module there and reads its
# PASS/FAIL lines from the kernel log. Skips when the headers, a kernel image of
# the same version (/boot/vmlinuz-VER or $LSKEL_VM_KERNEL), qemu, a static busybox
# or cpio are missing.
#
# Usage: runtime_kernel.sh MK_TEST_HEADER LSKEL MINIMAL.bpf.o ITER.bpf.o SRCDIR WORKDIR
set -eu

mk=$1 lskel=$2 minimal=$3 iter=$4 src=$5 work=$6

skip() {
	echo "skipped: $*"
	exit 77
}

kdir= image=
for d in /lib/modules/"$(uname -r)"/build /usr/src/linux-headers-*; do
	[ -f "$d/Module.symvers" ] || continue
	ver=$(basename "$(readlink -f "$d")")
	ver=${ver#linux-headers-}
	for i in "${LSKEL_VM_KERNEL:-}" "/boot/vmlinuz-$ver"; do
		if [ -n "$i" ] && [ -f "$i" ]; then
			kdir=$d image=$i
			break 2
		fi
	done
done
[ -n "$kdir" ] || skip "no kernel image matching installed headers (linux-image-VER-unsigned for linux-headers-VER, or LSKEL_VM_KERNEL)"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "no qemu-system-x86_64 (qemu-system-x86)"
command -v cpio >/dev/null 2>&1 || skip "no cpio"
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	skip "no static busybox (busybox-static)"
fi

rm -rf "$work"
mkdir -p "$work/mod" "$work/initrd/bin" "$work/initrd/proc"
"$mk" "$work/mod/test_a.h" test_a_bpf
"$lskel" gen -o "$work/mod/minimal.lskel.h" "$minimal"
"$lskel" gen -o "$work/mod/iter.lskel.h" "$iter"
cp "$src/skel_kvm.c" "$work/mod/"
printf 'obj-m := skel_kvm.o\nccflags-y := -Werror\n' > "$work/mod/Kbuild"
make -C "$kdir" M="$work/mod" modules > "$work/build.log" 2>&1 || {
	cat "$work/build.log"
	exit 1
}

cp "$busybox" "$work/initrd/bin/busybox"
cp "$work/mod/skel_kvm.ko" "$work/initrd/"
cat > "$work/initrd/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
insmod /skel_kvm.ko && rmmod skel_kvm
dmesg | grep -E 'lskel-kvm|BUG|Oops|WARNING|Call Trace'
echo lskel-kvm-end
poweroff -f
EOF
chmod +x "$work/initrd/init"
(cd "$work/initrd" && find . | cpio -o -H newc 2>/dev/null | gzip > "$work/initrd.gz")

echo "booting $image"
timeout 240 qemu-system-x86_64 -accel tcg -m 512 -nographic -no-reboot \
	-kernel "$image" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3" < /dev/null > "$work/console.log" 2>&1 || true
grep -a 'lskel-kvm' "$work/console.log" | sed 's/^\[[ 0-9.]*\] //'

grep -aq 'lskel-kvm-end' "$work/console.log" || { echo "the VM did not finish"; exit 1; }
if grep -aqE 'lskel-kvm: FAIL|BUG|Oops|WARNING|Call Trace' "$work/console.log"; then
	exit 1
fi
[ "$(grep -ac 'lskel-kvm: PASS' "$work/console.log")" -eq 3 ] || { echo "missing PASS lines"; exit 1; }
echo "3 kernel checks passed"
