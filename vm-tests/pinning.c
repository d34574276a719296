// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pinning.bpf.c through its light skeleton, with skel->pin_root_path on a bpffs
 * this test mounts for itself (and unmounts, with every pin removed, at the end).
 *
 * The first instance creates and pins counts, totals, lookup and jmp (not own,
 * which is not pinned). The second reuses them: same map ids, its run adds to the
 * first one's counters, lookup keeps the first instance's entry (a reused
 * map-in-map is not filled again) while jmp points at the second instance's
 * count_tail (a prog array is). A third instance asking for another max_entries
 * fails with a message naming the pin and the field, and leaves no fd behind; so
 * does one whose pin path holds something that is not a map.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include "testlib.h"
#include SKEL_HEADER

static const char *const pinned[] = { "counts", "totals", "lookup", "jmp" };
#define NR_PINNED (sizeof(pinned) / sizeof(pinned[0]))

static char root[64];

static void pin_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", root, name);
}

/* The id of the map pinned as name, 0 if there is no such pin. */
static __u32 pinned_id(const char *name)
{
	struct bpf_map_info info;
	union bpf_attr attr;
	char path[128];
	int fd;

	pin_path(path, sizeof(path), name);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (__u64)(unsigned long)path;
	fd = sys_bpf(BPF_OBJ_GET, &attr);
	if (fd < 0) {
		if (errno != ENOENT)
			fail("BPF_OBJ_GET %s: %s", path, strerror(errno));
		return 0;
	}
	if (map_info(fd, &info))
		fail("map info %s: %s", path, strerror(errno));
	close(fd);
	return info.id;
}

static __u32 fd_id(int fd, int prog)
{
	struct bpf_prog_info pi;
	struct bpf_map_info mi;

	if (prog ? prog_info(fd, &pi) : map_info(fd, &mi))
		fail("info of fd %d: %s", fd, strerror(errno));
	return prog ? pi.id : mi.id;
}

static __u32 slot_id(int fd, __u32 key)
{
	__u32 id = 0;

	if (map_lookup(fd, &key, &id))
		fail("lookup [%u]: %s", key, strerror(errno));
	return id;
}

static __u64 u64_at(int fd, __u32 key)
{
	__u64 v = 0;

	if (map_lookup(fd, &key, &v))
		fail("lookup [%u]: %s", key, strerror(errno));
	return v;
}

static struct pinning_bpf *load(void)
{
	struct pinning_bpf *skel = pinning_bpf__open();
	int err;

	if (!skel)
		fail("open: %s", strerror(errno));
	skel->pin_root_path = root;
	err = pinning_bpf__load(skel);
	if (err)
		fail("load: %d (%s): %s", err, strerror(-err), skel->errstr);
	return skel;
}

static void check_pins(struct pinning_bpf *skel)
{
	CHECK_EQ(pinned_id("counts"), fd_id(skel->maps.counts.map_fd, 0));
	CHECK_EQ(pinned_id("totals"), fd_id(skel->maps.totals.map_fd, 0));
	CHECK_EQ(pinned_id("lookup"), fd_id(skel->maps.lookup.map_fd, 0));
	CHECK_EQ(pinned_id("jmp"), fd_id(skel->maps.jmp.map_fd, 0));
	CHECK_EQ(pinned_id("own"), 0);
}

/* A load that must fail with exactly want in errstr and leave no fd behind. */
static void check_refused(const char *want, __u32 counts_max)
{
	struct pinning_bpf *skel = pinning_bpf__open();
	int err, nr_fds = nr_fds_named("anon_inode:bpf");

	if (!skel)
		fail("open: %s", strerror(errno));
	skel->pin_root_path = root;
	skel->maps.counts.max_entries = counts_max;
	err = pinning_bpf__load(skel);
	CHECK(err < 0, "load of a mismatching instance worked");
	if (strcmp(skel->errstr, want))
		fail("errstr '%s', expected '%s'", skel->errstr, want);
	pinning_bpf__destroy(skel);
	CHECK_EQ(nr_fds_named("anon_inode:bpf"), nr_fds);
	printf("refused: %s\n", want);
}

static void unpin_all(void)
{
	char path[128];

	for (size_t i = 0; i < NR_PINNED; i++) {
		pin_path(path, sizeof(path), pinned[i]);
		if (unlink(path) && errno != ENOENT)
			fail("unlink %s: %s", path, strerror(errno));
	}
}

static void test_reuse(struct tracked *t)
{
	struct pinning_bpf *a, *b;
	char want[256];

	a = load();
	tracked__add_skel(t, a);
	check_pins(a);
	CHECK_EQ(slot_id(a->maps.lookup.map_fd, 0), fd_id(a->maps.own.map_fd, 0));
	CHECK_EQ(slot_id(a->maps.jmp.map_fd, 0), fd_id(a->progs.count_tail.prog_fd, 1));
	CHECK_EQ(xdp_test_run(a->progs.count.prog_fd), XDP_PASS);
	printf("first instance pinned its maps\n");

	b = load();
	tracked__add_skel(t, b);
	check_pins(a);
	check_pins(b);
	CHECK(fd_id(a->maps.own.map_fd, 0) != fd_id(b->maps.own.map_fd, 0), "own is shared");
	CHECK_EQ(slot_id(b->maps.lookup.map_fd, 0), fd_id(a->maps.own.map_fd, 0));
	CHECK_EQ(slot_id(b->maps.jmp.map_fd, 0), fd_id(b->progs.count_tail.prog_fd, 1));
	CHECK_EQ(xdp_test_run(b->progs.count.prog_fd), XDP_PASS);
	CHECK_EQ(u64_at(a->maps.counts.map_fd, 1), 2);
	CHECK_EQ(u64_at(a->maps.totals.map_fd, 0), 2);
	CHECK_EQ(u64_at(a->maps.totals.map_fd, 1), 2);
	CHECK_EQ(a->bss->local_hits, 1);
	CHECK_EQ(b->bss->local_hits, 1);
	printf("second instance reused them\n");

	snprintf(want, sizeof(want), "lskel: map 'counts': pinned map at %s/counts is "
		 "incompatible: max_entries 16 != 8", root);
	check_refused(want, 8);
	pinning_bpf__destroy(a);
	pinning_bpf__destroy(b);
	unpin_all();
}

/* A directory where a pin should be is not a map: the load says so. */
static void test_not_a_map(void)
{
	char path[128], want[256];

	pin_path(path, sizeof(path), "totals");
	if (mkdir(path, 0700))
		fail("mkdir %s: %s", path, strerror(errno));
	snprintf(want, sizeof(want), "lskel: map 'totals': pinned map at %s cannot be opened "
		 "(BPF_OBJ_GET): -13 (%s)", path, strerror(EACCES));
	check_refused(want, 0);
	rmdir(path);
	CHECK_EQ(pinned_id("counts"), 0);
	check_no_bpf_fds();
}

static void cleanup(void)
{
	unpin_all();
	umount(root);
	rmdir(root);
}

int main(void)
{
	struct tracked t = {};

	test_begin("pinning-" SKEL_FLAVOUR);
	strcpy(root, "/tmp/lskel-pin-XXXXXX");
	if (!mkdtemp(root))
		fail("mkdtemp: %s", strerror(errno));
	if (mount("bpf", root, "bpf", 0, NULL)) {
		int err = errno;

		rmdir(root);
		skip("cannot mount a bpffs: %s", strerror(err));
	}
	atexit(cleanup);
	test_reuse(&t);
	test_not_a_map();
	tracked__check_gone(&t);
	printf("ok\n");
	return 0;
}
