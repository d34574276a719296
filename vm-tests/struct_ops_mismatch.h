/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The body of struct_ops_extra.c and struct_ops_wide.c: an object whose struct_ops
 * type does not match the running kernel's. Its load must fail before the loader
 * runs, with -EOPNOTSUPP and skel->errstr naming the map and the member exactly as
 * EXPECTED says, leaving no bpf fd open and no algorithm registered.
 *
 * The includer defines SKEL (the skeleton's name), FORM, CC_NAME and EXPECTED.
 */
#include "testlib.h"
#include SKEL_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SKEL_FN(f) CAT(SKEL, f)

static int cc_available(void)
{
	char buf[1024] = "";
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_congestion_control", "r");
	size_t n;

	if (!f)
		skip("no TCP congestion control sysctls");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, CC_NAME) != NULL;
}

int main(void)
{
	struct SKEL *skel;
	int err;

	test_begin("struct_ops-" FORM);
	skel = SKEL_FN(__open)();
	CHECK(skel, "open");
	err = SKEL_FN(__load)(skel);
	CHECK_EQ(err, -EOPNOTSUPP);
	CHECK(!strcmp(skel->errstr, EXPECTED), "errstr:\n  '%s', expected\n  '%s'", skel->errstr,
	      EXPECTED);
	CHECK_EQ(skel->maps.cc.map_fd, 0);	/* the loader never ran */
	CHECK_EQ(SKEL_FN(__attach)(skel), -ENOENT);
	CHECK(!cc_available(), "%s registered", CC_NAME);
	SKEL_FN(__destroy)(skel);
	check_no_bpf_fds();
	printf("struct_ops %s: refused: %s\n", FORM, EXPECTED);
	return 0;
}
