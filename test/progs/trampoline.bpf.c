// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs that attach through BPF trampolines, each to a target Debian's 6.1 allows
 * without CONFIG_FUNCTION_ERROR_INJECTION: fentry, fexit, fmod_ret on a security_*
 * function, lsm and a sleepable lsm.s. Each needs attach_btf_id resolved from its
 * target's name, and lsm.s needs BPF_F_SLEEPABLE. Only the target process is affected:
 *  - the fentry/fexit pair on getpgid() counts calls and records the last return value;
 *  - fmod_ret makes security_task_getsid() refuse with -EPERM while deny_getsid is set,
 *    so getsid(getpid()) fails (getsid(0) never asks the LSM), and lets it run otherwise;
 *  - lsm/file_open counts opens;
 *  - lsm.s/file_open reads a word of the process's memory at user_word with
 *    bpf_copy_from_user(), a helper only sleepable programs may call, and refuses the
 *    open with -EPERM while that word holds DENY_MAGIC.
 * Kernels that refuse trampolines refuse to load this object. fentry.s lives in
 * trampoline_sleepable.bpf.c: it needs error injection, which 6.1 lacks.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define EPERM 1
#define DENY_MAGIC 0x5eeded

const volatile int target_tgid = 0;

__u64 nr_entry = 0;
__u64 nr_exit = 0;
long exit_ret = 0;
int deny_getsid = 0;
__u64 nr_getsid_denied = 0;
__u64 nr_opens = 0;
__u64 user_word = 0;		/* address of an int in the target process, or 0 */
__u64 nr_sleepable_opens = 0;
__u64 nr_opens_denied = 0;

static __always_inline int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("fentry/__x64_sys_getpgid")
int BPF_PROG(getpgid_entry, struct pt_regs *regs)
{
	if (is_target())
		__sync_fetch_and_add(&nr_entry, 1);
	return 0;
}

SEC("fexit/__x64_sys_getpgid")
int BPF_PROG(getpgid_exit, struct pt_regs *regs, long ret)
{
	if (is_target()) {
		exit_ret = ret;
		__sync_fetch_and_add(&nr_exit, 1);
	}
	return 0;
}

/* 0 lets security_task_getsid() run; anything else is returned in its place. */
SEC("fmod_ret/security_task_getsid")
int BPF_PROG(refuse_getsid, struct task_struct *p, int ret)
{
	if (!is_target() || !deny_getsid)
		return 0;
	__sync_fetch_and_add(&nr_getsid_denied, 1);
	return -EPERM;
}

SEC("lsm/file_open")
int BPF_PROG(count_open, struct file *file, int ret)
{
	if (is_target())
		__sync_fetch_and_add(&nr_opens, 1);
	return ret;
}

SEC("lsm.s/file_open")
int BPF_PROG(gate_open, struct file *file, int ret)
{
	int word = 0;

	if (ret || !is_target() || !user_word)
		return ret;
	__sync_fetch_and_add(&nr_sleepable_opens, 1);
	if (bpf_copy_from_user(&word, sizeof(word), (void *)user_word))
		return ret;
	if (word != DENY_MAGIC)
		return 0;
	__sync_fetch_and_add(&nr_opens_denied, 1);
	return -EPERM;
}
