// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kconfig.bpf.c through its light skeleton: every __kconfig extern reads what the
 * running kernel's config (/proc/config.gz or /boot/config-RELEASE) and uname say,
 * and weak externs of unknown options read 0.
 */
#include <sys/utsname.h>
#include "testlib.h"

/* The skeleton's .kconfig view uses it, and leaves its definition to us. */
enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

#include SKEL_HEADER

static char *read_config(void)
{
	static const size_t cap = 1 << 22;
	char cmd[128], *buf = calloc(1, cap);
	struct utsname u;
	size_t len = 0;
	FILE *f;

	if (!buf || uname(&u))
		fail("uname: %s", strerror(errno));
	if (!access("/proc/config.gz", R_OK))
		snprintf(cmd, sizeof(cmd), "gzip -dc /proc/config.gz");
	else
		snprintf(cmd, sizeof(cmd), "cat /boot/config-%s", u.release);
	f = popen(cmd, "r");
	if (f)
		len = fread(buf, 1, cap - 1, f);
	if (!f || pclose(f) || !len)
		skip("no kernel config to compare with (/proc/config.gz, /boot/config-%s)",
		     u.release);
	return buf;
}

/* The value of "KEY=value" in the config text, or NULL; copied, quotes removed. */
static const char *config_value(const char *cfg, const char *key)
{
	static char val[256];
	size_t klen = strlen(key);
	const char *p;

	for (p = cfg; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) || p[klen] != '=')
			continue;
		p += klen + 1;
		if (*p == '"')
			p++;
		snprintf(val, sizeof(val), "%.*s", (int)strcspn(p, "\"\n"), p);
		return val;
	}
	return NULL;
}

/* As libbpf computes LINUX_KERNEL_VERSION: from the release, patch capped at 255. */
static __u32 kernel_version(void)
{
	unsigned int major = 0, minor = 0, patch = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &major, &minor, &patch) < 2)
		fail("cannot parse the kernel release");
	return (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch);
}

static int tristate(const char *v)
{
	return !v ? TRI_NO : !strcmp(v, "y") ? TRI_YES : !strcmp(v, "m") ? TRI_MODULE : -1;
}

int main(void)
{
	struct kconfig_bpf *skel;
	struct tracked t = {};
	const char *v;
	char *cfg;

	test_begin("kconfig-" SKEL_FLAVOUR);
	cfg = read_config();
	skel = kconfig_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(kconfig_bpf__load(skel), "kconfig");
	check_all_loaded(skel);
	CHECK_EQ(kconfig_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	kconfig_bpf__detach(skel);
	CHECK(skel->bss->out.done >= 1, "read_kconfig never ran");

	CHECK_EQ(skel->bss->out.kernel_version, kernel_version());
	CHECK_EQ(skel->bss->out.bpf_syscall, tristate(config_value(cfg, "CONFIG_BPF_SYSCALL")));
	CHECK_EQ(skel->bss->out.bpf_jit, tristate(config_value(cfg, "CONFIG_BPF_JIT")));
	v = config_value(cfg, "CONFIG_HZ");
	CHECK(v, "no CONFIG_HZ in the config");
	CHECK_EQ(skel->bss->out.hz, atoi(v));
	v = config_value(cfg, "CONFIG_DEFAULT_HOSTNAME");
	CHECK(!strcmp(skel->bss->out.hostname, v ? v : ""), "hostname '%s' != '%s'",
	      skel->bss->out.hostname, v ? v : "");
	CHECK_EQ(skel->bss->out.no_such_int, 0);
	CHECK_EQ(skel->bss->out.no_such_bool, 0);

	kconfig_bpf__destroy(skel);
	tracked__check_gone(&t);
	free(cfg);
	printf("kconfig: ok\n");
	return 0;
}
