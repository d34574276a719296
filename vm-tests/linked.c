// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * link_a.bpf.c + link_b.bpf.c through one light skeleton, built from the two objects
 * (lskel links them) or from the object `bpftool gen object` linked: one map shared
 * through an extern definition, the weak flags_map resolved to the strong one, an
 * extern .rodata variable and a global function defined in one half and called from
 * the other. After one syscall of this process both programs have run once: the
 * shared map holds both halves' bumps, each half's static twice() kept its own body,
 * and both wrote into the one flags_map. The variable scale, weak in link_b and
 * strong in link_a, is one variable whichever comes first: what the test writes
 * through skel->data is what link_b's program reads.
 */
#include "testlib.h"
#include SKEL_HEADER

static __u64 count(int fd, __u32 key)
{
	__u64 v = 0;

	if (map_lookup(fd, &key, &v))
		fail("shared_counts[%u]: %s", key, strerror(errno));
	return v;
}

static __u32 flag(int fd, __u32 key)
{
	__u32 v = 0;

	if (map_lookup(fd, &key, &v))
		fail("flags_map[%u]: %s", key, strerror(errno));
	return v;
}

int main(void)
{
	struct linked_bpf *skel;
	struct bpf_map_info info;
	struct tracked t = {};

	test_begin("linked-" SKEL_FLAVOUR);
	skel = linked_bpf__open();
	CHECK(skel, "open");
	/* one skeleton field per map: the extern and the weak definitions are gone */
	CHECK_EQ(SKEL_NR_MAPS(skel), 5);	/* shared_counts, flags_map, rodata, data, bss */
	skel->rodata->target_tgid = getpid();
	check_load(linked_bpf__load(skel), "linked");
	check_all_loaded(skel);
	CHECK_EQ(skel->data->scale, 3);		/* the strong definition's value */
	skel->data->scale = 7;
	CHECK(!map_info(skel->maps.flags_map.map_fd, &info), "flags_map info");
	CHECK_EQ(info.max_entries, 4);
	CHECK_EQ(linked_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	linked_bpf__detach(skel);

	CHECK(skel->bss->a_done >= 1, "prog_a never ran");
	CHECK(skel->bss->b_done >= 1, "prog_b never ran");
	CHECK_EQ(skel->bss->nr_bumps, 2);
	CHECK_EQ(skel->bss->b_result, 1002);
	CHECK_EQ(skel->bss->a_twice, 42);
	CHECK_EQ(skel->bss->b_twice, 63);
	CHECK_EQ(skel->bss->b_scale, 7);
	CHECK_EQ(count(skel->maps.shared_counts.map_fd, 1), 10);
	CHECK_EQ(count(skel->maps.shared_counts.map_fd, 2), 100);
	CHECK_EQ(flag(skel->maps.flags_map.map_fd, 1), 0xa);
	CHECK_EQ(flag(skel->maps.flags_map.map_fd, 2), 0xb);

	linked_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("linked: ok\n");
	return 0;
}
