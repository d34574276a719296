/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The load, replayed offline: the ordered steps libbpf's bpf_object__load() would
 * perform for this object, written as a trace (gen_loader/trace.h).
 *
 * Blob layout: the fd_array first (one fd slot per map, in o->maps order, so that
 * BPF_PSEUDO_MAP_IDX n is map n, then the kfuncs' module BTF fds), then each step's
 * attr followed by the data it points to. Step order: extern look-ups; BTF load; per
 * map create (after its inner map template), initial value, freeze; map-in-map
 * entries; per program the attach-target look-up and the load, freplace programs
 * after all others (freplace.c); prog-array entries (map_values.c). Every attr field
 * that only the running kernel can give (fds, pointers into the blob, the user's
 * overrides in the context) is a fix-up.
 *
 * Requires bobj__relocate. Breaks nothing: the object is only read.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "../include/lskel_abi.h"

#define ATTR_END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))
#define AT(step, field) ((step)->attr_off + offsetof(union bpf_attr, field))

struct tb {
	struct bobj *o;
	struct trace *t;
	uint32_t fd_array;	/* blob offset of map 0's fd slot */
	int64_t btf_fd;		/* fd slot of the object's BTF, -1 if none */
	uint32_t license;	/* blob offset of the license string */
};

static uint32_t map_fd_slot(const struct tb *b, size_t map_idx)
{
	return b->fd_array + map_idx * sizeof(uint32_t);
}

static void fix_log(struct tb *b, struct trace_step *s, size_t level, size_t size, size_t buf)
{
	trace__fix(b->t, s, FIX_CTX_U32, s->attr_off + level, offsetof(struct lskel_loader_ctx, log_level), 0);
	trace__fix(b->t, s, FIX_CTX_U32, s->attr_off + size, offsetof(struct lskel_loader_ctx, log_size), 0);
	trace__fix(b->t, s, FIX_CTX_U64, s->attr_off + buf, offsetof(struct lskel_loader_ctx, log_buf), 0);
}

static void add_btf(struct tb *b)
{
	union bpf_attr attr = {};
	struct trace_step *s;
	const void *raw;
	uint32_t sz, data;

	if (!b->o->btf)
		return;
	raw = btf__raw_data(b->o->btf, &sz);
	attr.btf_size = sz;
	s = trace__step(b->t, BPF_BTF_LOAD, &attr, ATTR_END(btf_log_level), "btf");
	data = trace__blob_add(b->t, raw, sz, 8);
	b->btf_fd = trace__fd_slot(b->t);
	if (!s)
		return;
	s->fd_off = b->btf_fd;
	trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, btf), data, 0);
	fix_log(b, s, offsetof(union bpf_attr, btf_log_level), offsetof(union bpf_attr, btf_log_size),
		offsetof(union bpf_attr, btf_log_buf));
}

/*
 * The kernel takes a map's BTF ids in pairs: a value type without a key type only for
 * bloom filters (which have no key) and for the one-element DATASEC arrays of global
 * data. libbpf finds this out by failing and retrying without BTF; the outcome is
 * known here, so the ids are dropped up front.
 */
bool bmap__btf_ids_usable(const struct bmap *m)
{
	if (!map_type__takes_btf(m->type) || !m->btf_value_type_id)
		return false;
	if (m->btf_key_type_id)
		return true;
	return m->type == BPF_MAP_TYPE_BLOOM_FILTER || (m->kind != BMAP_USER && m->datasec_id);
}

/* The BPF_MAP_CREATE attr of m as the object defines it, before run-time fix-ups. */
void bmap__create_attr(const struct bmap *m, union bpf_attr *attr)
{
	attr->map_type = m->type;
	attr->key_size = m->key_size;
	attr->value_size = m->value_size;
	attr->max_entries = m->max_entries;
	attr->map_flags = m->map_flags;
	attr->numa_node = m->numa_node;
	attr->map_extra = m->map_extra;
	strncpy(attr->map_name, m->name, sizeof(attr->map_name) - 1);
	if (bmap__btf_ids_usable(m)) {
		attr->btf_key_type_id = m->btf_key_type_id;
		attr->btf_value_type_id = m->btf_value_type_id;
	}
}

static void add_map_create(struct tb *b, size_t i)
{
	const struct bmap *m = &b->o->maps[i];
	int64_t inner = bmap__trace_inner(b->o, b->t, i, b->btf_fd);
	union bpf_attr attr = {};
	struct trace_step *s;

	bmap__create_attr(m, &attr);
	s = trace__step(b->t, BPF_MAP_CREATE, &attr, ATTR_END(map_extra), "map '%s'", m->name);
	if (!s)
		return;
	s->fd_off = map_fd_slot(b, i);
	if (b->btf_fd >= 0)
		trace__fix(b->t, s, FIX_BLOB_U32, AT(s, btf_fd), b->btf_fd, 0);
	if (m->kind == BMAP_USER && !b->o->sign)
		trace__fix(b->t, s, FIX_CTX_U32, AT(s, max_entries),
			   m->ctx_off + offsetof(struct lskel_map_desc, max_entries), 0);
	bmap__trace_create(b->o, b->t, s, i, inner, map_fd_slot(b, i));
	if (m->kind == BMAP_STRUCT_OPS)
		st_ops__fix_map_create(b->t, s, m);
}

static void add_map_init(struct tb *b, size_t i)
{
	const struct bmap *m = &b->o->maps[i];
	union bpf_attr attr = {};
	uint32_t zero = 0, key, value;
	struct trace_step *s;

	s = trace__step(b->t, BPF_MAP_UPDATE_ELEM, &attr, ATTR_END(flags), "map '%s'", m->name);
	key = trace__blob_add(b->t, &zero, sizeof(zero), 4);
	value = trace__blob_add(b->t, m->init, m->value_size, 8);
	if (!s)
		return;
	trace__fix(b->t, s, FIX_BLOB_U32, AT(s, map_fd), map_fd_slot(b, i), 0);
	/*
	 * the user's edits of skel->bss etc. before load (not over a signed image);
	 * the runtime's kconfig values, which describe the running kernel
	 */
	if ((m->mmapable && !b->o->sign) || m->kind == BMAP_KCONFIG)
		trace__fix(b->t, s, FIX_USER_DATA, value,
			   m->ctx_off + offsetof(struct lskel_map_desc, initial_value), m->value_size);
	trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, key), key, 0);
	trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, value), value, 0);
}

static void add_map_freeze(struct tb *b, size_t i)
{
	union bpf_attr attr = {};
	struct trace_step *s;

	s = trace__step(b->t, BPF_MAP_FREEZE, &attr, ATTR_END(map_fd), "map '%s'", b->o->maps[i].name);
	if (s)
		trace__fix(b->t, s, FIX_BLOB_U32, AT(s, map_fd), map_fd_slot(b, i), 0);
}

static void add_maps(struct tb *b)
{
	for (size_t i = 0; i < b->o->nr_maps; i++) {
		const struct bmap *m = &b->o->maps[i];

		add_map_create(b, i);
		if (m->init)
			add_map_init(b, i);
		if (m->kind == BMAP_RODATA || m->kind == BMAP_KCONFIG)
			add_map_freeze(b, i);
		trace__output(b->t, map_fd_slot(b, i), m->ctx_off + offsetof(struct lskel_map_desc, map_fd));
	}
}

static void fix_blob_array(struct tb *b, struct trace_step *s, size_t ptr_field,
			   const void *data, uint32_t nr, uint32_t rec_sz)
{
	uint32_t off;

	if (!nr)
		return;
	off = trace__blob_add(b->t, data, nr * rec_sz, 8);
	trace__fix(b->t, s, FIX_BLOB_ADDR, s->attr_off + ptr_field, off, 0);
}

/* Where a BTF_FIND step leaves the attach target's type id and BTF object fd. */
struct attach_btf {
	int64_t id_off, fd_off;
};

/*
 * The look-up of p's attach target in the running kernel's BTF, if it has one. Its
 * result slots are returned by value: a later step may move the steps array.
 */
static struct attach_btf add_btf_find(struct tb *b, const struct bprog *p)
{
	struct attach_btf res = { -1, -1 };
	const struct sec_def *d = p->def;
	struct trace_step *s;
	char name[256];

	if (!(d->flags & SEC_ATTACH_BTF) || p->prog_type == BPF_PROG_TYPE_EXT)
		return res;	/* freplace: the target is in the object (freplace.c) */
	snprintf(name, sizeof(name), "%s%s", d->btf_prefix ? d->btf_prefix : "", p->attach_target);
	s = trace__btf_find(b->t, name, d->btf_kind, "prog '%s': attach target '%s'", p->name, name);
	if (!s)
		return res;
	s->cond_ctx_off = p->ctx_off + offsetof(struct lskel_prog_desc, autoload);
	res.id_off = s->id_off;
	res.fd_off = s->fd_off;
	return res;
}

static void fill_prog_attr(const struct bobj *o, const struct bprog *p, union bpf_attr *a)
{
	a->prog_type = p->prog_type;
	a->expected_attach_type = p->expected_attach_type;
	a->insn_cnt = p->nr_insns;
	a->kern_version = o->kern_version;
	a->prog_flags = p->prog_flags;
	strncpy(a->prog_name, p->name, sizeof(a->prog_name) - 1);
	a->func_info_rec_size = p->func_info_rec_size;
	a->func_info_cnt = p->nr_func_info;
	a->line_info_rec_size = p->line_info_rec_size;
	a->line_info_cnt = p->nr_line_info;
	a->core_relo_cnt = p->nr_core_relo;
	a->core_relo_rec_size = p->nr_core_relo ? p->core_relo_rec_size : 0;
}

static void add_prog(struct tb *b, size_t i)
{
	const struct bprog *p = &b->o->progs[i];
	struct attach_btf target = add_btf_find(b, p);
	struct trace_step *s;
	union bpf_attr attr = {};
	uint32_t insns, fd;

	fill_prog_attr(b->o, p, &attr);
	s = trace__step(b->t, BPF_PROG_LOAD, &attr, ATTR_END(core_relo_rec_size), "prog '%s'", p->name);
	insns = trace__blob_add(b->t, p->insns, p->nr_insns * INSN_SZ, 8);
	fd = trace__fd_slot(b->t);
	if (!s)
		return;
	s->fd_off = fd;
	s->cond_ctx_off = p->ctx_off + offsetof(struct lskel_prog_desc, autoload);
	trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, insns), insns, 0);
	trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, license), b->license, 0);
	if (b->o->nr_maps)
		trace__fix(b->t, s, FIX_BLOB_ADDR, AT(s, fd_array), b->fd_array, 0);
	if (b->btf_fd >= 0)
		trace__fix(b->t, s, FIX_BLOB_U32, AT(s, prog_btf_fd), b->btf_fd, 0);
	fix_blob_array(b, s, offsetof(union bpf_attr, func_info), p->func_info, p->nr_func_info,
		       p->func_info_rec_size);
	fix_blob_array(b, s, offsetof(union bpf_attr, line_info), p->line_info, p->nr_line_info,
		       p->line_info_rec_size);
	fix_blob_array(b, s, offsetof(union bpf_attr, core_relos), p->core_relo, p->nr_core_relo,
		       p->core_relo_rec_size);
	if (target.id_off >= 0) {
		trace__fix(b->t, s, FIX_BLOB_U32, AT(s, attach_btf_id), target.id_off, 0);
		trace__fix(b->t, s, FIX_BLOB_U32, AT(s, attach_btf_obj_fd), target.fd_off, 0);
	}
	if (p->prog_type == BPF_PROG_TYPE_STRUCT_OPS)
		st_ops__fix_prog_load(b->t, s, p);
	if (p->prog_type == BPF_PROG_TYPE_EXT)
		ext__fix_prog_load(b->o, b->t, s, p);
	bobj__trace_extern_fixes(b->o, b->t, s, i, insns, b->fd_array);
	fix_log(b, s, offsetof(union bpf_attr, log_level), offsetof(union bpf_attr, log_size),
		offsetof(union bpf_attr, log_buf));
	trace__output(b->t, fd, p->ctx_off + offsetof(struct lskel_prog_desc, prog_fd));
}

/*
 * A signed image has no run-time sizes: the loading machine could otherwise change
 * what was signed. Sizes the runtime would pick must be in the object already.
 */
static int fix_signed_sizes(struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++) {
		struct bmap *m = &o->maps[i];
		bool pow2 = m->max_entries && !(m->max_entries & (m->max_entries - 1));

		if (m->load_size == BMAP_SIZE_RINGBUF && (!pow2 || m->max_entries < 4096))
			return bobj__err(o, -EINVAL, "map '%s': a signed skeleton cannot size a ring "
					 "buffer at load: max_entries %u must be a power-of-2 multiple "
					 "of the page size", m->name, m->max_entries);
		if (m->load_size == BMAP_SIZE_CPUS && !m->max_entries)
			return bobj__err(o, -EINVAL, "map '%s': a signed skeleton cannot size a perf "
					 "event array at load: declare its max_entries", m->name);
		m->load_size = BMAP_SIZE_AS_IS;
	}
	return 0;
}

int bobj__build_trace(struct bobj *o, struct trace *t)
{
	struct tb b = { .o = o, .t = t, .btf_fd = -1 };
	int err;

	trace__init(t);
	if (o->sign && (err = fix_signed_sizes(o)))
		return err;
	t->sign = o->sign;
	t->ctx_sz = o->ctx_sz;
	for (size_t i = 0; i < o->nr_maps; i++) {
		uint32_t slot = trace__fd_slot(t);

		if (i == 0)
			b.fd_array = slot;
	}
	bobj__trace_extern_fd_array(o, t, &b.fd_array);
	b.license = trace__blob_add_str(t, o->license);
	bobj__trace_extern_lookups(o, t);	/* externs first, as libbpf resolves them */
	add_btf(&b);
	add_maps(&b);
	bobj__trace_map_slots(o, t, b.fd_array);
	for (size_t i = 0; i < o->nr_progs; i++)
		if (o->progs[i].prog_type != BPF_PROG_TYPE_EXT)
			add_prog(&b, i);
	for (size_t i = 0; i < o->nr_progs; i++)	/* freplace, once what it extends is loaded */
		if (o->progs[i].prog_type == BPF_PROG_TYPE_EXT)
			add_prog(&b, i);
	err = bobj__trace_prog_slots(o, t, b.fd_array);
	if (err)
		return err;
	if (t->err)
		return bobj__err(o, t->err, "building the load trace: %s", strerror(-t->err));
	return 0;
}
