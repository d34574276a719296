// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * freplace.bpf.c through its light skeleton: drop_all extends xdp_main of the same
 * object, replacing its global function policy().
 *  - Loaded: drop_all is an EXT program whose attach target is xdp_main's BTF; until
 *    attached, xdp_main passes (policy() ran), attached through NAME__attach() it
 *    drops (drop_all ran instead, policy() did not), the link names xdp_main, and
 *    after NAME__detach() it passes again, and attached once more it drops again.
 *    Destroy leaves nothing loaded.
 *  - drop_all turned off: xdp_main loads alone, NAME__attach() skips drop_all.
 *  - xdp_main turned off: the load fails, and errstr names both programs; nothing
 *    stays loaded or open.
 * Kernels that refuse extensions (the trampoline machinery; the host's 6.18 refuses
 * fentry & co. with EPERM) skip, with the errno.
 */
#include "testlib.h"
#include SKEL_HEADER


static struct bpf_prog_info info_of(int fd, const char *name)
{
	struct bpf_prog_info info;

	if (prog_info(fd, &info))
		fail("prog %s: info: %s", name, strerror(errno));
	CHECK(!strcmp(info.name, name), "fd %d is prog '%s', not '%s'", fd, info.name, name);
	return info;
}

/* drop_all is an extension of xdp_main, whose BTF names the function it replaces. */
static void check_ext_info(struct freplace_bpf *skel)
{
	struct bpf_prog_info main_info = info_of(skel->progs.xdp_main.prog_fd, "xdp_main");
	struct bpf_prog_info ext = info_of(skel->progs.drop_all.prog_fd, "drop_all");

	CHECK_EQ(main_info.type, BPF_PROG_TYPE_XDP);
	CHECK_EQ(ext.type, BPF_PROG_TYPE_EXT);
	CHECK(main_info.btf_id, "xdp_main loaded without BTF");
	CHECK(ext.attach_btf_id, "drop_all has no attach_btf_id");
	CHECK_EQ(ext.attach_btf_obj_id, main_info.btf_id);
}

/* The link is xdp_main's trampoline for drop_all's function. */
static void check_link(struct freplace_bpf *skel)
{
	struct bpf_prog_info main_info = info_of(skel->progs.xdp_main.prog_fd, "xdp_main");
	struct bpf_prog_info ext = info_of(skel->progs.drop_all.prog_fd, "drop_all");
	struct bpf_link_info link;

	if (link_info(skel->links.drop_all_fd, &link))
		fail("link info: %s", strerror(errno));
	CHECK_EQ(link.type, BPF_LINK_TYPE_TRACING);
	CHECK_EQ(link.prog_id, ext.id);
	CHECK_EQ(link.tracing.target_obj_id, main_info.id);
	CHECK_EQ(link.tracing.target_btf_id, ext.attach_btf_id);
}

static void check_counts(struct freplace_bpf *skel, __u64 main, __u64 policy, __u64 replaced)
{
	CHECK_EQ(skel->bss->nr_main, main);
	CHECK_EQ(skel->bss->nr_policy, policy);
	CHECK_EQ(skel->bss->nr_replaced, replaced);
}

/* Load, run, attach, run, detach, run; skips where the kernel refuses extensions. */
static void run_attach(void)
{
	struct freplace_bpf *skel = freplace_bpf__open();
	struct tracked t = {};
	int main_fd, err;

	CHECK(skel, "open");
	err = freplace_bpf__load(skel);
	if (kernel_refused(err)) {
		printf("load refused: %s\n", skel->errstr);
		freplace_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel refuses program extensions (freplace): load: %s", err_name(err));
	}
	check_load(err, "freplace");
	check_all_loaded(skel);
	check_ext_info(skel);
	main_fd = skel->progs.xdp_main.prog_fd;

	CHECK_EQ(xdp_test_run(main_fd), XDP_PASS);
	check_counts(skel, 1, 1, 0);
	err = freplace_bpf__attach(skel);
	if (kernel_refused(err)) {
		freplace_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("kernel refuses to attach program extensions (freplace): %s", err_name(err));
	}
	CHECK_EQ(err, 0);
	CHECK(skel->links.drop_all_fd > 0, "no link for drop_all");
	check_link(skel);
	CHECK_EQ(xdp_test_run(main_fd), XDP_DROP);
	check_counts(skel, 2, 1, 1);
	tracked__add_skel(&t, skel);

	freplace_bpf__detach(skel);
	CHECK_EQ(xdp_test_run(main_fd), XDP_PASS);
	check_counts(skel, 3, 2, 1);

	CHECK_EQ(freplace_bpf__attach(skel), 0);	/* a detached extension comes back */
	CHECK_EQ(xdp_test_run(main_fd), XDP_DROP);
	check_counts(skel, 4, 2, 2);
	tracked__add(&t, OBJ_LINK, skel->links.drop_all_fd);
	freplace_bpf__destroy(skel);
	tracked__check_gone(&t);
}

/* Without its extension, the target loads and runs alone. */
static void run_ext_off(void)
{
	struct freplace_bpf *skel = freplace_bpf__open();
	struct tracked t = {};

	CHECK(skel, "open");
	CHECK_EQ(skel->progs.drop_all.autoload, 1);
	skel->progs.drop_all.autoload = 0;
	check_load(freplace_bpf__load(skel), "freplace without drop_all");
	CHECK(skel->progs.xdp_main.prog_fd > 0, "xdp_main not loaded");
	CHECK_EQ(skel->progs.drop_all.prog_fd, 0);
	CHECK_EQ(freplace_bpf__attach(skel), 0);
	CHECK_EQ(skel->links.drop_all_fd, 0);
	CHECK_EQ(xdp_test_run(skel->progs.xdp_main.prog_fd), XDP_PASS);
	check_counts(skel, 1, 1, 0);
	tracked__add_skel(&t, skel);
	freplace_bpf__destroy(skel);
	tracked__check_gone(&t);
}

/* An extension whose target is off fails the load and says why. */
static void run_target_off(void)
{
	static const char *const want = "prog 'drop_all', freplace of 'policy' in prog 'xdp_main'";
	struct freplace_bpf *skel = freplace_bpf__open();
	int err;

	CHECK(skel, "open");
	skel->progs.xdp_main.autoload = 0;
	err = freplace_bpf__load(skel);
	printf("target off: %d: %s\n", err, skel->errstr);
	CHECK(err < 0, "load without xdp_main succeeded");
	CHECK(strstr(skel->errstr, want), "errstr lacks \"%s\": %s", want, skel->errstr);
	CHECK_EQ(skel->progs.xdp_main.prog_fd, 0);
	CHECK_EQ(skel->progs.drop_all.prog_fd, 0);
	freplace_bpf__destroy(skel);
	check_no_bpf_fds();
}

int main(void)
{
	test_begin("freplace-" SKEL_FLAVOUR);
	run_attach();
	run_ext_off();
	run_target_off();
	printf("freplace: ok\n");
	return 0;
}
