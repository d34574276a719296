// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A strong typeless ksym no kernel has, beside one every kernel has: the loader's
 * kallsyms look-up of the missing one must fail the whole load, naming it, before
 * anything is created.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

extern const void bpf_prog_put __ksym;
extern const void lskel_no_such_symbol __ksym;

__u64 out[2] = {};

SEC("raw_tp/sys_enter")
int read_missing(void *ctx)
{
	out[0] = (__u64)&bpf_prog_put;
	out[1] = (__u64)&lskel_no_such_symbol;
	return 0;
}
