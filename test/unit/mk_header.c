// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes a light skeleton header for a hand-built object, without the compiler:
 * `mk-test-header OUT.h NAME`. The object has every kind of map the header writer
 * distinguishes (a user map, .bss, .data, .rodata, a string section without BTF,
 * .kconfig) and every attach kind; its DATASECs have hidden static variables,
 * alignment gaps, packed and anonymous structs, enums, bools, pointers and nested
 * arrays, built with libbpf's BTF writer.
 *
 * The loader is four instructions that report step 2 as failed with -EINVAL:
 * with privileges, loading the skeleton exercises the whole runtime (blob map,
 * loader load, test run, step error) and leaves nothing behind. With "bad-loader"
 * the loader is one instruction the verifier refuses. skel_user.c checks
 * what the header does; header_compile.sh compiles it in every language mode.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "compiler/compiler.h"
#include "gen_loader/gen_loader.h"
#include "gen_loader/header.h"
#include "gen_loader/trace.h"
#include "lskel_abi.h"

static const struct sec_def def_raw_tp = { .prefix = "raw_tp", .attach = ATTACH_RAW_TP };
static const struct sec_def def_tp_btf = { .prefix = "tp_btf", .attach = ATTACH_TRACING };
static const struct sec_def def_iter = { .prefix = "iter", .attach = ATTACH_ITER };
static const struct sec_def def_lsm = { .prefix = "lsm", .attach = ATTACH_LSM };
static const struct sec_def def_xdp = { .prefix = "xdp", .attach = ATTACH_NONE };

struct types {
	int i32, chr, u8, i16, ull, bool_, u64_, u64v, boolv, point, rec, color, anon, opaque_ptr,
	    arr2, buf3, name7;
};

static void die(const char *what)
{
	fprintf(stderr, "mk-test-header: %s\n", what);
	exit(1);
}

static int check(int id, const char *what)
{
	if (id < 0)
		die(what);
	return id;
}

static void add_base_types(struct btf *b, struct types *ty)
{
	int idx, u64x3;

	ty->i32 = check(btf__add_int(b, "int", 4, BTF_INT_SIGNED), "int");
	ty->chr = check(btf__add_int(b, "char", 1, BTF_INT_SIGNED), "char");
	ty->u8 = check(btf__add_int(b, "unsigned char", 1, 0), "u8");
	ty->i16 = check(btf__add_int(b, "short", 2, BTF_INT_SIGNED), "short");
	ty->ull = check(btf__add_int(b, "long long unsigned int", 8, 0), "ull");
	ty->bool_ = check(btf__add_int(b, "_Bool", 1, BTF_INT_BOOL), "_Bool");
	ty->u64_ = check(btf__add_typedef(b, "__u64", ty->ull), "__u64");
	/* vmlinux.h's u64 and bool: the header must not depend on them */
	ty->u64v = check(btf__add_typedef(b, "u64", ty->u64_), "u64");
	ty->boolv = check(btf__add_typedef(b, "bool", ty->bool_), "bool");
	idx = ty->i32;
	u64x3 = check(btf__add_array(b, idx, ty->u64v, 3), "u64[3]");
	ty->arr2 = check(btf__add_array(b, idx, u64x3, 2), "u64[2][3]");
	ty->buf3 = check(btf__add_array(b, idx, ty->chr, 3), "char[3]");
	ty->name7 = check(btf__add_array(b, idx, ty->chr, 7), "char[7]");
}

static void add_composite_types(struct btf *b, struct types *ty)
{
	int fwd;

	ty->point = check(btf__add_struct(b, "point", 8), "point");
	check(btf__add_field(b, "x", ty->i32, 0, 0), "point.x");
	check(btf__add_field(b, "y", ty->i32, 32, 0), "point.y");
	/* packed: b at byte 1 */
	ty->rec = check(btf__add_struct(b, "rec", 7), "rec");
	check(btf__add_field(b, "a", ty->u8, 0, 0), "rec.a");
	check(btf__add_field(b, "b", ty->i32, 8, 0), "rec.b");
	check(btf__add_field(b, "c", ty->i16, 40, 0), "rec.c");
	ty->color = check(btf__add_enum(b, "color", 4), "color");
	check(btf__add_enum_value(b, "RED", 0), "RED");
	check(btf__add_enum_value(b, "GREEN", 1), "GREEN");
	/* anonymous: printed inline, its members' types still need definitions */
	ty->anon = check(btf__add_struct(b, NULL, 16), "anon");
	check(btf__add_field(b, "p", ty->point, 0, 0), "anon.p");
	check(btf__add_field(b, "w", ty->u64v, 64, 0), "anon.w");
	fwd = check(btf__add_fwd(b, "opaque", BTF_FWD_STRUCT), "opaque");
	ty->opaque_ptr = check(btf__add_ptr(b, fwd), "opaque *");
}

struct var_def {
	const char *name;
	int type;
	int linkage;
	unsigned int off, size;
};

static int add_datasec(struct btf *b, const char *name, const struct var_def *vars, int nr,
		       unsigned int size)
{
	int ids[16], sec;

	for (int i = 0; i < nr; i++)
		ids[i] = check(btf__add_var(b, vars[i].name, vars[i].linkage, vars[i].type), "var");
	sec = check(btf__add_datasec(b, name, size), "datasec");
	for (int i = 0; i < nr; i++)
		check(btf__add_datasec_var_info(b, ids[i], vars[i].off, vars[i].size), "var info");
	return sec;
}

#define G BTF_VAR_GLOBAL_ALLOCATED
#define S BTF_VAR_STATIC

static struct btf *build_btf(int *bss, int *data, int *rodata, int *kconfig)
{
	struct btf *b = btf__new_empty();
	struct types ty;

	if (!b)
		die("btf__new_empty");
	add_base_types(b, &ty);
	add_composite_types(b, &ty);
	{
		const struct var_def v[] = {
			{ "hits", ty.u64v, G, 0, 8 },
			{ "buf", ty.buf3, G, 8, 3 },
			{ "hidden", ty.chr, S, 11, 1 },		/* a gap */
			{ "flag", ty.boolv, G, 12, 1 },		/* then an alignment gap */
			{ "pt", ty.point, G, 16, 8 },
			{ "col", ty.color, G, 24, 4 },
			{ "out", ty.anon, G, 32, 16 },
			{ "task_ptr", ty.opaque_ptr, G, 48, 8 },
			{ "arr2", ty.arr2, G, 56, 48 },
			{ "tail", ty.chr, S, 104, 1 },		/* trailing hidden byte */
		};
		*bss = add_datasec(b, ".bss", v, 10, 105);
	}
	{
		const struct var_def v[] = {
			{ "x", ty.i32, G, 0, 4 },
			{ "r", ty.rec, G, 4, 7 },
			{ "wide", ty.u64_, G, 16, 8 },		/* forced 16-byte alignment */
		};
		*data = add_datasec(b, ".data", v, 3, 24);
	}
	{
		const struct var_def v[] = {
			{ "target_pid", ty.i32, G, 0, 4 },
			{ "name", ty.name7, G, 4, 7 },
		};
		*rodata = add_datasec(b, ".rodata", v, 2, 11);
	}
	{
		const struct var_def v[] = { { "CONFIG_HZ", ty.i32, BTF_VAR_GLOBAL_EXTERN, 0, 4 } };

		*kconfig = add_datasec(b, ".kconfig", v, 1, 4);
	}
	return b;
}

static void add_map(struct bobj *o, const char *name, const char *ident, enum bmap_kind kind,
		    int datasec, uint32_t value_size, const void *init)
{
	struct bmap *m = &o->maps[o->nr_maps];

	m->name = (char *)name;
	m->ident = (char *)ident;
	m->kind = kind;
	m->type = kind == BMAP_USER ? BPF_MAP_TYPE_HASH : BPF_MAP_TYPE_ARRAY;
	m->value_size = value_size;
	m->max_entries = 1;
	m->datasec_id = datasec;
	m->mmapable = kind != BMAP_USER;
	m->ctx_off = sizeof(struct lskel_loader_ctx) + o->nr_maps * sizeof(struct lskel_map_desc);
	if (init) {
		m->init = calloc(1, value_size);
		if (!m->init)
			die("calloc");
		memcpy(m->init, init, value_size);
	}
	o->nr_maps++;
}

static void add_prog(struct bobj *o, const char *name, const struct sec_def *def,
		     const char *target, bool autoload)
{
	struct bprog *p = &o->progs[o->nr_progs++];

	p->name = (char *)name;
	p->def = def;
	p->attach_target = target;
	p->autoload = autoload;
}

static void build_obj(struct bobj *o, const char *name)
{
	static const char data_init[24] = { 42, 0, 0, 0, 0xa, 0xb, 0xb, 0xb, 0xb, 0xc, 0 };
	static const char rodata_init[11] = "\0\0\0\0abc";
	static const char str_init[9] = "hello %d";
	int bss, data, rodata, kconfig;

	memset(o, 0, sizeof(*o));
	o->name = (char *)name;
	o->path = (char *)"hand-built";
	o->btf = build_btf(&bss, &data, &rodata, &kconfig);
	o->maps = calloc(8, sizeof(*o->maps));
	o->progs = calloc(8, sizeof(*o->progs));
	if (!o->maps || !o->progs)
		die("calloc");
	add_map(o, "counts", "counts", BMAP_USER, 0, 8, NULL);
	add_map(o, "test.bss", "bss", BMAP_DATA, bss, 105, NULL);
	add_map(o, "test.data", "data", BMAP_DATA, data, 24, data_init);
	add_map(o, "test.rodata", "rodata", BMAP_RODATA, rodata, 11, rodata_init);
	add_map(o, ".rodata.str1.1", "rodata_str1_1", BMAP_RODATA, 0, 9, str_init);
	add_map(o, ".kconfig", "kconfig", BMAP_KCONFIG, kconfig, 4, NULL);
	add_prog(o, "on_enter", &def_raw_tp, "sys_enter", true);
	add_prog(o, "on_exit", &def_raw_tp, "sys_exit", false);
	add_prog(o, "sw", &def_tp_btf, "sched_switch", true);
	add_prog(o, "it", &def_iter, "task", true);
	add_prog(o, "lsm_open", &def_lsm, "file_open", true);
	add_prog(o, "x", &def_xdp, NULL, true);
	add_prog(o, "raw_noname", &def_raw_tp, NULL, true);
	for (size_t i = 0; i < o->nr_progs; i++)
		o->progs[i].ctx_off = o->maps[o->nr_maps - 1].ctx_off + sizeof(struct lskel_map_desc) +
				      i * sizeof(struct lskel_prog_desc);
	o->ctx_sz = o->progs[o->nr_progs - 1].ctx_off + sizeof(struct lskel_prog_desc);
}

/* Three steps; the loader blames the second, a PROG_LOAD. */
static void build_trace(struct trace *t)
{
	union bpf_attr attr;

	trace__init(t);
	memset(&attr, 0, sizeof(attr));
	trace__step(t, BPF_MAP_CREATE, &attr, 48, "map 'counts'");
	trace__step(t, BPF_PROG_LOAD, &attr, 128, "prog 'on_enter'");
	trace__btf_find(t, "bpf_fentry_test1", BTF_KIND_FUNC, "odd \"desc\" \\ with\ttab");
	if (t->err)
		die("trace");
}

/* A loader the verifier refuses: it exits without setting R0. */
static const struct bpf_insn bad_insns[] = {
	{ .code = BPF_JMP | BPF_EXIT },
};

static void build_loader(struct loader *l, bool bad)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 2 },
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_2,
		  .off = offsetof(struct lskel_loader_ctx, failed_step) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = -EINVAL },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(l, 0, sizeof(*l));
	l->insns = malloc(sizeof(insns));
	if (!l->insns)
		die("malloc");
	if (bad) {
		memcpy(l->insns, bad_insns, sizeof(bad_insns));
		l->nr_insns = 1;
		return;
	}
	memcpy(l->insns, insns, sizeof(insns));
	l->nr_insns = sizeof(insns) / sizeof(insns[0]);
}

int main(int argc, char **argv)
{
	char errmsg[256];
	struct loader l;
	struct trace t;
	struct bobj o;
	FILE *f;
	int err;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "bad-loader")))
		die("usage: mk-test-header OUT.h NAME [bad-loader]");
	build_obj(&o, argv[2]);
	build_trace(&t);
	build_loader(&l, argc == 4);
	f = fopen(argv[1], "w");
	if (!f)
		die(strerror(errno));
	err = header__write(f, &o, &t, &l, errmsg, sizeof(errmsg));
	if (fclose(f) && !err)
		err = -EIO;
	if (err) {
		fprintf(stderr, "mk-test-header: %d: %s\n", err, errmsg);
		return 1;
	}
	return 0;
}
