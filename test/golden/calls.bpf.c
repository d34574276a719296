// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: subprogram layout. Two programs share static and global subprograms
 * in .text, one reaches a subprogram only through another, and one passes a callback
 * (ld_imm64 BPF_PSEUDO_FUNC) to bpf_loop. The order the subprograms land in, and the
 * func_info/line_info that follow them, are what this trace pins down.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 total;

static __attribute__((noinline)) int twice(int x)
{
	return x * 2;
}

__attribute__((noinline)) int add_twice(int a, int b)
{
	return twice(a) + b;
}

__attribute__((noinline)) __attribute__((visibility("hidden"))) int hidden_inc(int a)
{
	return a + 1;
}

static int step(__u32 i, void *ctx)
{
	total += i;
	return 0;
}

SEC("raw_tp/sys_enter")
int first(void *ctx)
{
	return add_twice(1, 2) + twice(3);
}

SEC("raw_tp/sys_exit")
int second(void *ctx)
{
	bpf_loop(4, step, 0, 0);
	return hidden_inc(twice(5));
}

char LICENSE[] SEC("license") = "GPL";
