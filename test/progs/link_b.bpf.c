// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Second half of the program link_a.bpf.c starts: it cannot load alone. It refers
 * to link_a's map through an extern map definition, repeats flags_map as a weak
 * definition (link_a's strong one wins; the linker checks that both agree), does
 * the same with the variable scale, reads link_a's .rodata variable through an
 * extern declaration and calls link_a's global function bump(). Its own static twice() triples, unlike link_a's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern struct {
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
} flags_map SEC(".maps") __weak;

extern const volatile int target_tgid;
__u64 scale __weak = 1;
extern int bump(__u32 key, __u64 by);

__u64 b_result = 0;		/* bump(2, 100) as seen from here: 1002 */
__u64 b_twice = 0;		/* this half's twice(21) = 63 */
__u64 b_scale = 0;		/* scale as this half sees it */
__u64 b_done = 0;

static __noinline int twice(int x)
{
	return x * 3;
}

SEC("raw_tp/sys_enter")
int prog_b(void *ctx)
{
	__u32 k = 2, flag = 0xb;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&b_done, 1))
		return 0;
	b_result = bump(2, 100);
	b_twice = twice(21);
	b_scale = scale;
	bpf_map_update_elem(&flags_map, &k, &flag, BPF_ANY);
	return 0;
}
