// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A task iterator and a BTF-typed tracepoint. dump_task() prints one line per thread
 * of the target process, "tgid pid comm", and a trailer with the number of tasks it
 * walked; reading the iterator from userspace shows it ran. on_newtask() sees the
 * target process fork and stores the child's pid and the clone flags, read through
 * BTF pointers whose field offsets are CO-RE relocations against the running kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile int target_tgid = 0;

__u64 nr_walked = 0;		/* tasks seen by the current iteration */
int child_pid = 0;		/* from on_newtask */
int child_tgid = 0;
__u64 child_flags = 0;
__u64 nr_forks = 0;

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (!task) {		/* the final call after the last task */
		BPF_SEQ_PRINTF(seq, "walked %llu\n", nr_walked);
		nr_walked = 0;
		return 0;
	}
	nr_walked++;
	if (task->tgid == target_tgid)
		BPF_SEQ_PRINTF(seq, "%d %d %s\n", task->tgid, task->pid, task->comm);
	return 0;
}

SEC("tp_btf/task_newtask")
int BPF_PROG(on_newtask, struct task_struct *task, u64 clone_flags)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	child_pid = task->pid;
	child_tgid = task->tgid;
	child_flags = clone_flags;
	__sync_fetch_and_add(&nr_forks, 1);
	return 0;
}
