// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The smallest useful object: one raw_tp program on sys_enter that counts the
 * syscalls of one process. The process id and the syscall number to count are
 * .rodata the user sets before load, so a skeleton must carry user writes to rodata
 * into the frozen map. The count of the chosen syscall lands in .bss; every syscall
 * of the process is also counted per number in a hash map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile int target_tgid = 0;	/* set before load: 0 matches nothing useful */
const volatile long target_nr = -1;	/* syscall number counted into nr_hits */

__u64 nr_hits = 0;			/* .bss */
__u64 nr_seen = 0;			/* .bss: every syscall of target_tgid */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, __u32);		/* syscall number */
	__type(value, __u64);		/* times entered */
} calls SEC(".maps");

SEC("raw_tp/sys_enter")
int count_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 nr = ctx->args[1];
	__u64 one = 1, *cnt;

	if (tgid != target_tgid)
		return 0;
	__sync_fetch_and_add(&nr_seen, 1);
	if (ctx->args[1] == target_nr)
		__sync_fetch_and_add(&nr_hits, 1);

	cnt = bpf_map_lookup_elem(&calls, &nr);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&calls, &nr, &one, BPF_NOEXIST);
	return 0;
}
