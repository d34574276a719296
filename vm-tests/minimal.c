// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * minimal.bpf.c through its light skeleton: rodata set before load picks the
 * process and the syscall; after attach, exactly the getpid() calls made here are
 * counted in .bss and in the per-syscall hash map; after detach nothing more is
 * counted; after destroy nothing is left in the kernel.
 */
#include "testlib.h"
#include SKEL_HEADER

#define NR_CALLS 5

static __u64 hash_count(int fd, __u32 nr)
{
	__u64 v = 0;

	if (map_lookup(fd, &nr, &v) && errno != ENOENT)
		fail("lookup calls[%u]: %s", nr, strerror(errno));
	return v;
}

static __u64 hash_sum(int fd)
{
	__u32 key, next, *prev = NULL;
	__u64 sum = 0;

	while (!map_next_key(fd, prev, &next)) {
		sum += hash_count(fd, next);
		key = next;
		prev = &key;
	}
	return sum;
}

int main(void)
{
	struct minimal_bpf *skel;
	struct tracked t = {};
	__u64 seen;
	int i;

	test_begin("minimal-" SKEL_FLAVOUR);
	skel = minimal_bpf__open();
	CHECK(skel, "open");
	CHECK_EQ(skel->rodata->target_tgid, 0);		/* the object's init value */
	skel->rodata->target_tgid = getpid();
	skel->rodata->target_nr = SYS_getpid;
	check_load(minimal_bpf__load(skel), "minimal");
	check_all_loaded(skel);
	CHECK_EQ(skel->rodata->target_tgid, getpid());	/* now the frozen map's view */

	CHECK_EQ(minimal_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	CHECK(skel->links.count_syscalls_fd > 0, "link fd");

	for (i = 0; i < NR_CALLS; i++)
		syscall(SYS_getpid);
	CHECK_EQ(skel->bss->nr_hits, NR_CALLS);
	seen = skel->bss->nr_seen;
	CHECK(seen >= NR_CALLS, "nr_seen %llu", (unsigned long long)seen);
	CHECK_EQ(hash_count(skel->maps.calls.map_fd, SYS_getpid), NR_CALLS);
	/* the walk itself makes bpf() calls that are counted too */
	CHECK(hash_sum(skel->maps.calls.map_fd) >= seen, "hash sum below nr_seen %llu",
	      (unsigned long long)seen);

	minimal_bpf__detach(skel);
	for (i = 0; i < NR_CALLS; i++)
		syscall(SYS_getpid);
	CHECK_EQ(skel->bss->nr_hits, NR_CALLS);

	minimal_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("minimal: ok\n");
	return 0;
}
