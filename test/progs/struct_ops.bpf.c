// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A TCP congestion control in the legacy SEC(".struct_ops") form: the kernel
 * registers it when the struct_ops map's value is written (NAME__attach()) and
 * unregisters it when the element is deleted (NAME__detach()). The programs are in
 * struct_ops_cc.h; .name and .flags are scalar members the skeleton copies into the
 * running kernel's layout of struct tcp_congestion_ops.
 */
#include "struct_ops_cc.h"

SEC(".struct_ops")
struct tcp_congestion_ops cc = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.flags = LSKEL_TCP_CONG_NON_RESTRICTED,
	.name = "lskel_cc_legacy",
};
