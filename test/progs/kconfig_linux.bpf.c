// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The virtual LINUX_ kconfig externs, which no config file holds: the runtime works
 * them out on the loading machine (the kernel's version, whether it has BPF cookies
 * and syscall wrappers), and a weak one it does not know reads 0. When the target
 * process enters a syscall the program copies them into `out`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern int LINUX_LSKEL_NO_SUCH_VALUE __kconfig __weak;

const volatile int target_tgid = 0;

struct {
	__u32 kernel_version;
	int has_bpf_cookie;
	int has_syscall_wrapper;
	int no_such_value;
	__u64 done;
} out = {};

SEC("raw_tp/sys_enter")
int read_linux(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&out.done, 1))
		return 0;
	out.kernel_version = LINUX_KERNEL_VERSION;
	out.has_bpf_cookie = LINUX_HAS_BPF_COOKIE;
	out.has_syscall_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	out.no_such_value = LINUX_LSKEL_NO_SUCH_VALUE;
	return 0;
}
