// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: an array of maps with its inner map template and initial entries, a
 * prog array whose entries point at programs (one of them optional), and a pinned
 * map the runtime may hand in (its create step runs only if the ctx map_fd is
 * zero). Only UAPI headers, so the object does not depend on the kernel the test
 * runs on.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner first SEC(".maps"), second SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &first, [2] = &second },
};

int target(struct xdp_md *ctx);
int optional_target(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} jmp SEC(".maps") = {
	.values = { [0] = (void *)&target, [1] = (void *)&optional_target },
};

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	__u32 key = 0;
	void *m = bpf_map_lookup_elem(&outer, &key);

	if (m && bpf_map_lookup_elem(m, &key))
		bpf_tail_call(ctx, &jmp, 0);
	return XDP_DROP;
}

SEC("xdp")
int target(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("?xdp")
int optional_target(struct xdp_md *ctx)
{
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
