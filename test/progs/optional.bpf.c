// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Optional programs: SEC("?...") ones are not loaded unless the user turns them on
 * before load, and they sit between programs that always load, so a skeleton that
 * numbers programs by load order rather than by declaration order hands out fds in
 * the wrong fields. Every program counts its own runs for the target process in
 * hits[] at its declaration index, so the test can tell which ones ran.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile int target_tgid = 0;

__u64 hits[6] = {};

static __always_inline int hit(int idx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&hits[idx], 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int always_enter(void *ctx)
{
	return hit(0);
}

SEC("?raw_tp/sys_enter")
int maybe_enter(void *ctx)
{
	return hit(1);
}

SEC("?raw_tp/sys_exit")
int maybe_exit(void *ctx)
{
	return hit(2);
}

SEC("raw_tp/sys_exit")
int always_exit(void *ctx)
{
	return hit(3);
}

SEC("?tp_btf/sys_enter")
int maybe_btf_enter(u64 *ctx)
{
	return hit(4);
}

SEC("tp_btf/sys_exit")
int always_btf_exit(u64 *ctx)
{
	return hit(5);
}
