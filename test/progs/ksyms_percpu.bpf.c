// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Typed __ksym variables: per-CPU kernel variables, which the loader finds as BTF
 * VARs (ld_imm64 BPF_PSEUDO_BTF_ID). The kernel then needs their addresses from
 * kallsyms, so this loads only where kallsyms has data symbols. When the target
 * process enters a syscall, the program reads the run queue of CPU 0 and of the
 * current CPU (each knows its own number) and this CPU's bpf_prog_active.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym;

const volatile int target_tgid = 0;

struct {
	int cpu0_rq_cpu;	/* runqueues of CPU 0: its cpu field */
	int this_rq_cpu;	/* this CPU's run queue: its cpu field */
	int this_cpu;		/* bpf_get_smp_processor_id() */
	int prog_active;	/* this CPU's bpf_prog_active */
	__u64 done;
} out = {};

SEC("raw_tp/sys_enter")
int read_percpu(void *ctx)
{
	struct rq *rq;
	int *active;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&out.done, 1))
		return 0;
	rq = bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		out.cpu0_rq_cpu = rq->cpu;
	rq = bpf_this_cpu_ptr(&runqueues);
	out.this_rq_cpu = rq->cpu;
	out.this_cpu = bpf_get_smp_processor_id();
	active = bpf_this_cpu_ptr(&bpf_prog_active);
	out.prog_active = *active;
	return 0;
}
