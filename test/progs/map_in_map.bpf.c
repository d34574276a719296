// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Initial values of maps that hold other objects: an array of maps and a hash of
 * maps whose slots point at inner maps from the start (.values = { [k] = &inner }),
 * and a tail-call table whose slots point at programs (.values = { [k] = (void
 * *)&prog }). The outer maps name the inner ones before they are defined: the
 * slots are filled once every map exists, whatever the declaration order.
 *
 * Running `entry` (XDP, through BPF_PROG_TEST_RUN) writes 42 into slot 1 of the
 * inner map at outer_arr[0] and adds 1 to slot 0 of the one at outer_hash[7],
 * then tail-calls through jmp_table[1] (`tail`, which counts its runs in
 * tail_hits and returns XDP_PASS) and, only if that fails, jmp_table[2]
 * (`maybe_tail`, an optional program: its slot is filled only when the user
 * loads it). Without a tail call, `entry` returns XDP_DROP.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

extern struct inner inner_a, inner_b;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_arr SEC(".maps") = {
	.values = { [0] = &inner_a, [3] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner);
} outer_hash SEC(".maps") = {
	.values = { [7] = &inner_b },
};

int tail(struct xdp_md *ctx);
int maybe_tail(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} jmp_table SEC(".maps") = {
	.values = {
		[1] = (void *)&tail,
		[2] = (void *)&maybe_tail,
	},
};

struct inner inner_a SEC(".maps"), inner_b SEC(".maps");

__u64 tail_hits = 0;
__u64 maybe_tail_hits = 0;

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	__u32 zero = 0, one = 1, key = 7;
	__u64 *v;
	void *m;

	m = bpf_map_lookup_elem(&outer_arr, &zero);
	if (m) {
		v = bpf_map_lookup_elem(m, &one);
		if (v)
			*v = 42;
	}
	m = bpf_map_lookup_elem(&outer_hash, &key);
	if (m) {
		v = bpf_map_lookup_elem(m, &zero);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
	bpf_tail_call(ctx, &jmp_table, 1);
	bpf_tail_call(ctx, &jmp_table, 2);
	return XDP_DROP;
}

SEC("xdp")
int tail(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&tail_hits, 1);
	return XDP_PASS;
}

SEC("?xdp")
int maybe_tail(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&maybe_tail_hits, 1);
	return XDP_TX;
}
