// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel's bpf_preload does, from a module built out of tree: at insmod
 * it loads the light skeleton of preload_iters.bpf.o (two iterators) through the
 * kernel flavour of the runtime, keeps a reference to each iterator link and
 * registers bpf_preload_ops, so that every bpffs mounted from then on shows the
 * two links as the files "tasks.lskel" and "maps.lskel". At rmmod it unregisters
 * and drops its references; mounts made before that keep their files, because
 * bpffs pins each link with a reference of its own (populate_bpffs() in
 * kernel/bpf/inode.c takes bpf_link_inc() before pinning).
 *
 * The skeleton is destroyed at the end of init, not at exit: its fds live in the
 * table of the process running insmod, and at exit the same numbers would name
 * whatever rmmod has open. The two link references keep everything alive: a link
 * holds its program, a program holds the maps it uses.
 *
 * preload_kernel.sh reads the files in a VM; this side prints "lskel-kvm: PASS
 * <what>" or "lskel-kvm: FAIL <what>: <why>" lines to the kernel log. Only one
 * module can own bpf_preload_ops: if it is taken (CONFIG_BPF_PRELOAD=y, or
 * another preload module), init fails with -EBUSY and says so.
 */
#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/init.h>
#include <linux/module.h>

#include "preload_iters.lskel.h"

/*
 * kernel/bpf/preload/bpf_preload.h is not among the installed kernel headers, so
 * its two structs and the count of links are declared here, with the same layout
 * (6.1; unchanged since 5.17). bpf_preload_ops itself is exported (GPL) by
 * kernel/bpf/inode.c. For each new bpffs superblock, bpffs takes a module
 * reference on ops->owner, calls preload() to fill in BPF_PRELOAD_LINKS entries,
 * and pins every entry's link: both must be set.
 */
struct bpf_preload_info {
	char link_name[16];
	struct bpf_link *link;
};

struct bpf_preload_ops {
	int (*preload)(struct bpf_preload_info *);
	struct module *owner;
};

extern struct bpf_preload_ops *bpf_preload_ops;
#define BPF_PRELOAD_LINKS 2

#define PASS(what) pr_info("lskel-kvm: PASS %s\n", what)
#define FAIL(what, fmt, ...) pr_info("lskel-kvm: FAIL %s: " fmt "\n", what, ##__VA_ARGS__)

static struct bpf_link *links[BPF_PRELOAD_LINKS];
static const char *const link_names[BPF_PRELOAD_LINKS] = { "tasks.lskel", "maps.lskel" };

/* Called under bpffs's preload mutex with a reference on this module. */
static int preload(struct bpf_preload_info *objs)
{
	int i;

	for (i = 0; i < BPF_PRELOAD_LINKS; i++) {
		strscpy(objs[i].link_name, link_names[i], sizeof(objs[i].link_name));
		objs[i].link = links[i];
	}
	return 0;
}

static struct bpf_preload_ops ops = {
	.preload = preload,
	.owner = THIS_MODULE,
};

static void links_put(void)
{
	int i;

	for (i = 0; i < BPF_PRELOAD_LINKS; i++) {
		if (!IS_ERR_OR_NULL(links[i]))
			bpf_link_put(links[i]);
		links[i] = NULL;
	}
}

/* A reference of our own on the link behind fd, which the caller then closes. */
static int link_take(int i, int fd)
{
	links[i] = bpf_link_get_from_fd(fd);
	if (IS_ERR(links[i])) {
		FAIL("load", "link '%s' from fd %d: %ld", link_names[i], fd, PTR_ERR(links[i]));
		return PTR_ERR(links[i]);
	}
	return 0;
}

/* Loads and attaches; on success only the two link references remain. */
static int load_links(void)
{
	struct preload_iters_bpf *skel;
	int err;

	skel = preload_iters_bpf__open_and_load();
	if (!skel) {
		FAIL("load", "open_and_load (the runtime logged why)");
		return -EINVAL;
	}
	err = preload_iters_bpf__attach(skel);
	if (err)
		FAIL("load", "attach %d", err);
	err = err ?: link_take(0, skel->links.dump_tasks_fd);
	err = err ?: link_take(1, skel->links.dump_maps_fd);
	preload_iters_bpf__destroy(skel);	/* closes every fd, links included */
	if (err)
		links_put();
	return err;
}

static int __init skel_preload_init(void)
{
	int err;

	err = load_links();
	if (err)
		return err;
	PASS("load");
	/* bpffs reads the pointer without a lock of ours: publish it once, whole */
	if (cmpxchg(&bpf_preload_ops, NULL, &ops)) {
		FAIL("register", "bpf_preload_ops is taken (CONFIG_BPF_PRELOAD=y or another module)");
		links_put();
		return -EBUSY;
	}
	PASS("register");
	return 0;
}

/*
 * A mount holds a reference on this module only around its preload() call, so
 * rmmod gets here when none is inside it; from then on try_module_get() fails and
 * preload() is not called again. Files already pinned keep their own references.
 */
static void __exit skel_preload_exit(void)
{
	if (cmpxchg(&bpf_preload_ops, &ops, NULL) != &ops)
		FAIL("unregister", "bpf_preload_ops was changed behind us");
	else
		PASS("unregister");
	links_put();
}

module_init(skel_preload_init);
module_exit(skel_preload_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lskel test: preload two iterators into bpffs, as bpf_preload does");
