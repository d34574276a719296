/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Offline CO-RE (`lskel gen --btf FILE`): every CO-RE relocation of every program is
 * resolved at generation time against FILE's BTF (the target kernel's vmlinux BTF,
 * raw or in an ELF file) and patched into the instructions, so the loader passes no
 * core_relos and the target kernel needs no kernel-side CO-RE (5.17). Without --btf
 * the records go to the kernel, which resolves them against itself at load time.
 *
 * The semantics are CO-RE's, as clang's __builtin_preserve_*_info() defines them
 * and libbpf's documentation describes them:
 *  - a relocation names a local type (in the object's BTF) and an access string
 *    "0:2:1": an index into the root pointer, then member or array indices;
 *  - target candidates are the target types of the same kind whose name equals the
 *    local name up to any "___flavour" suffix;
 *  - a field access matches a candidate when every named member on the path exists
 *    there by name (anonymous structs and unions are looked through) with a
 *    compatible type, and every array index fits;
 *  - every matching candidate must give the same value, else it is ambiguous; with
 *    none, *_EXISTS relocations give 0 and the others poison the instruction (an
 *    invalid helper call the verifier rejects only if the program can reach it).
 * TYPE_MATCHES (clang 15+) is refused: use kernel-side CO-RE for it.
 *
 * Requires bobj__relocate (p->insns and p->core_relo with byte insn_off). Breaks:
 * p->core_relo is emptied, so the trace passes none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CORE_MAX_ACCESS 64	/* access string indices */
#define CORE_MAX_DEPTH 32	/* nested anonymous members, pointer and array chains */
#define CORE_POISON 0xbad2310	/* invalid helper id: rejected if reached */

#define CORE_KINDS(X)				\
	X(BPF_CORE_FIELD_BYTE_OFFSET, "byte_off")	\
	X(BPF_CORE_FIELD_BYTE_SIZE, "byte_sz")	\
	X(BPF_CORE_FIELD_EXISTS, "field_exists")	\
	X(BPF_CORE_FIELD_SIGNED, "signed")	\
	X(BPF_CORE_FIELD_LSHIFT_U64, "lshift_u64")	\
	X(BPF_CORE_FIELD_RSHIFT_U64, "rshift_u64")	\
	X(BPF_CORE_TYPE_ID_LOCAL, "local_type_id")	\
	X(BPF_CORE_TYPE_ID_TARGET, "target_type_id")	\
	X(BPF_CORE_TYPE_EXISTS, "type_exists")	\
	X(BPF_CORE_TYPE_SIZE, "type_size")	\
	X(BPF_CORE_ENUMVAL_EXISTS, "enumval_exists")	\
	X(BPF_CORE_ENUMVAL_VALUE, "enumval_value")	\
	X(BPF_CORE_TYPE_MATCHES, "type_matches")

static const char *kind_name(uint32_t kind)
{
	static const char *const names[] = {
#define X(k, s) [k] = s,
		CORE_KINDS(X)
#undef X
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "?";
}

static bool is_field_kind(uint32_t k)
{
	return k <= BPF_CORE_FIELD_RSHIFT_U64;
}

static bool is_enumval_kind(uint32_t k)
{
	return k == BPF_CORE_ENUMVAL_EXISTS || k == BPF_CORE_ENUMVAL_VALUE;
}

/* One relocation being resolved: its record, where it came from, for errors. */
struct crelo {
	struct bobj *o;
	const struct bprog *p;
	uint32_t idx;		/* record number in the program */
	struct bpf_core_relo rec;
};

/* One step of a local access path after the root: a member's name, or an index. */
struct step {
	const char *name;	/* "" for an anonymous member */
	bool index;		/* an array index */
};

/* A field found by an access path: what the field kinds are computed from. */
struct field {
	uint32_t type_id;	/* the field's type */
	uint32_t bit_off;	/* from the root pointer */
	uint32_t bit_sz;	/* bitfield width, 0 if not a bitfield */
};

static int relo_err(const struct crelo *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int relo_err(const struct crelo *r, int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bobj__err(r->o, err, "prog '%s': CO-RE relo #%u (%s, insn #%u): %s", r->p->name,
			 r->idx, kind_name(r->rec.kind), r->rec.insn_off / INSN_SZ, msg);
}

//
// BTF helpers
//

static uint32_t skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	for (int depth = 0; t && (btf_is_mod(t) || btf_is_typedef(t)) && depth < CORE_MAX_DEPTH; depth++) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

/* Length of name without a "___flavour" suffix. */
static size_t essential_len(const char *name)
{
	const char *flavour = strstr(name, "___");

	return flavour ? (size_t)(flavour - name) : strlen(name);
}

static bool same_essential(const char *a, const char *b)
{
	size_t la = essential_len(a);

	return la == essential_len(b) && !strncmp(a, b, la);
}

static const char *type_name(const struct btf *btf, const struct btf_type *t)
{
	const char *s = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	return s ? s : "";
}

/* Kinds a candidate may have for a local kind: enums of either width match. */
static bool kinds_match(const struct btf_type *local, const struct btf_type *target)
{
	if (btf_is_any_enum(local))
		return btf_is_any_enum(target);
	return btf_kind(local) == btf_kind(target);
}

/*
 * Whether a local and a target type can stand for each other: the same kind after
 * modifiers and typedefs (a forward declaration for a struct or union of its name),
 * pointers and arrays compared through what they refer to. Names of structs, unions
 * and enums are not compared here: the candidate search or the member names do that.
 */
static bool types_compat(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid,
			 int depth)
{
	const struct btf_type *l, *t;

	if (depth > CORE_MAX_DEPTH)
		return false;
	l = btf__type_by_id(lb, skip_mods(lb, lid));
	t = btf__type_by_id(tb, skip_mods(tb, tid));
	if (!l || !t)
		return false;
	if (btf_is_fwd(l) || btf_is_fwd(t))
		return (btf_is_fwd(l) || btf_is_composite(l)) && (btf_is_fwd(t) || btf_is_composite(t)) &&
		       same_essential(type_name(lb, l), type_name(tb, t));
	if (!kinds_match(l, t))
		return false;
	if (btf_is_ptr(l))
		return true;	/* any pointer stands for any other: it is 8 bytes either way */
	if (btf_is_array(l))
		return types_compat(lb, btf_array(l)->type, tb, btf_array(t)->type, depth + 1);
	if (btf_is_func_proto(l)) {
		if (btf_vlen(l) != btf_vlen(t) ||
		    !types_compat(lb, l->type, tb, t->type, depth + 1))
			return false;
		for (int i = 0; i < btf_vlen(l); i++)
			if (!types_compat(lb, btf_params(l)[i].type, tb, btf_params(t)[i].type, depth + 1))
				return false;
	}
	return true;
}

//
// access paths
//

static int parse_access(const struct crelo *r, const char *s, uint32_t *idx, int *nr)
{
	char *end;

	*nr = 0;
	while (*s) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v > UINT32_MAX || *nr == CORE_MAX_ACCESS)
			return relo_err(r, -EINVAL, "bad access string");
		idx[(*nr)++] = v;
		s = end;
		if (*s == ':')
			s++;
		else if (*s)
			return relo_err(r, -EINVAL, "bad access string");
	}
	return *nr ? 0 : relo_err(r, -EINVAL, "empty access string");
}

/* One step of a path in a composite: the member, its bit offset and width. */
static void member_at(const struct btf_type *t, int i, uint32_t *bit_off, uint32_t *bit_sz,
		      uint32_t *type_id)
{
	const struct btf_member *m = &btf_members(t)[i];

	*bit_off = btf_member_bit_offset(t, i);
	*bit_sz = btf_member_bitfield_size(t, i);
	*type_id = m->type;
}

/* Follows idx[1..] in the local BTF from the root, noting each step in steps[]. */
static int walk_local(const struct crelo *r, const struct btf *btf, const uint32_t *idx, int nr,
		      struct field *f, struct step *steps)
{
	uint32_t id = skip_mods(btf, r->rec.type_id);
	const struct btf_type *t = btf__type_by_id(btf, id);
	long long sz = btf__resolve_size(btf, id);

	if (!t || sz < 0)
		return relo_err(r, -EINVAL, "local type [%u] has no size", r->rec.type_id);
	f->bit_off = idx[0] * (uint32_t)sz * 8;
	f->bit_sz = 0;
	f->type_id = id;
	for (int k = 1; k < nr; k++) {
		uint32_t off, bsz, next;

		t = btf__type_by_id(btf, skip_mods(btf, f->type_id));
		if (t && btf_is_composite(t) && idx[k] < btf_vlen(t)) {
			member_at(t, idx[k], &off, &bsz, &next);
			steps[k].name = btf__name_by_offset(btf, btf_members(t)[idx[k]].name_off);
			steps[k].index = false;
			if (!steps[k].name)
				steps[k].name = "";
		} else if (t && btf_is_array(t)) {
			sz = btf__resolve_size(btf, btf_array(t)->type);
			if (sz < 0)
				return relo_err(r, -EINVAL, "array element of unknown size");
			off = idx[k] * (uint32_t)sz * 8;
			bsz = 0;
			next = btf_array(t)->type;
			steps[k].name = "";
			steps[k].index = true;
		} else {
			return relo_err(r, -EINVAL, "access #%d (%u) does not fit local type [%u]", k,
					idx[k], f->type_id);
		}
		f->bit_off += off;
		f->bit_sz = bsz;
		f->type_id = next;
	}
	return 0;
}

/*
 * The member called name in composite id of the target, looked for through
 * anonymous members too; adds its bit offset to *bit_off. 1 if found.
 */
static int find_member(const struct btf *btf, uint32_t id, const char *name, uint32_t *bit_off,
		       uint32_t *bit_sz, uint32_t *type_id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, id));

	if (!t || !btf_is_composite(t) || depth > CORE_MAX_DEPTH)
		return 0;
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *mname = btf__name_by_offset(btf, btf_members(t)[i].name_off);
		uint32_t off, bsz, mtype, inner = 0;

		member_at(t, i, &off, &bsz, &mtype);
		if (mname && *mname) {
			if (!same_essential(mname, name))
				continue;
			*bit_off += off;
			*bit_sz = bsz;
			*type_id = mtype;
			return 1;
		}
		if (find_member(btf, mtype, name, &inner, bit_sz, type_id, depth + 1)) {
			*bit_off += off + inner;
			return 1;
		}
	}
	return 0;
}

/*
 * The local path in candidate cand of the target; 1 and *f filled if it fits.
 * Anonymous local members are skipped: only named steps and indices must match.
 */
static int walk_target(const struct btf *lb, const struct btf *tb, uint32_t cand,
		       const uint32_t *idx, int nr, const struct step *steps, const struct field *lf,
		       struct field *f)
{
	long long sz = btf__resolve_size(tb, cand);

	if (sz < 0)
		return 0;
	f->bit_off = idx[0] * (uint32_t)sz * 8;
	f->bit_sz = 0;
	f->type_id = cand;
	for (int k = 1; k < nr; k++) {
		const struct btf_type *t = btf__type_by_id(tb, skip_mods(tb, f->type_id));

		if (!steps[k].index && !steps[k].name[0])
			continue;	/* an anonymous member locally: find_member looks through */
		if (!steps[k].index) {
			if (!find_member(tb, f->type_id, steps[k].name, &f->bit_off, &f->bit_sz, &f->type_id, 0))
				return 0;
		} else if (t && btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			if (a->nelems && idx[k] >= a->nelems)
				return 0;
			sz = btf__resolve_size(tb, a->type);
			if (sz < 0)
				return 0;
			f->bit_off += idx[k] * (uint32_t)sz * 8;
			f->bit_sz = 0;
			f->type_id = a->type;
		} else {
			return 0;
		}
	}
	return types_compat(lb, lf->type_id, tb, f->type_id, 0);
}

//
// values
//

/* The bytes a program loads to read field f: a bitfield needs its containing int. */
static int field_load(const struct btf *btf, const struct field *f, uint32_t *byte_off,
		      uint32_t *byte_sz)
{
	long long sz = btf__resolve_size(btf, f->type_id);

	if (sz < 0)
		return -EINVAL;
	if (!f->bit_sz) {
		if (f->bit_off % 8)
			return -EINVAL;
		*byte_off = f->bit_off / 8;
		*byte_sz = sz;
		return 0;
	}
	/* the smallest naturally aligned load of at least the type's size covering the bits */
	for (*byte_sz = sz; *byte_sz <= 8; *byte_sz *= 2) {
		*byte_off = f->bit_off / 8 / *byte_sz * *byte_sz;
		if (f->bit_off + f->bit_sz <= (*byte_off + *byte_sz) * 8)
			return 0;
	}
	return -E2BIG;
}

/*
 * A load of a field whose size differs between the object and the target still
 * reads the right value only when zero extension keeps it: unsigned ints, pointers.
 */
static int load_class(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, id));

	if (t && btf_is_ptr(t))
		return 2;
	return t && btf_is_int(t) && !(btf_int_encoding(t) & BTF_INT_SIGNED) ? 1 : 0;
}

static bool field_signed(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, id));

	if (t && btf_is_int(t))
		return btf_int_encoding(t) & BTF_INT_SIGNED;
	return t && btf_is_any_enum(t) && btf_kflag(t);
}

static int field_value(const struct btf *btf, const struct field *f, uint32_t kind, uint64_t *v)
{
	uint32_t byte_off, byte_sz, bit_sz;

	if (kind == BPF_CORE_FIELD_EXISTS) {
		*v = 1;
		return 0;
	}
	if (field_load(btf, f, &byte_off, &byte_sz))
		return -EINVAL;
	bit_sz = f->bit_sz ? f->bit_sz : byte_sz * 8;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*v = byte_off;
		return 0;
	case BPF_CORE_FIELD_BYTE_SIZE:
		*v = byte_sz;
		return 0;
	case BPF_CORE_FIELD_SIGNED:
		*v = field_signed(btf, f->type_id);
		return 0;
	case BPF_CORE_FIELD_LSHIFT_U64:	/* little endian: bits above the field go */
		*v = 64 - (f->bit_off + bit_sz - byte_off * 8);
		return 0;
	case BPF_CORE_FIELD_RSHIFT_U64:
		*v = 64 - bit_sz;
		return 0;
	}
	return -EINVAL;
}

/* The enumerator at index i of enum id: its name and value. */
static int enumerator(const struct btf *btf, uint32_t id, uint32_t i, const char **name,
		      uint64_t *val)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!t || !btf_is_any_enum(t) || i >= btf_vlen(t))
		return -EINVAL;
	if (btf_is_enum(t)) {
		*name = btf__name_by_offset(btf, btf_enum(t)[i].name_off);
		*val = btf_kflag(t) ? (uint64_t)(int64_t)btf_enum(t)[i].val : (uint32_t)btf_enum(t)[i].val;
	} else {
		*name = btf__name_by_offset(btf, btf_enum64(t)[i].name_off);
		*val = btf_enum64_value(&btf_enum64(t)[i]);
	}
	return 0;
}

/* In candidate enum cand, the value of the enumerator called name; 1 if found. */
static int find_enumerator(const struct btf *btf, uint32_t cand, const char *name, uint64_t *val)
{
	const char *n;

	for (uint32_t i = 0; !enumerator(btf, cand, i, &n, val); i++)
		if (n && same_essential(n, name))
			return 1;
	return 0;
}

//
// one relocation
//

struct resolved {
	bool found;		/* some candidate matched */
	uint64_t value;		/* in the target */
	uint64_t local;		/* what the object was compiled with */
	uint32_t local_sz, target_sz;	/* field byte sizes, for a load to resize */
	bool resizable;		/* both unsigned ints, or both pointers: a load may resize */
	bool unchecked;		/* a bitfield: clang's local load may differ from ours */
};

/* Value for candidate cand, 1 if it matches; or -errno. */
static int candidate_value(const struct crelo *r, const struct btf *lb, const struct btf *tb,
			   uint32_t cand, const uint32_t *idx, int nr, const struct step *steps,
			   const struct field *lf, struct resolved *res, uint64_t *v)
{
	uint32_t k = r->rec.kind, off, sz;
	const char *lname;
	struct field f;
	uint64_t lval;

	if (is_field_kind(k)) {
		if (!walk_target(lb, tb, cand, idx, nr, steps, lf, &f))
			return 0;
		if (field_value(tb, &f, k, v))
			return relo_err(r, -EINVAL, "target field cannot be loaded");
		if (!field_load(tb, &f, &off, &sz))
			res->target_sz = sz;
		res->resizable = load_class(lb, lf->type_id) &&
				 load_class(lb, lf->type_id) == load_class(tb, f.type_id);
		return 1;
	}
	if (is_enumval_kind(k)) {
		if (enumerator(lb, skip_mods(lb, r->rec.type_id), idx[0], &lname, &lval))
			return relo_err(r, -EINVAL, "no enumerator #%u locally", idx[0]);
		if (!find_enumerator(tb, cand, lname, v))
			return 0;
		if (k == BPF_CORE_ENUMVAL_EXISTS)
			*v = 1;
		return 1;
	}
	if (!types_compat(lb, r->rec.type_id, tb, cand, 0))
		return 0;
	if (k == BPF_CORE_TYPE_SIZE) {
		long long s = btf__resolve_size(tb, cand);

		if (s < 0)
			return relo_err(r, -EINVAL, "target type [%u] has no size", cand);
		*v = s;
	} else {
		*v = k == BPF_CORE_TYPE_ID_TARGET ? cand : 1;
	}
	return 1;
}

/* The value the object was built with, to check the instruction still holds it. */
static int local_value(const struct crelo *r, const struct btf *lb, const uint32_t *idx,
		       const struct field *lf, struct resolved *res)
{
	uint32_t k = r->rec.kind, off, sz;
	const char *name;
	long long s;

	if (is_field_kind(k)) {
		if (field_value(lb, lf, k, &res->local) || field_load(lb, lf, &off, &sz))
			return relo_err(r, -EINVAL, "local field cannot be loaded");
		res->local_sz = sz;
		/*
		 * clang loads a bitfield's storage unit with the struct's alignment; the
		 * target side picks the smallest load, as the kernel and libbpf do. Any
		 * consistent choice reads the same bits, so the instruction is not checked.
		 */
		res->unchecked = lf->bit_sz && k != BPF_CORE_FIELD_EXISTS && k != BPF_CORE_FIELD_SIGNED;
		return 0;
	}
	if (is_enumval_kind(k)) {
		if (enumerator(lb, skip_mods(lb, r->rec.type_id), idx[0], &name, &res->local))
			return relo_err(r, -EINVAL, "no enumerator #%u locally", idx[0]);
		if (k == BPF_CORE_ENUMVAL_EXISTS)
			res->local = 1;
		return 0;
	}
	if (k == BPF_CORE_TYPE_SIZE) {
		s = btf__resolve_size(lb, r->rec.type_id);
		if (s < 0)
			return relo_err(r, -EINVAL, "local type [%u] has no size", r->rec.type_id);
		res->local = s;
		return 0;
	}
	res->local = k == BPF_CORE_TYPE_ID_LOCAL || k == BPF_CORE_TYPE_ID_TARGET ? r->rec.type_id : 1;
	return 0;
}

/* The type whose name finds candidates: the enum, or the root after modifiers. */
static const struct btf_type *root_type(const struct btf *lb, const struct crelo *r, uint32_t *id)
{
	*id = r->rec.type_id;
	if (is_field_kind(r->rec.kind) || is_enumval_kind(r->rec.kind))
		*id = skip_mods(lb, *id);
	return btf__type_by_id(lb, *id);
}

static int resolve(const struct crelo *r, const struct btf *lb, const struct btf *tb,
		   struct resolved *res)
{
	const char *access = btf__name_by_offset(lb, r->rec.access_str_off);
	struct step steps[CORE_MAX_ACCESS];
	uint32_t idx[CORE_MAX_ACCESS], root_id, n = btf__type_cnt(tb);
	const struct btf_type *root;
	struct field lf = {};
	int nr, err;

	memset(res, 0, sizeof(*res));
	err = parse_access(r, access ? access : "", idx, &nr);
	if (!err && is_field_kind(r->rec.kind))
		err = walk_local(r, lb, idx, nr, &lf, steps);
	err = err ?: local_value(r, lb, idx, &lf, res);
	if (err)
		return err;
	if (r->rec.kind == BPF_CORE_TYPE_ID_LOCAL) {
		res->found = true;
		res->value = res->local;
		return 0;
	}
	root = root_type(lb, r, &root_id);
	if (!root || !root->name_off)
		return relo_err(r, -EINVAL, "local type [%u] has no name to look for", r->rec.type_id);
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(tb, id);
		uint64_t v;

		if (!kinds_match(root, t) || !same_essential(type_name(lb, root), type_name(tb, t)))
			continue;
		err = candidate_value(r, lb, tb, id, idx, nr, steps, &lf, res, &v);
		if (err < 0)
			return err;
		if (!err)
			continue;
		if (res->found && v != res->value)
			return relo_err(r, -EINVAL, "ambiguous: '%s' candidates give %llu and %llu",
					type_name(lb, root), (unsigned long long)res->value,
					(unsigned long long)v);
		res->found = true;
		res->value = v;
	}
	return 0;
}

//
// patching
//

static bool is_exists_kind(uint32_t k)
{
	return k == BPF_CORE_FIELD_EXISTS || k == BPF_CORE_TYPE_EXISTS || k == BPF_CORE_ENUMVAL_EXISTS;
}

static void poison(struct bpf_insn *insn, bool ldimm64)
{
	if (ldimm64)	/* the second half becomes a no-op jump, never a stray ld_imm64 half */
		insn[1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
	insn[0] = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };
}

/*
 * A load or store of a field whose size changed: an LDX of an unsigned int or a
 * pointer takes the target's size; anything else would misread, so it is poisoned.
 */
static int resize_load(const struct crelo *r, struct bpf_insn *insn, const struct resolved *res)
{
	static const uint8_t sizes[] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W, [8] = BPF_DW };
	static const uint8_t bytes[] = { [BPF_B >> 3] = 1, [BPF_H >> 3] = 2, [BPF_W >> 3] = 4, [BPF_DW >> 3] = 8 };

	if (r->rec.kind != BPF_CORE_FIELD_BYTE_OFFSET || res->local_sz == res->target_sz ||
	    bytes[BPF_SIZE(insn->code) >> 3] != res->local_sz)
		return 0;
	if (BPF_CLASS(insn->code) != BPF_LDX || !res->resizable || res->target_sz > 8 ||
	    !sizes[res->target_sz]) {
		poison(insn, false);
		return 0;
	}
	insn->code = BPF_CLASS(insn->code) | BPF_MODE(insn->code) | sizes[res->target_sz];
	return 0;
}

static int patch(const struct crelo *r, struct bpf_insn *insn, uint32_t nr_left,
		 const struct resolved *res)
{
	uint8_t cls = BPF_CLASS(insn->code);
	bool ldimm64 = insn->code == (BPF_LD | BPF_IMM | BPF_DW);
	uint64_t v = res->value;

	if (ldimm64 && nr_left < 2)
		return relo_err(r, -EINVAL, "ld_imm64 without its second half");
	if (!res->found && !is_exists_kind(r->rec.kind)) {
		poison(insn, ldimm64);
		return 0;
	}
	if (!res->found)
		v = 0;
	if ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_SRC(insn->code) == BPF_K) {
		if (!res->unchecked && (uint32_t)insn->imm != (uint32_t)res->local)
			return relo_err(r, -EINVAL, "insn imm %d is not the local value %llu", insn->imm,
					(unsigned long long)res->local);
		if (v > UINT32_MAX)
			return relo_err(r, -ERANGE, "value %llu does not fit an imm",
					(unsigned long long)v);
		insn->imm = v;
		return 0;
	}
	if (cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX) {
		if (!res->unchecked && (uint64_t)(int64_t)insn->off != res->local)
			return relo_err(r, -EINVAL, "insn off %d is not the local value %llu", insn->off,
					(unsigned long long)res->local);
		if (v > INT16_MAX)
			return relo_err(r, -ERANGE, "offset %llu does not fit 16 bits",
					(unsigned long long)v);
		insn->off = v;
		return resize_load(r, insn, res);
	}
	if (ldimm64) {
		if (!res->unchecked &&
		    ((uint64_t)(uint32_t)insn[1].imm << 32 | (uint32_t)insn[0].imm) != res->local)
			return relo_err(r, -EINVAL, "ld_imm64 is not the local value %llu",
					(unsigned long long)res->local);
		insn[0].imm = (uint32_t)v;
		insn[1].imm = (uint32_t)(v >> 32);
		return 0;
	}
	return relo_err(r, -EINVAL, "instruction 0x%02x cannot take a CO-RE value", insn->code);
}

static int prog_core_offline(struct bobj *o, struct bprog *p, const struct btf *target)
{
	struct crelo r = { .o = o, .p = p };
	struct resolved res;
	int err = 0;

	if (p->nr_core_relo && p->core_relo_rec_size < sizeof(struct bpf_core_relo))
		return bobj__err(o, -EINVAL, "prog '%s': CO-RE records of %u bytes", p->name,
				 p->core_relo_rec_size);
	for (uint32_t i = 0; i < p->nr_core_relo && !err; i++) {
		memcpy(&r.rec, (uint8_t *)p->core_relo + (size_t)i * p->core_relo_rec_size, sizeof(r.rec));
		r.idx = i;
		if (r.rec.insn_off % INSN_SZ || r.rec.insn_off / INSN_SZ >= p->nr_insns)
			return relo_err(&r, -EINVAL, "insn_off %u is outside the program", r.rec.insn_off);
		if (r.rec.kind == BPF_CORE_TYPE_MATCHES)
			return relo_err(&r, -ENOTSUP, "not supported offline: generate without --btf so the kernel resolves it");
		if (r.rec.kind > BPF_CORE_TYPE_MATCHES)
			return relo_err(&r, -EINVAL, "unknown kind %u", r.rec.kind);
		err = resolve(&r, o->btf, target, &res);
		err = err ?: patch(&r, &p->insns[r.rec.insn_off / INSN_SZ],
				   p->nr_insns - r.rec.insn_off / INSN_SZ, &res);
	}
	if (!err) {
		free(p->core_relo);
		p->core_relo = NULL;
		p->nr_core_relo = 0;
	}
	return err;
}

int bobj__core_offline(struct bobj *o, const char *btf_path)
{
	struct btf *target;
	int err = 0;

	if (!o->btf) {
		for (size_t i = 0; i < o->nr_progs; i++)
			if (o->progs[i].nr_core_relo)
				return bobj__err(o, -EINVAL, "CO-RE relocations without BTF");
		return 0;
	}
	target = btf__parse(btf_path, NULL);
	if (!target)	/* libbpf's own errnos (4000+) mean a malformed file */
		return bobj__err(o, errno >= 4000 ? -EINVAL : -errno, "--btf %s: cannot read BTF: %s",
				 btf_path, errno >= 4000 ? "not a BTF file nor an ELF file with .BTF" :
				 strerror(errno));
	for (size_t i = 0; i < o->nr_progs && !err; i++)
		err = prog_core_offline(o, &o->progs[i], target);
	btf__free(target);
	return err;
}
