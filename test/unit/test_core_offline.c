// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Offline CO-RE (compiler/core_offline.c) against target layouts built here with
 * libbpf's BTF writer: core_offline.bpf.o's relocations, resolved against a struct
 * thing laid out otherwise than the object's, must patch every instruction with the
 * target's value. Rows: {local type, access string, kind, expected value}; the value
 * is read back from the patched instruction (imm, off or the ld_imm64 pair).
 * Then the failures: a second candidate that disagrees (ambiguous), and a target
 * file that is not BTF.
 *
 * Usage: test-core-offline CORE_OFFLINE.bpf.o WORKDIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "../../compiler/internal.h"

#define POISON 0xbad2310

struct row {
	const char *type, *access;
	uint32_t kind;
	uint64_t expected;
};

/*
 * The target: struct thing { char name[16]; struct thing *next; long a;
 * unsigned int pad : 4, flags : 3, mode : 5; union { int u2; long u1; };
 * unsigned long count; } with the bitfields starting at byte 32 + 4 bits, and
 * enum color { RED, GREEN = 7 }. Rows are for instructions other than loads;
 * the two direct loads (of count and of a) are checked on their own.
 */
static const struct row rows[] = {
	{ "thing", "0:0", BPF_CORE_FIELD_BYTE_OFFSET, 24 },	/* a: after name and next */
	{ "thing", "0:2", BPF_CORE_FIELD_BYTE_OFFSET, 16 },	/* next */
	{ "thing", "0:1", BPF_CORE_FIELD_BYTE_SIZE, 16 },	/* name[16] */
	{ "thing", "0:3", BPF_CORE_FIELD_EXISTS, 1 },		/* flags */
	/* mode: bits 263..267 of a u32 at byte 32 */
	{ "thing", "0:4", BPF_CORE_FIELD_BYTE_OFFSET, 32 },
	{ "thing", "0:4", BPF_CORE_FIELD_BYTE_SIZE, 4 },
	{ "thing", "0:4", BPF_CORE_FIELD_LSHIFT_U64, 64 - (263 + 5 - 256) },
	{ "thing", "0:4", BPF_CORE_FIELD_RSHIFT_U64, 64 - 5 },
	{ "thing", "0:4", BPF_CORE_FIELD_SIGNED, 0 },
	{ "thing", "0:5:0", BPF_CORE_FIELD_BYTE_OFFSET, 40 },	/* u1 in the anonymous union */
	{ "gone", "0", BPF_CORE_TYPE_EXISTS, 0 },
	{ "thing___old", "0:0", BPF_CORE_FIELD_EXISTS, 0 },	/* removed */
	{ "thing___old", "0:0", BPF_CORE_FIELD_BYTE_OFFSET, POISON },
	{ "thing", "0", BPF_CORE_TYPE_SIZE, 56 },
	{ "color", "1", BPF_CORE_ENUMVAL_VALUE, 7 },		/* GREEN */
	{ "color___new", "0", BPF_CORE_ENUMVAL_EXISTS, 0 },	/* PURPLE */
};

static int failures;

#define CHECK(cond, ...)				\
	do {						\
		if (!(cond)) {				\
			printf("FAIL: " __VA_ARGS__);	\
			printf("\n");			\
			failures++;			\
		}					\
	} while (0)

/*
 * The target BTF; with dup, a second struct "thing___dup" with `a` elsewhere. Fields
 * go to the composite added last, so the union comes first and thing's pointer to
 * itself right after thing's fields, with the id it is known to get.
 */
static struct btf *target_btf(bool dup, int *thing_id)
{
	struct btf *b = btf__new_empty();
	int i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	int lng = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	int ulng = btf__add_int(b, "unsigned long", 8, 0);
	int name = btf__add_array(b, u32, chr, 16);
	int uni = btf__add_union(b, NULL, 8), thing, ptr;

	btf__add_field(b, "u2", i32, 0, 0);
	btf__add_field(b, "u1", lng, 0, 0);
	thing = btf__add_struct(b, "thing", 56);
	ptr = thing + 1;
	btf__add_field(b, "name", name, 0, 0);
	btf__add_field(b, "next", ptr, 128, 0);
	btf__add_field(b, "a", lng, 192, 0);
	btf__add_field(b, "pad", u32, 256, 4);
	btf__add_field(b, "flags", u32, 260, 3);
	btf__add_field(b, "mode", u32, 263, 5);
	btf__add_field(b, NULL, uni, 320, 0);
	btf__add_field(b, "count", ulng, 384, 0);
	if (btf__add_ptr(b, thing) != ptr)
		return NULL;
	btf__add_enum(b, "color", 4);
	btf__add_enum_value(b, "RED", 0);
	btf__add_enum_value(b, "GREEN", 7);
	if (dup) {
		btf__add_struct(b, "thing___dup", 48);
		btf__add_field(b, "a", lng, 0, 0);
	}
	*thing_id = thing;
	return b;
}

static char *write_btf(const struct btf *b, const char *dir, const char *name)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		exit(2);
	f = fopen(path, "w");
	if (!f || !raw || fwrite(raw, 1, sz, f) != sz || fclose(f)) {
		printf("FAIL: writing %s\n", path);
		exit(1);
	}
	return path;
}

static int open_object(struct bobj *o, const char *obj)
{
	int err = bobj__open(o, obj, NULL);

	err = err ?: bobj__collect(o);
	err = err ?: bobj__relocate(o);
	if (err || o->nr_progs != 1)
		printf("FAIL: %s: %s\n", obj, o->errmsg[0] ? o->errmsg : "not one program");
	return err ?: (o->nr_progs == 1 ? 0 : -EINVAL);
}

/* The value a relocation left in its instruction. */
static uint64_t insn_value(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code);

	if (insn->code == (BPF_JMP | BPF_CALL) && insn->imm == POISON)
		return POISON;
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
		return (uint64_t)(uint32_t)insn[1].imm << 32 | (uint32_t)insn[0].imm;
	if (cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX)
		return (uint64_t)(int64_t)insn->off;
	return (uint32_t)insn->imm;
}

/*
 * A direct load (LDX) of count or a: count, unsigned int locally and unsigned long
 * in the target, loads 8 bytes at the target's offset; a, int and long, would
 * misread and is poisoned. Returns whether insn was such a load.
 */
static bool ldx_checked(const struct bpf_insn *insn, const char *type, const char *access)
{
	if (strcmp(type, "thing"))
		return false;
	if (insn->code == (BPF_JMP | BPF_CALL) && insn->imm == POISON && !strcmp(access, "0:0"))
		return true;
	if (BPF_CLASS(insn->code) != BPF_LDX)
		return false;
	if (!strcmp(access, "0:6"))
		CHECK(insn->off == 48 && BPF_SIZE(insn->code) == BPF_DW,
		      "load of count: off %d size 0x%x, expected 48 and BPF_DW", insn->off,
		      BPF_SIZE(insn->code));
	else
		CHECK(0, "load of %s is not poisoned", access);
	return true;
}

static const char *local_name(const struct bobj *o, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(o->btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(o->btf, t->type);
	return t ? btf__name_by_offset(o->btf, t->name_off) : "?";
}

static void check_layout(const char *obj, const char *dir)
{
	struct bpf_core_relo *recs;
	struct bobj o;
	struct btf *b;
	char *path;
	int thing, nr_ldx = 0, seen[sizeof(rows) / sizeof(rows[0])] = {};
	uint32_t n;

	b = target_btf(false, &thing);
	if (!b || open_object(&o, obj)) {
		failures++;
		return;
	}
	path = write_btf(b, dir, "target.btf");
	n = o.progs[0].nr_core_relo;
	recs = calloc(n + 1, sizeof(*recs));
	for (uint32_t i = 0; i < n; i++)
		memcpy(&recs[i], (uint8_t *)o.progs[0].core_relo + i * o.progs[0].core_relo_rec_size,
		       sizeof(*recs));
	CHECK(!bobj__core_offline(&o, path), "core_offline: %s", o.errmsg);
	CHECK(o.progs[0].nr_core_relo == 0, "records left for the kernel");
	for (uint32_t i = 0; i < n; i++) {
		const char *type = local_name(&o, recs[i].type_id);
		const char *access = btf__name_by_offset(o.btf, recs[i].access_str_off);
		uint64_t got = insn_value(&o.progs[0].insns[recs[i].insn_off / 8]);
		size_t r;

		if (recs[i].kind == BPF_CORE_TYPE_ID_TARGET) {
			CHECK(got == (uint64_t)thing, "type_id_kernel: %llu, expected %d",
			      (unsigned long long)got, thing);
			continue;
		}
		if (ldx_checked(&o.progs[0].insns[recs[i].insn_off / 8], type, access)) {
			nr_ldx++;
			continue;
		}
		for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
			if (!strcmp(rows[r].type, type) && !strcmp(rows[r].access, access) &&
			    rows[r].kind == recs[i].kind)
				break;
		if (r == sizeof(rows) / sizeof(rows[0])) {
			CHECK(0, "relo %s %s kind %u: no row", type, access, recs[i].kind);
			continue;
		}
		seen[r]++;
		CHECK(got == rows[r].expected, "%s %s kind %u at insn %u: %llu, expected %llu", type,
		      access, recs[i].kind, recs[i].insn_off / 8, (unsigned long long)got,
		      (unsigned long long)rows[r].expected);
	}
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		CHECK(seen[r], "row %s %s kind %u: no such relocation in the object", rows[r].type,
		      rows[r].access, rows[r].kind);
	CHECK(nr_ldx == 2, "%d direct loads of a field, expected 2", nr_ldx);
	free(recs);
	free(path);
	btf__free(b);
	bobj__close(&o);
}

static void check_error(const char *obj, const char *btf_path, const char *part)
{
	struct bobj o;
	int err;

	if (open_object(&o, obj)) {
		failures++;
		return;
	}
	err = bobj__core_offline(&o, btf_path);
	CHECK(err < 0 && strstr(o.errmsg, part), "expected an error with '%s', got %d '%s'", part,
	      err, o.errmsg);
	printf("error as expected: %s\n", o.errmsg);
	bobj__close(&o);
}

int main(int argc, char **argv)
{
	char *dup_path, *junk;
	struct btf *b;
	FILE *f;
	int thing;

	libbpf_set_print(NULL);
	if (argc != 3) {
		fprintf(stderr, "usage: %s CORE_OFFLINE.bpf.o WORKDIR\n", argv[0]);
		return 2;
	}
	check_layout(argv[1], argv[2]);

	b = target_btf(true, &thing);
	dup_path = write_btf(b, argv[2], "dup.btf");
	check_error(argv[1], dup_path, "ambiguous: 'thing' candidates give 24 and 0");
	btf__free(b);
	if (asprintf(&junk, "%s/junk.btf", argv[2]) < 0 || !(f = fopen(junk, "w")))
		return 2;
	fputs("not BTF\n", f);
	fclose(f);
	check_error(argv[1], junk, "cannot read BTF");
	free(junk);
	free(dup_path);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
