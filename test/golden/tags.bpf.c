// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace for --target-kernel: BTF decl tags (5.16) and type tags (5.17). The
 * trace is kept twice, for the newest kernel (tags kept) and for 5.15 (decl tags
 * rewritten as 1-byte ints, type tags as const), as libbpf rewrites them when it
 * probes an older running kernel.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __tagged __attribute__((btf_decl_tag("lskel")))
#define __user_ptr __attribute__((btf_type_tag("user")))

struct event {
	__u32 pid __tagged;
	char __user_ptr *where;
};

struct event last __tagged;

static __attribute__((noinline)) __tagged int record(struct event *e, __u32 pid)
{
	e->pid = pid;
	return 0;
}

SEC("raw_tp/sys_enter")
int on_enter(void *ctx)
{
	return record(&last, bpf_get_current_pid_tgid() >> 32);
}

char LICENSE[] SEC("license") = "GPL";
