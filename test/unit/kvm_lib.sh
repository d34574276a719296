# Shared by the kernel-flavour tests (runtime_kernel.sh, kconfig_kvm.sh), sourced
# with $work set: find kernel headers and a kernel image of the same version, build
# a module from $work/mod, boot that kernel under qemu (TCG) with a busybox
# initramfs that loads and unloads the module, and judge the module's
# "lskel-kvm: PASS/FAIL" lines in the kernel log.

skip() {
	echo "skipped: $*"
	exit 77
}

# Sets kdir (headers with Module.symvers) and image (/boot/vmlinuz-VER or
# $LSKEL_VM_KERNEL for the same VER); skips without headers.
kvm_find_kernel() {
	kdir= image=
	for d in /lib/modules/"$(uname -r)"/build /usr/src/linux-headers-*; do
		[ -f "$d/Module.symvers" ] || continue
		ver=$(basename "$(readlink -f "$d")")
		ver=${ver#linux-headers-}
		[ -n "$kdir" ] || kdir=$d
		for i in "${LSKEL_VM_KERNEL:-}" "/boot/vmlinuz-$ver"; do
			if [ -n "$i" ] && [ -f "$i" ]; then
				kdir=$d image=$i
				return
			fi
		done
	done
	[ -n "$kdir" ] || skip "no kernel headers with Module.symvers (linux-headers-amd64)"
}

# kvm_build_module NAME: $work/mod/NAME.c (and its headers) -> $work/mod/NAME.ko
kvm_build_module() {
	printf 'obj-m := %s.o\nccflags-y := -Werror\n' "$1" > "$work/mod/Kbuild"
	make -C "$kdir" M="$work/mod" modules > "$work/build.log" 2>&1 || {
		cat "$work/build.log"
		exit 1
	}
	echo "$1.ko built against $kdir"
}

# Skips unless the image, qemu, cpio and a static busybox are there; sets busybox.
kvm_require_vm() {
	[ -n "$image" ] || skip "no kernel image matching installed headers (linux-image-VER-unsigned for linux-headers-VER, or LSKEL_VM_KERNEL)"
	command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "no qemu-system-x86_64 (qemu-system-x86)"
	command -v cpio >/dev/null 2>&1 || skip "no cpio"
	busybox=$(command -v busybox || true)
	if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
		skip "no static busybox (busybox-static)"
	fi
}

# kvm_run_module NAME NR_PASS [SCRIPT]: boots with NAME.ko loaded and unloaded by
# init, or with `sh SCRIPT NAME` run in its place (the script insmods /NAME.ko,
# rmmods it and echoes its own lskel-kvm lines); fails unless the VM finished,
# printed no FAIL or kernel splat, and NR_PASS PASS lines, the module's and the
# script's together.
kvm_run_module() {
	mkdir -p "$work/initrd/bin" "$work/initrd/proc"
	cp "$busybox" "$work/initrd/bin/busybox"
	cp "$work/mod/$1.ko" "$work/initrd/"
	run="insmod /$1.ko && rmmod $1"
	if [ -n "${3:-}" ]; then
		cp "$3" "$work/initrd/run.sh"
		run="sh /run.sh $1"
	fi
	cat > "$work/initrd/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
$run
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
	[ "$(grep -ac 'lskel-kvm: PASS' "$work/console.log")" -eq "$2" ] || { echo "missing PASS lines"; exit 1; }
	echo "$2 kernel checks passed"
}
