// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel flavour of the runtime refuses, from a module's init in the 6.1
 * VM (refused_kernel.sh), so the README's list of refusals is a tested one. Each
 * check passes only when the refusal is the expected one; every skeleton is
 * destroyed before init returns, so nothing stays loaded.
 *
 *  - pinning.bpf.o (LIBBPF_PIN_BY_NAME maps): kern_sys_bpf() has no BPF_OBJ_PIN
 *    or BPF_OBJ_GET, so load fails with -EOPNOTSUPP before the loader runs;
 *  - struct_ops.bpf.o: the value layout comes from /sys/kernel/btf/vmlinux,
 *    which the kernel flavour does not read: load fails with -EOPNOTSUPP;
 *  - minimal.bpf.o (SEC("raw_tp/sys_enter")): loads, but attaching by
 *    tracepoint name fails with -EFAULT, as 6.1 copies the name from user memory.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "pinning.lskel.h"
#include "struct_ops.lskel.h"
#include "minimal.lskel.h"

#define PASS(what, fmt, ...) pr_info("lskel-kvm: PASS %s: " fmt "\n", what, ##__VA_ARGS__)
#define FAIL(what, fmt, ...) pr_info("lskel-kvm: FAIL %s: " fmt "\n", what, ##__VA_ARGS__)

/* The load must fail with err, and errstr must say what was refused. */
static void check_load(const char *what, int got, int err, const char *errstr, const char *why)
{
	if (got == err && strstr(errstr, why))
		PASS(what, "%s", errstr);
	else
		FAIL(what, "load %d '%s', want %d with '%s'", got, errstr, err, why);
}

static void run_pinning(void)
{
	struct pinning_bpf *skel = pinning_bpf__open();

	if (!skel) {
		FAIL("pinning", "open");
		return;
	}
	check_load("pinning", pinning_bpf__load(skel), -EOPNOTSUPP, skel->errstr, "pinning");
	pinning_bpf__destroy(skel);
}

static void run_struct_ops(void)
{
	struct struct_ops_bpf *skel = struct_ops_bpf__open();

	if (!skel) {
		FAIL("struct_ops", "open");
		return;
	}
	check_load("struct_ops", struct_ops_bpf__load(skel), -EOPNOTSUPP, skel->errstr,
		   "struct_ops");
	struct_ops_bpf__destroy(skel);
}

static void run_raw_tp(void)
{
	struct minimal_bpf *skel = minimal_bpf__open_and_load();
	int err;

	if (!skel) {
		FAIL("raw_tp by name", "open_and_load");
		return;
	}
	err = minimal_bpf__attach(skel);
	if (err == -EFAULT)
		PASS("raw_tp by name", "attach %d (-EFAULT)", err);
	else
		FAIL("raw_tp by name", "attach %d, want -EFAULT", err);
	minimal_bpf__destroy(skel);
}

static int __init skel_refused_init(void)
{
	run_pinning();
	run_struct_ops();
	run_raw_tp();
	return 0;
}

static void __exit skel_refused_exit(void)
{
}

module_init(skel_refused_init);
module_exit(skel_refused_exit);
MODULE_LICENSE("GPL");
