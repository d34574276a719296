// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * arena.bpf.c through its light skeleton: the arena is created as declared (no key
 * or value, max_entries pages, BPF_F_MMAPABLE, its user address in map_extra), the
 * test maps it at that address as a user of the skeleton must (the skeleton exposes
 * no pointer for user maps), and memory written on one side reads back on the other.
 * Needs 6.9.
 */
#include "testlib.h"
#include <sys/mman.h>
#include <sys/utsname.h>
#include SKEL_HEADER

#define ARENA_ADDR 0x20000000ul
#define ARENA_PAGES 4

static void require_kernel(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &ma, &mi);
	if (ma < major || (ma == major && mi < minor))
		skip("BPF_MAP_TYPE_ARENA needs %d.%d, this is %s", major, minor, u.release);
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct bpf_map_info info;
	struct arena_bpf *skel;
	struct tracked t = {};
	volatile __u64 *mem;

	test_begin("arena-" SKEL_FLAVOUR);
	require_kernel(6, 9);
	skel = arena_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(arena_bpf__load(skel), "arena");
	check_all_loaded(skel);
	CHECK(!map_info(skel->maps.arena.map_fd, &info), "info: %s", strerror(errno));
	CHECK_EQ(info.type, 33);	/* BPF_MAP_TYPE_ARENA */
	CHECK_EQ(info.key_size, 0);
	CHECK_EQ(info.value_size, 0);
	CHECK_EQ(info.max_entries, ARENA_PAGES);
	CHECK_EQ(info.map_flags, BPF_F_MMAPABLE);
	CHECK_EQ(info.map_extra, ARENA_ADDR);

	mem = mmap((void *)ARENA_ADDR, ARENA_PAGES * page, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_FIXED_NOREPLACE, skel->maps.arena.map_fd, 0);
	CHECK(mem != MAP_FAILED, "mmap arena at 0x%lx: %s", ARENA_ADDR, strerror(errno));
	CHECK_EQ((unsigned long)mem, ARENA_ADDR);
	mem[0] = 21;			/* faults the page in */
	skel->bss->user_addr = (unsigned long)mem;

	CHECK_EQ(arena_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	arena_bpf__detach(skel);
	CHECK(skel->bss->done >= 1, "use_arena never ran");
	CHECK_EQ(skel->bss->seen, 21);	/* our write, read by the program */
	CHECK_EQ(mem[1], 42);		/* its write, read by us */
	munmap((void *)mem, ARENA_PAGES * page);

	arena_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("arena: ok\n");
	return 0;
}
