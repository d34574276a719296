// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel flavour of a generated skeleton, as a module that bpf_preload-like
 * code would be: header_compile.sh builds it against installed kernel headers
 * (never loads it) to prove the runtime and the API compile with __KERNEL__.
 */
#include <linux/init.h>
#include <linux/module.h>

#define LSKEL_DEFINE_TYPES
#include "test_a.h"

static struct test_a_bpf *skel;

static int __init skel_kmod_init(void)
{
	int err;

	skel = test_a_bpf__open();
	if (!skel)
		return -ENOMEM;
	skel->rodata->target_pid = 1;
	err = test_a_bpf__load(skel);
	if (!err)
		err = test_a_bpf__attach(skel);
	if (err) {
		pr_err("%s\n", skel->errstr);
		test_a_bpf__destroy(skel);
		return err;
	}
	return 0;
}

static void __exit skel_kmod_exit(void)
{
	test_a_bpf__destroy(skel);
}

module_init(skel_kmod_init);
module_exit(skel_kmod_exit);
MODULE_LICENSE("GPL");
