// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops_dummy.bpf.c through its light skeleton: the kernel's bpf_dummy_ops test
 * type. Load resolves the type and member indexes against the running kernel;
 * BPF_PROG_TEST_RUN then calls each program through the trampoline of the member it
 * was loaded for, with a state it may change: test_1 doubles and adds one, the
 * sleepable test_sleepable adds 100 and counts its runs in .bss. Nothing is
 * attached (the kernel cannot register a bpf_dummy_ops), and destroy leaves
 * nothing loaded.
 */
#include "testlib.h"
#include SKEL_HEADER

struct dummy_state {
	int val;		/* struct bpf_dummy_ops_state */
};

/* Runs prog_fd with one argument, a pointer to state; returns the program's result. */
static int run_dummy(int prog_fd, struct dummy_state *state)
{
	__u64 args[1] = { (__u64)(unsigned long)state };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.ctx_in = (__u64)(unsigned long)args;
	attr.test.ctx_size_in = sizeof(args);
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		fail("BPF_PROG_TEST_RUN: %s", strerror(errno));
	return (int)attr.test.retval;
}

int main(void)
{
	struct dummy_state state = { 20 };
	struct struct_ops_dummy_bpf *skel;
	struct bpf_prog_info info;
	struct tracked t = {};
	int err;

	test_begin("struct_ops-dummy");
	skel = struct_ops_dummy_bpf__open();
	CHECK(skel, "open");
	err = struct_ops_dummy_bpf__load(skel);
	/* a kernel without bpf_dummy_ops (CONFIG_NET) or its test_sleepable (6.1) */
	if (err == -EOPNOTSUPP && (strstr(skel->errstr, "no struct_ops type 'bpf_dummy_ops'") ||
				   strstr(skel->errstr, "'test_sleepable' is set, but")))
		skip("%s", skel->errstr);
	CHECK(!err, "load: %d: %s", err, skel->errstr);
	check_all_loaded(skel);
	tracked__add_skel(&t, skel);
	CHECK(!prog_info(skel->progs.dummy_test_1.prog_fd, &info), "prog info");
	CHECK_EQ(info.type, BPF_PROG_TYPE_STRUCT_OPS);

	CHECK_EQ(run_dummy(skel->progs.dummy_test_1.prog_fd, &state), 41);
	CHECK_EQ(state.val, 41);
	CHECK_EQ(run_dummy(skel->progs.dummy_sleepable.prog_fd, &state), 7);
	CHECK_EQ(state.val, 141);
	CHECK_EQ(skel->bss->nr_sleepable, 1);

	struct_ops_dummy_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("struct_ops dummy: test_1 and test_sleepable ran\n");
	return 0;
}
