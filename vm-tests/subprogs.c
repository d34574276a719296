// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * subprogs.bpf.c through its light skeleton: one syscall runs the three programs,
 * and results[] shows every subprogram call, callback and the timer gave the right
 * answer. The function pointer's target is chosen by .rodata, so the test loads
 * twice, once for each target.
 */
#include "testlib.h"
#include SKEL_HEADER

enum {
	R_STATIC, R_GLOBAL, R_FUNCPTR, R_LOOP, R_FOREACH, R_OTHER_SEC, R_TIMER, R_HITS,
	NR_RESULTS
};

static void run_once(int use_ten)
{
	struct subprogs_bpf *skel;
	struct tracked t = {};
	volatile __u64 *res;
	int i;

	skel = subprogs_bpf__open();
	CHECK(skel, "open");
	CHECK_EQ(sizeof(skel->bss->results) / sizeof(skel->bss->results[0]), NR_RESULTS);
	skel->rodata->target_tgid = getpid();
	skel->rodata->use_ten = use_ten;
	check_load(subprogs_bpf__load(skel), "subprogs");
	check_all_loaded(skel);
	CHECK_EQ(subprogs_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);

	syscall(SYS_getpid);
	res = skel->bss->results;
	CHECK_EQ(res[R_STATIC], 7 * 7 + 2 * 2 * 2);
	CHECK_EQ(res[R_GLOBAL], 1 + 2 + 3 + 10 + 10);
	CHECK_EQ(res[R_FUNCPTR], use_ten ? 40 : 4);
	CHECK_EQ(res[R_LOOP], 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7);
	CHECK_EQ(res[R_FOREACH], 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8);
	CHECK_EQ(res[R_OTHER_SEC], 81);
	CHECK(res[R_HITS] >= 1, "prog_calls never ran");
	for (i = 0; i < 200 && res[R_TIMER] != 0x7133; i++)	/* fires in softirq */
		sleep_ms(5);
	CHECK_EQ(res[R_TIMER], 0x7133);

	subprogs_bpf__destroy(skel);
	tracked__check_gone(&t);
}

int main(void)
{
	test_begin("subprogs-" SKEL_FLAVOUR);
	run_once(0);
	run_once(1);
	printf("subprogs: ok\n");
	return 0;
}
