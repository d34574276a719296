#!/bin/sh
# Installs what this machine lacks (Debian 12 packages, as root), then configures and
# builds lskel in build/. Safe to run again: installed packages and an existing build
# directory are reused.
set -eu
cd "$(dirname "$0")/.."

PKGS="gcc g++ clang llvm meson ninja-build pkg-config python3 libelf-dev zlib1g-dev
      libbpf-dev bpftool libssl-dev openssl keyutils valgrind
      qemu-system-x86 busybox-static cpio linux-headers-amd64"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# clang-19 builds the arena test program (__arena pointers); optional: without it
# (Debian before 12.x's clang-19 package) the arena tests skip.
if ! command -v clang-19 >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get install -y -qq --no-install-recommends clang-19 >/dev/null 2>&1 ||
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends clang-19 >/dev/null; }; } ||
		echo "setup: clang-19 is not available; the arena tests will skip"
fi

if [ -f build/build.ninja ]; then
	meson setup --reconfigure build >/dev/null
else
	meson setup build >/dev/null
fi
ninja -C build >/dev/null

# The kernel the VM tests boot: Debian's image matching the installed headers,
# unpacked into build/vm-kernel (not installed: this machine's boot is left alone),
# with its config, which vm61.py puts at /boot/config-VERSION inside the VM.
hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
ver=${hdr#/usr/src/linux-headers-}
if [ -n "$ver" ] && { [ ! -f "build/vm-kernel/vmlinuz-$ver" ] ||
		       [ ! -f "build/vm-kernel/config-$ver" ]; }; then
	echo "setup: fetching linux-image-$ver-unsigned for the VM tests"
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -qq "linux-image-$ver-unsigned" >/dev/null 2>&1); then
		dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/x"
		mkdir -p build/vm-kernel
		cp "$tmp/x/boot/vmlinuz-$ver" "$tmp/x/boot/config-$ver" build/vm-kernel/
	else
		echo "setup: linux-image-$ver-unsigned not available; VM tests will skip"
	fi
	rm -rf "$tmp"
fi
echo "setup: build/compiler/lskel is ready"
