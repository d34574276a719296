// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The runtime's struct_ops resolution (trampoline/lskel_st_ops.h) against kernel
 * BTF made up here with libbpf's BTF writer, so no kernel is needed and the kernel
 * can be any shape: a "running kernel" whose struct lskel_fake_ops orders its
 * members differently from the object, has members the object lacks and lacks one
 * the object leaves zero. The value must get each member at the kernel's offset,
 * found by name; the context records the kernel's ids, size and member index; the
 * program fd lands in its function pointer after fill. Then kernels that do not
 * match (no value type, a member the object sets missing, a wider member, a
 * function pointer that is data, a bitfield) must fail with these exact messages,
 * and damaged BTF files must be refused, never read past their end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/btf.h>

static char btf_path[64] = "/tmp/lskel-st-ops-XXXXXX";
#define LSKEL_VMLINUX_BTF btf_path

#include "lskel_abi.h"
#include "../trampoline/lskel_runtime.h"
#include "../trampoline/lskel_st_ops.h"

static int failures;

#define EXPECT(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* How the made-up kernel differs from the one the object matches. */
enum variant {
	K_GOOD,
	K_NO_VALUE_TYPE,	/* struct lskel_fake_ops, but no bpf_struct_ops_lskel_fake_ops */
	K_NO_FLAGS,		/* lacks .flags, which the object sets */
	K_WIDE_FLAGS,		/* .flags is 8 bytes */
	K_START_IS_DATA,	/* .start is a long, not a function pointer */
	K_BITFIELD,		/* .flags is a bitfield */
};

/* The object's side: what lskel gen writes for this type. */
struct obj_ops {
	int (*start)(void *);
	int (*stop)(void *);
	char name[12];
	unsigned int flags;
	unsigned int gone;	/* zero: may be missing from the kernel */
};

static const struct lskel_st_ops_member obj_members[] = {
	{ "start", LSKEL_ST_PROG, 0, 8, BTF_KIND_PTR, 1, 0 },
	{ "stop", LSKEL_ST_NULL, 8, 8, BTF_KIND_PTR, -1, -1 },
	{ "name", LSKEL_ST_DATA, 16, 12, BTF_KIND_ARRAY, -1, -1 },
	{ "flags", LSKEL_ST_DATA, 28, 4, BTF_KIND_INT, -1, -1 },
	{ "gone", LSKEL_ST_DATA, 32, 4, BTF_KIND_INT, -1, -1 },
};

static struct obj_ops obj_image = { .name = "fake_cc", .flags = 0x11 };

static const struct lskel_st_ops_map obj_map = {
	"ops", "lskel_fake_ops", (const char *)&obj_image, sizeof(obj_image), 0,
	obj_members, sizeof(obj_members) / sizeof(obj_members[0]),
};

/* Kernel offsets of struct lskel_fake_ops in K_GOOD, and of it in the value. */
enum { K_REFCNT = 0, K_DATA_OFF = 16, K_NAME = 0, K_FLAGS = 12, K_KEY = 16, K_STOP = 24,
       K_START = 32, K_SIZE = 40, K_VALUE_SIZE = K_DATA_OFF + K_SIZE };

struct ids {
	int type, value;
};

/* The made-up vmlinux BTF, written to btf_path. */
static struct ids write_kernel_btf(enum variant v)
{
	struct btf *btf = btf__new_empty();
	int u32 = btf__add_int(btf, "unsigned int", 4, 0);
	int lng = btf__add_int(btf, "long int", 8, BTF_INT_SIGNED);
	int chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	int proto = btf__add_func_proto(btf, u32);
	int param = btf__add_func_param(btf, "ctx", lng);	/* of proto: the last type */
	int fptr = btf__add_ptr(btf, proto);
	int name = btf__add_array(btf, u32, chr, 12);
	int u64 = btf__add_int(btf, "long long unsigned int", 8, 0);
	struct ids ids;
	const void *raw;
	__u32 sz;
	FILE *f;

	if (param || fptr < 0 || name < 0 || u64 < 0) {
		fprintf(stderr, "building BTF failed\n");
		exit(1);
	}
	ids.type = btf__add_struct(btf, "lskel_fake_ops", K_SIZE);
	btf__add_field(btf, "name", name, K_NAME * 8, 0);
	if (v == K_BITFIELD)
		btf__add_field(btf, "flags", u32, K_FLAGS * 8, 3);
	else if (v != K_NO_FLAGS)
		btf__add_field(btf, "flags", v == K_WIDE_FLAGS ? u64 : u32, K_FLAGS * 8, 0);
	btf__add_field(btf, "key", u32, K_KEY * 8, 0);
	btf__add_field(btf, "stop", fptr, K_STOP * 8, 0);
	btf__add_field(btf, "start", v == K_START_IS_DATA ? lng : fptr, K_START * 8, 0);
	ids.value = 0;
	if (v != K_NO_VALUE_TYPE) {
		ids.value = btf__add_struct(btf, "bpf_struct_ops_lskel_fake_ops", K_VALUE_SIZE);
		btf__add_field(btf, "refcnt", lng, K_REFCNT * 8, 0);
		btf__add_field(btf, "data", ids.type, K_DATA_OFF * 8, 0);
	}
	raw = btf__raw_data(btf, &sz);
	f = fopen(btf_path, "w");
	if (!f || fwrite(raw, 1, sz, f) != sz || fclose(f)) {
		perror(btf_path);
		exit(1);
	}
	btf__free(btf);
	return ids;
}

struct run {
	struct lskel_load_opts opts;
	struct lskel_loader_ctx ctx;
	char errstr[256];
	struct lskel_st_ops_map_desc map_desc;
	struct lskel_st_ops_prog_desc prog_desc;
	struct lskel_st_ops_value value;
	int err;
};

static void resolve(struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->opts.ctx = &r->ctx;
	r->opts.errstr = r->errstr;
	r->opts.errstr_sz = sizeof(r->errstr);
	r->err = lskel_st_ops_resolve(&r->opts, &obj_map, 1, &r->map_desc, &r->prog_desc,
				      &r->value);
}

static void check_good(void)
{
	struct lskel_prog_desc progs[2] = { { 7, 1 }, { 42, 1 } };
	struct ids ids = write_kernel_btf(K_GOOD);
	const char *d;
	__u64 fd;
	struct run r;

	resolve(&r);
	EXPECT(r.err == 0, "err %d: %s", r.err, r.errstr);
	if (r.err)
		return;
	EXPECT(r.map_desc.value_type_id == (__u32)ids.value, "value type %u", r.map_desc.value_type_id);
	EXPECT(r.map_desc.value_size == K_VALUE_SIZE, "value size %u", r.map_desc.value_size);
	EXPECT(r.prog_desc.attach_btf_id == (__u32)ids.type, "attach_btf_id %u", r.prog_desc.attach_btf_id);
	EXPECT(r.prog_desc.member == 4, "start is member #%u, not #4", r.prog_desc.member);
	EXPECT(r.value.kern_off[4] == LSKEL_ST_ABSENT, "'gone' placed at %u", r.value.kern_off[4]);
	d = r.value.data + K_DATA_OFF;
	EXPECT(!strcmp(d + K_NAME, "fake_cc"), "name '%.12s'", d + K_NAME);
	EXPECT(*(const __u32 *)(d + K_FLAGS) == 0x11, "flags 0x%x", *(const __u32 *)(d + K_FLAGS));
	lskel_st_ops_fill(&obj_map, 1, progs, &r.value);
	memcpy(&fd, d + K_START, sizeof(fd));
	EXPECT(fd == 42, "start holds %llu, not prog 1's fd 42", (unsigned long long)fd);
	for (int i = 0; i < K_VALUE_SIZE; i++) {
		int set = (i >= K_DATA_OFF + K_NAME && i < K_DATA_OFF + K_NAME + 8) ||
			  (i == K_DATA_OFF + K_FLAGS) || (i == K_DATA_OFF + K_START);

		EXPECT(set || !r.value.data[i], "byte %d is 0x%x", i, (unsigned char)r.value.data[i]);
	}
	lskel_st_ops_free(&r.value);
}

static void check_refused(enum variant v, int want_err, const char *want)
{
	struct run r;

	write_kernel_btf(v);
	resolve(&r);
	EXPECT(r.err == want_err, "variant %d: err %d, want %d", v, r.err, want_err);
	EXPECT(!strcmp(r.errstr, want), "variant %d:\n  got  '%s'\n  want '%s'", v, r.errstr, want);
	lskel_st_ops_free(&r.value);
}

/* A file that is not BTF, or BTF cut short, fails the read, whatever its bytes. */
static void check_damaged(void)
{
	struct btf *btf = btf__new_empty();
	struct lskel_btf kb;
	const void *raw;
	char *copy;
	__u32 sz;
	FILE *f;

	btf__add_struct(btf, "lskel_fake_ops", 8);
	btf__add_field(btf, "x", btf__add_int(btf, "long int", 8, 0), 0, 0);
	raw = btf__raw_data(btf, &sz);
	copy = malloc(sz);
	memcpy(copy, raw, sz);
	for (__u32 cut = 0; cut < sz; cut++) {
		f = fopen(btf_path, "w");
		fwrite(copy, 1, cut, f);
		fclose(f);
		EXPECT(lskel_btf_load(&kb) == -EINVAL, "cut at %u loaded", cut);
	}
	copy[0] ^= 0xff;	/* magic */
	f = fopen(btf_path, "w");
	fwrite(copy, 1, sz, f);
	fclose(f);
	EXPECT(lskel_btf_load(&kb) == -EINVAL, "bad magic loaded");
	free(copy);
	btf__free(btf);
}

int main(void)
{
	int fd = mkstemp(btf_path);

	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	check_good();
	check_refused(K_NO_VALUE_TYPE, -EOPNOTSUPP,
		      "lskel: struct_ops map 'ops': the running kernel has no struct_ops type "
		      "'lskel_fake_ops' (no struct bpf_struct_ops_lskel_fake_ops in "
		      "/sys/kernel/btf/vmlinux): -95 (Operation not supported)");
	check_refused(K_NO_FLAGS, -EOPNOTSUPP,
		      "lskel: struct_ops map 'ops': member 'flags' is set, but the running kernel's "
		      "struct lskel_fake_ops has no such member: -95 (Operation not supported)");
	check_refused(K_WIDE_FLAGS, -EOPNOTSUPP,
		      "lskel: struct_ops map 'ops': member 'flags': 4 bytes in the object, 8 in the "
		      "running kernel: -95 (Operation not supported)");
	check_refused(K_START_IS_DATA, -EOPNOTSUPP,
		      "lskel: struct_ops map 'ops': member 'start': BTF kind 2 in the object, 1 in the "
		      "running kernel (not a function pointer): -95 (Operation not supported)");
	check_refused(K_BITFIELD, -EOPNOTSUPP,
		      "lskel: struct_ops map 'ops': member 'flags': the running kernel's is a "
		      "bitfield or has no size: -95 (Operation not supported)");
	check_damaged();
	unlink(btf_path);
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
