/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The runtime's extern part, pasted after lskel_runtime.h into every header: the
 * .kconfig values, and naming the kfunc behind a poisoned call in a load error.
 *
 * A program's __kconfig externs live in the .kconfig map, whose value the loader
 * copies from skel->maps.kconfig.initial_value like any global data. This file fills
 * that image on the machine that loads, right before the loader runs, from the table
 * the header generator wrote (name, offset, size, C type, weak): nothing is decided
 * when the header is generated. Values follow libbpf's rules:
 *
 *   LINUX_KERNEL_VERSION       (major << 16) + (minor << 8) + min(patch, 255), from
 *                              /proc/version_signature's upstream version on Ubuntu,
 *                              else uname()'s release ("6.18.44-..."; Debian's
 *                              "6.1.0-56-amd64" reads 6.1.0, as with libbpf). Kernel
 *                              flavour: LINUX_VERSION_CODE of the kernel the module is
 *                              built for (Debian's says 6.1.192).
 *   LINUX_HAS_BPF_COOKIE       1 if the kernel loads a tracepoint program calling
 *                              bpf_get_attach_cookie() (5.15+), probed with BPF_PROG_LOAD.
 *   LINUX_HAS_SYSCALL_WRAPPER  1 if syscalls enter through the arch's pt_regs wrappers:
 *                              /proc/kallsyms has __<arch>_sys_bpf (__x64_sys_bpf...).
 *                              libbpf probes this with a kprobe, so on kernels without
 *                              kprobes it says 0 where this says 1. Kernel flavour:
 *                              CONFIG_ARCH_HAS_SYSCALL_WRAPPER.
 *   other LINUX_*              only weak ones get here (lskel gen refuses strong ones): 0.
 *   CONFIG_*                   the first "CONFIG_X=value" line of the running kernel's
 *                              config: $LSKEL_KCONFIG_PATH if set, else
 *                              /boot/config-$(uname -r), else /proc/config.gz. A
 *                              gzip-compressed file is read through `gzip -dc` (run
 *                              directly, no shell). y/n/m go to bool, tristate (y 1,
 *                              m 2) or char; "..." to a char array (cut to fit);
 *                              numbers (decimal, 0x hex, 0 octal, as strtoull) to
 *                              integers and chars, checked to fit. An option the
 *                              config does not set reads 0 for a weak extern and fails
 *                              the load for a strong one. Kernel flavour: the module is
 *                              built for the one kernel it loads into, so the header's
 *                              table carries that kernel's own macros per option
 *                              (IS_BUILTIN, IS_MODULE, the value stringified) and the
 *                              same rules apply to them; no file is read. The macros
 *                              cannot tell y from 1: a 1 reads as y except for integer
 *                              externs.
 *
 * Any mismatch fails the load before the loader runs, with skel->errstr naming the
 * extern: "lskel: kconfig: CONFIG_FOO: not set in the running kernel's config
 * (/proc/config.gz)".
 *
 * ksyms and kfuncs are the loader's business. A call of a weak kfunc the kernel
 * lacks is left as a call of helper LSKEL_KFUNC_POISON + its extern's index, which
 * the verifier drops when bpf_ksym_exists() guards it and refuses otherwise ("invalid
 * func unknown#2002000003"); lskel_explain_kfunc() then names the kfunc in errstr.
 */
#ifndef LSKEL_EXTERNS_H
#define LSKEL_EXTERNS_H

/* As in lskel gen (compiler/externs.c): a helper id no kernel has. */
#define LSKEL_KFUNC_POISON 2002000000

enum {
	LSKEL_KCFG_CHAR = 1,	/* one byte: y/n/m as that character, or a number */
	LSKEL_KCFG_BOOL,
	LSKEL_KCFG_INT,		/* 2, 4 or 8 bytes */
	LSKEL_KCFG_TRISTATE,	/* enum libbpf_tristate: n 0, y 1, m 2 */
	LSKEL_KCFG_CHAR_ARR,	/* a string, NUL-terminated, cut to fit */
};

enum {
	LSKEL_KCFG_WEAK		= 1 << 0,	/* unset reads 0 */
	LSKEL_KCFG_SIGNED	= 1 << 1,	/* range checks as a signed integer */
};

/* One __kconfig extern, as the header generator describes it. */
struct lskel_kconfig_var {
	const char *name;	/* "CONFIG_HZ", "LINUX_KERNEL_VERSION" */
	const char *kvalue;	/* kernel flavour: the option's macro stringified, its own name if unset */
	char kstate;		/* kernel flavour: 'y' built in, 'm' module, 0 otherwise */
	__u8 type;		/* LSKEL_KCFG_CHAR... */
	__u8 flags;		/* LSKEL_KCFG_WEAK, LSKEL_KCFG_SIGNED */
	__u32 off, size;	/* in the .kconfig map's value */
};

/* Where CONFIG_ values come from: the config text (user space), for messages its name. */
struct lskel_kconfig_src {
	char *text;		/* lines with their '\n' turned into NULs */
	size_t len;
	char name[128];
};

//
// flavour shims: kernel
//
#ifdef __KERNEL__
#include <linux/kconfig.h>
#include <linux/stringify.h>
#include <linux/version.h>

/*
 * The header's table entry for CONFIG_<opt>: the module's own kernel config. An
 * option set to y is defined as 1, to m has CONFIG_<opt>_MODULE defined, and one
 * with a value is defined as it; IS_BUILTIN() cannot take a string, hence _STR for
 * char arrays (an option whose value the extern's type cannot take fails to compile).
 */
#define LSKEL_KCONFIG_KERNEL(opt)					\
	__stringify(CONFIG_##opt),					\
	(IS_BUILTIN(CONFIG_##opt) ? 'y' : IS_MODULE(CONFIG_##opt) ? 'm' : 0)
#define LSKEL_KCONFIG_KERNEL_STR(opt) __stringify(CONFIG_##opt), 0

static inline __u32 lskel_kernel_version(void)
{
	return LINUX_VERSION_CODE;
}

static inline int lskel_has_syscall_wrapper(void)
{
	return IS_ENABLED(CONFIG_ARCH_HAS_SYSCALL_WRAPPER);
}

static inline int lskel_kconfig_open(struct lskel_kconfig_src *src)
{
	memset(src, 0, sizeof(*src));
	snprintf(src->name, sizeof(src->name), "the module's kernel config");
	return 0;
}

/*
 * The option as a config line would spell it, NULL when unset. A value of 1 reads as
 * y (the kernel's macros cannot tell them apart) except for integer externs.
 */
static inline const char *lskel_kconfig_value(const struct lskel_kconfig_src *src,
					      const struct lskel_kconfig_var *v)
{
	const char *value = v->kvalue && strcmp(v->kvalue, v->name) ? v->kvalue : NULL;

	(void)src;
	if (v->kstate == 'm')
		return "m";
	if (v->kstate == 'y' && v->type != LSKEL_KCFG_INT)
		return "y";
	return value;
}

static inline void lskel_kconfig_close(struct lskel_kconfig_src *src)
{
	(void)src;
}

//
// flavour shims: user space
//
#else /* !__KERNEL__ */
#include <fcntl.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>

extern char **environ;

#define LSKEL_KCONFIG_KERNEL(opt) NULL, 0
#define LSKEL_KCONFIG_KERNEL_STR(opt) NULL, 0

#define LSKEL_KV(a, b, c) (((__u32)(a) << 16) + ((__u32)(b) << 8) + ((c) > 255 ? 255 : (__u32)(c)))

/* Ubuntu's upstream version ("Ubuntu 5.4.0-42.46-generic 5.4.44"), else uname's. */
static inline __u32 lskel_kernel_version(void)
{
	unsigned int major = 0, minor = 0, patch = 0;
	FILE *f = fopen("/proc/version_signature", "re");
	struct utsname u;
	int n = 0;

	if (f) {
		n = fscanf(f, "%*s %*s %u.%u.%u", &major, &minor, &patch);
		fclose(f);
		if (n == 3)
			return LSKEL_KV(major, minor, patch);
	}
	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &major, &minor, &patch) < 2)
		return 0;
	return LSKEL_KV(major, minor, patch);
}

/* The arch prefix of syscall entry wrappers, as the kernel names them. */
#if defined(__x86_64__)
#define LSKEL_SYSCALL_PREFIX "x64"
#elif defined(__i386__)
#define LSKEL_SYSCALL_PREFIX "ia32"
#elif defined(__aarch64__)
#define LSKEL_SYSCALL_PREFIX "arm64"
#elif defined(__s390x__)
#define LSKEL_SYSCALL_PREFIX "s390x"
#elif defined(__s390__)
#define LSKEL_SYSCALL_PREFIX "s390"
#elif defined(__arm__)
#define LSKEL_SYSCALL_PREFIX "arm"
#elif defined(__riscv)
#define LSKEL_SYSCALL_PREFIX "riscv"
#elif defined(__powerpc__)
#define LSKEL_SYSCALL_PREFIX "powerpc"
#elif defined(__loongarch__)
#define LSKEL_SYSCALL_PREFIX "loongarch"
#else
#define LSKEL_SYSCALL_PREFIX NULL	/* unknown arch: reported as no wrappers */
#endif

/* /proc/kallsyms names __<arch>_sys_bpf when syscalls go through wrappers. */
static inline int lskel_has_syscall_wrapper(void)
{
	const char *pfx = LSKEL_SYSCALL_PREFIX;
	char want[64], line[512];
	size_t wlen;
	int found = 0;
	FILE *f;

	if (!pfx)
		return 0;
	snprintf(want, sizeof(want), " __%s_sys_bpf\n", pfx);
	wlen = strlen(want);
	f = fopen("/proc/kallsyms", "re");
	while (f && !found && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		found = len >= wlen && !strcmp(line + len - wlen, want);
	}
	if (f)
		fclose(f);
	return found;
}

/* All of fd, NUL-terminated; caller frees *text. */
static inline int lskel_read_all(int fd, char **text, size_t *len)
{
	size_t cap = 1 << 16;
	char *p = (char *)malloc(cap), *np;
	ssize_t n;

	*len = 0;
	while (p && (n = read(fd, p + *len, cap - *len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(p);
			return -errno;
		}
		*len += n;
		if (cap - *len > 1)
			continue;
		np = (char *)realloc(p, cap * 2);
		if (!np)
			free(p);
		p = np;
		cap *= 2;
	}
	if (!p)
		return -ENOMEM;
	p[*len] = '\0';
	*text = p;
	return 0;
}

/* `gzip -dc -- path`, run directly (no shell); its output in *text. */
static inline int lskel_gunzip(const char *path, char **text, size_t *len)
{
	char *argv[] = { (char *)"gzip", (char *)"-dc", (char *)"--", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], status = 0, err;
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	err = -posix_spawnp(&pid, "gzip", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (err) {	/* no gzip to run */
		close(pfd[0]);
		return err;
	}
	err = lskel_read_all(pfd[0], text, len);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		free(*text);
		err = -EIO;
	}
	return err;
}

/* A config file, gzip-compressed (by its magic) or not; -errno if unreadable. */
static inline int lskel_read_config(const char *path, char **text, size_t *len)
{
	unsigned char magic[2] = { 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	if (read(fd, magic, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		close(fd);
		return lskel_gunzip(path, text, len);
	}
	err = lseek(fd, 0, SEEK_SET) < 0 ? -errno : lskel_read_all(fd, text, len);
	close(fd);
	return err;
}

static inline int lskel_kconfig_open(struct lskel_kconfig_src *src)
{
	const char *env = getenv("LSKEL_KCONFIG_PATH");
	struct utsname u;
	int err;

	memset(src, 0, sizeof(*src));
	if (env && *env) {
		snprintf(src->name, sizeof(src->name), "%s", env);
		err = lskel_read_config(env, &src->text, &src->len);
	} else {
		err = uname(&u) ? -errno : 0;
		if (!err) {
			snprintf(src->name, sizeof(src->name), "/boot/config-%s", u.release);
			err = lskel_read_config(src->name, &src->text, &src->len);
		}
		if (err == -ENOENT) {
			err = lskel_read_config("/proc/config.gz", &src->text, &src->len);
			if (err == -ENOENT)
				snprintf(src->name, sizeof(src->name),
					 "neither /boot/config-%s nor /proc/config.gz", u.release);
			else
				snprintf(src->name, sizeof(src->name), "/proc/config.gz");
		}
	}
	for (size_t i = 0; !err && i < src->len; i++)
		if (src->text[i] == '\n')
			src->text[i] = '\0';
	return err;
}

/* The value of the first "NAME=value" line, NULL if there is none */
static inline const char *lskel_kconfig_value(const struct lskel_kconfig_src *src,
					      const struct lskel_kconfig_var *v)
{
	size_t nlen = strlen(v->name), i = 0;

	while (i < src->len) {
		const char *line = src->text + i;

		if (!strncmp(line, v->name, nlen) && line[nlen] == '=')
			return line + nlen + 1;
		i += strlen(line) + 1;
	}
	return NULL;
}

static inline void lskel_kconfig_close(struct lskel_kconfig_src *src)
{
	free(src->text);
	src->text = NULL;
}
#endif /* __KERNEL__ */

//
// shared: values into the image
//

/* strtoull(s, &end, 0) that must take the whole string; both flavours. */
static inline int lskel_parse_u64(const char *s, __u64 *res)
{
	__u64 v = 0, base = 10, d;
	int neg = *s == '-';

	s += *s == '-' || *s == '+';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = neg ? -v : v;
	return 0;
}

/* Fits in the extern's size: all high bits clear, or a sign extension for signed ones. */
static inline int lskel_kcfg_fits(const struct lskel_kconfig_var *v, __u64 x)
{
	unsigned int bits = v->size * 8;

	if (v->size >= 8)
		return 1;
	if (v->flags & LSKEL_KCFG_SIGNED)
		return x + (1ULL << (bits - 1)) < (1ULL << bits);
	return (x >> bits) == 0;
}

static inline void lskel_kcfg_store(const struct lskel_kconfig_var *v, char *image, __u64 x)
{
	__u8 b = (__u8)x;
	__u16 h = (__u16)x;
	__u32 w = (__u32)x;

	switch (v->size) {
	case 1: memcpy(image + v->off, &b, 1); break;
	case 2: memcpy(image + v->off, &h, 2); break;
	case 4: memcpy(image + v->off, &w, 4); break;
	default: memcpy(image + v->off, &x, 8); break;
	}
}

/* A number into an integer, char or bool extern; *why says what is wrong. */
static inline int lskel_kcfg_num(const struct lskel_kconfig_var *v, char *image, __u64 x,
				 const char **why)
{
	if (v->type != LSKEL_KCFG_INT && v->type != LSKEL_KCFG_CHAR && v->type != LSKEL_KCFG_BOOL)
		*why = "a number needs an integer, char or bool extern";
	else if (v->type == LSKEL_KCFG_BOOL && x > 1)
		*why = "a bool extern takes 0 or 1";
	else if (!lskel_kcfg_fits(v, x))
		*why = "the value does not fit the extern's size";
	else
		*why = NULL;
	if (*why)
		return -ERANGE;
	lskel_kcfg_store(v, image, x);
	return 0;
}

/* y, n or m into a bool, tristate or char extern. */
static inline int lskel_kcfg_tristate(const struct lskel_kconfig_var *v, char *image, char c,
				      const char **why)
{
	__u64 x = c == 'y' ? 1 : c == 'm' ? 2 : 0;

	*why = NULL;
	if (v->type == LSKEL_KCFG_CHAR)
		x = (__u8)c;
	else if (v->type == LSKEL_KCFG_BOOL && c == 'm')
		*why = "'m' needs a tristate or char extern";
	else if (v->type != LSKEL_KCFG_BOOL && v->type != LSKEL_KCFG_TRISTATE)
		*why = "y/n/m needs a bool, tristate or char extern";
	if (*why)
		return -EINVAL;
	lskel_kcfg_store(v, image, x);
	return 0;
}

/* "text" into a char array extern, quotes dropped, cut to leave room for the NUL. */
static inline int lskel_kcfg_string(const struct lskel_kconfig_var *v, char *image,
				    const char *value, const char **why)
{
	size_t len = strlen(value);

	*why = NULL;
	if (v->type != LSKEL_KCFG_CHAR_ARR)
		*why = "a string needs a char array extern";
	else if (len < 2 || value[len - 1] != '"')
		*why = "a string without its closing quote";
	if (*why)
		return -EINVAL;
	len -= 2;
	if (len >= v->size)
		len = v->size - 1;
	memcpy(image + v->off, value + 1, len);
	image[v->off + len] = '\0';
	return 0;
}

/* One config value, as its line spells it, into the image. */
static inline int lskel_kcfg_apply(const struct lskel_kconfig_var *v, char *image,
				   const char *value, const char **why)
{
	__u64 x = 0;
	int err;

	switch (value[0]) {
	case 'y': case 'n': case 'm':
		return lskel_kcfg_tristate(v, image, value[0], why);
	case '"':
		return lskel_kcfg_string(v, image, value, why);
	case '\0':
		*why = "an empty value";
		return -EINVAL;
	default:
		err = lskel_parse_u64(value, &x);
		if (err) {
			*why = "not a number";
			return err;
		}
		if (v->type == LSKEL_KCFG_BOOL) {
			*why = "a number needs an integer or char extern";
			return -EINVAL;
		}
		return lskel_kcfg_num(v, image, x, why);
	}
}

static inline int lskel_kcfg_fail(struct lskel_load_opts *opts, int err, const char *name,
				  const char *why, const char *value)
{
	if (opts->errstr_sz)
		snprintf(opts->errstr, opts->errstr_sz, "lskel: kconfig: %s: %s%s%s%s", name, why,
			 value ? " ('" : "", value ? value : "", value ? "')" : "");
	return err;
}

/* The instruction layout of BPF; the probe below needs only zero registers. */
struct lskel_insn {
	__u8 code;
	__u8 regs;
	__s16 off;
	__s32 imm;
};

/* bpf_get_attach_cookie() (5.15): a tracepoint program calling it loads. */
static inline int lskel_probe_bpf_cookie(void)
{
	static const struct lskel_insn insns[] = {
		{ 0x85, 0, 0, 174 },	/* call bpf_get_attach_cookie(ctx) */
		{ 0xb7, 0, 0, 0 },	/* r0 = 0 */
		{ 0x95, 0, 0, 0 },	/* exit */
	};
	struct lskel_attr_prog_load attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = 5;	/* BPF_PROG_TYPE_TRACEPOINT */
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.insns = (unsigned long)insns;
	attr.license = (unsigned long)"GPL";
	fd = lskel_sys_bpf(LSKEL_BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return 0;
	lskel_close(fd);
	return 1;
}

/* A LINUX_ extern: a value the runtime works out, not a config line. */
static inline int lskel_kcfg_virtual(struct lskel_load_opts *opts, const struct lskel_kconfig_var *v,
				     char *image)
{
	const char *why = NULL;
	__u64 x;
	int err;

	if (!strcmp(v->name, "LINUX_KERNEL_VERSION"))
		x = lskel_kernel_version();
	else if (!strcmp(v->name, "LINUX_HAS_BPF_COOKIE"))
		x = lskel_probe_bpf_cookie();
	else if (!strcmp(v->name, "LINUX_HAS_SYSCALL_WRAPPER"))
		x = lskel_has_syscall_wrapper();
	else
		return 0;	/* an unknown weak LINUX_ extern reads 0 */
	if (!x && !strcmp(v->name, "LINUX_KERNEL_VERSION"))
		return lskel_kcfg_fail(opts, -EINVAL, v->name, "cannot read the kernel's version", NULL);
	err = lskel_kcfg_num(v, image, x, &why);
	return err ? lskel_kcfg_fail(opts, err, v->name, why, NULL) : 0;
}

/* Every CONFIG_ extern from the running kernel's config. */
static inline int lskel_kcfg_config(struct lskel_load_opts *opts, const struct lskel_kconfig_var *vars,
				    __u32 nr, char *image)
{
	struct lskel_kconfig_src src;
	const char *value, *why = NULL;
	char what[192], code[64];
	int err = lskel_kconfig_open(&src);
	__u32 i;

	if (err) {
		lskel_fmt_err(code, sizeof(code), err);
		if (opts->errstr_sz)
			snprintf(opts->errstr, opts->errstr_sz,
				 "lskel: kconfig: cannot read the running kernel's config (%s): %s; "
				 "LSKEL_KCONFIG_PATH may name one", src.name, code);
		lskel_kconfig_close(&src);
		return err;
	}
	for (i = 0; i < nr && !err; i++) {
		if (strncmp(vars[i].name, "CONFIG_", 7))
			continue;
		value = lskel_kconfig_value(&src, &vars[i]);
		if (!value && !(vars[i].flags & LSKEL_KCFG_WEAK)) {
			snprintf(what, sizeof(what), "not set in the running kernel's config (%s)", src.name);
			err = lskel_kcfg_fail(opts, -ENOENT, vars[i].name, what, NULL);
		} else if (value && lskel_kcfg_apply(&vars[i], image, value, &why)) {
			err = lskel_kcfg_fail(opts, -EINVAL, vars[i].name, why, value);
		}
	}
	lskel_kconfig_close(&src);
	return err;
}

/*
 * The .kconfig map's image, size bytes, for the loader to copy in; NULL with *err
 * and opts->errstr set if an extern cannot be resolved. Caller frees it.
 */
static inline void *lskel_kconfig_image(struct lskel_load_opts *opts,
					const struct lskel_kconfig_var *vars, __u32 nr, __u32 size,
					int *err)
{
	char *image = (char *)lskel_alloc(size ? size : 1);
	int need_config = 0;
	__u32 i;

	*err = image ? 0 : lskel_fail(opts, -ENOMEM, "kconfig: allocating the image", 0);
	for (i = 0; i < nr && !*err; i++) {
		if (!strncmp(vars[i].name, "CONFIG_", 7))
			need_config = 1;
		else
			*err = lskel_kcfg_virtual(opts, &vars[i], image);
	}
	if (!*err && need_config)
		*err = lskel_kcfg_config(opts, vars, nr, image);
	if (*err && image) {
		lskel_free(image);
		image = NULL;
	}
	return image;
}

/*
 * After a failed load: a verifier line about a poisoned call gets the name of the
 * kfunc behind it. names[] holds the object's externs by index.
 */
static inline void lskel_explain_kfunc(struct lskel_load_opts *opts, const char *const *names,
				       __u32 nr)
{
	static const char tag[] = "unknown#";
	const char *p = opts->errstr_sz ? strstr(opts->errstr, tag) : NULL;
	size_t used;
	__u64 id = 0;

	if (!p)
		return;
	for (p += sizeof(tag) - 1; *p >= '0' && *p <= '9'; p++)
		id = id * 10 + (*p - '0');
	if (id < LSKEL_KFUNC_POISON || id - LSKEL_KFUNC_POISON >= nr)
		return;
	used = strlen(opts->errstr);
	snprintf(opts->errstr + used, opts->errstr_sz - used,
		 " (a call of kfunc '%s', which the running kernel lacks: guard it with bpf_ksym_exists())",
		 names[id - LSKEL_KFUNC_POISON]);
}

#endif /* LSKEL_EXTERNS_H */
