// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: maps declared every way (key/value by type and by size), global data
 * in every section kind, an optional program and one whose attach target the loader
 * looks up in kernel BTF. Only UAPI headers, so the object does not depend on the
 * kernel the test runs on.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u64);
} by_type SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 0);		/* sized by the user before load */
	__uint(key_size, 4);
	__uint(value_size, 16);
} by_size SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__uint(map_extra, 3);
	__type(value, __u32);
} bloom SEC(".maps");

__u64 in_bss;
__u32 in_data = 7;
const volatile __u32 in_rodata = 42;
__u16 in_custom SEC(".data.custom") = 3;
const char greeting[] = "hello";

SEC("raw_tp/sys_enter")
int on_enter(void *ctx)
{
	__u32 k = in_rodata;
	__u64 v = in_data + in_custom;

	bpf_map_update_elem(&by_type, &k, &v, BPF_ANY);
	bpf_map_push_elem(&bloom, &k, 0);
	in_bss++;
	return greeting[0];
}

SEC("?raw_tp/sys_exit")
int on_exit(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&by_size, &k) != 0;
}

SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	in_bss += 2;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
