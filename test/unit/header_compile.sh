#!/bin/sh
# Compiles and runs the user program of a generated light skeleton in every
# language mode the header promises: C (gnu11, gnu99, c11, c99) and C++ (c++11,
# c++17), with -Wall -Wextra -Werror, under gcc and clang when present, with the
# named types from the skeleton or from the program (-DUSER_TYPES). The
# header's static asserts check the struct layouts at compile time; skel_user.c
# checks the runtime (see there). Needs no privileges.
#
# Usage: header_compile.sh MK_TEST_HEADER SRCDIR WORKDIR CC [CXX]
set -eu

mk=$1 src=$2 work=$3 cc=$4 cxx=${5:-}
rm -rf "$work"
mkdir -p "$work"
"$mk" "$work/test_a.h" test_a_bpf
"$mk" "$work/test_b.h" test_b_bpf
"$mk" "$work/test_c.h" test_c_bpf bad-loader

flags="-Wall -Wextra -Werror -I$work"
built=0

# build_run NAME COMPILER ARGS...: compile skel_user.c and run it
build_run() {
	name=$1
	shift
	echo "== $name: $*"
	"$@" $flags -o "$work/$name" "$src/skel_user.c"
	"$work/$name"
	built=$((built + 1))
}

for std in gnu11 gnu99 c11 c99; do
	build_run "c-$std" "$cc" -std=$std
done
build_run c-user-types "$cc" -std=gnu11 -DUSER_TYPES
if command -v clang >/dev/null 2>&1; then
	build_run clang-gnu11 clang -std=gnu11
fi
if [ -n "$cxx" ]; then
	for std in c++11 c++17; do
		build_run "cxx-$std" "$cxx" -std=$std -x c++
	done
	build_run cxx-user-types "$cxx" -std=c++11 -x c++ -DUSER_TYPES
fi
if command -v clang++ >/dev/null 2>&1; then
	build_run clangxx-c++11 clang++ -std=c++11 -x c++
fi
# a program whose struct differs from the BPF side's must not compile
echo "== c-bad-point: a wrong struct point"
if "$cc" -std=gnu11 $flags -DUSER_TYPES -DBAD_POINT -fsyntax-only "$src/skel_user.c" \
	2>"$work/bad-point.err"; then
	echo "a wrong struct point compiled"
	exit 1
fi
grep -q 'lskel: struct point differs from the BPF side' "$work/bad-point.err"
echo "$built builds passed, a wrong struct refused"
