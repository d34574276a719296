// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kfuncs.bpf.c through its light skeleton: run with BPF_PROG_TEST_RUN, find_task()
 * finds this process through kfuncs the loader resolved in the running kernel's BTF
 * (a weak one from a subprogram too), and sees that the weak kfunc no kernel has does
 * not exist. Kernels without these kfuncs (before 6.2) fail the load at the look-up
 * step naming the kfunc, and the test skips with that line. A program calling the
 * missing kfunc unguarded must fail to load, its verifier line naming the poisoned
 * call, and leave nothing behind.
 */
#include "testlib.h"
#include SKEL_HEADER

static char log_buf[1 << 16];

static int test_run(int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	return sys_bpf(BPF_PROG_TEST_RUN, &attr);
}

static void check_unguarded(void)
{
	struct kfuncs_bpf *skel = kfuncs_bpf__open();
	int err;

	CHECK(skel, "open");
	skel->progs.call_missing.autoload = 1;
	skel->ctx.log_level = 1;
	skel->ctx.log_size = sizeof(log_buf);
	skel->ctx.log_buf = (__u64)(unsigned long)log_buf;
	err = kfuncs_bpf__load(skel);
	printf("unguarded call: %s\n", skel->errstr);
	CHECK(err, "a call of a kfunc the kernel lacks loaded");
	CHECK(strstr(skel->errstr, "prog 'call_missing'"), "errstr: %s", skel->errstr);
	CHECK(strstr(skel->errstr, "lskel_no_such_kfunc"), "errstr: %s", skel->errstr);
	kfuncs_bpf__destroy(skel);
	check_no_bpf_fds();
}

int main(void)
{
	struct kfuncs_bpf *skel;
	struct tracked t = {};
	int err;

	test_begin("kfuncs-" SKEL_FLAVOUR);
	skel = kfuncs_bpf__open();
	CHECK(skel, "open");
	err = kfuncs_bpf__load(skel);
	if (err == -ENOENT && strstr(skel->errstr, "kfunc '")) {
		printf("%s\n", skel->errstr);
		kfuncs_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("this kernel lacks the kfuncs (bpf_task_from_pid and bpf_task_release: 6.2+)");
	}
	check_load(err, "kfuncs");
	CHECK(skel->progs.find_task.prog_fd > 0, "find_task not loaded");
	CHECK_EQ(skel->progs.call_missing.prog_fd, 0);
	tracked__add_skel(&t, skel);
	skel->bss->pid_in = getpid();
	CHECK_EQ(test_run(skel->progs.find_task.prog_fd), 0);
	CHECK_EQ(skel->bss->out.runs, 1);
	CHECK_EQ(skel->bss->out.pid, getpid());
	CHECK_EQ(skel->bss->out.tgid, getpid());
	CHECK_EQ(skel->bss->out.acquire_exists, 1);
	CHECK_EQ(skel->bss->out.acquired_pid, getpid());
	CHECK_EQ(skel->bss->out.no_such_exists, 0);
	kfuncs_bpf__destroy(skel);
	tracked__check_gone(&t);
	check_unguarded();
	printf("kfuncs: ok\n");
	return 0;
}
