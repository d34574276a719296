/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Maps that hold other objects, and pinned maps: what libbpf does for them, replayed.
 *
 * A map-in-map (array or hash of maps) declares its inner map with
 * __array(values, struct inner_def). The loader creates a template from that
 * definition ("<outer>.inner"), passes it as inner_map_fd to the outer's
 * BPF_MAP_CREATE and drops it (the loader closes every fd slot that is not an
 * output when it ends). A prog array declares __array(values, int (void *)).
 * Either can give initial entries, `.values = { [k] = &inner }` or
 * `.values = { [k] = (void *)&prog }`: clang turns each into a 64-bit absolute
 * relocation in .rel.maps against the target's symbol, at the entry's place in
 * the map's variable; the key is that place's offset in the values array / 8.
 *
 * Map-in-map entries are set with BPF_MAP_UPDATE_ELEM once every map exists (so
 * the order of declarations does not matter), prog-array entries once every
 * program is loaded, each only if its program was loaded (autoload), since the
 * fd slot of a program the user turned off holds no fd.
 *
 * LIBBPF_PIN_BY_NAME maps may be reused from a pin: the runtime looks the pin up
 * before the loader runs and hands a compatible map's fd in through the map's
 * map_fd (a trace input). The map's BPF_MAP_CREATE, its inner template and its
 * map-in-map entries run only while that map_fd is zero, as libbpf populates
 * only maps it created. Prog-array entries are set either way, as libbpf does:
 * they point at the programs of this load.
 *
 * bobj__collect calls bobj__collect_map_values once every map and program is
 * known; bobj__build_trace calls the trace hooks. The object is only read there.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../include/lskel_abi.h"

#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif
#ifndef R_BPF_64_ABS64
#define R_BPF_64_ABS64 2
#endif

#define ATTR_END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))
#define AT(step, field) ((step)->attr_off + offsetof(union bpf_attr, field))
#define BPF_PTR_SZ 8	/* pointers in a BPF object are 64-bit whatever the host */

static bool is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/*
 * The .maps DATASEC entry of user map m, with its definition struct in *def. Found
 * by name: in a linked object the entry may sit at a weak copy while m->sym_off,
 * where the bytes (and relocations) are, is the strong one's; both have one size.
 */
static const struct btf_var_secinfo *map_var(const struct bobj *o, const struct bmap *m,
					     const struct btf_type **def)
{
	int id = btf__find_by_name_kind(o->btf, ".maps", BTF_KIND_DATASEC);
	const struct btf_type *ds = id > 0 ? btf__type_by_id(o->btf, id) : NULL;

	for (uint32_t i = 0; ds && i < btf_vlen(ds); i++) {
		const struct btf_var_secinfo *vi = &btf_var_secinfos(ds)[i];
		const struct btf_type *var = btf__type_by_id(o->btf, vi->type);

		if (!var || !btf_is_var(var) ||
		    strcmp(btf__name_by_offset(o->btf, var->name_off), m->name))
			continue;
		*def = skip_mods(o->btf, var->type);
		return *def && btf_is_struct(*def) ? vi : NULL;
	}
	return NULL;
}

/* Inner definitions take every attribute but these two. */
static int parse_inner_member(struct bobj *o, struct bmap *in, const struct btf_member *mb)
{
	const char *name = btf__name_by_offset(o->btf, mb->name_off);

	if (!strcmp(name, "values"))
		return bobj__err(o, -ENOTSUP, "sec '.maps': map '%s': multi-level inner maps are not supported",
				 in->name);
	if (!strcmp(name, "pinning"))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': an inner map definition cannot be pinned",
				 in->name);
	return bmap__parse_member(o, in, mb);
}

static int parse_inner(struct bobj *o, struct bmap *m, const struct btf_type *def)
{
	struct bmap *in = calloc(1, sizeof(*in));
	int err = 0;

	if (!in)
		return -ENOMEM;
	m->inner = in;
	in->kind = BMAP_USER;
	in->sec_idx = m->sec_idx;
	if (asprintf(&in->name, "%s.inner", m->name) < 0) {
		in->name = NULL;
		return -ENOMEM;
	}
	in->ident = strdup(in->name);
	if (!in->ident)
		return -ENOMEM;
	for (uint32_t i = 0; i < btf_vlen(def) && !err; i++)
		err = parse_inner_member(o, in, &btf_members(def)[i]);
	if (!err && !in->type)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': no map type", in->name);
	return err;
}

/*
 * The 'values' member of m's definition: `type (*values[])` for a prog array,
 * `struct inner_def *values[]` for a map-in-map, whose inner definition is parsed
 * here. It must come last, after the map type.
 */
int bmap__parse_values(struct bobj *o, struct bmap *m, const struct btf_member *mb)
{
	bool mim = is_map_in_map(m->type), pa = m->type == BPF_MAP_TYPE_PROG_ARRAY;
	const char *what = mim ? "inner map" : "prog-array value";
	const struct btf_type *def, *t;

	if (!map_var(o, m, &def) || mb != &btf_members(def)[btf_vlen(def) - 1])
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': 'values' must be the last member",
				 m->name);
	if (!mim && !pa)
		return bobj__err(o, -ENOTSUP, "sec '.maps': map '%s': 'values' needs a map-in-map or prog array, not map type %u",
				 m->name, m->type);
	if (m->value_size && m->value_size != 4)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': value size %u conflicts with 4 of 'values'",
				 m->name, m->value_size);
	m->value_size = 4;
	t = btf__type_by_id(o->btf, mb->type);
	if (!t || !btf_is_array(t) || btf_array(t)->nelems)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': 'values' (BTF type [%u]) is not a zero-sized array",
				 m->name, mb->type);
	t = skip_mods(o->btf, btf_array(t)->type);
	if (!t || !btf_is_ptr(t))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s definition is not a pointer",
				 m->name, what);
	t = skip_mods(o->btf, t->type);
	if (pa && (!t || !btf_is_func_proto(t)))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': prog-array values must point to functions",
				 m->name);
	if (pa)
		return 0;
	if (!t || !btf_is_struct(t))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': inner map definition is not a struct",
				 m->name);
	return parse_inner(o, m, t);
}

void bmap__free_values(struct bmap *m)
{
	if (m->inner) {
		free(m->inner->name);
		free(m->inner->ident);
		free(m->inner);
		m->inner = NULL;
	}
	free(m->slots);
	m->slots = NULL;
	m->nr_slots = 0;
}

//
// .rel.maps: the initial entries
//

/* The user map whose variable holds bytes [off, off + 8) of .maps, or -1. */
static int map_at(const struct bobj *o, size_t maps_sec, uint64_t off)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *def;

	for (size_t i = 0; i < o->nr_maps; i++) {
		const struct bmap *m = &o->maps[i];

		if (m->kind != BMAP_USER || m->sec_idx != (int)maps_sec)
			continue;
		vi = map_var(o, m, &def);
		if (vi && m->sym_off <= off && off + BPF_PTR_SZ <= (uint64_t)m->sym_off + vi->size)
			return i;
	}
	return -1;
}

static int user_map_by_name(const struct bobj *o, const char *name)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].kind == BMAP_USER && !strcmp(o->maps[i].name, name))
			return i;
	return -1;
}

/* The program whose entry sym is, or -1 (a subprogram, or not code at all). */
static int prog_at(const struct bobj *o, const GElf_Sym *sym, const char *name)
{
	for (size_t i = 0; i < o->nr_progs; i++) {
		const struct bprog *p = &o->progs[i];

		if (!strcmp(p->name, name) && p->sec_idx == (int)sym->st_shndx &&
		    p->sec_off == sym->st_value)
			return i;
	}
	return -1;
}

static int add_slot(struct bmap *m, uint32_t key, uint32_t target)
{
	struct bmap_slot *s;

	for (uint32_t i = 0; i < m->nr_slots; i++)
		if (m->slots[i].key == key) {
			m->slots[i].target = target;
			return 0;
		}
	s = realloc(m->slots, (m->nr_slots + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	m->slots = s;
	m->slots[m->nr_slots++] = (struct bmap_slot){ .key = key, .target = target };
	return 0;
}

/* What relocation #idx of .rel.maps points at: a map index or a program index. */
static int relo_target(struct bobj *o, size_t idx, const struct bmap *m, size_t maps_sec,
		       const struct elf_sym *s)
{
	int target;

	if (is_map_in_map(m->type)) {
		target = s->sym.st_shndx == maps_sec ? user_map_by_name(o, s->name) : -1;
		if (target < 0)
			return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: map '%s': '%s' is not a map defined in .maps",
					 idx, m->name, s->name);
		if (m->type == BPF_MAP_TYPE_HASH_OF_MAPS && m->key_size != 4)
			return bobj__err(o, -EINVAL, "sec '.maps': map '%s': initial values need a 4-byte key, not %u",
					 m->name, m->key_size);
		return target;
	}
	target = prog_at(o, &s->sym, s->name);
	if (target < 0)
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: map '%s': '%s' is not a program entry point",
				 idx, m->name, s->name);
	return target;
}

static int collect_relo(struct bobj *o, size_t maps_sec, const GElf_Rel *rel, size_t idx)
{
	const struct elf_sym *s = bobj__sym(o, GELF_R_SYM(rel->r_info));
	const struct btf_type *def;
	uint32_t type = GELF_R_TYPE(rel->r_info), moff;
	struct bmap *m;
	int mi, target;

	if (!s)
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: bad symbol index %zu", idx,
				 (size_t)GELF_R_SYM(rel->r_info));
	if (type != R_BPF_64_ABS64 && type != R_BPF_64_64)
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: type %u against '%s' is not a 64-bit pointer",
				 idx, type, s->name);
	mi = map_at(o, maps_sec, rel->r_offset);
	if (mi < 0)
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: offset %zu against '%s' is in no map",
				 idx, (size_t)rel->r_offset, s->name);
	m = &o->maps[mi];
	if (!map_var(o, m, &def) || !btf_vlen(def) ||
	    strcmp(btf__name_by_offset(o->btf, btf_members(def)[btf_vlen(def) - 1].name_off), "values"))
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: map '%s' has no 'values' to initialise",
				 idx, m->name);
	moff = btf_member_bit_offset(def, btf_vlen(def) - 1) / 8;
	if (rel->r_offset < (uint64_t)m->sym_off + moff ||
	    (rel->r_offset - m->sym_off - moff) % BPF_PTR_SZ)
		return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: map '%s': offset %zu is not an entry of 'values'",
				 idx, m->name, (size_t)rel->r_offset);
	target = relo_target(o, idx, m, maps_sec, s);
	if (target < 0)
		return target;
	return add_slot(m, (rel->r_offset - m->sym_off - moff) / BPF_PTR_SZ, target);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct bmap_slot *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int check_map_in_map(struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].kind == BMAP_USER && is_map_in_map(o->maps[i].type) &&
		    !o->maps[i].inner)
			return bobj__err(o, -EINVAL, "sec '.maps': map '%s': a map-in-map needs its inner map, as __array(values, struct ...)",
					 o->maps[i].name);
	return 0;
}

int bobj__collect_map_values(struct bobj *o)
{
	const struct elf_sec *rs = NULL;
	size_t maps_sec = 0, n;
	int err = check_map_in_map(o);

	for (size_t i = 1; i < o->nr_secs; i++)
		if (o->secs[i].kind == SK_MAPS)
			maps_sec = i;
	for (size_t i = 1; i < o->nr_secs && maps_sec; i++)
		if (o->secs[i].shdr.sh_type == SHT_REL && o->secs[i].shdr.sh_info == maps_sec)
			rs = &o->secs[i];
	n = rs && rs->data ? rs->data->d_size / sizeof(Elf64_Rel) : 0;
	for (size_t i = 0; i < n && !err; i++) {
		GElf_Rel rel;

		if (!gelf_getrel(rs->data, i, &rel))
			return bobj__err(o, -EINVAL, "sec '.maps': relo #%zu: cannot read", i);
		err = collect_relo(o, maps_sec, &rel, i);
	}
	for (size_t i = 0; i < o->nr_maps && !err; i++)
		qsort(o->maps[i].slots, o->maps[i].nr_slots, sizeof(struct bmap_slot), cmp_slot);
	return err;
}

//
// trace pieces
//

static uint32_t map_fd_ctx(const struct bmap *m)
{
	return m->ctx_off + offsetof(struct lskel_map_desc, map_fd);
}

/* A step that only runs while m was not handed in from a pin. */
static void only_if_created(struct trace_step *s, const struct bmap *m)
{
	if (!s || !m->pinning)
		return;
	s->cond_ctx_off = map_fd_ctx(m);
	s->cond_zero = true;
}

int64_t bmap__trace_inner(const struct bobj *o, struct trace *t, size_t map_idx, int64_t btf_fd)
{
	const struct bmap *m = &o->maps[map_idx], *in = m->inner;
	union bpf_attr attr = {};
	struct trace_step *s;
	uint32_t fd;

	if (!in)
		return -1;
	bmap__create_attr(in, &attr);
	s = trace__step(t, BPF_MAP_CREATE, &attr, ATTR_END(map_extra), "map '%s'", in->name);
	fd = trace__fd_slot(t);
	if (!s)
		return -1;
	s->fd_off = fd;
	if (btf_fd >= 0)
		trace__fix(t, s, FIX_BLOB_U32, AT(s, btf_fd), btf_fd, 0);
	only_if_created(s, m);
	return fd;
}

void bmap__trace_create(const struct bobj *o, struct trace *t, struct trace_step *s,
			size_t map_idx, int64_t inner_fd, uint32_t fd_slot)
{
	const struct bmap *m = &o->maps[map_idx];

	if (!s)
		return;
	if (inner_fd >= 0)
		trace__fix(t, s, FIX_BLOB_U32, AT(s, inner_map_fd), inner_fd, 0);
	if (!m->pinning)
		return;
	only_if_created(s, m);
	trace__input(t, fd_slot, map_fd_ctx(m));
}

/* BPF_MAP_UPDATE_ELEM of m[key] = the u32 fd in value_slot */
static struct trace_step *add_update(struct trace *t, const struct bmap *m, uint32_t map_slot,
				     uint32_t key, uint32_t value_slot, const char *kind,
				     const char *target)
{
	union bpf_attr attr = {};
	struct trace_step *s;
	uint32_t key_off;

	s = trace__step(t, BPF_MAP_UPDATE_ELEM, &attr, ATTR_END(flags), "map '%s': [%u] = %s '%s'",
			m->name, key, kind, target);
	key_off = trace__blob_add(t, &key, sizeof(key), 4);
	if (!s)
		return NULL;
	trace__fix(t, s, FIX_BLOB_U32, AT(s, map_fd), map_slot, 0);
	trace__fix(t, s, FIX_BLOB_ADDR, AT(s, key), key_off, 0);
	trace__fix(t, s, FIX_BLOB_ADDR, AT(s, value), value_slot, 0);
	return s;
}

void bobj__trace_map_slots(const struct bobj *o, struct trace *t, uint32_t fd_array)
{
	for (size_t i = 0; i < o->nr_maps; i++) {
		const struct bmap *m = &o->maps[i];

		if (!is_map_in_map(m->type))
			continue;
		for (uint32_t j = 0; j < m->nr_slots; j++) {
			const struct bmap_slot *sl = &m->slots[j];
			struct trace_step *s;

			s = add_update(t, m, fd_array + i * 4, sl->key, fd_array + sl->target * 4,
				       "map", o->maps[sl->target].name);
			only_if_created(s, m);
		}
	}
}

/* The fd slot a program's load step writes, found through its output. */
int64_t bprog__trace_fd_slot(const struct trace *t, const struct bprog *p)
{
	uint32_t ctx = p->ctx_off + offsetof(struct lskel_prog_desc, prog_fd);

	for (uint32_t i = 0; i < t->nr_outputs; i++)
		if (t->outputs[i].ctx_off == ctx)
			return t->outputs[i].fd_off;
	return -1;
}

int bobj__trace_prog_slots(struct bobj *o, struct trace *t, uint32_t fd_array)
{
	for (size_t i = 0; i < o->nr_maps && !t->err; i++) {
		const struct bmap *m = &o->maps[i];

		if (m->type != BPF_MAP_TYPE_PROG_ARRAY)
			continue;
		for (uint32_t j = 0; j < m->nr_slots; j++) {
			const struct bprog *p = &o->progs[m->slots[j].target];
			int64_t fd = bprog__trace_fd_slot(t, p);
			struct trace_step *s;

			if (fd < 0)
				return bobj__err(o, -EINVAL, "map '%s': prog '%s' has no fd slot",
						 m->name, p->name);
			s = add_update(t, m, fd_array + i * 4, m->slots[j].key, fd, "prog", p->name);
			if (s)
				s->cond_ctx_off = p->ctx_off + offsetof(struct lskel_prog_desc, autoload);
		}
	}
	return 0;
}
