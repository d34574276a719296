/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --target-kernel MAJOR.MINOR: make the output loadable on an older kernel, or say at
 * generation time why it cannot be.
 *
 * BTF kinds the target does not know are rewritten as libbpf rewrites them after
 * probing a running kernel (decl tags become 1-byte ints, type tags become const,
 * 64-bit enums become unions of a 64-bit int, enum signedness is dropped); features
 * with no rewrite (instructions, helpers, program, attach and map types, kernel-side
 * CO-RE) are refused with the first kernel that has them. Helpers, program, attach and
 * map types newer than 6.1 are recognised from this machine's 6.1 UAPI header; older
 * ones are not checked against targets before 6.1 (the loader itself needs 5.14).
 *
 * Requires bobj__relocate (final instructions). Breaks: BTF type kinds, in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define KV(a, b) ((a) << 8 | (b))
#define KV_MAJOR(v) ((v) >> 8)
#define KV_MINOR(v) ((v) & 0xff)

/* the last ids this machine's <linux/bpf.h> (6.1) knows */
#define LAST_61_HELPER (__BPF_FUNC_MAX_ID - 1)
#define LAST_61_MAP_TYPE BPF_MAP_TYPE_USER_RINGBUF
#define LAST_61_PROG_TYPE BPF_PROG_TYPE_SYSCALL
#define LAST_61_ATTACH_TYPE (__MAX_BPF_ATTACH_TYPE - 1)

int bobj__parse_kernel_version(const char *s, unsigned int *kv)
{
	unsigned int major, minor;
	char end;

	if (sscanf(s, "%u.%u%c", &major, &minor, &end) != 2 || major > 255 || minor > 255)
		return -EINVAL;
	*kv = KV(major, minor);
	return 0;
}

static int too_new(struct bobj *o, const char *what, unsigned int since)
{
	return bobj__err(o, -EOPNOTSUPP, "%s needs kernel %u.%u, target is %u.%u", what,
			 KV_MAJOR(since), KV_MINOR(since), KV_MAJOR(o->target_kv),
			 KV_MINOR(o->target_kv));
}

/* The first kernel that runs insn, or 0 when every kernel the loader runs on does. */
static unsigned int insn_since(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if (cls == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC && (insn->imm & 0xff0) >= 0x100)
		return KV(6, 15);	/* load-acquire, store-release */
	if (cls == BPF_JMP && op == 0xe0)
		return KV(6, 9);	/* may_goto */
	if (cls == BPF_ALU64 && op == BPF_MOV && insn->off == 1 && BPF_SRC(insn->code) == BPF_X &&
	    insn->imm)
		return KV(6, 9);	/* addr_space_cast */
	if ((cls == BPF_LDX && BPF_MODE(insn->code) == 0x80) ||	/* sign-extending load */
	    ((cls == BPF_ALU || cls == BPF_ALU64) && op == BPF_MOV && insn->off) ||
	    ((cls == BPF_ALU || cls == BPF_ALU64) && (op == BPF_DIV || op == BPF_MOD) && insn->off) ||
	    (cls == BPF_ALU64 && op == BPF_END) ||
	    (cls == BPF_JMP32 && op == BPF_JA))
		return KV(6, 6);	/* cpu v4 */
	return 0;
}

static int check_insns(struct bobj *o, const struct bprog *p)
{
	for (uint32_t i = 0; i < p->nr_insns; i++) {
		const struct bpf_insn *insn = &p->insns[i];
		unsigned int since = insn_since(insn);
		char what[128];

		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
		    insn->imm > LAST_61_HELPER)
			since = KV(6, 2);	/* no helper was added after 6.2 */
		if (since > o->target_kv) {
			snprintf(what, sizeof(what), "prog '%s': insn #%u (code 0x%02x%s)", p->name, i,
				 insn->code, insn->code == (BPF_JMP | BPF_CALL) ? ", helper" : "");
			return too_new(o, what, since);
		}
	}
	return 0;
}

static int check_progs(struct bobj *o)
{
	int err = 0;

	for (size_t i = 0; i < o->nr_progs && !err; i++) {
		const struct bprog *p = &o->progs[i];
		char what[128];

		snprintf(what, sizeof(what), "prog '%s' (sec '%s')", p->name, p->sec_name);
		if (p->prog_type > LAST_61_PROG_TYPE || p->expected_attach_type > LAST_61_ATTACH_TYPE)
			err = o->target_kv <= KV(6, 1) ? too_new(o, what, KV(6, 2)) : 0;
		else if (p->nr_core_relo && o->target_kv < KV(5, 17))
			err = too_new(o, "kernel-side CO-RE relocation", KV(5, 17));
		err = err ?: check_insns(o, p);
	}
	return err;
}

static int check_maps(struct bobj *o)
{
	static const struct { uint32_t type; unsigned int since; } newer[] = {
		{ BPF_MAP_TYPE_BLOOM_FILTER, KV(5, 16) },
		{ BPF_MAP_TYPE_USER_RINGBUF, KV(6, 1) },
		{ LAST_61_MAP_TYPE + 1, KV(6, 2) },	/* cgrp storage */
		{ LAST_61_MAP_TYPE + 2, KV(6, 9) },	/* arena */
	};

	for (size_t i = 0; i < o->nr_maps; i++) {
		const struct bmap *m = &o->maps[i];
		unsigned int since = m->type > LAST_61_MAP_TYPE + 2 ? KV(6, 10) : 0;
		char what[96];

		for (size_t k = 0; k < sizeof(newer) / sizeof(newer[0]); k++)
			if (newer[k].type == m->type)
				since = newer[k].since;
		snprintf(what, sizeof(what), "map '%s' (type %u)", m->name, m->type);
		if (since > o->target_kv)
			return too_new(o, what, since);
	}
	return 0;
}

/* A 64-bit int for enum64 unions: one the BTF has, or a new one. Call before editing. */
static int int64_type(struct bobj *o)
{
	uint32_t n = btf__type_cnt(o->btf);

	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(o->btf, id);

		if (btf_is_int(t) && t->size == 8 && btf_int_offset(t) == 0 && btf_int_bits(t) == 64)
			return id;
	}
	return btf__add_int(o->btf, "long long", 8, BTF_INT_SIGNED);
}

static bool needs_rewrite(const struct bobj *o, const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_DECL_TAG:
		return o->target_kv < KV(5, 16);
	case BTF_KIND_TYPE_TAG:
		return o->target_kv < KV(5, 17);
	case BTF_KIND_ENUM64:
		return o->target_kv < KV(6, 0);
	case BTF_KIND_ENUM:
		return o->target_kv < KV(6, 0) && btf_kflag(t);
	default:
		return false;
	}
}

/* Same record sizes before and after: each rewrite is done in place. */
static void rewrite_type(struct btf_type *t, int int64_id)
{
	struct btf_member *m;

	switch (btf_kind(t)) {
	case BTF_KIND_DECL_TAG:	/* its component_idx word becomes the int encoding */
		t->name_off = 0;
		t->info = BTF_KIND_INT << 24;
		t->size = 1;
		*(uint32_t *)(t + 1) = 8;	/* offset 0, 8 bits, unsigned */
		return;
	case BTF_KIND_TYPE_TAG:
		t->name_off = 0;
		t->info = BTF_KIND_CONST << 24;
		return;
	case BTF_KIND_ENUM64:	/* 12-byte enum64 records become 12-byte members */
		m = (struct btf_member *)(t + 1);
		for (uint32_t i = 0; i < btf_vlen(t); i++) {
			m[i].type = int64_id;
			m[i].offset = 0;
		}
		t->info = (BTF_KIND_UNION << 24) | btf_vlen(t);
		return;
	case BTF_KIND_ENUM:
		t->info &= ~(1u << 31);
		return;
	}
}

static int rewrite_btf(struct bobj *o)
{
	int int64_id = 0;
	uint32_t n;

	if (!o->btf)
		return 0;
	n = btf__type_cnt(o->btf);
	for (uint32_t id = 1; id < n && !int64_id; id++)
		if (btf_is_enum64(btf__type_by_id(o->btf, id)) && o->target_kv < KV(6, 0))
			int64_id = int64_type(o);
	if (int64_id < 0)
		return bobj__err(o, int64_id, "btf: cannot add the int type enum64 unions need");
	for (uint32_t id = 1; id < n; id++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(o->btf, id);

		if (needs_rewrite(o, t))
			rewrite_type(t, int64_id);
	}
	return 0;
}

int bobj__target(struct bobj *o)
{
	int err;

	if (!o->target_kv)
		return 0;	/* the newest kernel: nothing to rewrite or refuse */
	if (o->target_kv < KV(5, 14))
		return too_new(o, "the loader (BPF_PROG_TYPE_SYSCALL, bpf_sys_bpf)", KV(5, 14));
	err = check_progs(o);
	err = err ?: check_maps(o);
	err = err ?: rewrite_btf(o);
	return err;
}
