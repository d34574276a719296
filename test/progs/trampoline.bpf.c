// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs that attach through BPF trampolines: fentry, fexit, a sleepable fentry.s,
 * fmod_ret and lsm. Each needs attach_btf_id resolved from its target's name, and
 * fentry.s needs BPF_F_SLEEPABLE. All but the lsm one hook getpgid(); for the target
 * process, fmod_ret makes getpgid(MAGIC_PID) return FAKE_PGID without running it
 * (other pids run normally), the fentry pair counts calls, fexit records the last
 * return value, and the lsm hook counts file opens. Kernels that refuse
 * trampolines refuse to load this object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define FAKE_PGID 4242
#define MAGIC_PID 0x7ffffff0

const volatile int target_tgid = 0;

__u64 nr_entry = 0;
__u64 nr_entry_sleepable = 0;
__u64 nr_exit = 0;
long exit_ret = 0;
__u64 nr_opens = 0;

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

SEC("fentry.s/__x64_sys_getpgid")
int BPF_PROG(getpgid_entry_sleepable, struct pt_regs *regs)
{
	if (is_target())
		__sync_fetch_and_add(&nr_entry_sleepable, 1);
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

SEC("fmod_ret/__x64_sys_getpgid")
int BPF_PROG(fake_getpgid, struct pt_regs *regs, long ret)
{
	if (is_target() && regs->di == MAGIC_PID)
		return FAKE_PGID;
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(count_open, struct file *file, int ret)
{
	if (is_target())
		__sync_fetch_and_add(&nr_opens, 1);
	return ret;
}
