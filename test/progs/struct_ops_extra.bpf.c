// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A struct_ops layout the running kernel does not have: the object's own version of
 * struct tcp_congestion_ops (the ___lskel_extra flavour names the kernel's type)
 * with a member no kernel defines, set to a non-zero value. The object is
 * consistent, so lskel gen accepts it; loading must fail with a message naming the
 * member, before anything reaches the kernel's list of algorithms.
 */
#include "struct_ops_cc.h"

struct tcp_congestion_ops___lskel_extra {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
	__u32 lskel_knob;		/* not in any kernel */
	char name[16];
};

SEC(".struct_ops.link")
struct tcp_congestion_ops___lskel_extra cc = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.lskel_knob = 1,
	.name = "lskel_cc_extra",
};
