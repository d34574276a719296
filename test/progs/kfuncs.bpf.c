// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Calls into the kernel (kfuncs), resolved by the loader in the running kernel's BTF:
 * strong ones it must find (bpf_task_from_pid, bpf_task_release: 6.2+), a weak one it
 * finds (bpf_task_acquire, called from a subprogram after bpf_ksym_exists()), and a
 * weak one no kernel has, whose guarded call the verifier drops as dead code. Run
 * with BPF_PROG_TEST_RUN, find_task() looks up the task of pid_in and stores what it
 * found in `out`. call_missing() calls the missing kfunc unguarded: it cannot load,
 * so it is off by default.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "externs.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
extern void lskel_no_such_kfunc(void) __ksym __weak;

int pid_in = 0;

struct {
	int pid;		/* of the task found */
	int tgid;
	int acquired_pid;	/* through a second reference, bpf_task_acquire() */
	int acquire_exists;
	int no_such_exists;
	int runs;
} out = {};

/* a kfunc called from a subprogram: its copy in the program is patched too */
static __noinline int second_ref_pid(struct task_struct *t)
{
	struct task_struct *t2;
	int pid;

	if (!bpf_ksym_exists(bpf_task_acquire))
		return -1;
	t2 = bpf_task_acquire(t);
	if (!t2)
		return -2;
	pid = t2->pid;
	bpf_task_release(t2);
	return pid;
}

SEC("syscall")
int find_task(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid_in);

	out.runs++;
	out.acquire_exists = bpf_ksym_exists(bpf_task_acquire);
	out.no_such_exists = bpf_ksym_exists(lskel_no_such_kfunc);
	if (bpf_ksym_exists(lskel_no_such_kfunc))
		lskel_no_such_kfunc();
	if (!t)
		return 0;
	out.pid = t->pid;
	out.tgid = t->tgid;
	out.acquired_pid = second_ref_pid(t);
	bpf_task_release(t);
	return 0;
}

SEC("?syscall")
int call_missing(void *ctx)
{
	lskel_no_such_kfunc();
	return 0;
}
