// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Maps pinned by name (LIBBPF_PIN_BY_NAME): a second skeleton instance, or a
 * libbpf load, with the same pin root shares them with the first.
 *
 * Running `count` (XDP, through BPF_PROG_TEST_RUN) adds 1 to counts[1] and
 * totals[0] (both pinned, so every instance adds to the same ones) and to
 * local_hits (this instance's own .bss), then tail-calls through the pinned
 * jmp[0], which every load points at its own `count_tail` (libbpf fills a reused
 * prog array's entries again), and `count_tail` adds 1 to totals[1]. The pinned
 * map-in-map `lookup` gets its entry ([0] = &own) only when it is created, not
 * when it is reused; `own` itself is not pinned.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} totals SEC(".maps");

struct own_def {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct own_def own SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct own_def);
} lookup SEC(".maps") = {
	.values = { [0] = &own },
};

int count_tail(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, int (struct xdp_md *));
} jmp SEC(".maps") = {
	.values = { [0] = (void *)&count_tail },
};

__u64 local_hits = 0;

static void add(void *map, __u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(map, &key, &one, BPF_NOEXIST);
}

SEC("xdp")
int count(struct xdp_md *ctx)
{
	add(&counts, 1);
	add(&totals, 0);
	__sync_fetch_and_add(&local_hits, 1);
	bpf_tail_call(ctx, &jmp, 0);
	return XDP_DROP;
}

SEC("xdp")
int count_tail(struct xdp_md *ctx)
{
	add(&totals, 1);
	return XDP_PASS;
}
