/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers for the vm-tests apps, which link against libc only, as a light
 * skeleton's users do: verdicts (fail exits 1, skip exits 77 after printing
 * "skipped: <reason>"), thin bpf() wrappers, and a record of everything a skeleton
 * put in the kernel so a test can prove that destroying it left nothing behind.
 *
 * An app includes this file first, then its skeleton header (bpftool's needs errno.h
 * included before it). Built against a
 * `bpftool gen skeleton -L` header (meson defines LSKEL_BPFTOOL), the descriptor
 * structs are bpftool's; otherwise they are ours from include/lskel_abi.h. Either
 * way skel->maps, skel->progs and skel->links are arrays in disguise: structs of
 * same-typed members, the fd first, walked by SKEL_MAP() and friends.
 */
#ifndef VM_TESTLIB_H
#define VM_TESTLIB_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#ifdef LSKEL_BPFTOOL
#define SKEL_MAP_DESC struct bpf_map_desc
#define SKEL_PROG_DESC struct bpf_prog_desc
#define SKEL_FLAVOUR "bpftool"
#else
#define SKEL_MAP_DESC struct lskel_map_desc
#define SKEL_PROG_DESC struct lskel_prog_desc
#define SKEL_FLAVOUR "lskel"
#endif

#define SKEL_NR_MAPS(s)  (sizeof((s)->maps) / sizeof(SKEL_MAP_DESC))
#define SKEL_MAP(s, i)   (((SKEL_MAP_DESC *)&(s)->maps)[i])
#define SKEL_NR_PROGS(s) (sizeof((s)->progs) / sizeof(SKEL_PROG_DESC))
#define SKEL_PROG(s, i)  (((SKEL_PROG_DESC *)&(s)->progs)[i])
#define SKEL_NR_LINKS(s) (sizeof((s)->links) / sizeof(int))
#define SKEL_LINK(s, i)  (((int *)&(s)->links)[i])

#define TEST_SKIP 77

static const char *test_name = "test";

static inline void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: FAIL: ", test_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static inline void __attribute__((noreturn, format(printf, 1, 2))) skip(const char *fmt, ...)
{
	va_list ap;

	printf("skipped: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(TEST_SKIP);
}

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond))						\
			fail("%s:%d: %s: " fmt, __FILE__, __LINE__,	\
			     #cond, ##__VA_ARGS__);			\
	} while (0)

/* Compares as long long so every integer type reads right in the message. */
#define CHECK_EQ(a, b)							\
	do {								\
		long long a_ = (long long)(a), b_ = (long long)(b);	\
		if (a_ != b_)						\
			fail("%s:%d: %s == %s: %lld != %lld (0x%llx != 0x%llx)", \
			     __FILE__, __LINE__, #a, #b, a_, b_,	\
			     (unsigned long long)a_, (unsigned long long)b_); \
	} while (0)

static inline void test_begin(const char *name)
{
	test_name = name;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0)
		skip("needs root to load BPF programs");
}

//
// bpf() wrappers: return the syscall's result, -1 with errno set on failure
//

static inline long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static inline int map_lookup(int fd, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr);
}

static inline int map_next_key(int fd, const void *key, void *next)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.next_key = (__u64)(unsigned long)next;
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr);
}

static inline int obj_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = len;
	attr.info.info = (__u64)(unsigned long)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
}

static inline int prog_info(int fd, struct bpf_prog_info *info)
{
	memset(info, 0, sizeof(*info));
	return obj_info(fd, info, sizeof(*info));
}

static inline int map_info(int fd, struct bpf_map_info *info)
{
	memset(info, 0, sizeof(*info));
	return obj_info(fd, info, sizeof(*info));
}

static inline int link_info(int fd, struct bpf_link_info *info)
{
	memset(info, 0, sizeof(*info));
	return obj_info(fd, info, sizeof(*info));
}

/* Number of possible CPUs: per-CPU map values come back as one slot each. */
static inline int nr_possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int lo, hi, n = 0;
	char sep;

	if (!f)
		fail("open /sys/devices/system/cpu/possible: %s", strerror(errno));
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &hi) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		n += hi - lo + 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	if (n <= 0)
		fail("cannot parse /sys/devices/system/cpu/possible");
	return n;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

//
// what a skeleton loaded, and proof that it is gone
//

enum { OBJ_PROG, OBJ_MAP, OBJ_LINK, NR_OBJ_KINDS };

#define MAX_TRACKED 256

struct tracked {
	__u32 ids[NR_OBJ_KINDS][MAX_TRACKED];
	int nr[NR_OBJ_KINDS];
};

static const char *const obj_kind_names[NR_OBJ_KINDS] = { "prog", "map", "link" };

/* Remembers the kernel id behind fd; fd <= 0 means "not created" and is ignored. */
static inline void tracked__add(struct tracked *t, int kind, int fd)
{
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
		struct bpf_link_info link;
	} info;
	__u32 id;

	if (fd <= 0)
		return;
	memset(&info, 0, sizeof(info));
	if (obj_info(fd, &info, kind == OBJ_PROG ? sizeof(info.prog) :
				kind == OBJ_MAP ? sizeof(info.map) : sizeof(info.link)))
		fail("%s fd %d: BPF_OBJ_GET_INFO_BY_FD: %s", obj_kind_names[kind], fd,
		     strerror(errno));
	id = kind == OBJ_PROG ? info.prog.id : kind == OBJ_MAP ? info.map.id : info.link.id;
	if (t->nr[kind] == MAX_TRACKED)
		fail("more than %d %ss to track", MAX_TRACKED, obj_kind_names[kind]);
	t->ids[kind][t->nr[kind]++] = id;
}

/*
 * Whether the kernel still has the object, asked without taking a reference:
 * BPF_*_GET_NEXT_ID from id - 1 finds id itself while it exists. Opening it by id
 * instead would make this process a user of the object, and closing that fd again
 * is not harmless: for a prog array whose last user just went away, it queues the
 * array's clearing a second time while the first is pending, and the kernel (6.18
 * at least) then never drops the reference it took for it, so the map leaks.
 */
static inline int obj_id_alive(int kind, __u32 id)
{
	static const int cmds[NR_OBJ_KINDS] = {
		BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID,
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = id - 1;
	if (!sys_bpf(cmds[kind], &attr))
		return attr.next_id == id;
	if (errno != ENOENT)
		fail("%s id %u: get next id: %s", obj_kind_names[kind], id, strerror(errno));
	return 0;
}

/* Where fd points ("anon_inode:bpf-map", ...) in target; false if fd is not open. */
static inline int fd_target(int fd, char *target, size_t sz)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sz - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	return 1;
}

/* How many open fds of this process point to something named prefix... */
static inline int nr_fds_named(const char *prefix)
{
	char target[128];
	int fd, n = 0;

	for (fd = 3; fd < 1024; fd++)
		n += fd_target(fd, target, sizeof(target)) &&
		     !strncmp(target, prefix, strlen(prefix));
	return n;
}

/*
 * Every bpf object a process holds shows in /proc/self/fd as anon_inode:bpf-map,
 * bpf-prog, bpf_link... A failed load must leave none (the loader closes what it
 * created), nor must a destroy.
 */
static inline void check_no_bpf_fds(void)
{
	char target[128];
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (fd_target(fd, target, sizeof(target)) && !strncmp(target, "anon_inode:bpf", 14))
			fail("fd %d still open: %s", fd, target);
}

/* Runs an XDP program once on a zeroed 64-byte packet; returns its verdict. */
static inline __u32 xdp_test_run(int prog_fd)
{
	char pkt[64] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.data_in = (__u64)(unsigned long)pkt;
	attr.test.data_size_in = sizeof(pkt);
	attr.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		fail("BPF_PROG_TEST_RUN: %s", strerror(errno));
	return attr.test.retval;
}

/*
 * The kernel frees a program only after an RCU grace period once its last link is
 * gone, and maps after the programs using them, so poll for a while before blaming.
 */
static inline void tracked__check_gone(const struct tracked *t)
{
	int kind, i, tries, alive = 0;

	check_no_bpf_fds();
	for (tries = 0; tries < 100; tries++) {
		alive = 0;
		for (kind = 0; kind < NR_OBJ_KINDS; kind++)
			for (i = 0; i < t->nr[kind]; i++)
				alive += obj_id_alive(kind, t->ids[kind][i]);
		if (!alive)
			return;
		sleep_ms(50);
	}
	for (kind = 0; kind < NR_OBJ_KINDS; kind++)
		for (i = 0; i < t->nr[kind]; i++)
			if (obj_id_alive(kind, t->ids[kind][i]))
				fprintf(stderr, "%s id %u still loaded\n", obj_kind_names[kind],
					t->ids[kind][i]);
	fail("%d objects still loaded after destroy", alive);
}

/* Records every map, program and link fd of a loaded (and maybe attached) skeleton. */
#define tracked__add_skel(t, skel)					\
	do {								\
		size_t i_;						\
		for (i_ = 0; i_ < SKEL_NR_MAPS(skel); i_++)		\
			tracked__add(t, OBJ_MAP, SKEL_MAP(skel, i_).map_fd); \
		for (i_ = 0; i_ < SKEL_NR_PROGS(skel); i_++)		\
			tracked__add(t, OBJ_PROG, SKEL_PROG(skel, i_).prog_fd); \
		for (i_ = 0; i_ < SKEL_NR_LINKS(skel); i_++)		\
			tracked__add(t, OBJ_LINK, SKEL_LINK(skel, i_));	\
	} while (0)

/* Fails unless every map and program of the skeleton got an fd. */
#define check_all_loaded(skel)						\
	do {								\
		size_t i_;						\
		for (i_ = 0; i_ < SKEL_NR_MAPS(skel); i_++)		\
			CHECK(SKEL_MAP(skel, i_).map_fd > 0, "map #%zu", i_); \
		for (i_ = 0; i_ < SKEL_NR_PROGS(skel); i_++)		\
			CHECK(SKEL_PROG(skel, i_).prog_fd > 0, "prog #%zu", i_); \
	} while (0)

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's internal "not supported" */
#endif

/* A load error that means "this kernel does not do that" (trampolines, extensions). */
static inline int kernel_refused(int err)
{
	return err == -EPERM || err == -EOPNOTSUPP || err == -ENOTSUPP;
}

static inline const char *err_name(int err)
{
	return err == -ENOTSUPP ? "ENOTSUPP" : strerror(-err);
}

/* A failed load: a skip when the kernel is known to refuse, else a failure. */
static inline void check_load(int err, const char *what)
{
	if (!err)
		return;
	fail("%s: load failed: %d (%s)", what, err, strerror(err < 0 ? -err : err));
}

#endif /* VM_TESTLIB_H */
