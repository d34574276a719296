// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * optional.bpf.c through its light skeleton. Programs declared SEC("?...") are not
 * loaded by default: their prog_fd stays 0, every other prog_fd belongs to the
 * program of its field's name (asked from the kernel, not assumed), and only the
 * loaded programs run. Setting autoload before load turns one on, and
 * NAME__attach() then attaches what is loaded and skips the rest.
 */
#include "testlib.h"
#include SKEL_HEADER

#define NR_PROGS 6

static const char *const names[NR_PROGS] = {	/* declaration order */
	"always_enter", "maybe_enter", "maybe_exit", "always_exit",
	"maybe_btf_enter", "always_btf_exit",
};

/* Each prog_fd is 0 when the program should not be loaded, else that program's. */
static void check_fds(struct optional_bpf *skel, const int *loaded)
{
	struct bpf_prog_info info;
	size_t i;

	CHECK_EQ(SKEL_NR_PROGS(skel), NR_PROGS);
	for (i = 0; i < NR_PROGS; i++) {
		int fd = SKEL_PROG(skel, i).prog_fd;

		if (!loaded[i]) {
			CHECK(fd == 0, "prog %s: not loaded, yet prog_fd %d", names[i], fd);
			continue;
		}
		CHECK(fd > 0, "prog %s: prog_fd %d", names[i], fd);
		if (prog_info(fd, &info))
			fail("prog %s: info: %s", names[i], strerror(errno));
		CHECK(!strcmp(info.name, names[i]), "skel->progs.%s.prog_fd is program '%s'",
		      names[i], info.name);
	}
}

static void check_hits(struct optional_bpf *skel, const int *loaded)
{
	int i;

	syscall(SYS_getpid);
	for (i = 0; i < NR_PROGS; i++) {
		__u64 hits = skel->bss->hits[i];

		if (loaded[i])
			CHECK(hits > 0, "prog %s loaded but did not run", names[i]);
		else
			CHECK(hits == 0, "prog %s not loaded but ran %llu times", names[i],
			      (unsigned long long)hits);
	}
}

static struct optional_bpf *open_for_me(void)
{
	struct optional_bpf *skel = optional_bpf__open();

	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	return skel;
}

/* Defaults: attach the loaded programs one by one. */
static void run_defaults(void)
{
	static const int loaded[NR_PROGS] = { 1, 0, 0, 1, 0, 1 };
	struct optional_bpf *skel = open_for_me();
	struct tracked t = {};

	check_load(optional_bpf__load(skel), "optional");
	check_fds(skel, loaded);
	CHECK(optional_bpf__always_enter__attach(skel) > 0, "attach always_enter");
	CHECK(optional_bpf__always_exit__attach(skel) > 0, "attach always_exit");
	CHECK(optional_bpf__always_btf_exit__attach(skel) > 0, "attach always_btf_exit");
	tracked__add_skel(&t, skel);
	check_hits(skel, loaded);
	optional_bpf__destroy(skel);
	tracked__check_gone(&t);
}

#ifndef LSKEL_BPFTOOL	/* bpftool's descriptors have no autoload */
/* Turn maybe_exit on; NAME__attach() must skip the programs still off. */
static void run_enabled(void)
{
	static const int loaded[NR_PROGS] = { 1, 0, 1, 1, 0, 1 };
	struct optional_bpf *skel = open_for_me();
	struct tracked t = {};

	CHECK_EQ(skel->progs.maybe_enter.autoload, 0);
	CHECK_EQ(skel->progs.always_enter.autoload, 1);
	skel->progs.maybe_exit.autoload = 1;
	check_load(optional_bpf__load(skel), "optional");
	check_fds(skel, loaded);
	CHECK_EQ(optional_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	check_hits(skel, loaded);
	optional_bpf__destroy(skel);
	tracked__check_gone(&t);
}
#endif

int main(void)
{
	test_begin("optional-" SKEL_FLAVOUR);
	run_defaults();
#ifndef LSKEL_BPFTOOL
	run_enabled();
#endif
	printf("optional: ok\n");
	return 0;
}
