/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Validation of an object's BTF before anything walks it.
 *
 * libbpf 1.1's btf__new() checks the header and the size of each type record but not
 * what the records point to: a name offset past the string section or a type id past
 * the last type parse fine, and so does a typedef that refers to itself. btf_dump and
 * size resolution then read out of bounds or recurse forever. So every name and every
 * referenced id is checked here, and the graph of "needs the definition of" edges
 * (modifiers, typedefs, arrays, struct members, variables) must be acyclic; pointers
 * and function prototypes break cycles, as in C.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct graph {
	uint32_t n;		/* types, including void */
	uint32_t *indeg;
	uint32_t **out;		/* edges id -> ids whose definition it needs */
	uint32_t *nr_out;
};

static int check_name(struct bobj *o, uint32_t id, uint32_t off)
{
	if (!btf__str_by_offset(o->btf, off))
		return bobj__err(o, -EINVAL, "btf: type [%u]: name offset %u is past the string section",
				 id, off);
	return 0;
}

static int check_ref(struct bobj *o, uint32_t id, uint32_t ref, uint32_t n)
{
	if (ref >= n)
		return bobj__err(o, -EINVAL, "btf: type [%u]: refers to type [%u], past the last type [%u]",
				 id, ref, n - 1);
	return 0;
}

static int add_edge(struct graph *g, uint32_t from, uint32_t to)
{
	uint32_t *p = realloc(g->out[from], (g->nr_out[from] + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	g->out[from] = p;
	p[g->nr_out[from]++] = to;
	g->indeg[to]++;
	return 0;
}

/* Checks one member-like record {name_off, type} and adds its edge when it embeds. */
static int check_part(struct bobj *o, struct graph *g, uint32_t id, uint32_t name_off,
		      uint32_t type, bool embeds)
{
	int err = check_name(o, id, name_off);

	err = err ?: check_ref(o, id, type, g->n);
	if (!err && embeds)
		err = add_edge(g, id, type);
	return err;
}

static int check_members(struct bobj *o, struct graph *g, uint32_t id, const struct btf_type *t)
{
	int err = 0;

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
			err = check_part(o, g, id, btf_members(t)[i].name_off, btf_members(t)[i].type, true);
		return err;
	case BTF_KIND_FUNC_PROTO:
		for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
			err = check_part(o, g, id, btf_params(t)[i].name_off, btf_params(t)[i].type, false);
		return err;
	case BTF_KIND_DATASEC:
		for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
			err = check_part(o, g, id, 0, btf_var_secinfos(t)[i].type, true);
		return err;
	case BTF_KIND_ENUM:
		for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
			err = check_name(o, id, btf_enum(t)[i].name_off);
		return err;
	case BTF_KIND_ENUM64:
		for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
			err = check_name(o, id, btf_enum64(t)[i].name_off);
		return err;
	default:
		return 0;
	}
}

static int check_type(struct bobj *o, struct graph *g, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(o->btf, id);
	int err = check_name(o, id, t->name_off);

	if (err)
		return err;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:	/* the return type */
		return check_ref(o, id, t->type, g->n);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return check_ref(o, id, t->type, g->n) ?: add_edge(g, id, t->type);
	case BTF_KIND_ARRAY:
		err = check_ref(o, id, btf_array(t)->type, g->n);
		err = err ?: check_ref(o, id, btf_array(t)->index_type, g->n);
		return err ?: add_edge(g, id, btf_array(t)->type);
	case BTF_KIND_UNKN:
	case BTF_KIND_INT:
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		return 0;
	default:
		if (btf_kind(t) > BTF_KIND_ENUM64)
			return bobj__err(o, -EINVAL, "btf: type [%u]: unknown kind %u", id, btf_kind(t));
		return 0;
	}
}

/* Kahn's algorithm: whatever keeps an in-degree is on or behind a cycle. */
static int check_acyclic(struct bobj *o, struct graph *g)
{
	uint32_t *queue = malloc(g->n * sizeof(*queue)), head = 0, tail = 0;

	if (!queue)
		return -ENOMEM;
	for (uint32_t id = 0; id < g->n; id++)
		if (!g->indeg[id])
			queue[tail++] = id;
	while (head < tail) {
		uint32_t id = queue[head++];

		for (uint32_t i = 0; i < g->nr_out[id]; i++)
			if (--g->indeg[g->out[id][i]] == 0)
				queue[tail++] = g->out[id][i];
	}
	free(queue);
	for (uint32_t id = 0; id < g->n; id++)
		if (g->indeg[id])
			return bobj__err(o, -ELOOP, "btf: type [%u] '%s' is part of, or needs, a type that contains itself", id,
					 btf__name_by_offset(o->btf, btf__type_by_id(o->btf, id)->name_off));
	return 0;
}

static bool valid_scalar_size(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8 || t->size == 16;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8;
	case BTF_KIND_FLOAT:
		return t->size == 2 || t->size == 4 || t->size == 8 || t->size == 12 || t->size == 16;
	default:
		return true;
	}
}

/*
 * What a member, an array element or a variable holds must have a size and an
 * alignment: btf_dump divides by the alignment. Runs after check_acyclic, so the
 * walk through typedefs and modifiers ends.
 */
static int check_sized(struct bobj *o, uint32_t id, uint32_t type)
{
	const struct btf_type *t = btf__type_by_id(o->btf, type);

	while (btf_is_mod(t) || btf_is_typedef(t) || btf_is_type_tag(t)) {
		type = t->type;
		t = btf__type_by_id(o->btf, type);
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_PTR:
	case BTF_KIND_ARRAY:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return 0;
	default:
		return bobj__err(o, -EINVAL, "btf: type [%u]: holds type [%u] of kind %u, which has no size",
				 id, type, btf_kind(t));
	}
}

static int check_holders(struct bobj *o, uint32_t n)
{
	int err = 0;

	for (uint32_t id = 1; id < n && !err; id++) {
		const struct btf_type *t = btf__type_by_id(o->btf, id);

		if (!valid_scalar_size(t))
			return bobj__err(o, -EINVAL, "btf: type [%u]: size %u is invalid for its kind %u",
					 id, t->size, btf_kind(t));
		if (btf_is_composite(t))
			for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
				err = check_sized(o, id, btf_members(t)[i].type);
		else if (btf_is_array(t))
			err = check_sized(o, id, btf_array(t)->type);
		else if (btf_is_var(t) && btf_var(t)->linkage != BTF_VAR_GLOBAL_EXTERN)
			err = check_sized(o, id, t->type);	/* typeless ksyms are void */
	}
	return err;
}

int bobj__check_btf(struct bobj *o)
{
	struct graph g = { .n = btf__type_cnt(o->btf) };
	int err = 0;

	g.indeg = calloc(g.n, sizeof(*g.indeg));
	g.out = calloc(g.n, sizeof(*g.out));
	g.nr_out = calloc(g.n, sizeof(*g.nr_out));
	if (!g.indeg || !g.out || !g.nr_out)
		err = -ENOMEM;
	for (uint32_t id = 1; id < g.n && !err; id++) {
		err = check_type(o, &g, id);
		err = err ?: check_members(o, &g, id, btf__type_by_id(o->btf, id));
	}
	if (!err)
		err = check_acyclic(o, &g);
	if (!err)
		err = check_holders(o, g.n);
	for (uint32_t id = 0; g.out && id < g.n; id++)
		free(g.out[id]);
	free(g.out);
	free(g.nr_out);
	free(g.indeg);
	return err;
}
