// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A strong kconfig extern of an option no kernel has: every load must fail, naming it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_LSKEL_NO_SUCH_OPTION __kconfig;

SEC("xdp")
int check_option(struct xdp_md *ctx)
{
	return CONFIG_LSKEL_NO_SUCH_OPTION ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
