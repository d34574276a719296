// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF-defined maps with every attribute a .maps definition can carry: type, key and
 * value given by BTF type or by size, max_entries (one left at 0
 * that the user must set before load), map_flags, numa_node, map_extra (bloom filter
 * hash count) and pinning (LIBBPF_PIN_NONE, so nothing is pinned). When the target
 * process enters a syscall, touch() writes known values into every map and records
 * what the kernel answered in .bss, so the test can check each map both from the
 * program's and from userspace's side.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define NR_TRIES 8

struct key2 {
	__u32 id;
	__u16 kind;
};

struct val3 {
	__u64 sum;
	__u32 count;
	char tag[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct key2);
	__type(value, struct val3);
	__uint(pinning, LIBBPF_PIN_NONE);
} by_type SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 24);
} by_size SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} per_cpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);	/* the test raises it to 32 before load */
	__type(key, __u64);
	__type(value, __u64);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} no_prealloc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} on_node0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(map_flags, BPF_F_ZERO_SEED);	/* same bits every run */
	__uint(max_entries, 32);
	__uint(map_extra, 3);		/* number of hash functions */
	__type(value, __u32);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);		/* no max_entries: the user sets it */
} user_sized SEC(".maps");

const volatile int target_tgid = 0;

__u32 nr_inserted = 0;		/* user_sized updates that succeeded */
long bloom_hit = 1;		/* bpf_map_peek_elem of a pushed value: 0 */
long bloom_miss = 1;		/* of a value never pushed: -ENOENT */
__u64 done = 0;

static __always_inline void touch(void)
{
	struct key2 k2 = { .id = 1, .kind = 2 };
	struct val3 v3 = { .sum = 300, .count = 3, .tag = "v3" };
	__u8 bytes[24] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	__u32 k = 1, v32 = 0xabc, i;
	__u64 k64 = 0x1234, v64 = 0x5678, *p64;

	bpf_map_update_elem(&by_type, &k2, &v3, BPF_ANY);
	bpf_map_update_elem(&by_size, &k, bytes, BPF_ANY);
	p64 = bpf_map_lookup_elem(&per_cpu, &k);
	if (p64)
		*p64 += 1;
	bpf_map_update_elem(&per_cpu_hash, &k, &v32, BPF_ANY);
	bpf_map_update_elem(&lru, &k64, &v64, BPF_ANY);
	bpf_map_update_elem(&no_prealloc, &k, &v64, BPF_ANY);
	k = 0;
	bpf_map_update_elem(&on_node0, &k, &v32, BPF_ANY);

	v32 = 4242;
	bpf_map_push_elem(&bloom, &v32, BPF_ANY);
	bloom_hit = bpf_map_peek_elem(&bloom, &v32);
	v32 = 4343;
	/* an int error: 6.1 returns it zero-extended in the 64-bit register */
	bloom_miss = (int)bpf_map_peek_elem(&bloom, &v32);

	for (i = 0; i < NR_TRIES; i++) {
		__u32 key = i;	/* a copy: the verifier must see i bounded */

		if (!bpf_map_update_elem(&user_sized, &key, &key, BPF_NOEXIST))
			nr_inserted++;
	}
}

SEC("raw_tp/sys_enter")
int touch_maps(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&done, 1))
		return 0;
	touch();
	return 0;
}
