// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * header__write() on bad object data: each row breaks one thing in a small valid
 * object and expects the exact error code and message. The first row is the
 * valid object itself, which must write without error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "compiler/compiler.h"
#include "gen_loader/gen_loader.h"
#include "gen_loader/header.h"
#include "gen_loader/trace.h"

struct fixture {
	struct bobj o;
	struct bmap map;
	struct bprog prog;
	struct trace t;
	struct loader l;
	struct bpf_insn insns[2];
	uint8_t init[16];
	const char *out;	/* where the header goes */
};

/* .bss: int a at 0, int b at 4 (b's offset and size are what rows break) */
static struct btf *make_btf(uint32_t b_off, uint32_t b_size)
{
	struct btf *btf = btf__new_empty();
	int i32, a, b, sec;

	i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	a = btf__add_var(btf, "a", BTF_VAR_GLOBAL_ALLOCATED, i32);
	b = btf__add_var(btf, "b", BTF_VAR_GLOBAL_ALLOCATED, i32);
	sec = btf__add_datasec(btf, ".bss", 8);
	btf__add_datasec_var_info(btf, a, 0, 4);
	btf__add_datasec_var_info(btf, b, b_off, b_size);
	return sec == 4 ? btf : NULL;
}

static void fixture_init(struct fixture *f, uint32_t b_off, uint32_t b_size)
{
	static const struct sec_def raw_tp = { .prefix = "raw_tp", .attach = ATTACH_RAW_TP };

	memset(f, 0, sizeof(*f));
	f->out = "/dev/null";
	f->o.name = (char *)"bad_bpf";
	f->o.btf = make_btf(b_off, b_size);
	f->o.maps = &f->map;
	f->o.nr_maps = 1;
	f->o.progs = &f->prog;
	f->o.nr_progs = 1;
	f->o.ctx_sz = 56;
	f->map = (struct bmap){ .name = (char *)"bad_bpf.bss", .ident = (char *)"bss",
				.kind = BMAP_DATA, .value_size = 8, .datasec_id = 4,
				.mmapable = true, .ctx_off = 32, .init = f->init };
	f->prog = (struct bprog){ .name = (char *)"p", .def = &raw_tp,
				  .attach_target = "sys_enter", .autoload = true, .ctx_off = 48 };
	trace__init(&f->t);
	trace__step(&f->t, BPF_MAP_CREATE, f->init, 16, "map 'bss'");
	f->l.insns = f->insns;
	f->l.nr_insns = 2;
}

static void bad_ctx(struct fixture *f) { f->o.ctx_sz = 70000; }
static void bad_map_ident(struct fixture *f) { f->map.ident = (char *)"b-ss"; }
static void bad_prog_name(struct fixture *f) { f->prog.name = (char *)"2p"; }
static void bad_skel_name(struct fixture *f) { f->o.name = (char *)"bad.bpf"; }
static void bad_datasec(struct fixture *f) { f->map.datasec_id = 1; }
static void bad_output(struct fixture *f) { f->out = "/dev/full"; }
static void valid(struct fixture *f) { (void)f; }

static const struct row {
	const char *name;
	void (*setup)(struct fixture *f);
	uint32_t b_off, b_size;	/* var 'b' in the DATASEC */
	int err;
	const char *msg;
} rows[] = {
	{ "valid", valid, 4, 4, 0, "" },
	{ "overlap", valid, 2, 4, -EINVAL,
	  "map 'bad_bpf.bss': var 'b' at offset 2 overlaps the previous one" },
	{ "beyond", valid, 4, 8, -EINVAL,
	  "map 'bad_bpf.bss': var 'b' (offset 4, 8 bytes) exceeds the map value (8 bytes)" },
	{ "ctx", bad_ctx, 4, 4, -E2BIG,
	  "the loader context takes 70000 bytes, BPF_PROG_TEST_RUN accepts 65535: "
	  "too many maps and programs" },
	{ "map ident", bad_map_ident, 4, 4, -EINVAL, "map 'bad_bpf.bss': 'b-ss' is not a C identifier" },
	{ "prog name", bad_prog_name, 4, 4, -EINVAL, "prog '2p' is not a C identifier" },
	{ "skel name", bad_skel_name, 4, 4, -EINVAL, "skeleton name 'bad.bpf' is not a C identifier" },
	{ "datasec", bad_datasec, 4, 4, -EINVAL, "map 'bad_bpf.bss': BTF type [1] is not a DATASEC" },
	{ "output", bad_output, 4, 4, -EIO, "writing the header failed" },
};

static int run_row(const struct row *r)
{
	struct fixture f;
	char msg[256];
	FILE *out;
	int err;

	fixture_init(&f, r->b_off, r->b_size);
	r->setup(&f);
	out = fopen(f.out, "w");
	if (!f.o.btf || !out) {
		fprintf(stderr, "%s: setup failed\n", r->name);
		return 1;
	}
	err = header__write(out, &f.o, &f.t, &f.l, msg, sizeof(msg));
	fclose(out);
	btf__free(f.o.btf);
	trace__free(&f.t);
	if (err == r->err && !strcmp(msg, r->msg))
		return 0;
	fprintf(stderr, "%s: got %d '%s'\n%s: want %d '%s'\n", r->name, err, msg, r->name,
		r->err, r->msg);
	return 1;
}

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		failed += run_row(&rows[i]);
	printf("%zu rows, %d failed\n", sizeof(rows) / sizeof(rows[0]), failed);
	return failed ? 1 : 0;
}
