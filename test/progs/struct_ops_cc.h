/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A minimal Reno-like TCP congestion control, shared by struct_ops.bpf.c (the
 * legacy SEC(".struct_ops") form) and struct_ops_link.bpf.c (SEC(".struct_ops.link")).
 * Each object includes this file and then declares its struct tcp_congestion_ops
 * variable, which binds these programs to the kernel's members by name: slow start
 * up to ssthresh, then one segment per window, halve on loss, undo to the window
 * before the loss. The counters in .bss show the kernel calling each member on a
 * connection that uses the algorithm.
 */
#ifndef STRUCT_OPS_CC_H
#define STRUCT_OPS_CC_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* include/net/tcp.h: any user may select the algorithm, not only root */
#define LSKEL_TCP_CONG_NON_RESTRICTED 0x1

__u64 nr_init = 0;		/* connections that started with the algorithm */
__u64 nr_release = 0;		/* connections that let it go */
__u64 nr_cong_avoid = 0;	/* acks that could grow the window */
__u64 nr_ssthresh = 0;		/* losses (none on a quiet loopback) */
__u32 max_cwnd = 0;		/* the largest window cong_avoid set */

static __always_inline struct tcp_sock *cc_tcp_sk(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/lskel_cc_init")
void BPF_PROG(cc_init, struct sock *sk)
{
	__sync_fetch_and_add(&nr_init, 1);
}

SEC("struct_ops/lskel_cc_release")
void BPF_PROG(cc_release, struct sock *sk)
{
	__sync_fetch_and_add(&nr_release, 1);
}

SEC("struct_ops/lskel_cc_ssthresh")
__u32 BPF_PROG(cc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = cc_tcp_sk(sk);
	__u32 half = tp->snd_cwnd >> 1;

	__sync_fetch_and_add(&nr_ssthresh, 1);
	return half > 2 ? half : 2;
}

SEC("struct_ops/lskel_cc_cong_avoid")
void BPF_PROG(cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = cc_tcp_sk(sk);
	__u32 cwnd = tp->snd_cwnd;

	__sync_fetch_and_add(&nr_cong_avoid, 1);
	if (cwnd < tp->snd_ssthresh) {		/* slow start */
		cwnd += acked;
		if (cwnd > tp->snd_ssthresh)
			cwnd = tp->snd_ssthresh;
	} else if (tp->snd_cwnd_cnt + 1 >= cwnd) {	/* one segment per window */
		tp->snd_cwnd_cnt = 0;
		cwnd++;
	} else {
		tp->snd_cwnd_cnt++;
	}
	if (cwnd > tp->snd_cwnd_clamp)
		cwnd = tp->snd_cwnd_clamp;
	tp->snd_cwnd = cwnd;
	if (cwnd > max_cwnd)
		max_cwnd = cwnd;
}

SEC("struct_ops/lskel_cc_undo_cwnd")
__u32 BPF_PROG(cc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = cc_tcp_sk(sk);

	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

#endif /* STRUCT_OPS_CC_H */
