// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * __ksym externs the loader resolves in the running kernel. Typeless ones get an
 * address from kallsyms (functions: kernels without data symbols in kallsyms have
 * them too), one of them read from a subprogram; weak ones the kernel lacks, typeless
 * and typed, read 0, and bpf_ksym_exists() says which exist. When the target process
 * enters a syscall the program stores what it saw in `out` for the test to compare
 * with /proc/kallsyms.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "externs.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern const void bpf_prog_put __ksym;
extern const void bpf_map_put __ksym;
extern const void bpf_prog_inc __ksym __weak;		/* weak, and the kernel has it */
extern const void lskel_no_such_func __ksym __weak;	/* no kernel has these two */
extern const int lskel_no_such_var __ksym __weak;

const volatile int target_tgid = 0;

struct {
	__u64 prog_put;
	__u64 map_put;
	__u64 prog_inc;
	__u64 no_such_func;
	__u64 no_such_var;
	__u64 prog_inc_exists;
	__u64 no_such_func_exists;
	__u64 no_such_var_exists;
	__u64 done;
} out = {};

/* the same extern from a subprogram: its copy in the program gets patched too */
static __noinline __u64 map_put_addr(void)
{
	return (__u64)&bpf_map_put;
}

SEC("raw_tp/sys_enter")
int read_ksyms(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&out.done, 1))
		return 0;
	out.prog_put = (__u64)&bpf_prog_put;
	out.map_put = map_put_addr();
	out.prog_inc = (__u64)&bpf_prog_inc;
	out.no_such_func = (__u64)&lskel_no_such_func;
	out.no_such_var = (__u64)&lskel_no_such_var;
	out.prog_inc_exists = bpf_ksym_exists(&bpf_prog_inc);
	out.no_such_func_exists = bpf_ksym_exists(&lskel_no_such_func);
	out.no_such_var_exists = bpf_ksym_exists(&lskel_no_such_var);
	return 0;
}
