// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Maps whose key is given by BTF type and value by size, or the other way round.
 * The kernel takes a map's BTF key and value ids together or not at all, so such a
 * map must be created without BTF ids (libbpf tries with them, gets EINVAL and
 * retries without; bpftool's light skeleton just fails). The program stores a value
 * in each for the target process, and the test reads them back.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__uint(value_size, 12);
} key_typed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, 4);
	__type(value, __u64);
} value_typed SEC(".maps");

const volatile int target_tgid = 0;

SEC("raw_tp/sys_enter")
int fill_mixed(void *ctx)
{
	__u8 twelve[12] = { 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	__u64 v = 0x600d;
	__u32 k = 1;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	bpf_map_update_elem(&key_typed, &k, twelve, BPF_ANY);
	bpf_map_update_elem(&value_typed, &k, &v, BPF_ANY);
	return 0;
}
