// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A user program of the skeletons mk-test-header writes, compiled by
 * header_compile.sh as C (several standards) and as C++. Two skeletons of the
 * same object share this translation unit, so the runtime's and each type's
 * include guards are exercised too. With -DUSER_TYPES the program defines the
 * named types itself, as it would for bpftool's skeletons.
 *
 * What it checks at run time, without needing privileges: open() lays out the
 * pre-load data (initial images, page-aligned pages the user may write, rodata
 * included), sets ctx.sz, autoload and initial_value; attach before load refuses;
 * load fails with the exact one-line reason. Unprivileged, that is the blob map
 * creation; with CAP_BPF the loader really loads and runs, and its failure is
 * mapped to step 2 of the step table. Either way nothing stays loaded.
 */
#ifdef USER_TYPES
/* bpftool's convention: the program defines the types its globals use */
struct point {
	int x, y;
#ifdef BAD_POINT
	int z;		/* the skeleton's size check must refuse this */
#endif
};
struct rec {
	unsigned char a;
	int b;
	short c;
} __attribute__((packed));
enum color { RED, GREEN };
typedef unsigned long long u64;
#else
#define LSKEL_DEFINE_TYPES	/* the skeletons define them */
#endif

#include "test_a.h"	/* before libc: in strict ISO modes the runtime asks for _DEFAULT_SOURCE */
#include "test_b.h"
#include "test_c.h"		/* its loader is refused by the verifier */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
				__LINE__, #cond);				\
			failures++;						\
		}								\
	} while (0)

static void check_open(struct test_a_bpf *skel)
{
	long page = sysconf(_SC_PAGESIZE);

	CHECK(skel->ctx.sz == 184);
	CHECK(skel->ctx.flags == 0);
	CHECK(skel->progs.on_enter.autoload == 1);
	CHECK(skel->progs.on_exit.autoload == 0);	/* SEC("?raw_tp/...") */
	CHECK(skel->progs.x.autoload == 1);
	CHECK(skel->maps.counts.initial_value == 0);
	CHECK(skel->maps.bss.initial_value == (__u64)(unsigned long)skel->bss);
	CHECK(skel->maps.rodata.initial_value == (__u64)(unsigned long)skel->rodata);
	CHECK(skel->maps.kconfig.initial_value == 0);	/* .kconfig: the loader resolves it */
	CHECK((unsigned long)skel->bss % page == 0);
	CHECK((unsigned long)skel->rodata % page == 0);
	CHECK(sizeof(*skel->bss) == 112);
	CHECK(skel->bss->hits == 0 && skel->bss->arr2[1][2] == 0);
	CHECK(skel->data->x == 42);
	CHECK(skel->data->r.a == 0xa && skel->data->r.b == 0x0b0b0b0b && skel->data->r.c == 0xc);
	CHECK(!strcmp((const char *)skel->rodata->name, "abc"));
	CHECK(!memcmp(skel->rodata_str1_1, "hello %d", 9));
	/* the user edits everything before load, rodata included */
	skel->rodata->target_pid = getpid();
	skel->bss->flag = 1;
	skel->bss->pt.y = -4;
	skel->bss->col = GREEN;
	skel->bss->out.p.x = 3;
	CHECK(skel->bss->flag && skel->bss->col == GREEN);
}

/* The two reasons a load of this object may fail, word for word. */
static void check_load_error(struct test_a_bpf *skel)
{
	static const char unprivileged[] =
		"lskel: creating the blob map (BPF_MAP_CREATE) failed: -1 (Operation not permitted)";
	static const char privileged[] =
		"lskel: step 2/3 (prog 'on_enter': BPF_PROG_LOAD) failed: -22 (Invalid argument)";
	int err;

	errno = 0;
	err = test_a_bpf__load(skel);
	if (err == -EPERM) {
		printf("unprivileged: load stopped at the blob map\n");
		CHECK(!strcmp(skel->errstr, unprivileged));
		CHECK(errno == EPERM);
		return;
	}
	printf("privileged: the loader ran and failed at step 2\n");
	CHECK(err == -EINVAL);
	CHECK(errno == EINVAL);
	CHECK(!strcmp(skel->errstr, privileged));
	CHECK(skel->ctx.failed_step == 2);
	CHECK(skel->maps.counts.map_fd == 0 && skel->progs.on_enter.prog_fd == 0);
	/* the kernel copied the context back without touching the pre-load data */
	CHECK(skel->maps.bss.initial_value == (__u64)(unsigned long)skel->bss);
	CHECK(skel->bss->out.p.x == 3);
	if (strcmp(skel->errstr, privileged))
		fprintf(stderr, "errstr: %s\n", skel->errstr);
}

/*
 * With a log buffer, a failed PROG_LOAD step quotes the log's last line unless it
 * is statistics. Here the log is the loader's own, statistics only: no quote.
 */
static void check_load_log(struct test_a_bpf *skel)
{
	static const char want[] =
		"lskel: step 2/3 (prog 'on_enter': BPF_PROG_LOAD) failed: -22 (Invalid argument)";
	static char log[4096];
	int err;

	skel->ctx.log_level = 1;
	skel->ctx.log_size = sizeof(log);
	skel->ctx.log_buf = (__u64)(unsigned long)log;
	err = test_a_bpf__load(skel);
	skel->ctx.log_level = 0;
	if (err == -EPERM)
		return;
	CHECK(err == -EINVAL);
	CHECK(!strncmp(log, "processed ", 10));
	CHECK(!strcmp(skel->errstr, want));
}

/* The verifier refuses the loader itself: the reason quotes the log's error line. */
static void check_bad_loader(void)
{
	static const char want[] =
		"lskel: loading the loader (BPF_PROG_LOAD) failed: -13 (Permission denied); "
		"verifier: R0 !read_ok";
	struct test_c_bpf *c = test_c_bpf__open();
	static char log[4096];
	int err;

	CHECK(c != NULL);
	if (!c)
		return;
	c->ctx.log_level = 1;
	c->ctx.log_size = sizeof(log);
	c->ctx.log_buf = (__u64)(unsigned long)log;
	err = test_c_bpf__load(c);
	if (err != -EPERM || strncmp(c->errstr, "lskel: creating", 15)) {
		CHECK(err == -EACCES);
		CHECK(!strcmp(c->errstr, want));
		printf("bad loader: %s\n", c->errstr);
	}
	test_c_bpf__destroy(c);
}

int main(void)
{
	struct test_a_bpf *a;
	struct test_b_bpf *b;

	a = test_a_bpf__open();
	b = test_b_bpf__open();
	CHECK(a && b);
	if (!a || !b)
		return 1;
	check_open(a);
	CHECK(b->data->x == 42 && (void *)b->bss != (void *)a->bss);
	CHECK(test_a_bpf__on_enter__attach(a) == -ENOENT && errno == ENOENT);
	CHECK(test_a_bpf__attach(a) == 0);	/* nothing loaded: nothing to attach */
	check_load_error(a);
	check_load_log(a);
	check_bad_loader();
	test_a_bpf__detach(a);
	test_a_bpf__destroy(a);
	test_b_bpf__destroy(b);
	test_b_bpf__destroy(NULL);
	errno = 0;
	CHECK(test_b_bpf__open_and_load() == NULL);
	CHECK(errno == EPERM || errno == EINVAL);
	if (failures) {
		fprintf(stderr, "%d checks failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
