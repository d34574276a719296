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

skip() {
	echo "skipped: $*"
	exit 77
}

kdir= image=
for d in /lib/modules/"$(uname -r)"/build /usr/src/linux-headers-*; do
	[ -f "$d/Module.symvers" ] || continue
	ver=$(basename "$(readlink -f "$d")")
	ver=${ver#linux-headers-}
	[ -n "$kdir" ] || kdir=$d
	for i in "${LSKEL_VM_KERNEL:-}" "/boot/vmlinuz-$ver"; do
		if [ -n "$i" ] && [ -f "$i" ]; then
			kdir=$d image=$i
			break 2
		fi
	done
done
[ -n "$kdir" ] || skip "no kernel headers with Module.symvers (linux-headers-amd64)"

rm -rf "$work"
mkdir -p "$work/mod" "$work/initrd/bin" "$work/initrd/proc"
"$lskel" gen -o "$work/mod/kconfig.lskel.h" "$kconfig"
"$lskel" gen -o "$work/mod/kconfig_linux.lskel.h" "$kconfig_linux"
"$lskel" gen -o "$work/mod/kconfig_missing.lskel.h" "$missing"
cp "$src/skel_kconfig_kvm.c" "$work/mod/"
printf 'obj-m := skel_kconfig_kvm.o\nccflags-y := -Werror\n' > "$work/mod/Kbuild"
make -C "$kdir" M="$work/mod" modules > "$work/build.log" 2>&1 || {
	cat "$work/build.log"
	exit 1
}
echo "skel_kconfig_kvm.ko built against $kdir"
[ -n "$image" ] || skip "no kernel image matching installed headers (linux-image-VER-unsigned for linux-headers-VER, or LSKEL_VM_KERNEL)"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "no qemu-system-x86_64 (qemu-system-x86)"
command -v cpio >/dev/null 2>&1 || skip "no cpio"
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	skip "no static busybox (busybox-static)"
fi

cp "$busybox" "$work/initrd/bin/busybox"
cp "$work/mod/skel_kconfig_kvm.ko" "$work/initrd/"
cat > "$work/initrd/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
insmod /skel_kconfig_kvm.ko && rmmod skel_kconfig_kvm
dmesg | grep -E 'lskel-kvm|BUG|Oops|WARNING|Call Trace'
echo lskel-kvm-end
poweroff -f
INIT
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
