/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * struct_ops: variables of a kernel struct type (struct tcp_congestion_ops cc =
 * { .ssthresh = (void *)prog, .name = "x" }) in SEC(".struct_ops") or
 * SEC(".struct_ops.link"), each one BPF_MAP_TYPE_STRUCT_OPS map, and the
 * SEC("struct_ops/...") programs their function pointers name.
 *
 * Only the object's side is known here. The kernel's layout of the type (its size,
 * member offsets, the index of the member a program implements, the type ids) is
 * the running kernel's business: the skeleton's runtime reads it from the kernel's
 * BTF before it runs the loader, checks the object's members against it by name,
 * and hands the loader the numbers through the context (struct
 * lskel_st_ops_map_desc and lskel_st_ops_prog_desc). So this file records, per map,
 * the object's type name and every member (name, offset, size, BTF kind, the
 * program a function pointer names), and the bytes of the variable with every
 * pointer cleared; it wires the loader's map create and program loads to the
 * context records. The value itself is written by the runtime, after load, from
 * program fds and these bytes.
 *
 * What the object alone can get wrong is refused here, as libbpf refuses it when it
 * opens the object: a bitfield or anonymous member, a relocation that is not a
 * function pointer member set to a struct_ops program, a program bound to two
 * different members, a struct_ops program no map uses, a pointer member set to
 * anything but a program.
 *
 * Requires bobj__collect's programs and maps (struct_ops maps come last, as in
 * libbpf). Adds maps; sets bprog.st_ctx_off when the context is laid out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "internal.h"
#include "../include/lskel_abi.h"

#ifndef BPF_F_LINK
#define BPF_F_LINK (1U << 13)
#endif
#ifndef R_BPF_64_ABS64
#define R_BPF_64_ABS64 2
#endif

#define ST_OPS_SEC ".struct_ops"
#define ST_OPS_LINK_SEC ".struct_ops.link"

/* One struct_ops section while its variables become maps. */
struct st_sec {
	struct bobj *o;
	size_t sec_idx;
	const char *name;
	const uint8_t *data;	/* NULL: all zero */
	size_t size;
	size_t first_map;	/* its maps are o->maps[first_map..] */
};

static bool is_st_ops_sec(const char *name)
{
	return !strcmp(name, ST_OPS_SEC) || !strcmp(name, ST_OPS_LINK_SEC);
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

static bool is_func_ptr(const struct btf *btf, const struct btf_type *t)
{
	if (!btf_is_ptr(t))
		return false;
	t = skip_mods(btf, t->type, NULL);
	return t && btf_is_func_proto(t);
}

/* libbpf's "essential name": a local flavour tcp_congestion_ops___v2 is the kernel's type */
static char *essential_name(const char *name)
{
	const char *flavour = strstr(name, "___");

	return strndup(name, flavour ? (size_t)(flavour - name) : strlen(name));
}

static int add_member(struct st_sec *ss, struct bmap *m, const struct btf_type *st, uint32_t i)
{
	const struct btf *btf = ss->o->btf;
	const struct btf_member *bm = &btf_members(st)[i];
	struct bst_member *mb = &m->st_ops->members[i];
	const struct btf_type *mt = skip_mods(btf, bm->type, NULL);
	long long size = btf__resolve_size(btf, bm->type);

	mb->name = btf__name_by_offset(btf, bm->name_off);
	mb->prog_idx = -1;
	if (!mb->name || !mb->name[0])
		return bobj__err(ss->o, -ENOTSUP, "sec '%s': map '%s': anonymous members are not supported",
				 ss->name, m->name);
	if (btf_member_bitfield_size(st, i) || btf_member_bit_offset(st, i) % 8)
		return bobj__err(ss->o, -ENOTSUP, "sec '%s': map '%s': member '%s': bitfields are not supported",
				 ss->name, m->name, mb->name);
	if (!mt || size < 0 || btf_member_bit_offset(st, i) / 8 + size > m->st_ops->size)
		return bobj__err(ss->o, -EINVAL, "sec '%s': map '%s': member '%s': bad type or size",
				 ss->name, m->name, mb->name);
	mb->off = btf_member_bit_offset(st, i) / 8;
	mb->size = size;
	mb->btf_kind = btf_kind(mt);
	mb->kind = is_func_ptr(btf, mt) ? BST_NULL : BST_DATA;
	return 0;
}

/* A new map for the variable at vsi, its members read from the object's type. */
static int add_map(struct st_sec *ss, const struct btf_var_secinfo *vsi)
{
	const struct btf *btf = ss->o->btf;
	const struct btf_type *var = btf__type_by_id(btf, vsi->type), *st;
	const char *name = var ? btf__name_by_offset(btf, var->name_off) : NULL;
	struct bst_ops *so;
	uint32_t type_id;
	struct bmap *m;
	int err = 0;

	if (!var || !btf_is_var(var) || !name)
		return bobj__err(ss->o, -EINVAL, "sec '%s': BTF type [%u] is not a VAR", ss->name, vsi->type);
	st = skip_mods(btf, var->type, &type_id);
	if (!st || !btf_is_struct(st) || !st->name_off)
		return bobj__err(ss->o, -EINVAL, "sec '%s': map '%s': type is not a named struct",
				 ss->name, name);
	if ((uint64_t)vsi->offset + st->size > ss->size)
		return bobj__err(ss->o, -EINVAL, "sec '%s': map '%s': past the end of the section",
				 ss->name, name);
	m = bobj__new_map(ss->o);
	so = m ? calloc(1, sizeof(*so)) : NULL;
	if (!so)
		return -ENOMEM;
	m->st_ops = so;
	m->kind = BMAP_STRUCT_OPS;
	m->sec_idx = ss->sec_idx;
	m->sym_off = vsi->offset;
	m->name = strdup(name);
	m->ident = strdup(name);
	m->type = BPF_MAP_TYPE_STRUCT_OPS;
	m->key_size = sizeof(uint32_t);
	m->max_entries = 1;
	/* no btf_value_type_id: the kernel takes only btf_vmlinux_value_type_id, with btf_fd */
	so->link = !strcmp(ss->name, ST_OPS_LINK_SEC);
	m->map_flags = so->link ? BPF_F_LINK : 0;
	so->type_id = type_id;
	so->type_name = essential_name(btf__name_by_offset(btf, st->name_off));
	so->size = st->size;
	so->image = calloc(1, st->size ? st->size : 1);
	so->members = calloc(btf_vlen(st) ? btf_vlen(st) : 1, sizeof(*so->members));
	if (!m->name || !m->ident || !so->type_name || !so->image || !so->members)
		return -ENOMEM;
	if (ss->data)
		memcpy(so->image, ss->data + vsi->offset, st->size);
	so->nr_members = btf_vlen(st);
	for (uint32_t i = 0; i < so->nr_members && !err; i++)
		err = add_member(ss, m, st, i);
	return err;
}

/* The map holding section offset off, and the member starting exactly there. */
static struct bmap *map_at(struct st_sec *ss, uint64_t off, struct bst_member **mb)
{
	for (size_t i = ss->first_map; i < ss->o->nr_maps; i++) {
		struct bmap *m = &ss->o->maps[i];

		if (off < m->sym_off || off >= m->sym_off + m->st_ops->size)
			continue;
		*mb = NULL;
		for (uint32_t j = 0; j < m->st_ops->nr_members; j++)
			if (m->st_ops->members[j].off == off - m->sym_off)
				*mb = &m->st_ops->members[j];
		return m;
	}
	return NULL;
}

static int prog_at(const struct bobj *o, size_t sec_idx, uint64_t off)
{
	for (size_t i = 0; i < o->nr_progs; i++)
		if (o->progs[i].sec_idx == (int)sec_idx && o->progs[i].sec_off == off)
			return i;
	return -1;
}

/* One relocation of the section: a function pointer member set to a program. */
static int bind_rel(struct st_sec *ss, size_t i, const GElf_Rel *rel)
{
	struct bobj *o = ss->o;
	const struct elf_sym *sym = bobj__sym(o, GELF_R_SYM(rel->r_info));
	struct bst_member *mb = NULL;
	struct bmap *m = map_at(ss, rel->r_offset, &mb);
	int p;

	if (!sym || GELF_R_TYPE(rel->r_info) != R_BPF_64_ABS64)
		return bobj__err(o, -EINVAL, "sec '%s': relo #%zu: bad symbol or type", ss->name, i);
	if (!m)
		return bobj__err(o, -EINVAL, "sec '%s': relo #%zu vs '%s': offset %zu is in no struct_ops variable",
				 ss->name, i, sym->name, (size_t)rel->r_offset);
	if (!mb || mb->kind != BST_NULL)
		return bobj__err(o, -EINVAL, "sec '%s': map '%s': relo vs '%s' at offset %zu: not a function pointer member",
				 ss->name, m->name, sym->name, (size_t)(rel->r_offset - m->sym_off));
	p = sym->sym.st_shndx < SHN_LORESERVE ? prog_at(o, sym->sym.st_shndx, sym->sym.st_value) : -1;
	if (p < 0 || o->progs[p].prog_type != BPF_PROG_TYPE_STRUCT_OPS)
		return bobj__err(o, -EINVAL, "sec '%s': map '%s': member '%s': '%s' is not a program in a SEC(\"struct_ops/...\") section",
				 ss->name, m->name, mb->name, sym->name);
	mb->kind = BST_PROG;
	mb->prog_idx = p;
	memset(m->st_ops->image + mb->off, 0, mb->size);	/* the runtime puts the fd there */
	return 0;
}

static int bind_progs(struct st_sec *ss)
{
	struct bobj *o = ss->o;
	int err = 0;

	for (size_t r = 1; r < o->nr_secs && !err; r++) {
		const struct elf_sec *rs = &o->secs[r];
		size_t n;

		if (rs->shdr.sh_type != SHT_REL || rs->shdr.sh_info != ss->sec_idx || !rs->data)
			continue;
		n = rs->data->d_size / sizeof(Elf64_Rel);
		for (size_t i = 0; i < n && !err; i++) {
			GElf_Rel rel;

			if (!gelf_getrel(rs->data, i, &rel))
				return bobj__err(o, -EINVAL, "sec '%s': relo #%zu: cannot read", ss->name, i);
			err = bind_rel(ss, i, &rel);
		}
	}
	return err;
}

/* Pointers never go to the kernel as they are: only program fds, put in by the runtime. */
static int check_pointers(struct st_sec *ss)
{
	for (size_t i = ss->first_map; i < ss->o->nr_maps; i++) {
		const struct bst_ops *so = ss->o->maps[i].st_ops;

		for (uint32_t j = 0; j < so->nr_members; j++) {
			const struct bst_member *mb = &so->members[j];
			bool ptr = mb->kind == BST_NULL || mb->btf_kind == BTF_KIND_PTR;

			for (uint32_t k = 0; ptr && k < mb->size; k++)
				if (so->image[mb->off + k])
					return bobj__err(ss->o, -EINVAL, "sec '%s': map '%s': member '%s': a pointer set to something other than a struct_ops program",
							 ss->name, ss->o->maps[i].name, mb->name);
		}
	}
	return 0;
}

static int collect_sec(struct bobj *o, size_t sec_idx)
{
	const struct elf_sec *s = &o->secs[sec_idx];
	struct st_sec ss = { .o = o, .sec_idx = sec_idx, .name = s->name, .first_map = o->nr_maps };
	const struct btf_type *ds;
	int id, err = 0;

	if (!o->btf)
		return bobj__err(o, -EINVAL, "sec '%s': struct_ops need the object's BTF", s->name);
	id = btf__find_by_name_kind(o->btf, s->name, BTF_KIND_DATASEC);
	if (id < 0)
		return bobj__err(o, -EINVAL, "sec '%s': no BTF DATASEC", s->name);
	ss.size = s->shdr.sh_size;
	if (s->shdr.sh_type != SHT_NOBITS && s->data && s->data->d_buf) {
		if (s->data->d_size != ss.size)
			return bobj__err(o, -EINVAL, "sec '%s': section data does not match its size", s->name);
		ss.data = s->data->d_buf;
	}
	ds = btf__type_by_id(o->btf, id);
	for (uint32_t i = 0; i < btf_vlen(ds) && !err; i++)
		err = add_map(&ss, &btf_var_secinfos(ds)[i]);
	err = err ?: bind_progs(&ss);
	return err ?: check_pointers(&ss);
}

/* The (type, member) a program implements; NULL type if no map names it. */
struct prog_use {
	const char *type, *member, *map;
};

/*
 * The kernel takes one member index per program, so every map that names a program
 * must name it for the same member of the same type; and a struct_ops program no map
 * names could not be loaded at all (libbpf refuses it too).
 */
static int check_prog_uses(struct bobj *o)
{
	struct prog_use *use = calloc(o->nr_progs + 1, sizeof(*use));
	int err = 0;

	if (!use)
		return -ENOMEM;
	for (size_t i = 0; i < o->nr_maps && !err; i++) {
		const struct bst_ops *so = o->maps[i].st_ops;

		for (uint32_t j = 0; so && j < so->nr_members && !err; j++) {
			const struct bst_member *mb = &so->members[j];
			struct prog_use *u = mb->kind == BST_PROG ? &use[mb->prog_idx] : NULL;

			if (u && u->type && (strcmp(u->type, so->type_name) || strcmp(u->member, mb->name)))
				err = bobj__err(o, -EINVAL, "prog '%s': map '%s' uses it for %s.%s, map '%s' for %s.%s: a program implements one member",
						o->progs[mb->prog_idx].name, u->map, u->type, u->member,
						o->maps[i].name, so->type_name, mb->name);
			else if (u)
				*u = (struct prog_use){ so->type_name, mb->name, o->maps[i].name };
		}
	}
	for (size_t i = 0; i < o->nr_progs && !err; i++)
		if (o->progs[i].prog_type == BPF_PROG_TYPE_STRUCT_OPS && !use[i].type)
			err = bobj__err(o, -EINVAL, "sec '%s': prog '%s': no struct_ops map uses it",
					o->progs[i].sec_name, o->progs[i].name);
	free(use);
	return err;
}

int bobj__collect_st_ops(struct bobj *o)
{
	int err = 0;

	for (size_t i = 1; i < o->nr_secs && !err; i++) {
		const char *name = o->secs[i].name;

		if (name[0] == '?' && is_st_ops_sec(name + 1))
			return bobj__err(o, -ENOTSUP, "sec '%s': struct_ops maps that are not created by default are not supported yet",
					 name);
		if (is_st_ops_sec(name))
			err = collect_sec(o, i);
	}
	return err ?: check_prog_uses(o);
}

uint32_t bobj__layout_st_ops_ctx(struct bobj *o, uint32_t off)
{
	for (size_t i = 0; i < o->nr_maps; i++) {
		if (!o->maps[i].st_ops)
			continue;
		o->maps[i].st_ops->ctx_off = off;
		off += sizeof(struct lskel_st_ops_map_desc);
	}
	for (size_t i = 0; i < o->nr_progs; i++) {
		if (o->progs[i].prog_type != BPF_PROG_TYPE_STRUCT_OPS)
			continue;
		o->progs[i].st_ctx_off = off;
		off += sizeof(struct lskel_st_ops_prog_desc);
	}
	return off;
}

static void fix_ctx(struct trace *t, struct trace_step *s, size_t field, uint32_t ctx_off)
{
	trace__fix(t, s, FIX_CTX_U32, s->attr_off + field, ctx_off, 0);
}

void st_ops__fix_map_create(struct trace *t, struct trace_step *s, const struct bmap *m)
{
	uint32_t desc = m->st_ops->ctx_off;

	fix_ctx(t, s, offsetof(union bpf_attr, value_size),
		desc + offsetof(struct lskel_st_ops_map_desc, value_size));
	fix_ctx(t, s, offsetof(union bpf_attr, btf_vmlinux_value_type_id),
		desc + offsetof(struct lskel_st_ops_map_desc, value_type_id));
}

void st_ops__fix_prog_load(struct trace *t, struct trace_step *s, const struct bprog *p)
{
	fix_ctx(t, s, offsetof(union bpf_attr, attach_btf_id),
		p->st_ctx_off + offsetof(struct lskel_st_ops_prog_desc, attach_btf_id));
	fix_ctx(t, s, offsetof(union bpf_attr, expected_attach_type),
		p->st_ctx_off + offsetof(struct lskel_st_ops_prog_desc, member));
}

void st_ops__free(struct bst_ops *so)
{
	if (!so)
		return;
	free(so->type_name);
	free(so->image);
	free(so->members);
	free(so);
}
