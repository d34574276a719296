// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * First half of a program linked from two objects (link_b.bpf.c is the second;
 * `lskel gen -n linked_bpf link_a.bpf.o link_b.bpf.o` links them, so does
 * `bpftool gen object`). This half defines what the other uses: the map
 * shared_counts (an extern map there), the strong definition of flags_map (a weak
 * one there, which the linker drops), the .rodata variable target_tgid (an extern
 * variable there), the .data variable scale (a weak one there) and the global
 * function bump() that link_b's program calls. Both
 * halves have a static function twice() of their own: the linker keeps both.
 *
 * Each program runs once, on the first syscall of the target process.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} shared_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} flags_map SEC(".maps");

const volatile int target_tgid = 0;
__u64 scale = 3;		/* the strong definition: link_b's weak one gives way */

__u64 nr_bumps = 0;		/* calls of bump() from either half */
__u64 a_twice = 0;		/* this half's twice(21) = 42 */
__u64 a_done = 0;

static __noinline int twice(int x)
{
	return x * 2;
}

/* Adds by to shared_counts[key]; returns key + 1000 so the caller sees the result. */
__noinline int bump(__u32 key, __u64 by)
{
	__u64 *v = bpf_map_lookup_elem(&shared_counts, &key);

	if (v)
		__sync_fetch_and_add(v, by);
	else
		bpf_map_update_elem(&shared_counts, &key, &by, BPF_ANY);
	__sync_fetch_and_add(&nr_bumps, 1);
	return key + 1000;
}

SEC("raw_tp/sys_enter")
int prog_a(void *ctx)
{
	__u32 k = 1, flag = 0xa;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&a_done, 1))
		return 0;
	bump(1, 10);
	a_twice = twice(21);
	bpf_map_update_elem(&flags_map, &k, &flag, BPF_ANY);
	return 0;
}
