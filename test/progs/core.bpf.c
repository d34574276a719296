// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE relocations of every kind clang 14 emits, each with an answer userspace can
 * check: field offsets (BPF_CORE_READ through pointer chains), field existence, size
 * and offset, type existence, size and kernel id, enum value existence and value. A
 * "___fake" flavour names a field and a type the kernel does not have, so those
 * relocations must resolve to 0 instead of failing the load. The program fills
 * `res` in .bss once, from inside a syscall of the target process.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct task_struct___fake {	/* flavour: matches task_struct, one field it lacks */
	int pid;
	int no_such_field;
} __attribute__((preserve_access_index));

struct no_such_type___fake {
	int x;
};

const volatile int target_tgid = 0;

struct {
	int pid;		/* task->pid, via BPF_CORE_READ */
	int parent_tgid;	/* task->real_parent->tgid */
	int pid_exists;		/* 1 */
	int fake_field_exists;	/* 0 */
	int flavour_pid;	/* task->pid read through the ___fake flavour */
	__u32 pid_size;		/* 4 */
	__u32 comm_size;	/* 16 */
	__u32 comm_off;		/* offsetof(task_struct, comm): > pid's */
	__u32 pid_off;
	int task_exists;	/* 1 */
	int fake_type_exists;	/* 0 */
	__u32 task_size;	/* > comm_off */
	__u32 task_btf_id;	/* > 0 */
	int bloom_exists;	/* 1 */
	__u64 bloom_value;	/* BPF_MAP_TYPE_BLOOM_FILTER */
	char comm[16];		/* task->comm, via bpf_core_read_str */
	__u64 done;
} res = {};

SEC("raw_tp/sys_enter")
int read_core(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct___fake *fake = (void *)task;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&res.done, 1))
		return 0;
	res.pid = BPF_CORE_READ(task, pid);
	res.parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	res.pid_exists = bpf_core_field_exists(task->pid);
	res.fake_field_exists = bpf_core_field_exists(fake->no_such_field);
	res.flavour_pid = BPF_CORE_READ(fake, pid);
	res.pid_size = bpf_core_field_size(task->pid);
	res.comm_size = bpf_core_field_size(task->comm);
	res.comm_off = bpf_core_field_offset(task->comm);
	res.pid_off = bpf_core_field_offset(task->pid);
	res.task_exists = bpf_core_type_exists(struct task_struct);
	res.fake_type_exists = bpf_core_type_exists(struct no_such_type___fake);
	res.task_size = bpf_core_type_size(struct task_struct);
	res.task_btf_id = bpf_core_type_id_kernel(struct task_struct);
	res.bloom_exists = bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_BLOOM_FILTER);
	res.bloom_value = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_BLOOM_FILTER);
	bpf_core_read_str(res.comm, sizeof(res.comm), &task->comm);
	return 0;
}
