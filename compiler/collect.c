/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Collecting what the object defines: functions (program entries and subprograms),
 * programs with their SEC() conventions, BTF-defined maps from .maps and one array
 * map per global data section, in the orders libbpf uses (programs by section and
 * offset; user maps in .maps order, then data maps in section order), so the skeleton
 * fields and the kernel objects line up with a libbpf load of the same object.
 *
 * Requires bobj__open. Fills o->funcs, o->progs, o->maps and the context layout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../include/lskel_abi.h"

#define MAP_TYPE_MAX_KNOWN 40	/* newer than any kernel's last map type as of 6.18 */

static void *grow_arr(void *arr, size_t nr, size_t elem)
{
	return realloc(arr, (nr + 1) * elem);
}

static int add_func(struct bobj *o, size_t sym_idx)
{
	const struct elf_sym *s = &o->syms[sym_idx];
	const struct elf_sec *sec = bobj__sec(o, s->sym.st_shndx);
	struct bfunc *f;

	if (s->sym.st_value % INSN_SZ || s->sym.st_size % INSN_SZ || !s->sym.st_size ||
	    s->sym.st_value + s->sym.st_size > sec->shdr.sh_size)
		return bobj__err(o, -EINVAL, "sec '%s': func '%s': bad offset %zu or size %zu",
				 sec->name, s->name, (size_t)s->sym.st_value, (size_t)s->sym.st_size);
	f = grow_arr(o->funcs, o->nr_funcs, sizeof(*f));
	if (!f)
		return -ENOMEM;
	o->funcs = f;
	f = &o->funcs[o->nr_funcs++];
	f->name = s->name;
	f->sec_idx = s->sym.st_shndx;
	f->off = s->sym.st_value / INSN_SZ;
	f->cnt = s->sym.st_size / INSN_SZ;
	f->prog_idx = -1;
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct bfunc *x = a, *y = b;

	if (x->sec_idx != y->sec_idx)
		return x->sec_idx < y->sec_idx ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int collect_funcs(struct bobj *o)
{
	int err = 0;

	for (size_t i = 1; i < o->nr_syms && !err; i++) {
		const GElf_Sym *sym = &o->syms[i].sym;
		const struct elf_sec *sec = bobj__sec(o, sym->st_shndx);

		if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || !sec ||
		    (sec->kind != SK_PROG && sec->kind != SK_TEXT))
			continue;
		if (sec->kind == SK_PROG && GELF_ST_BIND(sym->st_info) == STB_LOCAL)
			return bobj__err(o, -ENOTSUP, "sec '%s': prog '%s': static programs are not supported",
					 sec->name, o->syms[i].name);
		err = add_func(o, i);
	}
	if (!err)
		qsort(o->funcs, o->nr_funcs, sizeof(*o->funcs), cmp_func);
	for (size_t i = 1; i < o->nr_funcs && !err; i++) {
		const struct bfunc *a = &o->funcs[i - 1], *b = &o->funcs[i];

		if (a->sec_idx == b->sec_idx && a->off + a->cnt > b->off)
			return bobj__err(o, -EINVAL, "sec '%s': funcs '%s' and '%s' overlap",
					 o->secs[a->sec_idx].name, a->name, b->name);
	}
	return err;
}

static int add_prog(struct bobj *o, struct bfunc *f)
{
	const char *sec_name = o->secs[f->sec_idx].name;
	bool optional = sec_name[0] == '?';
	const struct sec_def *def;
	struct bprog *p;

	if (optional)
		sec_name++;
	def = sec_def__find(sec_name);
	if (!def)
		return bobj__err(o, -ENOTSUP, "sec '%s': prog '%s': unknown section name",
				 o->secs[f->sec_idx].name, f->name);
	p = grow_arr(o->progs, o->nr_progs, sizeof(*p));
	if (!p)
		return -ENOMEM;
	o->progs = p;
	p = &o->progs[o->nr_progs];
	memset(p, 0, sizeof(*p));
	f->prog_idx = o->nr_progs++;
	p->name = strdup(f->name);
	p->sec_name = strdup(sec_name);
	if (!p->name || !p->sec_name)
		return -ENOMEM;
	p->def = def;
	p->attach_target = sec_def__target(def, p->sec_name);
	p->prog_type = def->prog_type;
	p->expected_attach_type = def->expected_attach_type;
	p->prog_flags = (def->flags & SEC_SLEEPABLE ? BPF_F_SLEEPABLE : 0) |
			(def->flags & SEC_XDP_FRAGS ? BPF_F_XDP_HAS_FRAGS : 0);
	p->autoload = !optional;
	p->sec_idx = f->sec_idx;
	p->sec_off = f->off * INSN_SZ;
	if ((def->flags & SEC_ATTACH_BTF) && (!p->attach_target || !*p->attach_target))
		return bobj__err(o, -EINVAL, "sec '%s': prog '%s': needs an attach target after '/'",
				 o->secs[f->sec_idx].name, f->name);
	return 0;
}

static int collect_progs(struct bobj *o)
{
	int err = 0;

	for (size_t i = 0; i < o->nr_funcs && !err; i++)
		if (o->secs[o->funcs[i].sec_idx].kind == SK_PROG)
			err = add_prog(o, &o->funcs[i]);
	return err;
}

/* Map definition attributes: __uint(x, N) is "int (*x)[N]", __ulong is an enum. */
static int map_attr_int(struct bobj *o, const char *map, const struct btf_member *m,
			uint64_t *res)
{
	const char *name = btf__name_by_offset(o->btf, m->name_off);
	const struct btf_type *t = btf__type_by_id(o->btf, m->type);

	if (t && btf_is_ptr(t)) {
		const struct btf_type *a = btf__type_by_id(o->btf, t->type);

		if (a && btf_is_array(a)) {
			*res = btf_array(a)->nelems;
			return 0;
		}
	}
	if (t && btf_is_enum(t) && btf_vlen(t) == 1) {
		*res = (uint32_t)btf_enum(t)->val;
		return 0;
	}
	if (t && btf_is_enum64(t) && btf_vlen(t) == 1) {
		*res = btf_enum64_value(btf_enum64(t));
		return 0;
	}
	return bobj__err(o, -EINVAL, "sec '.maps': map '%s': attr '%s': BTF type [%u] is not __uint()/__ulong()",
			 map, name, m->type);
}

static int map_attr_type(struct bobj *o, const char *map, const struct btf_member *m,
			 uint32_t *type_id, uint32_t *size)
{
	const char *name = btf__name_by_offset(o->btf, m->name_off);
	const struct btf_type *t = btf__type_by_id(o->btf, m->type);
	long long sz;

	if (!t || !btf_is_ptr(t))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': attr '%s': BTF type [%u] is not __type()",
				 map, name, m->type);
	sz = btf__resolve_size(o->btf, t->type);
	if (sz < 0)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': attr '%s': size of BTF type [%u] unknown",
				 map, name, t->type);
	if (*size && *size != sz)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': attr '%s': size %lld conflicts with %u",
				 map, name, sz, *size);
	*type_id = t->type;
	*size = sz;
	return 0;
}

static int set_u32(struct bobj *o, const char *map, const char *attr, uint64_t v, uint32_t *dst)
{
	if (v > UINT32_MAX)
		return bobj__err(o, -ERANGE, "sec '.maps': map '%s': attr '%s': %llu does not fit 32 bits",
				 map, attr, (unsigned long long)v);
	if (*dst && *dst != v)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': attr '%s': %llu conflicts with %u",
				 map, attr, (unsigned long long)v, *dst);
	*dst = v;
	return 0;
}

static int map_member(struct bobj *o, struct bmap *m, const struct btf_member *mb)
{
	const char *name = btf__name_by_offset(o->btf, mb->name_off);
	uint64_t v = 0;
	int err;

	if (!strcmp(name, "key"))
		return map_attr_type(o, m->name, mb, &m->btf_key_type_id, &m->key_size);
	if (!strcmp(name, "value"))
		return map_attr_type(o, m->name, mb, &m->btf_value_type_id, &m->value_size);
	if (!strcmp(name, "values"))
		return bmap__parse_values(o, m, mb);
	err = map_attr_int(o, m->name, mb, &v);
	if (err)
		return err;
	if (!strcmp(name, "type"))
		return set_u32(o, m->name, name, v, &m->type);
	if (!strcmp(name, "max_entries"))
		return set_u32(o, m->name, name, v, &m->max_entries);
	if (!strcmp(name, "map_flags"))
		return set_u32(o, m->name, name, v, &m->map_flags);
	if (!strcmp(name, "numa_node"))
		return set_u32(o, m->name, name, v, &m->numa_node);
	if (!strcmp(name, "key_size"))
		return set_u32(o, m->name, name, v, &m->key_size);
	if (!strcmp(name, "value_size"))
		return set_u32(o, m->name, name, v, &m->value_size);
	if (!strcmp(name, "pinning")) {
		if (v > 1)
			return bobj__err(o, -EINVAL, "sec '.maps': map '%s': invalid pinning %llu",
					 m->name, (unsigned long long)v);
		m->pinning = v;
		return 0;
	}
	if (!strcmp(name, "map_extra")) {
		m->map_extra = v;
		return 0;
	}
	return bobj__err(o, -ENOTSUP, "sec '.maps': map '%s': unknown attr '%s'", m->name, name);
}

int bmap__parse_member(struct bobj *o, struct bmap *m, const struct btf_member *mb)
{
	return map_member(o, m, mb);
}

static struct bmap *new_map(struct bobj *o)
{
	struct bmap *m = grow_arr(o->maps, o->nr_maps, sizeof(*m));

	if (!m)
		return NULL;
	o->maps = m;
	m = &o->maps[o->nr_maps++];
	memset(m, 0, sizeof(*m));
	return m;
}

struct bmap *bobj__new_map(struct bobj *o)
{
	return new_map(o);
}

static int add_user_map(struct bobj *o, size_t sec_idx, const struct btf_var_secinfo *vsi)
{
	const struct btf_type *var = btf__type_by_id(o->btf, vsi->type), *def;
	const char *name = var ? btf__name_by_offset(o->btf, var->name_off) : NULL;
	struct bmap *m;
	int err = 0;

	if (!var || !btf_is_var(var) || !name)
		return bobj__err(o, -EINVAL, "sec '.maps': BTF type [%u] is not a VAR", vsi->type);
	def = btf__type_by_id(o->btf, var->type);
	while (def && (btf_is_mod(def) || btf_is_typedef(def)))
		def = btf__type_by_id(o->btf, def->type);
	if (!def || !btf_is_struct(def))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': definition is not a struct",
				 name);
	m = new_map(o);
	if (!m)
		return -ENOMEM;
	m->kind = BMAP_USER;
	m->sec_idx = sec_idx;
	m->sym_off = vsi->offset;
	m->name = strdup(name);
	m->ident = strdup(name);
	if (!m->name || !m->ident)
		return -ENOMEM;
	for (uint32_t i = 0; i < btf_vlen(def) && !err; i++)
		err = map_member(o, m, &btf_members(def)[i]);
	if (!err && !m->type)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': no map type", name);
	if (!err && m->type > MAP_TYPE_MAX_KNOWN)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': unknown map type %u", name, m->type);
	return err;
}

static int find_datasec(const struct bobj *o, const char *name)
{
	uint32_t n = o->btf ? btf__type_cnt(o->btf) : 0;

	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(o->btf, id);

		if (btf_is_datasec(t) && !strcmp(btf__name_by_offset(o->btf, t->name_off), name))
			return id;
	}
	return 0;
}

static int collect_user_maps(struct bobj *o)
{
	const struct btf_type *ds;
	size_t sec_idx = 0;
	int id, err = 0;

	for (size_t i = 1; i < o->nr_secs; i++)
		if (o->secs[i].kind == SK_MAPS)
			sec_idx = i;
	if (!sec_idx)
		return 0;
	id = find_datasec(o, ".maps");
	if (!id)
		return bobj__err(o, -EINVAL, "sec '.maps': no BTF DATASEC (legacy 'maps' definitions are not supported)");
	ds = btf__type_by_id(o->btf, id);
	for (uint32_t i = 0; i < btf_vlen(ds) && !err; i++)
		err = add_user_map(o, sec_idx, &btf_var_secinfos(ds)[i]);
	return err;
}

/* The kernel name libbpf gives a data map: object name prefix plus section name. */
static char *data_map_name(const struct bobj *o, const char *sec_name)
{
	size_t sfx = strlen(sec_name) > 7 ? strlen(sec_name) : 7, pfx;
	char buf[BPF_OBJ_NAME_LEN];

	if (sfx >= BPF_OBJ_NAME_LEN)
		sfx = BPF_OBJ_NAME_LEN - 1;
	pfx = strchr(sec_name + 1, '.') ? 0 : BPF_OBJ_NAME_LEN - sfx - 1;
	if (pfx > strlen(o->name))
		pfx = strlen(o->name);
	snprintf(buf, sizeof(buf), "%.*s%.*s", (int)pfx, o->name, (int)sfx, sec_name);
	for (char *p = buf; *p; p++)
		if (!(*p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			*p = '_';
	return strdup(buf);
}

static bool datasec_has_global(const struct bobj *o, int id)
{
	const struct btf_type *ds = btf__type_by_id(o->btf, id);

	for (uint32_t i = 0; i < btf_vlen(ds); i++) {
		const struct btf_type *v = btf__type_by_id(o->btf, btf_var_secinfos(ds)[i].type);

		if (v && btf_is_var(v) && btf_var(v)->linkage != BTF_VAR_STATIC)
			return true;
	}
	return false;
}

/* Far above what any kernel accepts for one array value; keeps a damaged size honest. */
#define DATA_SEC_MAX (1u << 30)

static int add_data_map(struct bobj *o, size_t sec_idx)
{
	struct elf_sec *s = &o->secs[sec_idx];
	struct bmap *m;

	if (s->shdr.sh_size > DATA_SEC_MAX)
		return bobj__err(o, -E2BIG, "sec '%s': size %zu is over the %u bytes a data map can hold",
				 s->name, (size_t)s->shdr.sh_size, DATA_SEC_MAX);
	if (s->kind != SK_BSS && (!s->data || s->data->d_size != s->shdr.sh_size))
		return bobj__err(o, -EINVAL, "sec '%s': section data does not match its size", s->name);
	m = new_map(o);
	if (!m)
		return -ENOMEM;
	s->map_idx = o->nr_maps - 1;
	m->kind = s->kind == SK_RODATA ? BMAP_RODATA : BMAP_DATA;
	m->sec_idx = sec_idx;
	m->name = data_map_name(o, s->name);
	m->sec_name = strdup(s->name);
	m->ident = skel_ident_from_sec(s->name);
	m->init = calloc(1, s->shdr.sh_size);
	if (!m->name || !m->sec_name || !m->ident || !m->init)
		return -ENOMEM;
	if (s->kind != SK_BSS)
		memcpy(m->init, s->data->d_buf, s->shdr.sh_size);
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = sizeof(uint32_t);
	m->value_size = s->shdr.sh_size;
	m->max_entries = 1;
	m->map_flags = m->kind == BMAP_RODATA ? BPF_F_RDONLY_PROG : 0;
	m->datasec_id = find_datasec(o, s->name);
	m->btf_value_type_id = m->datasec_id;
	m->mmapable = m->datasec_id && datasec_has_global(o, m->datasec_id);
	if (m->mmapable)
		m->map_flags |= BPF_F_MMAPABLE;
	return 0;
}

static int collect_data_maps(struct bobj *o)
{
	int err = 0;

	for (size_t i = 1; i < o->nr_secs && !err; i++) {
		enum sec_kind k = o->secs[i].kind;

		if (k == SK_KCONFIG && o->secs[i].shdr.sh_size)
			return bobj__err(o, -EINVAL, "sec '.kconfig': holds data: __kconfig variables are declared extern, not defined");
		if ((k == SK_DATA || k == SK_RODATA || k == SK_BSS) && o->secs[i].shdr.sh_size)
			err = add_data_map(o, i);
	}
	return err;
}

int bobj__map_by_sec(const struct bobj *o, size_t sec_idx, uint32_t sym_off)
{
	for (size_t i = 0; i < o->nr_maps; i++) {
		const struct bmap *m = &o->maps[i];

		if (m->sec_idx == (int)sec_idx && (m->kind != BMAP_USER || m->sym_off == sym_off))
			return i;
	}
	return -1;
}

/* Skeleton identifiers must be unique C names: two sections can sanitise alike. */
static int check_idents(struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(o->maps[i].ident, o->maps[j].ident))
				return bobj__err(o, -EINVAL, "map '%s' and map '%s' both become skeleton field '%s'",
						 o->maps[j].name, o->maps[i].name, o->maps[i].ident);
	return 0;
}

static void layout_ctx(struct bobj *o)
{
	uint32_t off = sizeof(struct lskel_loader_ctx);

	for (size_t i = 0; i < o->nr_maps; i++, off += sizeof(struct lskel_map_desc))
		o->maps[i].ctx_off = off;
	for (size_t i = 0; i < o->nr_progs; i++, off += sizeof(struct lskel_prog_desc))
		o->progs[i].ctx_off = off;
	o->ctx_sz = bobj__layout_st_ops_ctx(o, off);
}

int bobj__collect(struct bobj *o)
{
	int err;

	err = collect_funcs(o);
	err = err ?: collect_progs(o);
	err = err ?: collect_user_maps(o);
	err = err ?: collect_data_maps(o);
	err = err ?: bobj__add_kconfig_map(o);
	err = err ?: bobj__check_map_types(o);
	err = err ?: bobj__collect_map_values(o);
	err = err ?: bobj__collect_st_ops(o);
	err = err ?: check_idents(o);
	if (!err)
		layout_ctx(o);
	return err;
}
