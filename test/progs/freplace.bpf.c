// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * freplace within one object: the XDP program xdp_main asks the global function
 * policy() for its verdict, and policy() passes every packet. drop_all, an extension
 * (SEC("freplace/policy")), replaces policy() inside xdp_main once attached, and
 * the verdict turns to XDP_DROP. drop_all comes first in the file, so its section
 * comes before xdp_main's: the loader must still load xdp_main first, as the kernel
 * loads an extension only against a loaded program. Each function counts its runs
 * in .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

__u64 nr_main = 0;
__u64 nr_policy = 0;
__u64 nr_replaced = 0;

SEC("freplace/policy")
int drop_all(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&nr_replaced, 1);
	return XDP_DROP;
}

/* Global and not inlined: verified on its own, so the kernel can replace it. */
__noinline int policy(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&nr_policy, 1);
	/* a verdict clang cannot fold into xdp_main: the call must decide */
	return ctx->rx_queue_index == 0xffffffff ? XDP_ABORTED : XDP_PASS;
}

SEC("xdp")
int xdp_main(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&nr_main, 1);
	return policy(ctx);
}
