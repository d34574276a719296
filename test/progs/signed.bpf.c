// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object of the signed-skeleton tests (vm-tests/signed.c): an XDP program that
 * reports its .rodata and .data values into .bss and counts its runs in an array
 * map, so a test sees which initial values and which max_entries the kernel got.
 * A signed skeleton must load the signed ones whatever the user set before load;
 * an unsigned one takes the user's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 magic = 0x5165ed;	/* .rodata */
__u64 data_val = 7;			/* .data */
__u32 seen_magic = 0;			/* .bss */
__u64 seen_data = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} runs SEC(".maps");

SEC("xdp")
int report(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&runs, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	seen_magic = magic;
	seen_data = data_val;
	return XDP_PASS;
}
