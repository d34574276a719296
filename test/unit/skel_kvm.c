// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel flavour at run time: a module that loads light skeletons from its
 * init function, as bpf_preload does, inside a VM (runtime_kernel.sh). It prints
 * "lskel-kvm: PASS <what>" or "lskel-kvm: FAIL <what>: <why>" per check, and
 * leaves nothing loaded: every skeleton is destroyed before init returns.
 *
 *  - test_a (mk-test-header's object, a loader that fails step 2): the blob map,
 *    the loader load and the in-place test run through kern_sys_bpf(), and the
 *    failed step named in errstr;
 *  - minimal.bpf.o: a real load; the .rodata written before load is read back
 *    from the map value (map_direct_value_addr), .bss is writable;
 *  - iter.bpf.o: an iterator (BPF_LINK_CREATE) and a tp_btf program attach.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/sched.h>

#define LSKEL_DEFINE_TYPES
#include "test_a.h"
#include "minimal.lskel.h"
#include "iter.lskel.h"

#define PASS(what) pr_info("lskel-kvm: PASS %s\n", what)
#define FAIL(what, fmt, ...) pr_info("lskel-kvm: FAIL %s: " fmt "\n", what, ##__VA_ARGS__)

static void run_step_error(void)
{
	static const char want[] =
		"lskel: step 2/3 (prog 'on_enter': BPF_PROG_LOAD) failed: -22 (-EINVAL)";
	struct test_a_bpf *skel = test_a_bpf__open();
	int err;

	if (!skel) {
		FAIL("step-error", "open");
		return;
	}
	err = test_a_bpf__load(skel);
	if (err == -EINVAL && skel->ctx.failed_step == 2 && !strcmp(skel->errstr, want))
		PASS("step-error");
	else
		FAIL("step-error", "%d step %u '%s'", err, skel->ctx.failed_step, skel->errstr);
	test_a_bpf__destroy(skel);
}

static void run_minimal(void)
{
	struct minimal_bpf *skel = minimal_bpf__open();
	int err;

	if (!skel) {
		FAIL("minimal", "open");
		return;
	}
	if (skel->ctx.flags != LSKEL_CTX_KERNEL)
		FAIL("minimal", "ctx.flags %u", skel->ctx.flags);
	skel->rodata->target_tgid = current->tgid;
	skel->rodata->target_nr = 4242;
	err = minimal_bpf__load(skel);
	if (err) {
		FAIL("minimal", "load %d '%s'", err, skel->errstr);
	} else if (skel->rodata->target_tgid != current->tgid || skel->rodata->target_nr != 4242 ||
		   skel->maps.rodata.initial_value != LSKEL_DATA_IN_MAP) {
		FAIL("minimal", "rodata after load: %d %ld", skel->rodata->target_tgid,
		     skel->rodata->target_nr);
	} else {
		skel->bss->nr_seen = 7;
		PASS("minimal");
		/* 6.1 copies a raw_tp name from user memory: -EFAULT from the kernel */
		err = minimal_bpf__attach(skel);
		pr_info("lskel-kvm: raw_tp attach by name: %d\n", err);
	}
	minimal_bpf__destroy(skel);
}

static void run_iter(void)
{
	struct iter_bpf *skel = iter_bpf__open_and_load();
	int err;

	if (!skel) {
		FAIL("iter", "open_and_load");
		return;
	}
	err = iter_bpf__attach(skel);
	if (err || skel->links.dump_task_fd <= 0 || skel->links.on_newtask_fd <= 0)
		FAIL("iter", "attach %d", err);
	else
		PASS("iter");
	iter_bpf__destroy(skel);
}

static int __init lskel_kvm_init(void)
{
	run_step_error();
	run_minimal();
	run_iter();
	pr_info("lskel-kvm: done\n");
	return 0;
}

static void __exit lskel_kvm_exit(void)
{
}

module_init(lskel_kvm_init);
module_exit(lskel_kvm_exit);
MODULE_LICENSE("GPL");
