// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel flavour of kconfig externs at run time: a module loading light
 * skeletons from its init function inside a VM (kconfig_kvm.sh). There the values
 * come from the kernel the module is built for, through the macros the header's
 * table names (IS_BUILTIN, IS_MODULE, the option's value), and from
 * LINUX_VERSION_CODE; the .kconfig map's value must hold exactly what those macros
 * say. The offsets below are libbpf's layout of kconfig.bpf.c's and
 * kconfig_linux.bpf.c's externs (the differential tests compare that layout with
 * libbpf's own load); the value sizes are checked first so a changed program fails
 * here instead of comparing the wrong bytes. Prints "lskel-kvm: PASS <what>" or
 * "lskel-kvm: FAIL <what>: <why>", and destroys every skeleton before init returns.
 */
#include <linux/bpf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kconfig.h>
#include <linux/module.h>
#include <linux/version.h>

#include "kconfig.lskel.h"
#include "kconfig_linux.lskel.h"
#include "kconfig_missing.lskel.h"

#define PASS(what) pr_info("lskel-kvm: PASS %s\n", what)
#define FAIL(what, fmt, ...) pr_info("lskel-kvm: FAIL %s: " fmt "\n", what, ##__VA_ARGS__)

/* The map's value: its fd, held by the skeleton, keeps it alive while we read. */
static const u8 *map_value(int fd, u32 *size)
{
	struct bpf_map *map = bpf_map_get(fd);
	u64 addr = 0;
	int err;

	if (IS_ERR(map))
		return NULL;
	err = map->ops->map_direct_value_addr ? map->ops->map_direct_value_addr(map, &addr, 0) :
		-EINVAL;
	*size = map->value_size;
	bpf_map_put(map);
	return err ? NULL : (const u8 *)(unsigned long)addr;
}

static u32 tristate(bool builtin, bool module)
{
	return builtin ? 1 : module ? 2 : 0;
}

static void run_kconfig(void)
{
	struct kconfig_bpf *skel = kconfig_bpf__open_and_load();
	const u8 *v;
	u32 size = 0;
	u64 phys = 0;

	if (!skel) {
		FAIL("kconfig", "open_and_load");
		return;
	}
	v = map_value(skel->maps.kconfig.map_fd, &size);
#ifdef CONFIG_PHYSICAL_START
	phys = CONFIG_PHYSICAL_START;
#endif
	if (!v || size != 60)
		FAIL("kconfig", "value %p of %u bytes, not 60", v, size);
	else if (*(u64 *)v != phys || *(u32 *)(v + 8) != tristate(IS_BUILTIN(CONFIG_BPF_JIT),
								    IS_MODULE(CONFIG_BPF_JIT)))
		FAIL("kconfig", "PHYSICAL_START 0x%llx, BPF_JIT %u", *(u64 *)v, *(u32 *)(v + 8));
	else if (*(int *)(v + 12) != CONFIG_HZ || *(int *)(v + 16) != 0 ||
		 *(u32 *)(v + 20) != LINUX_VERSION_CODE)
		FAIL("kconfig", "HZ %d, NO_SUCH_INT %d, version 0x%x", *(int *)(v + 12),
		     *(int *)(v + 16), *(u32 *)(v + 20));
	else if (v[24] != IS_BUILTIN(CONFIG_BPF_SYSCALL) || v[25] || v[26] || v[27] != 1)
		FAIL("kconfig", "BPF_SYSCALL %u, NO_SUCH_BOOL %u, NO_SUCH_CHAR %u, cookie %u",
		     v[24], v[25], v[26], v[27]);
	else if (strncmp((const char *)v + 28, CONFIG_DEFAULT_HOSTNAME, 32))
		FAIL("kconfig", "DEFAULT_HOSTNAME '%.32s'", v + 28);
	else
		PASS("kconfig");
	kconfig_bpf__destroy(skel);
}

static void run_kconfig_linux(void)
{
	struct kconfig_linux_bpf *skel = kconfig_linux_bpf__open_and_load();
	const u8 *v;
	u32 size = 0;

	if (!skel) {
		FAIL("kconfig_linux", "open_and_load");
		return;
	}
	v = map_value(skel->maps.kconfig.map_fd, &size);
	if (!v || size != 10)
		FAIL("kconfig_linux", "value %p of %u bytes, not 10", v, size);
	else if (*(u32 *)v != LINUX_VERSION_CODE || *(int *)(v + 4) || v[8] != 1 ||
		 v[9] != IS_ENABLED(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))
		FAIL("kconfig_linux", "version 0x%x, unknown %d, cookie %u, wrapper %u", *(u32 *)v,
		     *(int *)(v + 4), v[8], v[9]);
	else
		PASS("kconfig_linux");
	kconfig_linux_bpf__destroy(skel);
}

static void run_missing(void)
{
	static const char want[] = "lskel: kconfig: CONFIG_LSKEL_NO_SUCH_OPTION: not set in the "
				   "running kernel's config (the module's kernel config)";
	struct kconfig_missing_bpf *skel = kconfig_missing_bpf__open();
	int err;

	if (!skel) {
		FAIL("kconfig-missing", "open");
		return;
	}
	err = kconfig_missing_bpf__load(skel);
	if (err == -ENOENT && !strcmp(skel->errstr, want))
		PASS("kconfig-missing");
	else
		FAIL("kconfig-missing", "%d '%s'", err, skel->errstr);
	kconfig_missing_bpf__destroy(skel);
}

static int __init lskel_kconfig_kvm_init(void)
{
	run_kconfig();
	run_kconfig_linux();
	run_missing();
	pr_info("lskel-kvm: done\n");
	return 0;
}

static void __exit lskel_kconfig_kvm_exit(void)
{
}

module_init(lskel_kconfig_kvm_init);
module_exit(lskel_kconfig_kvm_exit);
MODULE_LICENSE("GPL");
