// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trampoline_sleepable.bpf.c through its light skeleton: NAME__attach() attaches the
 * fentry.s program, which then counts getpgid() calls and reads a word of this
 * process's memory at each. Skipped where the kernel refuses trampolines at all, and
 * where it has no error injection list: sleepable fentry has no legal target there.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "testlib.h"
#include SKEL_HEADER

#define ERROR_INJECTION_LIST "/sys/kernel/debug/error_injection/list"

/*
 * Whether the kernel keeps an error injection list (CONFIG_FUNCTION_ERROR_INJECTION):
 * debugfs shows it, mounted in a private mount namespace if it is not mounted yet.
 */
static int has_error_injection(void)
{
	struct stat st;

	if (!stat(ERROR_INJECTION_LIST, &st))
		return 1;
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		fail("private mount namespace: %s", strerror(errno));
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) && errno != EBUSY)
		fail("mount debugfs: %s", strerror(errno));
	return !stat(ERROR_INJECTION_LIST, &st);
}

static void check_fentry_sleepable(struct trampoline_sleepable_bpf *skel)
{
	static volatile int word = 0x5eeded;

	skel->bss->user_word = (unsigned long)&word;
	CHECK(syscall(SYS_getpgid, 0) > 0, "getpgid: %s", strerror(errno));
	CHECK_EQ(skel->bss->word_seen, 0x5eeded);
	word = 42;
	CHECK(syscall(SYS_getpgid, 0) > 0, "getpgid: %s", strerror(errno));
	CHECK_EQ(skel->bss->word_seen, 42);
	skel->bss->user_word = 0;
	CHECK_EQ(skel->bss->nr_entry_sleepable, 2);
}

int main(void)
{
	struct trampoline_sleepable_bpf *skel;
	struct tracked t = {};
	int err;

	test_begin("trampoline_sleepable-" SKEL_FLAVOUR);
	skel = trampoline_sleepable_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	err = trampoline_sleepable_bpf__load(skel);
	if (kernel_refused(err)) {
		trampoline_sleepable_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel refuses BPF trampolines (fentry/fexit/fmod_ret/lsm): load: %s",
		     err_name(err));
	}
	if (err && !has_error_injection()) {
		trampoline_sleepable_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel built without CONFIG_FUNCTION_ERROR_INJECTION (no %s): "
		     "fentry.s has no legal target; load: %s", ERROR_INJECTION_LIST, strerror(-err));
	}
	check_load(err, "trampoline_sleepable");
	check_all_loaded(skel);
	CHECK_EQ(trampoline_sleepable_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	check_fentry_sleepable(skel);

	trampoline_sleepable_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("trampoline_sleepable: ok\n");
	return 0;
}
