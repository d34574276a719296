// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trampoline.bpf.c through its light skeleton, on kernels that allow BPF
 * trampolines (others refuse the load: skipped). fmod_ret fakes getpgid(MAGIC_PID),
 * fentry and fentry.s count both getpgid() calls, fexit sees the faked return value,
 * and the lsm program counts opens when the BPF LSM is active.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include "testlib.h"
#include SKEL_HEADER

#define FAKE_PGID 4242
#define MAGIC_PID 0x7ffffff0

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's internal "not supported" */
#endif

/* Field 5 of /proc/self/stat, without calling getpgid(). */
static long stat_pgrp(void)
{
	FILE *f = fopen("/proc/self/stat", "r");
	long pgrp = -1;

	CHECK(f && fscanf(f, "%*d (%*[^)]) %*c %*d %ld", &pgrp) == 1, "parse /proc/self/stat");
	fclose(f);
	return pgrp;
}

static int bpf_lsm_listed(void)
{
	char buf[512] = "";
	FILE *f = fopen("/sys/kernel/security/lsm", "r");

	if (!f)
		return -1;
	CHECK(fgets(buf, sizeof(buf), f), "read /sys/kernel/security/lsm");
	fclose(f);
	return strstr(buf, "bpf") != NULL;
}

/* Asks securityfs, mounting it in a private mount namespace if need be. */
static int bpf_lsm_active(void)
{
	int listed = bpf_lsm_listed();

	if (listed >= 0)
		return listed;
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL))
		fail("mount securityfs: %s", strerror(errno));
	listed = bpf_lsm_listed();
	CHECK(listed >= 0, "no /sys/kernel/security/lsm");
	return listed;
}

static void check_tracing(struct trampoline_bpf *skel)
{
	long pgrp = stat_pgrp();

	CHECK_EQ(syscall(SYS_getpgid, 0), pgrp);
	CHECK_EQ(syscall(SYS_getpgid, MAGIC_PID), FAKE_PGID);
	CHECK_EQ(skel->bss->nr_entry, 2);
	CHECK_EQ(skel->bss->nr_entry_sleepable, 2);
	CHECK_EQ(skel->bss->nr_exit, 2);
	CHECK_EQ(skel->bss->exit_ret, FAKE_PGID);
}

/* Returns 0 when the lsm program counted the opens, 1 when no BPF LSM runs. */
static int check_lsm(struct trampoline_bpf *skel)
{
	int i, fd;

	for (i = 0; i < 3; i++) {
		fd = open("/dev/null", O_RDONLY);
		CHECK(fd >= 0, "open /dev/null");
		close(fd);
	}
	if (skel->bss->nr_opens >= 3)
		return 0;
	CHECK(!bpf_lsm_active(), "bpf LSM active but %llu opens counted",
	      (unsigned long long)skel->bss->nr_opens);
	return 1;
}

int main(void)
{
	struct trampoline_bpf *skel;
	struct tracked t = {};
	int err, lsm_off;

	test_begin("trampoline-" SKEL_FLAVOUR);
	skel = trampoline_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	err = trampoline_bpf__load(skel);
	if (err == -EPERM || err == -EOPNOTSUPP || err == -ENOTSUPP) {
		trampoline_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel refuses BPF trampolines (fentry/fexit/fmod_ret/lsm): load: %s",
		     err == -ENOTSUPP ? "ENOTSUPP" : strerror(-err));
	}
	check_load(err, "trampoline");
	check_all_loaded(skel);
	CHECK_EQ(trampoline_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	check_tracing(skel);
	lsm_off = check_lsm(skel);

	trampoline_bpf__destroy(skel);
	tracked__check_gone(&t);
	if (lsm_off)
		skip("fentry/fexit/fmod_ret passed; lsm not checked: the BPF LSM is not active");
	printf("trampoline: ok\n");
	return 0;
}
