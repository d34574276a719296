// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cgroup local storage (BPF_MAP_TYPE_CGRP_STORAGE, 6.2), kept out of maptypes.bpf.c
 * so that object still loads on 6.1. On every syscall of the target process the
 * program finds (or creates) the storage of the process's cgroup v2 and counts; the
 * test seeds the storage through the cgroup's directory fd and reads it back.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} cgrp_store SEC(".maps");

const volatile int target_tgid = 0;

__u64 hits = 0;			/* syscalls that found the storage */

SEC("tp_btf/sys_enter")
int count_in_cgroup(u64 *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 *v;

	if (task->tgid != target_tgid)
		return 0;
	v = bpf_cgrp_storage_get(&cgrp_store, task->cgroups->dfl_cgrp, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!v)
		return 0;
	__sync_fetch_and_add(v, 1);
	__sync_fetch_and_add(&hits, 1);
	return 0;
}
