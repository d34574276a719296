// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A sleepable fentry.s program: BPF_F_SLEEPABLE plus an attach_btf_id resolved from
 * the traced function's name. The kernel lets sleepable tracing programs attach only
 * to functions on its error injection list, which exists only with
 * CONFIG_FUNCTION_ERROR_INJECTION (syscalls are on it then); Debian's 6.1 lacks it
 * and refuses this object, which is why it is apart from trampoline.bpf.c. For the
 * target process, the program counts getpgid() calls and copies the word at
 * user_word from its memory with bpf_copy_from_user(), which only sleepable
 * programs may call.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile int target_tgid = 0;

__u64 nr_entry_sleepable = 0;
__u64 user_word = 0;		/* address of an int in the target process, or 0 */
int word_seen = 0;

SEC("fentry.s/__x64_sys_getpgid")
int BPF_PROG(getpgid_entry_sleepable, struct pt_regs *regs)
{
	int word = 0;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&nr_entry_sleepable, 1);
	if (user_word && !bpf_copy_from_user(&word, sizeof(word), (void *)user_word))
		word_seen = word;
	return 0;
}
