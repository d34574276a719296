// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kconfig.bpf.c through its light skeleton. Every __kconfig extern reads what the
 * running kernel's config (/boot/config-RELEASE or /proc/config.gz) and uname say,
 * and weak externs of unknown options read 0.
 *
 * Our skeleton resolves the values when it loads, not when it is generated, so the
 * same header (built once by meson) must also follow a config the test writes and
 * names in LSKEL_KCONFIG_PATH (plain and gzip-compressed), follow uname() when the
 * process asks for a 2.6 release (personality UNAME26) and refuse configs that miss
 * a strong option or give one a value its type cannot hold, naming the option.
 * bpftool's skeleton froze the build machine's values, so it gets only the first part.
 */
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "testlib.h"

/* The skeleton's .kconfig view uses it, and leaves its definition to us. */
enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

#include SKEL_HEADER

#ifdef LSKEL_BPFTOOL
#define SKEL_ERRSTR(skel) ""	/* bpftool's skeleton says nothing */
#else
#define SKEL_ERRSTR(skel) (skel)->errstr
#define FAKE_HOSTNAME "a-host-name-longer-than-the-32-bytes-of-its-extern"

/* A config no kernel has; the second CONFIG_HZ line must lose to the first. */
static const char fake_config[] =
	"# a config written by vm-tests/kconfig.c\n"
	"CONFIG_BPF_SYSCALL=y\n"
	"CONFIG_BPF_JIT=m\n"
	"CONFIG_HZ=1234\n"
	"CONFIG_HZ=99\n"
	"CONFIG_DEFAULT_HOSTNAME=\"" FAKE_HOSTNAME "\"\n"
	"CONFIG_LSKEL_NO_SUCH_INT=-0x2a\n"
	"CONFIG_LSKEL_NO_SUCH_CHAR=m\n"
	"# CONFIG_LSKEL_NO_SUCH_BOOL is not set\n"
	"CONFIG_PHYSICAL_START=0x200000\n";

static char tmpdir[] = "/tmp/lskel-kconfig-XXXXXX";
#endif

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

/* Opens and loads with LSKEL_KCONFIG_PATH=path (NULL: unset); NULL if the load failed. */
static struct kconfig_bpf *load(const char *path, int *err, char *errstr, size_t errstr_sz)
{
	struct kconfig_bpf *skel;

	if (path)
		setenv("LSKEL_KCONFIG_PATH", path, 1);
	else
		unsetenv("LSKEL_KCONFIG_PATH");
	skel = kconfig_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	*err = kconfig_bpf__load(skel);
	unsetenv("LSKEL_KCONFIG_PATH");
	if (!*err)
		return skel;
	snprintf(errstr, errstr_sz, "%s", SKEL_ERRSTR(skel));
	kconfig_bpf__destroy(skel);
	check_no_bpf_fds();
	return NULL;
}

/* Loads, runs read_kconfig once, and returns the skeleton for its out values. */
static struct kconfig_bpf *load_and_run(const char *path, struct tracked *t)
{
	char errstr[256];
	struct kconfig_bpf *skel;
	int err;

	skel = load(path, &err, errstr, sizeof(errstr));
	CHECK(skel, "load with %s: %d: %s", path ? path : "the kernel's config", err, errstr);
	check_all_loaded(skel);
	CHECK_EQ(kconfig_bpf__attach(skel), 0);
	tracked__add_skel(t, skel);
	syscall(SYS_getpid);
	kconfig_bpf__detach(skel);
	CHECK(skel->bss->out.done >= 1, "read_kconfig never ran");
	return skel;
}

/* The running kernel's config, as our skeleton and bpftool's must both report it. */
static void check_real_config(void)
{
	struct kconfig_bpf *skel;
	struct tracked t = {};
	char *cfg = read_config();
	const char *v;

	skel = load_and_run(NULL, &t);
	CHECK_EQ(skel->bss->out.kernel_version, kernel_version());
	CHECK_EQ(skel->bss->out.has_bpf_cookie, kernel_version() >= (5 << 16) + (15 << 8));
	CHECK_EQ(skel->bss->out.bpf_syscall, tristate(config_value(cfg, "CONFIG_BPF_SYSCALL")));
	CHECK_EQ(skel->bss->out.bpf_jit, tristate(config_value(cfg, "CONFIG_BPF_JIT")));
	v = config_value(cfg, "CONFIG_HZ");
	CHECK(v, "no CONFIG_HZ in the config");
	CHECK_EQ(skel->bss->out.hz, atoi(v));
	v = config_value(cfg, "CONFIG_DEFAULT_HOSTNAME");
	CHECK(!strcmp(skel->bss->out.hostname, v ? v : ""), "hostname '%s' != '%s'",
	      skel->bss->out.hostname, v ? v : "");
	v = config_value(cfg, "CONFIG_PHYSICAL_START");
	CHECK_EQ(skel->bss->out.physical_start, v ? strtoull(v, NULL, 0) : 0);
	CHECK_EQ(skel->bss->out.no_such_int, 0);
	CHECK_EQ(skel->bss->out.no_such_bool, 0);
	CHECK_EQ(skel->bss->out.no_such_char, 0);
	kconfig_bpf__destroy(skel);
	tracked__check_gone(&t);
	free(cfg);
	printf("running kernel's config: ok\n");
}

#ifndef LSKEL_BPFTOOL
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		fail("%s: %s", path, strerror(errno));
}

/* The fake config's values, whatever kernel runs. */
static void check_fake_values(const char *path, int hz)
{
	struct kconfig_bpf *skel;
	struct tracked t = {};

	skel = load_and_run(path, &t);
	CHECK_EQ(skel->bss->out.kernel_version, kernel_version());
	CHECK_EQ(skel->bss->out.bpf_syscall, 1);
	CHECK_EQ(skel->bss->out.bpf_jit, TRI_MODULE);
	CHECK_EQ(skel->bss->out.hz, hz);
	CHECK(!strncmp(skel->bss->out.hostname, FAKE_HOSTNAME, 31) && !skel->bss->out.hostname[31],
	      "hostname '%.32s' is not the first 31 bytes of the config's", skel->bss->out.hostname);
	CHECK_EQ(skel->bss->out.no_such_int, -42);
	CHECK_EQ(skel->bss->out.no_such_char, 'm');
	CHECK_EQ(skel->bss->out.no_such_bool, 0);
	CHECK_EQ(skel->bss->out.physical_start, 0x200000);
	kconfig_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("%s: ok\n", path);
}

/* A config the load must refuse, with errstr exactly `want` (%s: the config's path). */
static void check_refused(const char *name, const char *text, int want_err, const char *want)
{
	char path[128], expect[512], errstr[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (text)
		write_file(path, text);
	snprintf(expect, sizeof(expect), want, path);
	CHECK(!load(path, &err, errstr, sizeof(errstr)), "%s: loaded", name);
	CHECK_EQ(err, want_err);
	CHECK(!strcmp(errstr, expect), "%s: errstr\n  '%s', not\n  '%s'", name, errstr, expect);
	printf("%s: refused: %s\n", name, errstr);
}

/* A config with line `from` replaced by `to` */
static char *edited(const char *from, const char *to)
{
	static char buf[sizeof(fake_config) + 256];
	const char *at = strstr(fake_config, from);

	if (!at)
		fail("no '%s' in the fake config", from);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - fake_config), fake_config, to,
		 at + strlen(from));
	return buf;
}

/* With personality UNAME26 the kernel reports a 2.6 release: so must LINUX_KERNEL_VERSION. */
static void check_uname26(const char *path)
{
	int old = personality(0xffffffff);
	struct kconfig_bpf *skel;
	struct tracked t = {};
	__u32 normal = kernel_version(), v26;

	if (old < 0 || personality(old | UNAME26) < 0)
		fail("personality: %s", strerror(errno));
	v26 = kernel_version();
	skel = load_and_run(path, &t);
	personality(old);
	CHECK(v26 >> 8 == 0x0206 && v26 != normal, "UNAME26 reports 0x%x", v26);
	CHECK_EQ(skel->bss->out.kernel_version, v26);
	kconfig_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("UNAME26: LINUX_KERNEL_VERSION 0x%x instead of 0x%x: ok\n", v26, normal);
}

static void check_loading_machine(void)
{
	char plain[128], packed[128], cmd[300];

	if (!mkdtemp(tmpdir))
		fail("mkdtemp: %s", strerror(errno));
	snprintf(plain, sizeof(plain), "%s/config", tmpdir);
	write_file(plain, fake_config);
	check_fake_values(plain, 1234);
	snprintf(packed, sizeof(packed), "%s/config.gz", tmpdir);
	write_file(plain, edited("CONFIG_HZ=1234", "CONFIG_HZ=300"));
	snprintf(cmd, sizeof(cmd), "gzip -c %s > %s", plain, packed);
	if (system(cmd) == 0)
		check_fake_values(packed, 300);
	else
		printf("no gzip: the compressed config is not tried\n");
	write_file(plain, fake_config);
	check_uname26(plain);

	check_refused("no-hz", edited("CONFIG_HZ=1234\nCONFIG_HZ=99\n", ""), -ENOENT,
		      "lskel: kconfig: CONFIG_HZ: not set in the running kernel's config (%s)");
	check_refused("bool-m", edited("CONFIG_BPF_SYSCALL=y", "CONFIG_BPF_SYSCALL=m"), -EINVAL,
		      "lskel: kconfig: CONFIG_BPF_SYSCALL: 'm' needs a tristate or char extern ('m')");
	check_refused("char-300", edited("CONFIG_LSKEL_NO_SUCH_CHAR=m", "CONFIG_LSKEL_NO_SUCH_CHAR=300"),
		      -EINVAL, "lskel: kconfig: CONFIG_LSKEL_NO_SUCH_CHAR: the value does not fit the extern's size ('300')");
	check_refused("hz-text", edited("CONFIG_HZ=1234", "CONFIG_HZ=12x"), -EINVAL,
		      "lskel: kconfig: CONFIG_HZ: not a number ('12x')");
	check_refused("missing-file", NULL, -ENOENT,
		      "lskel: kconfig: cannot read the running kernel's config (%s): -2 (No such file or directory); LSKEL_KCONFIG_PATH may name one");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fail("cannot remove %s", tmpdir);
}
#endif

int main(void)
{
	test_begin("kconfig-" SKEL_FLAVOUR);
#ifndef LSKEL_BPFTOOL
	check_loading_machine();
#endif
	check_real_config();
	printf("kconfig: ok\n");
	return 0;
}
