// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bundled example: counts the system calls one process makes, in total (a .bss
 * counter the app reads through skel->bss) and per syscall number (a hash map).
 * The process to watch is set by the app before load through .rodata.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, u32);	/* syscall number */
	__type(value, u64);	/* calls */
} per_nr SEC(".maps");

const volatile u32 target_tgid = 0;
u64 total = 0;

SEC("raw_tp/sys_enter")
int count_enter(struct bpf_raw_tracepoint_args *ctx)
{
	u32 nr = ctx->args[1];
	u64 one = 1, *cnt;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	__sync_fetch_and_add(&total, 1);
	cnt = bpf_map_lookup_elem(&per_nr, &nr);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&per_nr, &nr, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
