// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An object that fails to load in two ways the skeleton must explain: the map
 * `unsized` has no max_entries, so its BPF_MAP_CREATE fails until the user sets one,
 * and the optional program bad_access (SEC("?...")) dereferences a hash map's value
 * without checking it for NULL (an array's, with a constant key, newer kernels know
 * to be there), which the verifier rejects when the user turns it on. With
 * both left alone, good() loads and counts the target's syscalls.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);		/* no max_entries: the user must set one */
} unsized SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile int target_tgid = 0;

SEC("raw_tp/sys_enter")
int good(void *ctx)
{
	__u32 k = 0;
	__u64 *v, one = 1;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	v = bpf_map_lookup_elem(&counts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	bpf_map_update_elem(&unsized, &k, &one, BPF_ANY);
	return 0;
}

SEC("?raw_tp/sys_enter")
int bad_access(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&unsized, &k);

	*v += 1;			/* no NULL check: "invalid mem access" */
	return 0;
}
