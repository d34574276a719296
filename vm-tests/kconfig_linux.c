// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kconfig_linux.bpf.c through its light skeleton: the virtual LINUX_ externs hold
 * what this machine says, worked out when the skeleton loads: the version from
 * uname() (or Ubuntu's /proc/version_signature), BPF cookies on 5.15+, syscall
 * wrappers when /proc/kallsyms names __x64_sys_bpf (or the arch's equivalent); an
 * unknown weak one reads 0.
 */
#include <sys/utsname.h>
#include "testlib.h"
#include SKEL_HEADER

static __u32 kernel_version(void)
{
	unsigned int major = 0, minor = 0, patch = 0;
	struct utsname u;
	FILE *f = fopen("/proc/version_signature", "r");

	if (f && fscanf(f, "%*s %*s %u.%u.%u", &major, &minor, &patch) == 3) {
		fclose(f);
		return (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch);
	}
	if (f)
		fclose(f);
	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &major, &minor, &patch) < 2)
		fail("cannot parse the kernel release");
	return (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch);
}

static int kallsyms_has(const char *name)
{
	char line[512], sym[256], type;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");
	int found = 0;

	if (!f)
		fail("/proc/kallsyms: %s", strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && !strcmp(sym, name);
	fclose(f);
	return found;
}

int main(void)
{
	struct kconfig_linux_bpf *skel;
	struct tracked t = {};
	__u32 kv = kernel_version();

	test_begin("kconfig_linux-" SKEL_FLAVOUR);
	skel = kconfig_linux_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(kconfig_linux_bpf__load(skel), "kconfig_linux");
	check_all_loaded(skel);
	CHECK_EQ(kconfig_linux_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	kconfig_linux_bpf__detach(skel);
	CHECK(skel->bss->out.done >= 1, "read_linux never ran");

	CHECK_EQ(skel->bss->out.kernel_version, kv);
	CHECK_EQ(skel->bss->out.has_bpf_cookie, kv >= (5 << 16) + (15 << 8));
#if defined(__x86_64__)
	CHECK_EQ(skel->bss->out.has_syscall_wrapper, kallsyms_has("__x64_sys_bpf"));
#endif
	CHECK_EQ(skel->bss->out.no_such_value, 0);
	printf("LINUX_KERNEL_VERSION 0x%x, LINUX_HAS_BPF_COOKIE %d, LINUX_HAS_SYSCALL_WRAPPER %d\n",
	       skel->bss->out.kernel_version, skel->bss->out.has_bpf_cookie,
	       skel->bss->out.has_syscall_wrapper);

	kconfig_linux_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("kconfig_linux: ok\n");
	return 0;
}
