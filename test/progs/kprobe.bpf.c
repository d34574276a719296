// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A kprobe and a kretprobe on getpgid(): both BPF_PROG_TYPE_KPROBE, loaded with no
 * attach target (a kprobe is attached afterwards, through a perf event, by function
 * name). For the target process the kprobe counts calls and the kretprobe records
 * the last return value.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile int target_tgid = 0;

__u64 nr_calls = 0;
__u64 nr_returns = 0;
long last_ret = 0;

static __always_inline int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("kprobe/__x64_sys_getpgid")
int BPF_KPROBE(getpgid_probe)
{
	if (is_target())
		__sync_fetch_and_add(&nr_calls, 1);
	return 0;
}

SEC("kretprobe/__x64_sys_getpgid")
int BPF_KRETPROBE(getpgid_retprobe, long ret)
{
	if (is_target()) {
		last_ret = ret;
		__sync_fetch_and_add(&nr_returns, 1);
	}
	return 0;
}
