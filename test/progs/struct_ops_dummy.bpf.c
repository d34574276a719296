// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops programs run without registering anything: the kernel's test type
 * struct bpf_dummy_ops, whose programs BPF_PROG_TEST_RUN calls through a trampoline
 * built from the member the program was loaded for. test_1 is an ordinary program,
 * test_sleepable a SEC("struct_ops.s/...") one (BPF_F_SLEEPABLE). Each changes the
 * state it is handed and returns a value the test checks, so a wrong member index
 * or type id from the skeleton's runtime shows. The map is loaded, never attached:
 * the kernel has no subsystem to register a bpf_dummy_ops with.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

__u64 nr_sleepable = 0;		/* runs of the sleepable program */

SEC("struct_ops/dummy_test_1")
int BPF_PROG(dummy_test_1, struct bpf_dummy_ops_state *state)
{
	if (!state)
		return -1;
	state->val = state->val * 2 + 1;
	return state->val;
}

SEC("struct_ops.s/dummy_sleepable")
int BPF_PROG(dummy_sleepable, struct bpf_dummy_ops_state *state)
{
	__sync_fetch_and_add(&nr_sleepable, 1);
	if (state)
		state->val += 100;
	return 7;
}

SEC(".struct_ops")
struct bpf_dummy_ops dummy = {
	.test_1 = (void *)dummy_test_1,
	.test_sleepable = (void *)dummy_sleepable,
};
