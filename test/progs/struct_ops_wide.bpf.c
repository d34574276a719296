// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A struct_ops layout the running kernel does not have: the object's own version of
 * struct tcp_congestion_ops (the ___lskel_wide flavour names the kernel's type)
 * whose .flags is 8 bytes where the kernel's is 4. lskel gen accepts it; loading
 * must fail with a message giving both sizes, rather than copy 8 bytes over 4.
 */
#include "struct_ops_cc.h"

struct tcp_congestion_ops___lskel_wide {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
	__u64 flags;			/* the kernel's is a u32 */
	char name[16];
};

SEC(".struct_ops")
struct tcp_congestion_ops___lskel_wide cc = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.flags = LSKEL_TCP_CONG_NON_RESTRICTED,
	.name = "lskel_cc_wide",
};
