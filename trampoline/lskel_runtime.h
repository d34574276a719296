/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The run-time half of every light skeleton: this text is pasted, after
 * include/lskel_abi.h, at the top of each generated header.
 *
 * It loads a skeleton in three bpf() commands: create an array map holding the
 * blob, load the loader (BPF_PROG_TYPE_SYSCALL, sleepable, the blob map at
 * fd_array[0]) and run it once with BPF_PROG_TEST_RUN on the skeleton's context.
 * It also maps global data, attaches programs and closes fds.
 *
 * Two flavours share one set of static inline helpers: user space (libc only,
 * syscall(__NR_bpf)) and the kernel (__KERNEL__: kern_sys_bpf(), kvzalloc, map
 * values reached through bpf_map_get(), as bpf_preload does). Only the shims in
 * the two flavour sections differ; the helpers below them never test the flavour.
 * Every helper returns 0, an fd, or -errno; none prints (NAME__open_and_load()
 * reports through lskel_report() because it destroys the skeleton on failure).
 *
 * The bpf_attr pieces used here are our own structs with the kernel's field
 * offsets, so an old installed <linux/bpf.h> does not matter. Kernel versions:
 * the loader needs 5.14 (BPF_PROG_TYPE_SYSCALL, fd_array); BPF_LINK_CREATE for
 * iterators needs 5.8 and for LSM programs 5.10. A kernel module using the kernel
 * flavour must be GPL (bpf_map_put) and, on kernels that export kern_sys_bpf in
 * a namespace (upstream: "BPF_INTERNAL"), import that namespace. Its fds live in
 * the calling process's table, so it loads, takes the references it keeps and closes
 * the fds in one go, as bpf_preload does; raw_tp attach by name fails there with
 * -EFAULT, because the kernel copies the tracepoint name from user memory (seen
 * on 6.1, where iterator and tp_btf attach work).
 *
 * The guard is the runtime's own: several skeletons may share one translation
 * unit. Their runtime text must then be the same lskel version.
 */
#ifndef LSKEL_RUNTIME_H
#define LSKEL_RUNTIME_H

#ifdef __cplusplus
#define LSKEL_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define LSKEL_NESTED(outer, inner) outer::inner	/* a struct declared inside outer */
#define LSKEL_BOOL bool
#else
#define LSKEL_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define LSKEL_NESTED(outer, inner) struct inner
#define LSKEL_BOOL _Bool
#endif

//
// flavour shims: kernel
//
#ifdef __KERNEL__
#include <linux/bpf.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

/* Defined in kernel/bpf/syscall.c, declared by no kernel header. */
int kern_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* The loader reads initial values with bpf_probe_read_kernel(). */
#define LSKEL_RUNTIME_CTX_FLAGS LSKEL_CTX_KERNEL
#define LSKEL_PAGE_SIZE() PAGE_SIZE
/* initial_value after lskel_data_finalize(): the data lives in the map. */
#define LSKEL_DATA_IN_MAP (~0ULL)

static inline int lskel_sys_bpf(int cmd, void *attr, unsigned int size)
{
	return kern_sys_bpf(cmd, (union bpf_attr *)attr, size);
}

static inline void lskel_close(int fd)
{
	close_fd(fd);
}

static inline void *lskel_alloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void lskel_free(void *p)
{
	kvfree(p);
}

static inline int lskel_set_errno(int err)
{
	return err;
}

static inline void lskel_report(const char *msg)
{
	pr_err("%s\n", msg);
}

/* "-22 (-EINVAL)"; %pe prints the symbolic name when the kernel knows it */
static inline void lskel_fmt_err(char *buf, size_t size, int err)
{
	snprintf(buf, size, "%d (%pe)", err, ERR_PTR(err));
}

/* The verifier log is a user buffer even here; the kernel flavour cannot read it. */
static inline const char *lskel_log_text(__u64 log_buf)
{
	(void)log_buf;
	return NULL;
}

/*
 * A kernel copy of the initial image; the loader reads it through initial_value.
 * Rounded up to 16 bytes: the C struct may round the section up to its alignment.
 */
static inline void *lskel_data_prep(const void *init, size_t size, int *err)
{
	void *p = kvzalloc((size + 15) & ~(size_t)15, GFP_KERNEL);

	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	if (init)
		memcpy(p, init, size);
	return p;
}

/*
 * Points the data at the array map's value. The fd the skeleton keeps holds the
 * map, so the address stays valid until destroy closes it.
 */
static inline void *lskel_data_finalize(void *p, __u64 *init_val, size_t size,
					 int readonly, int fd, int *err)
{
	struct bpf_map *map;
	u64 addr = 0;

	(void)size;
	(void)readonly;	/* nothing stops kernel code from writing anyway */
	map = bpf_map_get(fd);
	if (IS_ERR(map)) {
		*err = PTR_ERR(map);
		return NULL;
	}
	*err = -EINVAL;
	if (map->ops->map_direct_value_addr)
		*err = map->ops->map_direct_value_addr(map, &addr, 0);
	bpf_map_put(map);
	if (*err)
		return NULL;
	kvfree(p);
	*init_val = LSKEL_DATA_IN_MAP;
	return (void *)(unsigned long)addr;
}

static inline void lskel_data_free(void *p, __u64 init_val, size_t size)
{
	(void)size;
	if (init_val != LSKEL_DATA_IN_MAP)
		kvfree(p);
}

/* kern_sys_bpf() refuses BPF_OBJ_GET and BPF_OBJ_PIN: no pinned maps here */
#define LSKEL_CAN_PIN 0
/* and BPF_OBJ_GET_INFO_BY_FD, so a signed blob cannot be hashed */
#define LSKEL_CAN_SIGN 0

static inline int lskel_mkdir(const char *path)
{
	(void)path;
	return -EOPNOTSUPP;
}

static inline void lskel_unlink(const char *path)
{
	(void)path;
}

/* perf event arrays sized 0: one slot per possible CPU, as libbpf counts them */
static inline int lskel_possible_cpus(void)
{
	return num_possible_cpus();
}

//
// flavour shims: user space
//
#else /* !__KERNEL__ */
/* syscall() and MAP_ANONYMOUS hide in strict ISO modes; fine if nothing was included yet */
#if defined(__STRICT_ANSI__) && !defined(_FEATURES_H) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef MAP_ANONYMOUS
#error "lskel: syscall() and MAP_ANONYMOUS are hidden: define _DEFAULT_SOURCE, or include the skeleton first"
#endif

#define LSKEL_RUNTIME_CTX_FLAGS 0
/* the machine running the skeleton decides, not the one that generated it */
#define LSKEL_PAGE_SIZE() ((size_t)sysconf(_SC_PAGESIZE))

static inline int lskel_sys_bpf(int cmd, void *attr, unsigned int size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

static inline void lskel_close(int fd)
{
	close(fd);
}

static inline void *lskel_alloc(size_t size)
{
	return calloc(1, size);
}

static inline void lskel_free(void *p)
{
	free(p);
}

/* libbpf's convention: the -errno return also lands in errno */
static inline int lskel_set_errno(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

static inline void lskel_report(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

static inline void lskel_fmt_err(char *buf, size_t size, int err)
{
	snprintf(buf, size, "%d (%s)", err, strerror(-err));
}

static inline const char *lskel_log_text(__u64 log_buf)
{
	return (const char *)(unsigned long)log_buf;
}

static inline size_t lskel_data_len(size_t size)
{
	size_t page = LSKEL_PAGE_SIZE();

	return (size + page - 1) / page * page;
}

/*
 * Anonymous pages holding the initial image: the user edits them before load,
 * the loader copies them in, and lskel_data_finalize() maps the map over them at
 * the same address, so pointers taken before load stay valid.
 */
static inline void *lskel_data_prep(const void *init, size_t size, int *err)
{
	void *p = mmap(NULL, lskel_data_len(size), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	if (init)
		memcpy(p, init, size);
	return p;
}

static inline void *lskel_data_finalize(void *p, __u64 *init_val, size_t size,
					 int readonly, int fd, int *err)
{
	int prot = readonly ? PROT_READ : PROT_READ | PROT_WRITE;

	(void)init_val;	/* user space leaves it pointing at p */
	p = mmap(p, lskel_data_len(size), prot, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	return p;
}

static inline void lskel_data_free(void *p, __u64 init_val, size_t size)
{
	(void)init_val;
	if (p)
		munmap(p, lskel_data_len(size));
}

#define LSKEL_CAN_PIN 1
#define LSKEL_CAN_SIGN 1

/* The pin root, as libbpf makes it: one level, private, fine if it exists. */
static inline int lskel_mkdir(const char *path)
{
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

static inline void lskel_unlink(const char *path)
{
	unlink(path);
}

static inline int lskel_count_cpus(const char *list);

/* perf event arrays sized 0: one slot per possible CPU, as libbpf counts them */
static inline int lskel_possible_cpus(void)
{
	char buf[512];
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return lskel_count_cpus(buf);
}
#endif /* __KERNEL__ */

//
// bpf_attr pieces, with the kernel's offsets
//
enum {
	LSKEL_BPF_MAP_CREATE		= 0,
	LSKEL_BPF_MAP_UPDATE_ELEM	= 2,
	LSKEL_BPF_PROG_LOAD		= 5,
	LSKEL_BPF_PROG_TEST_RUN		= 10,
	LSKEL_BPF_OBJ_GET_INFO_BY_FD	= 15,
	LSKEL_BPF_RAW_TRACEPOINT_OPEN	= 17,
	LSKEL_BPF_MAP_FREEZE		= 22,
	LSKEL_BPF_LINK_CREATE		= 28,
	LSKEL_BPF_PROG_BIND_MAP		= 35,

	LSKEL_BPF_MAP_TYPE_ARRAY	= 2,
	LSKEL_BPF_PROG_TYPE_SYSCALL	= 31,
	LSKEL_BPF_F_SLEEPABLE		= 1 << 4,
	LSKEL_BPF_LSM_MAC		= 27,
	LSKEL_BPF_TRACE_ITER		= 28,

	LSKEL_SHA256_SIZE		= 32,
	/* keyctl's KEY_SPEC_SESSION_KEYRING: a signed skeleton's default keyring */
	LSKEL_KEY_SPEC_SESSION_KEYRING	= -3,
};

/* Explicit padding keeps every offset right where __u64 is 4-byte aligned. */
struct lskel_attr_map_create {
	__u32 map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
	__u32 inner_map_fd;
	__u32 numa_node;
	char map_name[16];
	__u32 map_ifindex;
	__u32 btf_fd;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 btf_vmlinux_value_type_id;
	__u64 map_extra;
	__s32 value_type_btf_obj_fd;
	__s32 map_token_fd;
	__u64 excl_prog_hash;		/* 6.18: only the program of this SHA-256 may use the map */
	__u32 excl_prog_hash_size;
	__u32 __pad;
};

struct lskel_attr_map_elem {
	__u32 map_fd;
	__u32 __pad;
	__u64 key;
	__u64 value;
	__u64 flags;
};

/* 5.14 knows the fields up to fd_array; the rest must then be zero */
struct lskel_attr_prog_load {
	__u32 prog_type;
	__u32 insn_cnt;
	__u64 insns;
	__u64 license;
	__u32 log_level;
	__u32 log_size;
	__u64 log_buf;
	__u32 kern_version;
	__u32 prog_flags;
	char prog_name[16];
	__u32 prog_ifindex;
	__u32 expected_attach_type;
	__u32 prog_btf_fd;
	__u32 func_info_rec_size;
	__u64 func_info;
	__u32 func_info_cnt;
	__u32 line_info_rec_size;
	__u64 line_info;
	__u32 line_info_cnt;
	__u32 attach_btf_id;
	__u32 attach_prog_fd;
	__u32 core_relo_cnt;
	__u64 fd_array;
	__u64 core_relos;
	__u32 core_relo_rec_size;
	__u32 log_true_size;
	__s32 prog_token_fd;
	__u32 fd_array_cnt;
	__u64 signature;		/* 6.18: PKCS#7 signature of the insns */
	__u32 signature_size;
	__s32 keyring_id;
};

/* in the kernel flavour kern_sys_bpf() reads every field up to flags in place */
struct lskel_attr_test_run {
	__u32 prog_fd;
	__u32 retval;
	__u32 data_size_in;
	__u32 data_size_out;
	__u64 data_in;
	__u64 data_out;
	__u32 repeat;
	__u32 duration;
	__u32 ctx_size_in;
	__u32 ctx_size_out;
	__u64 ctx_in;
	__u64 ctx_out;
	__u32 flags;
	__u32 cpu;
	__u32 batch_size;
	__u32 __pad;
};

struct lskel_attr_raw_tp {
	__u64 name;
	__u32 prog_fd;
	__u32 __pad;
};

struct lskel_attr_link_create {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u64 iter_info;	/* shares its place with target_btf_id */
	__u32 iter_info_len;
	__u32 __pad;
};

/* the same command for an extension: target_btf_id where iter_info is above */
struct lskel_attr_link_create_ext {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u32 target_btf_id;
	__u32 __pad[3];
};

struct lskel_attr_prog_bind_map {
	__u32 prog_fd;
	__u32 map_fd;
	__u32 flags;
};

struct lskel_attr_info {
	__u32 bpf_fd;
	__u32 info_len;
	__u64 info;
};

/* struct bpf_map_info up to hash_size (6.18); older kernels want hash 0 */
struct lskel_map_info {
	__u32 type;
	__u32 id;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
	char name[16];
	__u32 ifindex;
	__u32 btf_vmlinux_value_type_id;
	__u64 netns_dev;
	__u64 netns_ino;
	__u32 btf_id;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 btf_vmlinux_id;
	__u64 map_extra;
	__u64 hash;		/* out: the SHA-256 of a frozen map's value, if asked for */
	__u32 hash_size;
	__u32 __pad;
};

LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_info) == 16, "lskel: info attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_map_info) == 104, "lskel: map info");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_prog_bind_map) == 12, "lskel: prog_bind_map attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_map_create) == 96, "lskel: map_create attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_map_elem) == 32, "lskel: map_elem attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_prog_load) == 168, "lskel: prog_load attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_test_run) == 80, "lskel: test_run attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_raw_tp) == 16, "lskel: raw_tp attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_link_create) == 32, "lskel: link_create attr");
LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_link_create_ext) == 32, "lskel: link_create attr");

//
// helpers shared by both flavours
//

/* One step of the loader, for error messages: ctx.failed_step indexes these. */
struct lskel_step {
	const char *desc;	/* "map 'counts'" */
	const char *cmd;	/* "BPF_MAP_CREATE" */
};

struct lskel_load_opts {
	struct lskel_loader_ctx *ctx;	/* the skeleton: ctx->sz bytes go to the loader */
	const void *blob;
	__u32 blob_sz;
	const void *insns;
	__u32 insns_sz;			/* bytes */
	const struct lskel_step *steps;
	__u32 nr_steps;
	char *errstr;			/* gets one line saying what failed */
	size_t errstr_sz;
	/* a signed skeleton (signature != NULL) */
	const void *signature;		/* detached PKCS#7 of insns */
	__u32 signature_sz;
	const void *excl_prog_hash;	/* SHA-256 of insns: the blob map is exclusive to it */
	__s32 keyring_id;
	LSKEL_BOOL allow_unverified;	/* a kernel that cannot check loads it unsigned */
	LSKEL_BOOL *verified;		/* out: whether the kernel checked the signature */
	__u32 test_skip;		/* tests only: LSKEL_TEST_SKIP_* steps left out */
};

/* Steps of the signed load a test may leave out, to see the loader refuse. */
enum {
	LSKEL_TEST_SKIP_EXCL	= 1 << 0,	/* the blob map made without excl_prog_hash */
	LSKEL_TEST_SKIP_FREEZE	= 1 << 1,
	LSKEL_TEST_SKIP_HASH	= 1 << 2,	/* no BPF_OBJ_GET_INFO_BY_FD hash request */
};

/* Tests define it to tamper with a signed load's opts; see the README. */
#ifndef LSKEL_SIGNED_LOAD_HOOK
#define LSKEL_SIGNED_LOAD_HOOK(opts) ((void)(opts))
#endif

static inline void lskel_closenz(int fd)
{
	if (fd > 0)
		lskel_close(fd);
}

static inline int lskel_raw_tp_open(const char *name, int prog_fd)
{
	struct lskel_attr_raw_tp attr;

	memset(&attr, 0, sizeof(attr));
	attr.name = (unsigned long)name;	/* NULL: tp_btf, fentry, fexit, fmod_ret */
	attr.prog_fd = (__u32)prog_fd;
	return lskel_sys_bpf(LSKEL_BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

static inline int lskel_link_create(int prog_fd, int target_fd, __u32 attach_type)
{
	struct lskel_attr_link_create attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = (__u32)prog_fd;
	attr.target_fd = (__u32)target_fd;
	attr.attach_type = attach_type;
	return lskel_sys_bpf(LSKEL_BPF_LINK_CREATE, &attr, sizeof(attr));
}

/*
 * An extension (freplace) of function btf_id of program target_fd. Naming the
 * target every time, not only at load, is what lets it attach again after a
 * detach (5.10+).
 */
static inline int lskel_link_create_ext(int prog_fd, int target_fd, __u32 btf_id)
{
	struct lskel_attr_link_create_ext attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = (__u32)prog_fd;
	attr.target_fd = (__u32)target_fd;
	attr.target_btf_id = btf_id;
	return lskel_sys_bpf(LSKEL_BPF_LINK_CREATE, &attr, sizeof(attr));
}

/*
 * Binds a read-only data map to every loaded program, as libbpf does, so tools that
 * inspect a program (bpftool prog show) find the configuration it was loaded with
 * even when no instruction refers to it. Best effort, like libbpf: the loader
 * cannot do it (bpf_sys_bpf refuses BPF_PROG_BIND_MAP) and kernels before 5.10 lack it.
 */
static inline void lskel_bind_rodata(const struct lskel_prog_desc *progs, unsigned int nr,
				     int map_fd)
{
	struct lskel_attr_prog_bind_map attr;

	for (unsigned int i = 0; i < nr; i++) {
		if (progs[i].prog_fd <= 0)
			continue;
		memset(&attr, 0, sizeof(attr));
		attr.prog_fd = (__u32)progs[i].prog_fd;
		attr.map_fd = (__u32)map_fd;
		lskel_sys_bpf(LSKEL_BPF_PROG_BIND_MAP, &attr, sizeof(attr));
	}
}

/* The verifier's closing statistics, printed after the line saying what failed. */
static inline int lskel_log_is_stats(const char *line, __u32 len)
{
	static const char *const prefixes[] = { "processed ", "verification time", "stack depth" };
	__u32 i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = (__u32)strlen(prefixes[i]);
		if (len >= n && !memcmp(line, prefixes[i], n))
			return 1;
	}
	return 0;
}

/* The last line of the verifier log that is not statistics, or NULL; *len gets its length. */
static inline const char *lskel_log_last_line(const struct lskel_loader_ctx *ctx, int *len)
{
	const char *text = lskel_log_text(ctx->log_buf);
	__u32 end = 0, start;

	if (!text || !ctx->log_level || !ctx->log_size)
		return NULL;
	while (end < ctx->log_size && text[end])
		end++;
	for (;;) {
		while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' '))
			end--;
		for (start = end; start > 0 && text[start - 1] != '\n'; start--)
			;
		if (end == start)
			return NULL;
		if (!lskel_log_is_stats(text + start, end - start))
			break;
		end = start;
	}
	*len = (int)(end - start);
	return text + start;
}

static inline void lskel_append_log(struct lskel_load_opts *opts)
{
	size_t used = strlen(opts->errstr);
	const char *line;
	int len = 0;

	line = lskel_log_last_line(opts->ctx, &len);
	if (line && used + 1 < opts->errstr_sz)
		snprintf(opts->errstr + used, opts->errstr_sz - used, "; verifier: %.*s", len, line);
}

static inline void lskel_append(struct lskel_load_opts *opts, const char *text)
{
	size_t used = opts->errstr_sz ? strlen(opts->errstr) : 0;

	if (used + 1 < opts->errstr_sz)
		snprintf(opts->errstr + used, opts->errstr_sz - used, "%s", text);
}

/* Writes "lskel: WHAT failed: -E (text)" and returns err. */
static inline int lskel_fail(struct lskel_load_opts *opts, int err, const char *what, int with_log)
{
	char code[64];

	lskel_fmt_err(code, sizeof(code), err);
	if (opts->errstr_sz) {
		snprintf(opts->errstr, opts->errstr_sz, "lskel: %s failed: %s", what, code);
		if (with_log)
			lskel_append_log(opts);
	}
	return err;
}

/* The loader returned err: name the step it stopped at. */
static inline int lskel_fail_step(struct lskel_load_opts *opts, int err)
{
	__u32 nr = opts->ctx->failed_step;
	const struct lskel_step *s;
	char what[192];
	int log;

	if (nr == LSKEL_FAILED_METADATA)
		return lskel_fail(opts, err, err == -EPERM ?
				  "the signed loader's check (the blob map is not exclusive to it)" :
				  "the signed loader's check (the blob's hash is not the signed one)", 0);
	if (nr < 1 || nr > opts->nr_steps || !opts->steps)
		return lskel_fail(opts, err, "the loader", 0);
	s = &opts->steps[nr - 1];
	snprintf(what, sizeof(what), "step %u/%u (%s: %s)", nr, opts->nr_steps, s->desc, s->cmd);
	log = !strcmp(s->cmd, "BPF_PROG_LOAD") || !strcmp(s->cmd, "BPF_BTF_LOAD");
	return lskel_fail(opts, err, what, log);
}

/* The blob map: one element holding the whole blob, the loader's only input map. */
static inline int lskel_blob_map_create(struct lskel_load_opts *opts, int *blob_fd)
{
	struct lskel_attr_map_create attr;
	struct lskel_attr_map_elem elem;
	int key = 0, err;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = LSKEL_BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(key);
	attr.value_size = opts->blob_sz;
	attr.max_entries = 1;
	memcpy(attr.map_name, "__loader.map", sizeof("__loader.map"));
	if (opts->signature && !(opts->test_skip & LSKEL_TEST_SKIP_EXCL)) {
		attr.excl_prog_hash = (unsigned long)opts->excl_prog_hash;
		attr.excl_prog_hash_size = LSKEL_SHA256_SIZE;
	}
	err = lskel_sys_bpf(LSKEL_BPF_MAP_CREATE, &attr, sizeof(attr));
	if (err < 0)
		return lskel_fail(opts, err, "creating the blob map (BPF_MAP_CREATE)", 0);
	*blob_fd = err;

	memset(&elem, 0, sizeof(elem));
	elem.map_fd = (__u32)*blob_fd;
	elem.key = (unsigned long)&key;
	elem.value = (unsigned long)opts->blob;
	err = lskel_sys_bpf(LSKEL_BPF_MAP_UPDATE_ELEM, &elem, sizeof(elem));
	if (err < 0)
		return lskel_fail(opts, err, "filling the blob map (BPF_MAP_UPDATE_ELEM)", 0);
	return 0;
}

/*
 * A signed blob: frozen, so nothing changes it from user space any more, then
 * hashed by the kernel into the map (struct bpf_map's sha), where the loader
 * compares it with the hash its signed instructions carry.
 */
static inline int lskel_blob_map_seal(struct lskel_load_opts *opts, int blob_fd)
{
	struct lskel_attr_map_elem freeze;
	struct lskel_map_info info;
	struct lskel_attr_info attr;
	__u8 sha[LSKEL_SHA256_SIZE];
	int err;

	memset(&freeze, 0, sizeof(freeze));
	freeze.map_fd = (__u32)blob_fd;
	if (!(opts->test_skip & LSKEL_TEST_SKIP_FREEZE)) {
		err = lskel_sys_bpf(LSKEL_BPF_MAP_FREEZE, &freeze, sizeof(freeze));
		if (err < 0)
			return lskel_fail(opts, err, "freezing the blob map (BPF_MAP_FREEZE)", 0);
	}
	if (opts->test_skip & LSKEL_TEST_SKIP_HASH)
		return 0;
	memset(&info, 0, sizeof(info));
	info.hash = (unsigned long)sha;
	info.hash_size = sizeof(sha);
	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = (__u32)blob_fd;
	attr.info_len = sizeof(info);
	attr.info = (unsigned long)&info;
	err = lskel_sys_bpf(LSKEL_BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (err < 0)
		return lskel_fail(opts, err, "hashing the blob map (BPF_OBJ_GET_INFO_BY_FD)", 0);
	return 0;
}

static inline int lskel_loader_load(struct lskel_load_opts *opts, int *blob_fd, int *prog_fd)
{
	struct lskel_attr_prog_load attr;
	int fd, sign = opts->signature != NULL;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = LSKEL_BPF_PROG_TYPE_SYSCALL;
	attr.insn_cnt = opts->insns_sz / 8;
	attr.insns = (unsigned long)opts->insns;
	attr.license = (unsigned long)"Dual BSD/GPL";
	attr.log_level = opts->ctx->log_level;
	attr.log_size = opts->ctx->log_size;
	attr.log_buf = opts->ctx->log_buf;
	attr.prog_flags = LSKEL_BPF_F_SLEEPABLE;
	memcpy(attr.prog_name, "__loader.prog", sizeof("__loader.prog"));
	attr.fd_array = (unsigned long)blob_fd;
	if (sign) {
		attr.signature = (unsigned long)opts->signature;
		attr.signature_size = opts->signature_sz;
		attr.keyring_id = opts->keyring_id;
	}
	fd = lskel_sys_bpf(LSKEL_BPF_PROG_LOAD, &attr, sizeof(attr));
	if (sign && fd == -EOPNOTSUPP && opts->allow_unverified) {
		/* the user's choice, made before load: the in-loader check still holds */
		attr.signature = 0;
		attr.signature_size = 0;
		attr.keyring_id = 0;
		sign = 0;
		fd = lskel_sys_bpf(LSKEL_BPF_PROG_LOAD, &attr, sizeof(attr));
	}
	if (fd == -EOPNOTSUPP && sign) {
		lskel_fail(opts, fd, "loading the signed loader (BPF_PROG_LOAD)", 0);
		lskel_append(opts, "; this kernel cannot check BPF program signatures (it needs "
			     "CONFIG_SYSTEM_DATA_VERIFICATION); allow_unverified_signature loads "
			     "the loader unverified");
		return fd;
	}
	if (fd < 0)
		return lskel_fail(opts, fd, "loading the loader (BPF_PROG_LOAD)", 1);
	if (opts->verified)
		*opts->verified = sign;
	*prog_fd = fd;
	return 0;
}

/* The kernel copies the context back: the loader's fds land in the skeleton. */
static inline int lskel_loader_run(struct lskel_load_opts *opts, int prog_fd)
{
	struct lskel_attr_test_run attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = (__u32)prog_fd;
	attr.ctx_in = (unsigned long)opts->ctx;
	attr.ctx_size_in = opts->ctx->sz;
	err = lskel_sys_bpf(LSKEL_BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	if (err < 0)
		return lskel_fail(opts, err, "running the loader (BPF_PROG_TEST_RUN)", 0);
	if ((int)attr.retval < 0)
		return lskel_fail_step(opts, (int)attr.retval);
	return 0;
}

/*
 * Loads everything the blob describes. The blob map and the loader are closed
 * whatever happens; on success only the fds the loader handed out remain.
 * Returns 0 or -errno, with opts->errstr saying which step failed.
 */
static inline int lskel_load_and_run(struct lskel_load_opts *opts)
{
	int blob_fd = -1, prog_fd = -1, err;

	if (opts->errstr_sz)
		opts->errstr[0] = '\0';
	opts->ctx->failed_step = 0;
	if (opts->verified)
		*opts->verified = 0;
	if (opts->signature && !LSKEL_CAN_SIGN)
		return lskel_fail(opts, -EOPNOTSUPP, "a signed skeleton in a kernel module "
				  "(kern_sys_bpf refuses BPF_OBJ_GET_INFO_BY_FD; generate it "
				  "without --sign)", 0);
	err = lskel_blob_map_create(opts, &blob_fd);
	if (!err && opts->signature)
		err = lskel_blob_map_seal(opts, blob_fd);
	if (!err)
		err = lskel_loader_load(opts, &blob_fd, &prog_fd);
	if (!err)
		err = lskel_loader_run(opts, prog_fd);
	lskel_closenz(prog_fd);
	lskel_closenz(blob_fd);
	return err;
}

//
// max_entries only the loading machine knows
//
enum {
	LSKEL_SIZE_RINGBUF = 1,	/* a power-of-2 multiple of the page size, rounded up */
	LSKEL_SIZE_CPUS,	/* 0: the number of possible CPUs */
};

/* A CPU number at *s, moving past it; -1 if there is none (or it is absurd). */
static inline long lskel_cpu_num(const char **s)
{
	long v = 0;

	if (**s < '0' || **s > '9')
		return -1;
	for (; **s >= '0' && **s <= '9'; (*s)++)
		if ((v = v * 10 + (**s - '0')) >= 1 << 20)
			return -1;
	return v;
}

/* "0-3,8-9\n" -> 6, as /sys/devices/system/cpu/possible lists them; -EINVAL if unreadable */
static inline int lskel_count_cpus(const char *s)
{
	long lo, hi, n = 0;

	for (;;) {
		lo = hi = lskel_cpu_num(&s);
		if (lo >= 0 && *s == '-') {
			s++;
			hi = lskel_cpu_num(&s);
		}
		if (lo < 0 || hi < lo)
			return -EINVAL;
		n += hi - lo + 1;
		if (*s != ',')
			break;
		s++;
	}
	return *s == '\0' || *s == '\n' ? (int)n : -EINVAL;
}

/* As libbpf rounds a ring buffer: 0 stays 0, for the kernel to refuse with the map's name. */
static inline __u32 lskel_ringbuf_size(__u32 size, __u32 page)
{
	__u64 n = page;

	if (!size || !page || (size % page == 0 && !((size / page) & (size / page - 1))))
		return size;
	while (n < size)
		n <<= 1;
	return n > 0xffffffffu ? size : (__u32)n;
}

/*
 * Before the loader runs: *max_entries (the user's, else def, the object's) as the
 * rule wants it on this machine. The loader then takes it from the context.
 */
static inline int lskel_map_size(struct lskel_load_opts *opts, const char *map,
				 __u32 *max_entries, __u32 def, int rule)
{
	__u32 n = *max_entries ? *max_entries : def;
	char what[96];
	int cpus;

	if (rule == LSKEL_SIZE_RINGBUF)
		n = lskel_ringbuf_size(n, (__u32)LSKEL_PAGE_SIZE());
	if (rule == LSKEL_SIZE_CPUS && !n) {
		cpus = lskel_possible_cpus();
		if (cpus <= 0) {
			snprintf(what, sizeof(what), "map '%s': counting the possible CPUs", map);
			return lskel_fail(opts, cpus ? cpus : -EINVAL, what, 0);
		}
		n = (__u32)cpus;
	}
	*max_entries = n;
	return 0;
}

/* Maps one data map over its pre-load pages; NULL with opts->errstr set on failure. */
static inline void *lskel_data_map(struct lskel_load_opts *opts, const char *ident, void *p,
				   __u64 *init_val, size_t size, int readonly, int fd, int *err)
{
	char what[96];

	p = lskel_data_finalize(p, init_val, size, readonly, fd, err);
	if (p)
		return p;
	snprintf(what, sizeof(what), "mapping '%s'", ident);
	lskel_fail(opts, *err, what, 0);
	return NULL;
}

//
// pinned maps (LIBBPF_PIN_BY_NAME)
//

/*
 * The loader cannot reach the file system (bpf_sys_bpf refuses BPF_OBJ_GET and
 * BPF_OBJ_PIN), so the runtime does libbpf's part around it. Before the run, each
 * pinned map's pin ROOT/NAME is looked up; a map found there must match the
 * object's definition (type, key and value size, max_entries as the user set it,
 * flags, map_extra, as libbpf's reuse check) and its fd goes into the map's
 * map_fd, which tells the loader to use it instead of creating the map (and not to
 * fill in a map-in-map's initial entries, as libbpf does). The fd stays the
 * skeleton's: destroy closes it, whether the load worked or not. After a
 * successful run, the maps the loader created are pinned; if one cannot be, the
 * pins made so far are removed again and the load fails. Pins outlive the skeleton.
 * BPF_OBJ_GET and BPF_OBJ_PIN need 4.4, BPF_OBJ_GET_INFO_BY_FD 4.13, map_extra 5.16.
 */
enum {
	LSKEL_BPF_OBJ_PIN		= 6,
	LSKEL_BPF_OBJ_GET		= 7,
	LSKEL_PIN_PATH_MAX		= 4096,
};

/* What a pinned map must be to be reused; one per LIBBPF_PIN_BY_NAME map. */
struct lskel_pin {
	const char *name;		/* the map's name, the pin's file name */
	__u32 ctx_off;			/* its struct lskel_map_desc in the skeleton */
	__u32 map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;		/* the object's; a non-zero desc->max_entries wins */
	__u32 map_flags;
	__u64 map_extra;
};

struct lskel_attr_obj {
	__u64 pathname;
	__u32 bpf_fd;
	__u32 file_flags;
};

LSKEL_STATIC_ASSERT(sizeof(struct lskel_attr_obj) == 16, "lskel: obj attr");

static inline struct lskel_map_desc *lskel_pin_desc(struct lskel_load_opts *opts,
						     const struct lskel_pin *pin)
{
	return (struct lskel_map_desc *)((char *)opts->ctx + pin->ctx_off);
}

/* ROOT/NAME into path (LSKEL_PIN_PATH_MAX bytes); NULL root means /sys/fs/bpf. */
static inline int lskel_pin_path(char *path, const char *root, const struct lskel_pin *pin)
{
	int n = snprintf(path, LSKEL_PIN_PATH_MAX, "%s/%s", root ? root : "/sys/fs/bpf", pin->name);

	return n < 0 || n >= LSKEL_PIN_PATH_MAX ? -ENAMETOOLONG : 0;
}

static inline int lskel_obj(int cmd, const char *path, int fd)
{
	struct lskel_attr_obj attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (unsigned long)path;
	attr.bpf_fd = (__u32)fd;
	return lskel_sys_bpf(cmd, &attr, sizeof(attr));
}

/* Writes "lskel: map 'NAME': BEFORE PATH AFTER" and returns err. */
static inline int lskel_pin_fail(struct lskel_load_opts *opts, int err, const struct lskel_pin *pin,
				 const char *before, const char *path, const char *after)
{
	if (opts->errstr_sz)
		snprintf(opts->errstr, opts->errstr_sz, "lskel: map '%s': %s %s%s", pin->name,
			 before, path, after);
	return err;
}

/* " is incompatible: FIELD PINNED != WANTED" for the first field that differs, or "" */
static inline void lskel_pin_diff(const struct lskel_map_info *info, const struct lskel_pin *pin,
				  __u32 max_entries, char *what, size_t size)
{
	const struct {
		const char *name;
		__u64 got, want;
		int hex;
	} f[] = {
		{ "map_type", info->type, pin->map_type, 0 },
		{ "key_size", info->key_size, pin->key_size, 0 },
		{ "value_size", info->value_size, pin->value_size, 0 },
		{ "max_entries", info->max_entries, max_entries, 0 },
		{ "map_flags", info->map_flags, pin->map_flags, 1 },
		{ "map_extra", info->map_extra, pin->map_extra, 1 },
	};
	unsigned int i;

	what[0] = '\0';
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i].got == f[i].want)
			continue;
		snprintf(what, size, f[i].hex ? " is incompatible: %s 0x%llx != 0x%llx" :
			 " is incompatible: %s %llu != %llu", f[i].name,
			 (unsigned long long)f[i].got, (unsigned long long)f[i].want);
		return;
	}
}

/* 0 if the map behind fd matches pin, as libbpf's reuse check has it; else -EINVAL. */
static inline int lskel_pin_check(struct lskel_load_opts *opts, const struct lskel_pin *pin,
				  const char *path, int fd)
{
	__u32 max = lskel_pin_desc(opts, pin)->max_entries;
	struct lskel_map_info info;
	struct lskel_attr_info attr;
	char what[128];
	int err;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = (__u32)fd;
	attr.info_len = sizeof(info);
	attr.info = (unsigned long)&info;
	err = lskel_sys_bpf(LSKEL_BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (err < 0)
		return lskel_fail(opts, err, "reading a pinned map's info (BPF_OBJ_GET_INFO_BY_FD)", 0);
	lskel_pin_diff(&info, pin, max ? max : pin->max_entries, what, sizeof(what));
	return what[0] ? lskel_pin_fail(opts, -EINVAL, pin, "pinned map at", path, what) : 0;
}

/* Hands one pinned map, if there is a compatible one, to the loader. */
static inline int lskel_pin_reuse(struct lskel_load_opts *opts, const char *root,
				  const struct lskel_pin *pin, char *path, __u8 *reused)
{
	char code[64], what[128];
	int fd, err;

	*reused = 0;
	err = lskel_pin_path(path, root, pin);
	if (err)
		return lskel_fail(opts, err, "building a pin path", 0);
	fd = lskel_obj(LSKEL_BPF_OBJ_GET, path, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		lskel_fmt_err(code, sizeof(code), fd);
		snprintf(what, sizeof(what), " cannot be opened (BPF_OBJ_GET): %s", code);
		return lskel_pin_fail(opts, fd, pin, "pinned map at", path, what);
	}
	err = lskel_pin_check(opts, pin, path, fd);
	if (err) {
		lskel_close(fd);
		return err;
	}
	lskel_pin_desc(opts, pin)->map_fd = fd;
	*reused = 1;
	return 0;
}

/*
 * Before the loader runs: every pinned map that can be reused is. reused[i] says
 * whether pins[i] was. Returns 0 or -errno with opts->errstr saying why.
 */
static inline int lskel_pins_reuse(struct lskel_load_opts *opts, const char *root,
				   const struct lskel_pin *pins, unsigned int nr, __u8 *reused)
{
	char *path;
	int err = 0;
	unsigned int i;

	if (!LSKEL_CAN_PIN)
		return lskel_fail(opts, -EOPNOTSUPP, "pinning maps (needs the user-space runtime)", 0);
	path = (char *)lskel_alloc(LSKEL_PIN_PATH_MAX);
	if (!path)
		return lskel_fail(opts, -ENOMEM, "allocating a pin path", 0);
	for (i = 0; i < nr && !err; i++)
		err = lskel_pin_reuse(opts, root, &pins[i], path, &reused[i]);
	lskel_free(path);
	return err;
}

/* Removes the pins of pins[0..nr) that this load made. */
static inline void lskel_pins_undo(const char *root, const struct lskel_pin *pins, unsigned int nr,
				   const __u8 *reused, char *path)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!reused[i] && !lskel_pin_path(path, root, &pins[i]))
			lskel_unlink(path);
}

static inline int lskel_pin_new(struct lskel_load_opts *opts, const char *root,
				const struct lskel_pin *pin, char *path)
{
	char code[64], what[128];
	int err;

	err = lskel_pin_path(path, root, pin);
	if (!err)
		err = lskel_mkdir(root ? root : "/sys/fs/bpf");
	if (!err)
		err = lskel_obj(LSKEL_BPF_OBJ_PIN, path, lskel_pin_desc(opts, pin)->map_fd);
	if (err >= 0)
		return 0;
	lskel_fmt_err(code, sizeof(code), err);
	snprintf(what, sizeof(what), " failed (BPF_OBJ_PIN): %s", code);
	return lskel_pin_fail(opts, err, pin, "pinning at", path, what);
}

/*
 * After a successful run: pins every pinned map the loader created. On failure,
 * the pins made here are removed. Returns 0 or -errno with opts->errstr set.
 */
static inline int lskel_pins_pin(struct lskel_load_opts *opts, const char *root,
				 const struct lskel_pin *pins, unsigned int nr, const __u8 *reused)
{
	char *path = (char *)lskel_alloc(LSKEL_PIN_PATH_MAX);
	unsigned int i;
	int err = 0;

	if (!path)
		return lskel_fail(opts, -ENOMEM, "allocating a pin path", 0);
	for (i = 0; i < nr && !err; i++)
		if (!reused[i])
			err = lskel_pin_new(opts, root, &pins[i], path);
	if (err)
		lskel_pins_undo(root, pins, i - 1, reused, path);
	lskel_free(path);
	return err;
}

#endif /* LSKEL_RUNTIME_H */
