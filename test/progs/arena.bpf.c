// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A BPF arena (BPF_MAP_TYPE_ARENA, 6.9): memory shared between the program and the
 * process that mmap()s the map. The kernel must know the arena's user address when
 * a program using it loads; libbpf mmap()s the arena between creating it and loading
 * the programs, which a light skeleton's loader cannot, so the address is fixed in
 * the definition (map_extra) and the test maps the arena there. Needs clang 19 for __arena pointers (address space
 * 1, turned into addr_space_cast instructions). The test maps the arena, writes a
 * number at its start and tells the program where it mapped it; on the first syscall
 * of the target process the program reads that number through an __arena pointer
 * and writes its double right after it, where the test reads it back.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define __arena __attribute__((address_space(1)))

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);		/* pages */
	/*
	 * The user address: 512 MiB, free in a 64-bit process. __uint because libbpf 1.1
	 * knows no __ulong; its int[N] must stay under 4 GiB for the kernel's BTF check.
	 */
	__uint(map_extra, 1u << 29);
} arena SEC(".maps");

const volatile int target_tgid = 0;

__u64 user_addr = 0;		/* where the test mapped the arena (map_extra) */
__u64 seen = 0;			/* what the program read there */
__u64 done = 0;

SEC("raw_tp/sys_enter")
int use_arena(void *ctx)
{
	__u64 __arena *p = (__u64 __arena *)user_addr;
	void *map = &arena;

	/* the verifier ties a program to its arena through a reference to the map */
	asm volatile("" : : "r"(map));
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&done, 1) || !p)
		return 0;
	seen = p[0];
	p[1] = seen * 2;
	return 0;
}
