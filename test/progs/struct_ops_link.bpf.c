// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A TCP congestion control in the SEC(".struct_ops.link") form: loading writes
 * nothing to the kernel's list of algorithms; NAME__attach() fills the map's value
 * and creates a BPF link (BPF_LINK_CREATE, BPF_STRUCT_OPS), which registers it, and
 * closing the link unregisters it. The programs are in struct_ops_cc.h.
 */
#include "struct_ops_cc.h"

SEC(".struct_ops.link")
struct tcp_congestion_ops cc = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.flags = LSKEL_TCP_CONG_NON_RESTRICTED,
	.name = "lskel_cc",
};
