// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kconfig externs, which land in a .kconfig internal map whose value the runtime
 * fills on the loading machine: the kernel version and BPF cookie support, a bool, a
 * tristate, an int, a hex number (x86's CONFIG_PHYSICAL_START; weak, as other arches
 * lack it), a string, and weak externs of options no kernel has (they read as zero
 * unless a test's own config sets them). When the target process enters a syscall
 * the program copies every value into `out` in .bss for the test to compare with
 * the config the skeleton loaded with.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[32] __kconfig __weak;
extern int CONFIG_LSKEL_NO_SUCH_INT __kconfig __weak;
extern bool CONFIG_LSKEL_NO_SUCH_BOOL __kconfig __weak;
extern char CONFIG_LSKEL_NO_SUCH_CHAR __kconfig __weak;
extern __u64 CONFIG_PHYSICAL_START __kconfig __weak;

const volatile int target_tgid = 0;

struct {
	__u32 kernel_version;
	int bpf_syscall;
	int bpf_jit;
	int hz;
	char hostname[32];
	int no_such_int;
	int no_such_bool;
	int no_such_char;
	int has_bpf_cookie;
	__u64 physical_start;
	__u64 done;
} out = {};

SEC("raw_tp/sys_enter")
int read_kconfig(void *ctx)
{
	int i;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&out.done, 1))
		return 0;
	out.kernel_version = LINUX_KERNEL_VERSION;
	out.bpf_syscall = CONFIG_BPF_SYSCALL;
	out.bpf_jit = CONFIG_BPF_JIT;
	out.hz = CONFIG_HZ;
	for (i = 0; i < sizeof(out.hostname); i++)
		out.hostname[i] = CONFIG_DEFAULT_HOSTNAME[i];
	out.no_such_int = CONFIG_LSKEL_NO_SUCH_INT;
	out.no_such_bool = CONFIG_LSKEL_NO_SUCH_BOOL;
	out.no_such_char = CONFIG_LSKEL_NO_SUCH_CHAR;
	out.has_bpf_cookie = LINUX_HAS_BPF_COOKIE;
	out.physical_start = CONFIG_PHYSICAL_START;
	return 0;
}
