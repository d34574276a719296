// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * map_in_map.bpf.c through its light skeleton. After load the outer maps hold the
 * inner maps their .values name (read back as map ids), the tail-call table holds
 * `tail` but not the optional `maybe_tail`, and the inner map templates are gone
 * (no map fd beyond the skeleton's). Running `entry` once shows the program
 * reaching the inner maps through the outer ones (42 in inner_a[1], 1 in
 * inner_b[0]) and the tail call taken (XDP_PASS, tail_hits 1). Loaded again with
 * maybe_tail turned on, its slot is filled too, and with tail's slot deleted the
 * second tail call lands there (XDP_TX).
 */
#include "testlib.h"
#include SKEL_HEADER

static __u32 map_id(int fd)
{
	struct bpf_map_info info;

	if (map_info(fd, &info))
		fail("map info: %s", strerror(errno));
	return info.id;
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info;

	if (prog_info(fd, &info))
		fail("prog info: %s", strerror(errno));
	return info.id;
}

/* The id an outer map or prog array holds at key, 0 if the slot is empty. */
static __u32 slot_id(int fd, __u32 key)
{
	__u32 id = 0;

	if (map_lookup(fd, &key, &id)) {
		if (errno != ENOENT)
			fail("lookup [%u]: %s", key, strerror(errno));
		return 0;
	}
	return id;
}

static __u64 u64_at(int fd, __u32 key)
{
	__u64 v = 0;

	if (map_lookup(fd, &key, &v))
		fail("lookup [%u]: %s", key, strerror(errno));
	return v;
}

static void check_slots(struct map_in_map_bpf *skel)
{
	CHECK_EQ(slot_id(skel->maps.outer_arr.map_fd, 0), map_id(skel->maps.inner_a.map_fd));
	CHECK_EQ(slot_id(skel->maps.outer_arr.map_fd, 1), 0);
	CHECK_EQ(slot_id(skel->maps.outer_arr.map_fd, 3), map_id(skel->maps.inner_b.map_fd));
	CHECK_EQ(slot_id(skel->maps.outer_hash.map_fd, 7), map_id(skel->maps.inner_b.map_fd));
	CHECK_EQ(slot_id(skel->maps.outer_hash.map_fd, 0), 0);
	CHECK_EQ(slot_id(skel->maps.jmp_table.map_fd, 1), prog_id(skel->progs.tail.prog_fd));
	CHECK_EQ(nr_fds_named("anon_inode:bpf-map"), SKEL_NR_MAPS(skel));
}

static void first_load(void)
{
	struct map_in_map_bpf *skel = map_in_map_bpf__open_and_load();
	struct tracked t = {};

	if (!skel)
		fail("open_and_load: %s", strerror(errno));
	tracked__add_skel(&t, skel);
	CHECK_EQ(skel->progs.maybe_tail.prog_fd, 0);
	check_slots(skel);
	CHECK_EQ(slot_id(skel->maps.jmp_table.map_fd, 2), 0);

	CHECK_EQ(xdp_test_run(skel->progs.entry.prog_fd), XDP_PASS);
	CHECK_EQ(u64_at(skel->maps.inner_a.map_fd, 1), 42);
	CHECK_EQ(u64_at(skel->maps.inner_b.map_fd, 0), 1);
	CHECK_EQ(skel->bss->tail_hits, 1);
	CHECK_EQ(skel->bss->maybe_tail_hits, 0);
	printf("outer maps hold their inner maps, the tail call is taken\n");
	map_in_map_bpf__destroy(skel);
	tracked__check_gone(&t);
}

static void with_maybe_tail(void)
{
	struct map_in_map_bpf *skel = map_in_map_bpf__open();
	struct tracked t = {};
	union bpf_attr attr;
	__u32 key = 1;
	int err;

	if (!skel)
		fail("open: %s", strerror(errno));
	skel->progs.maybe_tail.autoload = 1;
	err = map_in_map_bpf__load(skel);
	if (err)
		fail("load: %d (%s): %s", err, strerror(-err), skel->errstr);
	tracked__add_skel(&t, skel);
	check_slots(skel);
	CHECK_EQ(slot_id(skel->maps.jmp_table.map_fd, 2), prog_id(skel->progs.maybe_tail.prog_fd));

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = skel->maps.jmp_table.map_fd;
	attr.key = (__u64)(unsigned long)&key;
	if (sys_bpf(BPF_MAP_DELETE_ELEM, &attr))
		fail("delete jmp_table[1]: %s", strerror(errno));
	CHECK_EQ(xdp_test_run(skel->progs.entry.prog_fd), XDP_TX);
	CHECK_EQ(skel->bss->tail_hits, 0);
	CHECK_EQ(skel->bss->maybe_tail_hits, 1);
	printf("an optional program's slot is filled when it loads\n");
	map_in_map_bpf__destroy(skel);
	tracked__check_gone(&t);
}

int main(void)
{
	test_begin("map_in_map-" SKEL_FLAVOUR);
	first_load();
	with_maybe_tail();
	printf("ok\n");
	return 0;
}
