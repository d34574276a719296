// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trampoline.bpf.c through its light skeleton, on kernels that allow BPF
 * trampolines (others refuse the load: skipped). NAME__attach() attaches everything;
 * then fentry and fexit see both getpgid() calls and the last one's error, fmod_ret
 * makes getsid() fail with EPERM only while the app asks for it, and when the BPF
 * LSM is active, lsm counts opens and lsm.s refuses one only while the word it reads
 * from this process's memory says so.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include "testlib.h"
#include SKEL_HEADER

#define DENY_MAGIC 0x5eeded
#define MAGIC_PID 0x7ffffff0	/* no such process */

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

static void check_fentry_fexit(struct trampoline_bpf *skel)
{
	long pgrp = stat_pgrp();

	CHECK_EQ(syscall(SYS_getpgid, 0), pgrp);
	CHECK_EQ(skel->bss->exit_ret, pgrp);
	errno = 0;
	CHECK_EQ(syscall(SYS_getpgid, MAGIC_PID), -1);
	CHECK_EQ(errno, ESRCH);
	CHECK_EQ(skel->bss->nr_entry, 2);
	CHECK_EQ(skel->bss->nr_exit, 2);
	CHECK_EQ(skel->bss->exit_ret, -ESRCH);
}

/*
 * getsid(0) does not ask the LSM: the hook runs for an explicit pid only. The session
 * may be 0 (the VM's init never calls setsid()), still apart from a failure's -1.
 */
static void check_fmod_ret(struct trampoline_bpf *skel)
{
	long sid = getsid(0);

	CHECK(sid >= 0, "getsid(0): %s", strerror(errno));
	CHECK_EQ(getsid(getpid()), sid);
	skel->bss->deny_getsid = 1;
	errno = 0;
	CHECK_EQ(getsid(getpid()), -1);
	CHECK_EQ(errno, EPERM);
	CHECK_EQ(getsid(0), sid);
	skel->bss->deny_getsid = 0;
	CHECK_EQ(getsid(getpid()), sid);
	CHECK_EQ(skel->bss->nr_getsid_denied, 1);
}

/* Opens a file every system has (the VM has no /dev); returns 0 or the errno. */
static int try_open(void)
{
	int fd = open("/proc/self/stat", O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * lsm.s reads *word with bpf_copy_from_user() at each open: DENY_MAGIC refuses it.
 * Returns 0 when both lsm programs did their part, 1 when no BPF LSM runs.
 */
static int check_lsm(struct trampoline_bpf *skel)
{
	static volatile int word;
	__u64 opens = skel->bss->nr_opens;
	int i;

	skel->bss->user_word = (unsigned long)&word;
	for (i = 0; i < 3; i++)
		CHECK_EQ(try_open(), 0);
	opens = skel->bss->nr_opens - opens;
	if (opens != 3) {
		CHECK(!opens && !bpf_lsm_active(), "%llu of 3 opens counted",
		      (unsigned long long)opens);
		return 1;
	}
	CHECK_EQ(skel->bss->nr_sleepable_opens, 3);
	word = DENY_MAGIC;
	CHECK_EQ(try_open(), EPERM);
	word = 0;
	CHECK_EQ(try_open(), 0);
	skel->bss->user_word = 0;
	CHECK_EQ(skel->bss->nr_opens_denied, 1);
	CHECK_EQ(skel->bss->nr_sleepable_opens, 5);
	return 0;
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
	if (kernel_refused(err)) {
		trampoline_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel refuses BPF trampolines (fentry/fexit/fmod_ret/lsm): load: %s",
		     err_name(err));
	}
	check_load(err, "trampoline");
	check_all_loaded(skel);
	CHECK_EQ(trampoline_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	check_fentry_fexit(skel);
	check_fmod_ret(skel);
	lsm_off = check_lsm(skel);

	trampoline_bpf__destroy(skel);
	tracked__check_gone(&t);
	if (lsm_off)
		skip("fentry/fexit/fmod_ret passed; lsm not checked: the BPF LSM is not active");
	printf("trampoline: ok\n");
	return 0;
}
