// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Subprograms and callbacks. Static and global functions live in .text and are called
 * from two programs that share one section and from a third in another section, so
 * the same subprogram is appended to several programs; one subprogram calls another.
 * Callbacks reach the verifier as ld_imm64 BPF_PSEUDO_FUNC: bpf_loop (5.17),
 * bpf_for_each_map_elem (5.13), a function pointer chosen at run time, and a bpf_timer
 * callback (5.15) armed from a tp_btf program (timers are refused in raw_tp). Every
 * result lands in results[] in .bss at a fixed slot that the test checks.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define CLOCK_MONOTONIC 1
#define NR_ELEMS 8

enum {
	R_STATIC,	/* square(7) + cube(2) = 57 */
	R_GLOBAL,	/* add3(1, 2, 3) + mul2(10) = 26 */
	R_FUNCPTR,	/* bpf_loop(4) over a pointer to add_one or add_ten: 4 or 40 */
	R_LOOP,		/* bpf_loop(NR_ELEMS): 0 + 1 + ... + 7 = 28 */
	R_FOREACH,	/* for_each over elems set by the loop: 1 + ... + 8 = 36 */
	R_OTHER_SEC,	/* square(9) from the tp_btf program = 81 */
	R_TIMER,	/* the timer callback ran: 0x7133 */
	R_HITS,		/* times prog_calls ran */
	NR_RESULTS
};

const volatile int target_tgid = 0;
const volatile int use_ten = 0;		/* picks the function pointer's target */

__u64 results[NR_RESULTS] = {};

struct tval {
	struct bpf_timer timer;
	__u64 armed;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct tval);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_ELEMS);
	__type(key, __u32);
	__type(value, __u64);
} elems SEC(".maps");

static __noinline int square(int x)
{
	return x * x;
}

static __noinline int cube(int x)
{
	return square(x) * x;		/* a subprogram calling a subprogram */
}

__noinline int add3(int a, int b, int c)	/* global: verified on its own */
{
	return a + b + c;
}

__noinline int mul2(int x)
{
	return add3(x, x, 0);
}

static int add_one(__u32 idx, void *data)
{
	*(__u64 *)data += 1;
	return 0;
}

static int add_ten(__u32 idx, void *data)
{
	*(__u64 *)data += 10;
	return 0;
}

static int fill_elem(__u32 idx, void *data)
{
	__u64 *v = bpf_map_lookup_elem(&elems, &idx);

	if (v)
		*v = idx + 1;
	*(__u64 *)data += idx;
	return 0;
}

static long sum_elem(struct bpf_map *map, __u32 *key, __u64 *val, void *data)
{
	*(__u64 *)data += *val;
	return 0;
}

static int timer_fired(void *map, int *key, struct tval *val)
{
	results[R_TIMER] = 0x7133;
	return 0;
}

static __always_inline int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("raw_tp/sys_enter")
int prog_calls(void *ctx)
{
	int (*fn)(__u32, void *) = use_ten ? add_ten : add_one;
	__u64 acc = 0;

	if (!is_target())
		return 0;
	results[R_STATIC] = square(7) + cube(2);
	results[R_GLOBAL] = add3(1, 2, 3) + mul2(10);
	bpf_loop(4, fn, &acc, 0);
	results[R_FUNCPTR] = acc;
	__sync_fetch_and_add(&results[R_HITS], 1);
	return 0;
}

SEC("raw_tp/sys_enter")		/* same section as prog_calls */
int prog_callbacks(void *ctx)
{
	__u64 idx_sum = 0, val_sum = 0;

	if (!is_target())
		return 0;
	bpf_loop(NR_ELEMS, fill_elem, &idx_sum, 0);
	bpf_for_each_map_elem(&elems, sum_elem, &val_sum, 0);
	results[R_LOOP] = idx_sum;
	results[R_FOREACH] = val_sum;
	return 0;
}

SEC("tp_btf/sys_enter")
int prog_timer(u64 *ctx)
{
	struct tval *val;
	int key = 0;

	if (!is_target())
		return 0;
	results[R_OTHER_SEC] = square(9);
	val = bpf_map_lookup_elem(&timers, &key);
	if (!val || val->armed)
		return 0;
	val->armed = 1;
	if (bpf_timer_init(&val->timer, &timers, CLOCK_MONOTONIC))
		return 0;
	bpf_timer_set_callback(&val->timer, timer_fired);
	bpf_timer_start(&val->timer, 0, 0);
	return 0;
}
