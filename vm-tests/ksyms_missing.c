// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ksyms_missing.bpf.c through its light skeleton: a strong ksym the kernel lacks
 * fails the load at its look-up step, errstr naming the symbol and the helper, and
 * nothing stays loaded or open.
 */
#include "testlib.h"
#include SKEL_HEADER

int main(void)
{
	struct ksyms_missing_bpf *skel;
	const char *want = "(ksym 'lskel_no_such_symbol': bpf_kallsyms_lookup_name) failed: -2 ";
	int err;

	test_begin("ksyms_missing-" SKEL_FLAVOUR);
	skel = ksyms_missing_bpf__open();
	CHECK(skel, "open");
	err = ksyms_missing_bpf__load(skel);
	printf("%s\n", skel->errstr);
	CHECK_EQ(err, -ENOENT);
	CHECK(strstr(skel->errstr, want), "errstr '%s' lacks '%s'", skel->errstr, want);
	CHECK_EQ(skel->maps.bss.map_fd, 0);
	CHECK_EQ(skel->progs.read_missing.prog_fd, 0);
	ksyms_missing_bpf__destroy(skel);
	check_no_bpf_fds();
	printf("ksyms_missing: ok\n");
	return 0;
}
