/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The header writer: prints one light skeleton, the C text a user compiles, from
 * the object model (names, ctx offsets, global data), the trace (blob and step
 * descriptions) and the loader (instructions).
 *
 * A header holds, in order: the include guard, the runtime texts (lskel_abi.h and
 * lskel_runtime.h, each with its own guard), the named types the global data uses
 * (defined only on request, as bpftool leaves them to the user; size-checked
 * always), the skeleton struct, compile-time checks of its layout, and the API.
 * Every construct has its own emit_* function. The API and field names are
 * bpftool's light skeleton's, so user code compiles against either.
 *
 * Layout rules the checks enforce: the struct's prefix (ctx, maps, progs) is the
 * loader's context at the offsets the compiler chose (m->ctx_off, p->ctx_off,
 * o->ctx_sz), and nothing the kernel must not overwrite lies inside it, because
 * BPF_PROG_TEST_RUN copies the context back over the skeleton. Each global data
 * struct has exactly the BPF-side DATASEC layout: explicit padding fills every gap
 * (static variables, forced alignment), and every variable's offset and size are
 * asserted, so a host with other alignment rules fails to compile instead of
 * reading the wrong bytes.
 *
 * Errors are sticky (w->err): the first one is kept with its message, later emits
 * print nothing, and header__write() returns it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "header.h"

#ifndef LSKEL_VERSION
#define LSKEL_VERSION "unknown"
#endif

#define ERRSTR_SZ 256		/* skel->errstr */
#define CTX_MAX 65535		/* BPF_PROG_TEST_RUN takes at most U16_MAX bytes of context */

enum type_state { TS_NONE, TS_BUSY, TS_DONE, TS_FWD };

struct hw {
	FILE *out;
	const struct bobj *o;
	const struct trace *t;
	const struct loader *l;
	const char *name;	/* skeleton name, "minimal_bpf" */
	char *upper;		/* "MINIMAL_BPF" */
	struct btf_dump *dump;	/* over o->btf, prints to out */
	uint8_t *type_state;	/* per BTF type id: enum type_state */
	bool types_doc;		/* the comment on named types is out */
	char *errmsg;
	size_t errlen;
	int err;
};

/* One exposed variable of a data map, in DATASEC offset order. */
struct data_var {
	const char *name;
	uint32_t type_id;
	uint32_t off, size;
};

__attribute__((format(printf, 3, 4)))
static int hw_err(struct hw *w, int err, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return w->err;
	w->err = err;
	va_start(ap, fmt);
	vsnprintf(w->errmsg, w->errlen, fmt, ap);
	va_end(ap);
	return err;
}

__attribute__((format(printf, 2, 3)))
static void out(struct hw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return;
	va_start(ap, fmt);
	vfprintf(w->out, fmt, ap);
	va_end(ap);
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	struct hw *w = ctx;

	if (!w->err)
		vfprintf(w->out, fmt, args);
}

static bool is_c_ident(const char *s)
{
	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/*
 * Maps the skeleton exposes as skel->IDENT. Not .kconfig: the runtime fills it on
 * the loading machine, and its CONFIG_* field names are macros in kernel code.
 */
static bool is_data_ptr(const struct bmap *m)
{
	return (m->kind == BMAP_DATA || m->kind == BMAP_RODATA) && m->mmapable;
}

/* LIBBPF_PIN_BY_NAME maps: the skeleton gets pin_root_path and the pin table */
static bool has_pins(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].pinning)
			return true;
	return false;
}

/* raw_tp without a tracepoint name cannot attach by itself (libbpf agrees) */
static bool is_attachable(const struct bprog *p)
{
	if (!p->def || p->def->attach == ATTACH_NONE)
		return false;
	return p->def->attach != ATTACH_RAW_TP || (p->attach_target && *p->attach_target);
}

//
// C literals
//

/*
 * A C string literal over several lines, for any bytes: printable ASCII as is,
 * the rest as octal escapes, "\0" short unless a digit follows (so it never reads
 * as "\01"), '?' escaped against trigraphs.
 */
static void emit_c_bytes(struct hw *w, const uint8_t *p, size_t len, const char *indent)
{
	size_t col = 0;

	out(w, "%s\"", indent);
	for (size_t i = 0; i < len && !w->err; i++) {
		bool digit_next = i + 1 < len && p[i + 1] >= '0' && p[i + 1] <= '7';
		uint8_t c = p[i];

		if (col >= 72) {
			out(w, "\"\n%s\"", indent);
			col = 0;
		}
		if (c == '"' || c == '\\' || c == '?') {
			out(w, "\\%c", c);
			col += 2;
		} else if (c >= 0x20 && c < 0x7f) {
			out(w, "%c", c);
			col += 1;
		} else if (digit_next || c > 7) {
			out(w, "\\%03o", c);
			col += 4;
		} else {
			out(w, "\\%o", c);
			col += 2;
		}
	}
	out(w, "\"");
}

/* A short string on one line: names, step descriptions. */
static void emit_c_str(struct hw *w, const char *s)
{
	out(w, "\"");
	for (; *s && !w->err; s++) {
		uint8_t c = *s;
		bool digit_next = s[1] >= '0' && s[1] <= '7';

		if (c == '"' || c == '\\' || c == '?')
			out(w, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			out(w, "%c", c);
		else
			out(w, digit_next ? "\\%03o" : "\\%o", c);
	}
	out(w, "\"");
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

//
// struct_ops: the runtime resolves them against the running kernel (lskel_st_ops.h)
//

static bool is_st_ops(const struct bmap *m)
{
	return m->kind == BMAP_STRUCT_OPS && m->st_ops;
}

static bool has_st_ops(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_st_ops(&o->maps[i]))
			return true;
	return false;
}

static bool is_st_prog(const struct bprog *p)
{
	return p->prog_type == BPF_PROG_TYPE_STRUCT_OPS;
}

static bool has_st_progs(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_progs; i++)
		if (is_st_prog(&o->progs[i]))
			return true;
	return false;
}

/* A .struct_ops.link map: attach keeps its link in skel->links.<map>_fd. */
static bool is_st_link(const struct bmap *m)
{
	return is_st_ops(m) && m->st_ops->link;
}

/* The skeleton has skel->links: programs' links, struct_ops maps' links. */
static bool has_links(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_st_link(&o->maps[i]))
			return true;
	return o->nr_progs > 0;
}

/* A program's place among the struct_ops programs: its st_ops_progs record. */
static int st_prog_index(const struct bobj *o, size_t prog_idx)
{
	int n = 0;

	for (size_t i = 0; i < prog_idx; i++)
		n += is_st_prog(&o->progs[i]);
	return n;
}

/* The loader's inputs the runtime finds in the kernel's BTF: part of the context. */
static void emit_st_ops_ctx(struct hw *w)
{
	const struct bobj *o = w->o;

	if (has_st_ops(o)) {
		out(w, "\tstruct {\t/* in: set by load from the running kernel's BTF */\n");
		for (size_t i = 0; i < o->nr_maps; i++)
			if (is_st_ops(&o->maps[i]))
				out(w, "\t\tstruct lskel_st_ops_map_desc %s;\n", o->maps[i].ident);
		out(w, "\t} st_ops_maps;\n");
	}
	if (has_st_progs(o)) {
		out(w, "\tstruct {\n");
		for (size_t i = 0; i < o->nr_progs; i++)
			if (is_st_prog(&o->progs[i]))
				out(w, "\t\tstruct lskel_st_ops_prog_desc %s;\n", o->progs[i].name);
		out(w, "\t} st_ops_progs;\n");
	}
}

static void emit_st_ops_link_fields(struct hw *w)
{
	for (size_t i = 0; i < w->o->nr_maps; i++)
		if (is_st_link(&w->o->maps[i]))
			out(w, "\t\tint %s_fd;\n", w->o->maps[i].ident);
}

/* After the links: the values load builds and attach writes to the kernel. */
static void emit_st_ops_values(struct hw *w)
{
	const struct bobj *o = w->o;

	if (!has_st_ops(o))
		return;
	out(w, "\tstruct {\t/* the running kernel's layout, built by load */\n");
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_st_ops(&o->maps[i]))
			out(w, "\t\tstruct lskel_st_ops_value %s;\n", o->maps[i].ident);
	out(w, "\t} st_ops;\n");
}

/* The context records' offsets; returns the last context member. */
static const char *emit_st_ops_ctx_asserts(struct hw *w, const char *type, const char *last)
{
	const struct bobj *o = w->o;

	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_st_ops(&o->maps[i]))
			out(w, "LSKEL_STATIC_ASSERT(offsetof(%s, st_ops_maps.%s) == %u, "
			    "\"lskel: offset of st_ops_maps.%s\");\n", type, o->maps[i].ident,
			    o->maps[i].st_ops->ctx_off, o->maps[i].ident);
	for (size_t i = 0; i < o->nr_progs; i++)
		if (is_st_prog(&o->progs[i]))
			out(w, "LSKEL_STATIC_ASSERT(offsetof(%s, st_ops_progs.%s) == %u, "
			    "\"lskel: offset of st_ops_progs.%s\");\n", type, o->progs[i].name,
			    o->progs[i].st_ctx_off, o->progs[i].name);
	if (has_st_progs(o))
		return "st_ops_progs";
	return has_st_ops(o) ? "st_ops_maps" : last;
}

static void emit_st_ops_member(struct hw *w, const struct bst_member *mb)
{
	const struct bobj *o = w->o;

	out(w, "\t\t{ ");
	emit_c_str(w, mb->name);
	out(w, ", %d, %u, %u, %u, %d, %d },\n", (int)mb->kind, mb->off, mb->size, mb->btf_kind,
	    mb->prog_idx, mb->kind == BST_PROG ? st_prog_index(o, mb->prog_idx) : -1);
}

/* Static tables in NAME__load(): per map its image and members, then st_maps[]. */
static void emit_st_ops_tables(struct hw *w)
{
	const struct bobj *o = w->o;
	const struct bst_ops *so;

	if (!has_st_ops(o))
		return;
	for (size_t i = 0; i < o->nr_maps; i++) {
		if (!is_st_ops(&o->maps[i]))
			continue;
		so = o->maps[i].st_ops;
		out(w, "\tstatic const char st_image_%zu[] =\n", i);
		emit_c_bytes(w, so->image, so->size, "\t\t");
		out(w, ";\n\tstatic const struct lskel_st_ops_member st_members_%zu[] = {\n", i);
		for (uint32_t j = 0; j < so->nr_members; j++)
			emit_st_ops_member(w, &so->members[j]);
		out(w, "\t};\n");
	}
	out(w, "\tstatic const struct lskel_st_ops_map st_maps[] = {\n");
	for (size_t i = 0; i < o->nr_maps; i++) {
		if (!is_st_ops(&o->maps[i]))
			continue;
		so = o->maps[i].st_ops;
		out(w, "\t\t{ ");
		emit_c_str(w, o->maps[i].name);
		out(w, ", ");
		emit_c_str(w, so->type_name);
		out(w, ", st_image_%zu, %u, %d, st_members_%zu, %u },\n", i, so->size, so->link, i,
		    so->nr_members);
	}
	out(w, "\t};\n");
}

static const char *first_st_ops_map(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_st_ops(&o->maps[i]))
			return o->maps[i].ident;
	return NULL;
}

/* lskel_st_ops_resolve() before the loader runs, lskel_st_ops_fill() after */
static void emit_st_ops_call(struct hw *w, bool before)
{
	const struct bobj *o = w->o;
	const char *first = first_st_ops_map(o);
	size_t nr = 0;

	if (!first)
		return;
	for (size_t i = 0; i < o->nr_maps; i++)
		nr += is_st_ops(&o->maps[i]);
	if (before) {
		out(w, "\terr = lskel_st_ops_resolve(&opts, st_maps, %zu, &skel->st_ops_maps.%s, ",
		    nr, first);
		if (has_st_progs(o))
			out(w, "(struct lskel_st_ops_prog_desc *)&skel->st_ops_progs, ");
		else
			out(w, "NULL, ");
		out(w, "&skel->st_ops.%s);\n\tif (err)\n\t\treturn lskel_set_errno(err);\n", first);
		return;
	}
	out(w, "\tlskel_st_ops_fill(st_maps, %zu, %s, &skel->st_ops.%s);\n", nr,
	    o->nr_progs ? "(const struct lskel_prog_desc *)&skel->progs" : "NULL", first);
}

static void emit_st_ops_detach(struct hw *w)
{
	const struct bmap *m;

	for (size_t i = 0; i < w->o->nr_maps; i++) {
		m = &w->o->maps[i];
		if (is_st_link(m))
			out(w, "\tlskel_closenz(skel->links.%s_fd);\n\tskel->links.%s_fd = 0;\n",
			    m->ident, m->ident);
		else if (is_st_ops(m))
			out(w, "\tlskel_st_ops_unregister(skel->maps.%s.map_fd, &skel->st_ops.%s);\n",
			    m->ident, m->ident);
	}
}

static void emit_st_ops_destroy(struct hw *w)
{
	for (size_t i = 0; i < w->o->nr_maps; i++)
		if (is_st_ops(&w->o->maps[i]))
			out(w, "\tlskel_st_ops_free(&skel->st_ops.%s);\n", w->o->maps[i].ident);
}

/* NAME__attach(): registers every struct_ops map not registered yet. */
static void emit_st_ops_attach(struct hw *w)
{
	const struct bmap *m;

	for (size_t i = 0; i < w->o->nr_maps; i++) {
		m = &w->o->maps[i];
		if (!is_st_ops(m))
			continue;
		if (m->st_ops->link)
			out(w, "\tif (skel->links.%s_fd <= 0) {\n\t\tint st_err = lskel_st_ops_attach("
			    "skel->maps.%s.map_fd, &skel->st_ops.%s, 1, &skel->links.%s_fd);\n\n",
			    m->ident, m->ident, m->ident, m->ident);
		else
			out(w, "\tif (!skel->st_ops.%s.registered) {\n\t\tint st_err = lskel_st_ops_attach("
			    "skel->maps.%s.map_fd, &skel->st_ops.%s, 0, NULL);\n\n",
			    m->ident, m->ident, m->ident);
		out(w, "\t\tif (st_err < 0)\n\t\t\treturn lskel_set_errno(st_err);\n\t}\n");
	}
}

/* links.<map>_fd of a .struct_ops.link map must not be a program's links.<prog>_fd. */
static int st_ops_check(struct hw *w)
{
	const struct bobj *o = w->o;

	for (size_t i = 0; i < o->nr_maps; i++)
		for (size_t j = 0; is_st_link(&o->maps[i]) && j < o->nr_progs; j++)
			if (!strcmp(o->maps[i].ident, o->progs[j].name))
				return hw_err(w, -EINVAL, "struct_ops map '%s' and prog '%s' both "
					      "need skeleton field links.%s_fd", o->maps[i].name,
					      o->progs[j].name, o->progs[j].name);
	return 0;
}

//
// global data: variables and the types they need
//

static int var_cmp(const void *a, const void *b)
{
	const struct data_var *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The variables of m's DATASEC that the skeleton exposes (static ones stay
 * hidden, as in bpftool), sorted by offset and checked against the value size.
 * Caller frees *vars.
 */
static int data_vars(struct hw *w, const struct bmap *m, struct data_var **vars, int *nr)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *sec, *var;
	struct btf *btf = w->o->btf;
	uint32_t end = 0;
	int n = 0;

	*vars = NULL;
	*nr = 0;
	if (!m->datasec_id)
		return 0;
	sec = btf ? btf__type_by_id(btf, m->datasec_id) : NULL;
	if (!sec || !btf_is_datasec(sec))
		return hw_err(w, -EINVAL, "map '%s': BTF type [%d] is not a DATASEC", m->name,
			      m->datasec_id);
	*vars = calloc(btf_vlen(sec) + 1, sizeof(**vars));
	if (!*vars)
		return hw_err(w, -ENOMEM, "map '%s': out of memory", m->name);
	vi = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vi++) {
		var = btf__type_by_id(btf, vi->type);
		if (!var || !btf_is_var(var))
			return hw_err(w, -EINVAL, "map '%s': DATASEC entry #%d: BTF type [%u] is not a VAR",
				      m->name, i, vi->type);
		if (btf_var(var)->linkage == BTF_VAR_STATIC || !vi->size)
			continue;
		(*vars)[n++] = (struct data_var){ btf__name_by_offset(btf, var->name_off),
						  var->type, vi->offset, vi->size };
	}
	qsort(*vars, n, sizeof(**vars), var_cmp);
	for (int i = 0; i < n; i++) {
		struct data_var *v = &(*vars)[i];

		if (!is_c_ident(v->name))
			return hw_err(w, -EINVAL, "map '%s': var '%s' is not a C identifier",
				      m->name, v->name);
		if (v->off < end)
			return hw_err(w, -EINVAL, "map '%s': var '%s' at offset %u overlaps the previous one",
				      m->name, v->name, v->off);
		end = v->off + v->size;
		if (end < v->off || end > m->value_size)
			return hw_err(w, -EINVAL,
				      "map '%s': var '%s' (offset %u, %u bytes) exceeds the map value (%u bytes)",
				      m->name, v->name, v->off, v->size, m->value_size);
	}
	*nr = n;
	return 0;
}

static bool is_linux_int_typedef(const char *name)
{
	static const char *const names[] = {
		"__u8", "__s8", "__u16", "__s16", "__u32", "__s32", "__u64", "__s64",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * For a variable of a plain number type (or an array of them), the C type name
 * to print with dims appended, bypassing typedefs: "u64" or "bool" from vmlinux.h
 * may mean something else, or nothing, in the user's program. The __u8..__s64
 * names stay, <linux/types.h> defines them. NULL for anything else.
 */
static const char *basic_type(const struct btf *btf, uint32_t id, char *dims, size_t len)
{
	const struct btf_type *t;
	const char *name;
	size_t used = 0;

	dims[0] = '\0';
	while ((t = btf__type_by_id(btf, id))) {
		if (btf_is_typedef(t)) {
			name = btf__name_by_offset(btf, t->name_off);
			if (is_linux_int_typedef(name))
				return name;
			id = t->type;
		} else if (btf_is_mod(t)) {
			id = t->type;
		} else if (btf_is_array(t)) {
			used += snprintf(dims + used, used < len ? len - used : 0, "[%u]",
					 btf_array(t)->nelems);
			id = btf_array(t)->type;
		} else if (btf_is_int(t)) {
			if (btf_int_encoding(t) & BTF_INT_BOOL)
				return "LSKEL_BOOL";
			return btf__name_by_offset(btf, t->name_off);
		} else if (btf_is_float(t)) {
			return btf__name_by_offset(btf, t->name_off);
		} else {
			return NULL;
		}
	}
	return NULL;
}

static void emit_named_type(struct hw *w, uint32_t id, bool via_ptr);

static void emit_types_doc(struct hw *w)
{
	out(w, "/*\n"
	    " * Named types of the global data. Like bpftool's skeletons, this one expects\n"
	    " * the program to define them, e.g. from a header shared with the BPF side.\n"
	    " * Define LSKEL_DEFINE_TYPES before including it to get the definitions below\n"
	    " * instead, or LSKEL_TYPE_<kind>_<name> to skip one. The sizes are checked.\n"
	    " */\n");
	w->types_doc = true;
}

/*
 * Emits what declaring something of type id needs first. Through a pointer a
 * named struct or union needs only a forward declaration; by value it needs its
 * definition. Anonymous structs are printed inline, so their members' types count.
 */
static void emit_type_deps(struct hw *w, uint32_t id, bool via_ptr)
{
	const struct btf *btf = w->o->btf;
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	const struct btf_param *p;

	if (!t || w->err || btf_is_void(t) || btf_is_int(t) || btf_is_float(t))
		return;
	if (btf_is_ptr(t)) {
		emit_type_deps(w, t->type, true);
	} else if (btf_is_mod(t)) {
		emit_type_deps(w, t->type, via_ptr);
	} else if (btf_is_array(t)) {
		emit_type_deps(w, btf_array(t)->type, via_ptr);
	} else if (btf_is_func_proto(t)) {
		emit_type_deps(w, t->type, true);
		p = btf_params(t);
		for (int i = 0; i < btf_vlen(t); i++)
			emit_type_deps(w, p[i].type, true);
	} else if (btf_is_composite(t) && !t->name_off) {
		m = btf_members(t);
		for (int i = 0; i < btf_vlen(t); i++)
			emit_type_deps(w, m[i].type, false);
	} else if ((btf_is_composite(t) && via_ptr) || btf_is_fwd(t)) {
		bool is_union = btf_is_fwd(t) ? btf_kflag(t) : btf_is_union(t);

		if (w->type_state[id] == TS_NONE) {
			out(w, "%s %s;\n\n", is_union ? "union" : "struct",
			    btf__name_by_offset(btf, t->name_off));
			w->type_state[id] = TS_FWD;
		}
	} else if (btf_is_composite(t) || btf_is_typedef(t) || btf_is_any_enum(t)) {
		if (t->name_off)
			emit_named_type(w, id, via_ptr);
	}
}

/*
 * A named struct, union, enum or typedef, after what it needs by value. As with
 * bpftool, the user's program normally defines these (from a header shared with
 * the BPF side), so the definition is printed only under LSKEL_DEFINE_TYPES, in
 * its own guard (LSKEL_TYPE_struct_point) shared by all skeletons of a translation
 * unit. The size check after a struct or union holds either way, so a user's
 * definition that differs from the BPF side's does not compile.
 */
static void emit_named_type(struct hw *w, uint32_t id, bool via_ptr)
{
	const struct btf *btf = w->o->btf;
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = btf__name_by_offset(btf, t->name_off);
	const char *kind = btf_is_struct(t) ? "struct" : btf_is_union(t) ? "union" :
			   btf_is_typedef(t) ? "typedef" : "enum";
	const struct btf_member *m;
	int err;

	/* a typedef passes on how it is used: task_t *p needs no struct task_struct */
	if (btf_is_typedef(t))
		emit_type_deps(w, t->type, via_ptr);
	if (w->type_state[id] == TS_DONE || w->type_state[id] == TS_BUSY)
		return;
	w->type_state[id] = TS_BUSY;
	if (btf_is_composite(t)) {
		m = btf_members(t);
		for (int i = 0; i < btf_vlen(t); i++)
			emit_type_deps(w, m[i].type, false);
	}
	if (!w->types_doc)
		emit_types_doc(w);
	out(w, "#if defined(LSKEL_DEFINE_TYPES) && !defined(LSKEL_TYPE_%s_%s)\n"
	    "#define LSKEL_TYPE_%s_%s\n", kind, name, kind, name);
	if (!w->err) {
		err = btf_dump__dump_type(w->dump, id);
		if (err)
			hw_err(w, err, "BTF type [%u] %s %s: btf_dump failed: %d", id, kind, name, err);
	}
	out(w, "#endif\n");
	if (btf_is_composite(t))
		out(w, "LSKEL_STATIC_ASSERT(sizeof(%s %s) == %u, \"lskel: %s %s differs from the BPF side\");\n",
		    kind, name, t->size, kind, name);
	out(w, "\n");
	w->type_state[id] = TS_DONE;
}

static void emit_types(struct hw *w)
{
	const struct bobj *o = w->o;
	struct data_var *vars;
	char dims[64];
	int nr;

	for (size_t i = 0; i < o->nr_maps && !w->err; i++) {
		if (!is_data_ptr(&o->maps[i]) || data_vars(w, &o->maps[i], &vars, &nr))
			continue;
		for (int j = 0; j < nr; j++)
			if (!basic_type(o->btf, vars[j].type_id, dims, sizeof(dims)))
				emit_type_deps(w, vars[j].type_id, false);
		free(vars);
	}
}

//
// the skeleton struct
//

static void emit_pad(struct hw *w, int *nr_pad, uint32_t len)
{
	out(w, "\t\tchar __pad%d[%u];\n", (*nr_pad)++, len);
}

static void emit_var_field(struct hw *w, const struct data_var *v)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts,
		.field_name = v->name,
		.indent_level = 2,
		.strip_mods = true,	/* the user writes .rodata before load */
	);
	const char *base;
	char dims[64];
	int err;

	base = basic_type(w->o->btf, v->type_id, dims, sizeof(dims));
	if (base) {
		out(w, "\t\t%s %s%s;\n", base, v->name, dims);
		return;
	}
	out(w, "\t\t");
	if (!w->err) {
		err = btf_dump__emit_type_decl(w->dump, v->type_id, &opts);
		if (err)
			hw_err(w, err, "var '%s': btf_dump failed: %d", v->name, err);
	}
	out(w, ";\n");
}

/* struct NAME__bss { ... } *bss; with padding wherever the DATASEC has a gap */
static void emit_data_struct(struct hw *w, const struct bmap *m)
{
	struct data_var *vars;
	uint32_t end = 0;
	int nr, nr_pad = 0;

	if (data_vars(w, m, &vars, &nr))
		return;
	out(w, "\tstruct %s__%s {\n", w->name, m->ident);
	for (int i = 0; i < nr; i++) {
		if (vars[i].off > end)
			emit_pad(w, &nr_pad, vars[i].off - end);
		emit_var_field(w, &vars[i]);
		end = vars[i].off + vars[i].size;
	}
	if (m->value_size > end)
		emit_pad(w, &nr_pad, m->value_size - end);
	out(w, "\t} *%s;\n", m->ident);
	free(vars);
}

static void emit_skel_struct(struct hw *w)
{
	const struct bobj *o = w->o;

	out(w, "struct %s {\n\tstruct lskel_loader_ctx ctx;\n", w->name);
	if (o->nr_maps) {
		out(w, "\tstruct {\n");
		for (size_t i = 0; i < o->nr_maps; i++)
			out(w, "\t\tstruct lskel_map_desc %s;\n", o->maps[i].ident);
		out(w, "\t} maps;\n");
	}
	if (o->nr_progs) {
		out(w, "\tstruct {\n");
		for (size_t i = 0; i < o->nr_progs; i++)
			out(w, "\t\tstruct lskel_prog_desc %s;\n", o->progs[i].name);
		out(w, "\t} progs;\n");
	}
	emit_st_ops_ctx(w);
	if (has_links(o)) {
		out(w, "\tstruct {\n");
		for (size_t i = 0; i < o->nr_progs; i++)
			out(w, "\t\tint %s_fd;\n", o->progs[i].name);
		emit_st_ops_link_fields(w);
		out(w, "\t} links;\n");
	}
	emit_st_ops_values(w);
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_data_ptr(&o->maps[i]))
			emit_data_struct(w, &o->maps[i]);
	if (has_pins(o))
		out(w, "\tconst char *pin_root_path;\t/* in: directory of the pinned maps, "
		    "NULL: /sys/fs/bpf */\n");
	if (w->l->sig)
		out(w, "\t__s32 keyring_id;\t/* in: the keyring the kernel checks the signature "
		    "with */\n"
		    "\tLSKEL_BOOL allow_unverified_signature;\t/* in: load unsigned if the kernel "
		    "cannot check */\n"
		    "\tLSKEL_BOOL signature_verified;\t/* out: the kernel checked the signature */\n");
	out(w, "\tchar errstr[%d];\t/* why the last load failed, one line */\n};\n\n",
	    ERRSTR_SZ);
}

//
// layout checks
//

static void emit_assert_off(struct hw *w, const char *type, const char *field, uint32_t off)
{
	out(w, "LSKEL_STATIC_ASSERT(offsetof(%s, %s) == %u, \"lskel: offset of %s\");\n",
	    type, field, off, field);
}

/* The first member after the context: what the kernel's copy-back must not reach. */
static const char *first_after_ctx(const struct hw *w)
{
	const struct bobj *o = w->o;

	if (has_links(o))
		return "links";
	if (has_st_ops(o))
		return "st_ops";
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_data_ptr(&o->maps[i]))
			return o->maps[i].ident;
	return has_pins(o) ? "pin_root_path" : "errstr";
}

static void emit_ctx_asserts(struct hw *w)
{
	const struct bobj *o = w->o;
	char type[160], field[160];
	const char *last = "ctx";

	snprintf(type, sizeof(type), "struct %s", w->name);
	for (size_t i = 0; i < o->nr_maps; i++) {
		snprintf(field, sizeof(field), "maps.%s", o->maps[i].ident);
		emit_assert_off(w, type, field, o->maps[i].ctx_off);
	}
	for (size_t i = 0; i < o->nr_progs; i++) {
		snprintf(field, sizeof(field), "progs.%s", o->progs[i].name);
		emit_assert_off(w, type, field, o->progs[i].ctx_off);
	}
	if (o->nr_maps)
		last = "maps";
	if (o->nr_progs)
		last = "progs";
	last = emit_st_ops_ctx_asserts(w, type, last);
	out(w, "LSKEL_STATIC_ASSERT(offsetof(%s, %s) + sizeof(((%s *)0)->%s) <= %u, "
	    "\"lskel: the loader context misses descriptors\");\n", type, last, type, last, o->ctx_sz);
	out(w, "LSKEL_STATIC_ASSERT(offsetof(%s, %s) >= %u, "
	    "\"lskel: the loader context overlaps the rest of the skeleton\");\n\n",
	    type, first_after_ctx(w), o->ctx_sz);
}

static void emit_data_asserts(struct hw *w, const struct bmap *m)
{
	struct data_var *vars;
	char type[200];
	int nr;

	if (data_vars(w, m, &vars, &nr))
		return;
	snprintf(type, sizeof(type), "LSKEL_NESTED(%s, %s__%s)", w->name, w->name, m->ident);
	for (int i = 0; i < nr; i++) {
		emit_assert_off(w, type, vars[i].name, vars[i].off);
		out(w, "LSKEL_STATIC_ASSERT(sizeof(((%s *)0)->%s) == %u, \"lskel: size of %s\");\n",
		    type, vars[i].name, vars[i].size, vars[i].name);
	}
	/* the C struct may only round the section up to its own alignment */
	out(w, "LSKEL_STATIC_ASSERT(sizeof(%s) >= %u && sizeof(%s) - %u < __alignof__(%s), "
	    "\"lskel: size of %s\");\n\n", type, m->value_size, type, m->value_size, type, m->ident);
	free(vars);
}

static void emit_layout_asserts(struct hw *w)
{
	emit_ctx_asserts(w);
	for (size_t i = 0; i < w->o->nr_maps; i++)
		if (is_data_ptr(&w->o->maps[i]))
			emit_data_asserts(w, &w->o->maps[i]);
}

//
// externs: the runtime fills the .kconfig image where the skeleton loads, and names
// a missing kfunc in a load error (lskel_externs.h); the header describes each extern
//

static const struct bmap *kconfig_map(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].kind == BMAP_KCONFIG)
			return &o->maps[i];
	return NULL;
}

static const char *kcfg_type_macro(enum kcfg_type type)
{
	switch (type) {
	case KCFG_CHAR: return "LSKEL_KCFG_CHAR";
	case KCFG_BOOL: return "LSKEL_KCFG_BOOL";
	case KCFG_INT: return "LSKEL_KCFG_INT";
	case KCFG_TRISTATE: return "LSKEL_KCFG_TRISTATE";
	case KCFG_CHAR_ARR: return "LSKEL_KCFG_CHAR_ARR";
	default: return NULL;
	}
}

/*
 * { "CONFIG_HZ", LSKEL_KCONFIG_KERNEL(HZ), LSKEL_KCFG_INT, LSKEL_KCFG_SIGNED, 4, 4 }:
 * in a kernel module the macro gives that kernel's own value of the option.
 */
static void emit_kconfig_var(struct hw *w, const struct bextern *e)
{
	const char *type = kcfg_type_macro(e->kcfg_type);
	const char *flags = e->weak && e->kcfg_signed ? "LSKEL_KCFG_WEAK | LSKEL_KCFG_SIGNED" :
			    e->weak ? "LSKEL_KCFG_WEAK" : e->kcfg_signed ? "LSKEL_KCFG_SIGNED" : "0";

	if (!type || !is_c_ident(e->name)) {
		hw_err(w, -EINVAL, "kconfig extern '%s': no C name or no known type", e->name);
		return;
	}
	out(w, "\t\t{ \"%s\", ", e->name);
	if (!strncmp(e->name, "CONFIG_", 7))
		out(w, "LSKEL_KCONFIG_KERNEL%s(%s)", e->kcfg_type == KCFG_CHAR_ARR ? "_STR" : "",
		    e->name + 7);
	else
		out(w, "NULL, 0");
	out(w, ", %s, %s, %u, %u },\n", type, flags, e->kcfg_off, e->kcfg_size);
}

/* Whether a call was poisoned: a weak kfunc the loading kernel may lack. */
static bool has_kfunc_calls(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_externs; i++)
		for (uint32_t j = 0; o->externs[i].kind == BEXT_KFUNC && j < o->externs[i].nr_uses; j++)
			if (o->externs[i].uses[j].call)
				return true;
	return false;
}

static void emit_extern_tables(struct hw *w)
{
	const struct bobj *o = w->o;

	if (kconfig_map(o)) {
		out(w, "\tstatic const struct lskel_kconfig_var kconfig_vars[] = {\n");
		for (size_t i = 0; i < o->nr_externs; i++)
			if (o->externs[i].kind == BEXT_KCONFIG)
				emit_kconfig_var(w, &o->externs[i]);
		out(w, "\t};\n");
	}
	if (has_kfunc_calls(o)) {
		out(w, "\tstatic const char *const extern_names[] = {\n");
		for (size_t i = 0; i < o->nr_externs; i++) {
			out(w, "\t\t");
			emit_c_str(w, o->externs[i].name);
			out(w, ",\n");
		}
		out(w, "\t};\n");
	}
}

/*
 * The loader runs with the .kconfig image as the map's initial value, then the image
 * goes; a failure may be a poisoned kfunc call to name.
 */
static void emit_load_run(struct hw *w)
{
	const struct bmap *m = kconfig_map(w->o);
	size_t nr = 0;

	for (size_t i = 0; i < w->o->nr_externs; i++)
		nr += w->o->externs[i].kind == BEXT_KCONFIG;
	if (!m) {
		out(w, "\terr = lskel_load_and_run(&opts);\n");
	} else {
		out(w, "\t{\n\t\tvoid *kconfig = lskel_kconfig_image(&opts, kconfig_vars, %zu, %u, &err);\n\n"
		    "\t\tif (!kconfig)\n\t\t\treturn lskel_set_errno(err);\n"
		    "\t\tskel->maps.%s.initial_value = (__u64)(unsigned long)kconfig;\n"
		    "\t\terr = lskel_load_and_run(&opts);\n"
		    "\t\tskel->maps.%s.initial_value = 0;\n\t\tlskel_free(kconfig);\n\t}\n",
		    nr, m->value_size, m->ident, m->ident);
	}
	if (has_kfunc_calls(w->o))
		out(w, "\tif (err)\n\t\tlskel_explain_kfunc(&opts, extern_names, %zu);\n",
		    w->o->nr_externs);
	out(w, "\tif (err)\n\t\treturn lskel_set_errno(err);\n");
}

//
// the API
//

static void emit_detach(struct hw *w)
{
	const struct bobj *o = w->o;

	out(w, "static inline void\n%s__detach(struct %s *skel)\n{\n", w->name, w->name);
	if (!o->nr_progs && !has_st_ops(o))
		out(w, "\t(void)skel;\n");
	emit_st_ops_detach(w);
	for (size_t i = 0; i < o->nr_progs; i++)
		out(w, "\tlskel_closenz(skel->links.%s_fd);\n\tskel->links.%s_fd = 0;\n",
		    o->progs[i].name, o->progs[i].name);
	out(w, "}\n\n");
}

static void emit_destroy(struct hw *w)
{
	const struct bobj *o = w->o;
	const struct bmap *m;

	out(w, "static inline void\n%s__destroy(struct %s *skel)\n{\n"
	    "\tif (!skel)\n\t\treturn;\n\t%s__detach(skel);\n", w->name, w->name, w->name);
	for (size_t i = 0; i < o->nr_progs; i++)
		out(w, "\tlskel_closenz(skel->progs.%s.prog_fd);\n", o->progs[i].name);
	emit_st_ops_destroy(w);
	for (size_t i = 0; i < o->nr_maps; i++) {
		m = &o->maps[i];
		if (is_data_ptr(m))
			out(w, "\tlskel_data_free(skel->%s, skel->maps.%s.initial_value, %u);\n",
			    m->ident, m->ident, m->value_size);
		out(w, "\tlskel_closenz(skel->maps.%s.map_fd);\n", m->ident);
	}
	out(w, "\tlskel_free(skel);\n}\n\n");
}

/* static const char init_bss[] = "..."; unless the image is all zero */
static void emit_init_image(struct hw *w, const struct bmap *m)
{
	if (!m->init || all_zero(m->init, m->value_size))
		return;
	out(w, "\tstatic const char init_%s[] =\n", m->ident);
	emit_c_bytes(w, m->init, m->value_size, "\t\t");
	out(w, ";\n");
}

/*
 * The pre-load pages of one data map. The loader copies initial_value's bytes in,
 * so what the user writes between open and load reaches the map.
 */
static void emit_open_data(struct hw *w, const struct bmap *m)
{
	bool has_init = m->init && !all_zero(m->init, m->value_size);

	out(w, "\tskel->%s = (__typeof__(skel->%s))lskel_data_prep(", m->ident, m->ident);
	if (has_init)
		out(w, "init_%s", m->ident);
	else
		out(w, "NULL");
	out(w, ", %u, &err);\n\tif (!skel->%s)\n\t\tgoto fail;\n"
	    "\tskel->maps.%s.initial_value = (__u64)(unsigned long)skel->%s;\n",
	    m->value_size, m->ident, m->ident, m->ident);
}

static void emit_open(struct hw *w)
{
	const struct bobj *o = w->o;

	out(w, "static inline struct %s *\n%s__open(void)\n{\n", w->name, w->name);
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_data_ptr(&o->maps[i]))
			emit_init_image(w, &o->maps[i]);
	out(w, "\tstruct %s *skel;\n\tint err = -ENOMEM;\n\n"
	    "\tskel = (struct %s *)lskel_alloc(sizeof(*skel));\n\tif (!skel)\n\t\tgoto fail;\n"
	    "\tskel->ctx.sz = %u;\n\tskel->ctx.flags = LSKEL_RUNTIME_CTX_FLAGS;\n",
	    w->name, w->name, o->ctx_sz);
	if (w->l->sig)
		out(w, "\tskel->keyring_id = LSKEL_KEY_SPEC_SESSION_KEYRING;\n");
	for (size_t i = 0; i < o->nr_progs; i++)
		if (o->progs[i].autoload)
			out(w, "\tskel->progs.%s.autoload = 1;\n", o->progs[i].name);
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_data_ptr(&o->maps[i]))
			emit_open_data(w, &o->maps[i]);
	out(w, "\treturn skel;\nfail:\n\t%s__destroy(skel);\n\tlskel_set_errno(err);\n"
	    "\treturn NULL;\n}\n\n", w->name);
}

/* "BPF_MAP_CREATE", or the helper a look-up step (BTF_FIND, KSYM_ADDR) calls */
static void emit_step_cmd(struct hw *w, const struct trace_step *s)
{
	const char *name;

	if (s->kind == STEP_BTF_FIND) {
		out(w, "\"bpf_btf_find_by_name_kind\"");
		return;
	}
	if (s->kind == STEP_KSYM_ADDR) {
		out(w, "\"bpf_kallsyms_lookup_name\"");
		return;
	}
	name = trace__cmd_name(s->cmd);
	if (!strcmp(name, "CMD"))
		out(w, "\"bpf cmd %d\"", s->cmd);
	else
		out(w, "\"BPF_%s\"", name);
}

static void emit_steps(struct hw *w)
{
	const struct trace *t = w->t;

	if (!t->nr_steps)
		return;
	out(w, "\tstatic const struct lskel_step steps[] = {\n");
	for (uint32_t i = 0; i < t->nr_steps; i++) {
		out(w, "\t\t{ ");
		emit_c_str(w, t->steps[i].desc ? t->steps[i].desc : "");
		out(w, ", ");
		emit_step_cmd(w, &t->steps[i]);
		out(w, " },\n");
	}
	out(w, "\t};\n");
}

/*
 * The pinned maps' table: what a pin must match to be reused (max_entries as the
 * object has it: the runtime prefers the user's value from the map's desc).
 */
static void emit_pins(struct hw *w)
{
	const struct bobj *o = w->o;
	size_t nr = 0;

	if (!has_pins(o))
		return;
	out(w, "\tstatic const struct lskel_pin pins[] = {\n");
	for (size_t i = 0; i < o->nr_maps; i++) {
		const struct bmap *m = &o->maps[i];

		if (!m->pinning)
			continue;
		out(w, "\t\t{ ");
		emit_c_str(w, m->name);
		out(w, ", %u, %u, %u, %u, %u, 0x%x, 0x%llxULL },\n", m->ctx_off, m->type,
		    m->key_size, m->value_size, m->max_entries, m->map_flags,
		    (unsigned long long)m->map_extra);
		nr++;
	}
	out(w, "\t};\n\t__u8 reused[%zu];\n", nr);
}

/* lskel_pins_reuse() before the loader runs, lskel_pins_pin() after */
static void emit_pins_call(struct hw *w, const char *what)
{
	if (!has_pins(w->o))
		return;
	out(w, "\terr = lskel_pins_%s(&opts, skel->pin_root_path, pins, "
	    "sizeof(pins) / sizeof(pins[0]), reused);\n\tif (err)\n\t\treturn lskel_set_errno(err);\n",
	    what);
}

/* After a successful run: the map's own pages replace the pre-load ones. */
static void emit_load_data(struct hw *w, const struct bmap *m)
{
	out(w, "\tp = lskel_data_map(&opts, \"%s\", skel->%s, &skel->maps.%s.initial_value,\n"
	    "\t\t\t   %u, %d, skel->maps.%s.map_fd, &err);\n"
	    "\tif (!p)\n\t\treturn lskel_set_errno(err);\n"
	    "\tskel->%s = (__typeof__(skel->%s))p;\n",
	    m->ident, m->ident, m->ident, m->value_size, m->kind == BMAP_RODATA, m->ident, m->ident, m->ident);
}

/*
 * max_entries only the loading machine knows (map_types.c): the runtime writes them
 * into the context, where the loader takes them as the user's overrides.
 */
static void emit_map_sizes(struct hw *w)
{
	static const char *const rules[] = {
		[BMAP_SIZE_RINGBUF] = "LSKEL_SIZE_RINGBUF",
		[BMAP_SIZE_CPUS] = "LSKEL_SIZE_CPUS",
	};
	const struct bmap *m;

	for (size_t i = 0; i < w->o->nr_maps; i++) {
		m = &w->o->maps[i];
		if (m->kind != BMAP_USER || m->load_size == BMAP_SIZE_AS_IS)
			continue;
		if (m->load_size >= sizeof(rules) / sizeof(rules[0]))
			hw_err(w, -EINVAL, "map '%s': no load size rule %d", m->name, m->load_size);
		out(w, "\terr = lskel_map_size(&opts, \"%s\", &skel->maps.%s.max_entries, %u, %s);\n"
		    "\tif (err)\n\t\treturn lskel_set_errno(err);\n",
		    m->name, m->ident, m->max_entries, w->err ? "" : rules[m->load_size]);
	}
}

/*
 * A signed image: the detached PKCS#7 signature of insns and the SHA-256 of insns
 * the blob map is made exclusive to. `lskel verify` reads these arrays back by name.
 */
static void emit_signature(struct hw *w)
{
	if (!w->l->sig)
		return;
	out(w, "\tstatic const char signature[] =\n");
	emit_c_bytes(w, w->l->sig, w->l->sig_len, "\t\t");
	out(w, ";\n\tstatic const char excl_prog_hash[] =\n");
	emit_c_bytes(w, w->l->insns_sha256, sizeof(w->l->insns_sha256), "\t\t");
	out(w, ";\n");
}

static void emit_signature_opts(struct hw *w)
{
	if (!w->l->sig)
		return;
	out(w, "\topts.signature = signature;\n\topts.signature_sz = sizeof(signature) - 1;\n"
	    "\topts.excl_prog_hash = excl_prog_hash;\n"
	    "\topts.keyring_id = skel->keyring_id;\n"
	    "\topts.allow_unverified = skel->allow_unverified_signature;\n"
	    "\topts.verified = &skel->signature_verified;\n"
	    "\tLSKEL_SIGNED_LOAD_HOOK(&opts);\n");
}

static void emit_load(struct hw *w)
{
	const struct bobj *o = w->o;
	const struct loader *l = w->l;
	bool has_data = false;

	for (size_t i = 0; i < o->nr_maps; i++)
		has_data |= is_data_ptr(&o->maps[i]);
	out(w, "static inline int\n%s__load(struct %s *skel)\n{\n\tstatic const char blob[] =\n",
	    w->name, w->name);
	emit_c_bytes(w, w->t->blob, w->t->blob_sz, "\t\t");
	out(w, ";\n\tstatic const char insns[] =\n");
	emit_c_bytes(w, (const uint8_t *)l->insns, l->nr_insns * sizeof(*l->insns), "\t\t");
	out(w, ";\n");
	emit_signature(w);
	emit_steps(w);
	emit_pins(w);
	emit_st_ops_tables(w);
	emit_extern_tables(w);
	out(w, "\tstruct lskel_load_opts opts;\n%s\tint err;\n\n", has_data ? "\tvoid *p;\n" : "");
	out(w, "\tmemset(&opts, 0, sizeof(opts));\n\topts.ctx = &skel->ctx;\n"
	    "\topts.blob = blob;\n\topts.blob_sz = %u;\n\topts.insns = insns;\n\topts.insns_sz = %zu;\n",
	    w->t->blob_sz, l->nr_insns * sizeof(*l->insns));
	if (w->t->nr_steps)
		out(w, "\topts.steps = steps;\n\topts.nr_steps = %u;\n", w->t->nr_steps);
	out(w, "\topts.errstr = skel->errstr;\n\topts.errstr_sz = sizeof(skel->errstr);\n");
	emit_signature_opts(w);
	emit_map_sizes(w);
	emit_pins_call(w, "reuse");
	emit_st_ops_call(w, true);
	emit_load_run(w);
	emit_st_ops_call(w, false);
	emit_pins_call(w, "pin");
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].kind == BMAP_RODATA && o->nr_progs)
			out(w, "\tlskel_bind_rodata(&skel->progs.%s, %zu, skel->maps.%s.map_fd);\n",
			    o->progs[0].name, o->nr_progs, o->maps[i].ident);
	for (size_t i = 0; i < o->nr_maps; i++)
		if (is_data_ptr(&o->maps[i]))
			emit_load_data(w, &o->maps[i]);
	out(w, "\treturn 0;\n}\n\n");
}

static void emit_open_and_load(struct hw *w)
{
	out(w, "static inline struct %s *\n%s__open_and_load(void)\n{\n"
	    "\tstruct %s *skel;\n\tint err;\n\n"
	    "\tskel = %s__open();\n\tif (!skel)\n\t\treturn NULL;\n"
	    "\terr = %s__load(skel);\n\tif (err) {\n"
	    "\t\tlskel_report(skel->errstr);\t/* destroy frees the message */\n"
	    "\t\t%s__destroy(skel);\n\t\tlskel_set_errno(err);\n\t\treturn NULL;\n\t}\n"
	    "\treturn skel;\n}\n\n",
	    w->name, w->name, w->name, w->name, w->name, w->name);
}

/* The bpf() call that attaches p; prog_fd is a local of the attach function. */
static void emit_attach_call(struct hw *w, const struct bprog *p)
{
	switch (p->def->attach) {
	case ATTACH_RAW_TP:
		out(w, "lskel_raw_tp_open(");
		emit_c_str(w, p->attach_target);
		out(w, ", prog_fd)");
		break;
	case ATTACH_TRACING:
		out(w, "lskel_raw_tp_open(NULL, prog_fd)");
		break;
	case ATTACH_EXT:	/* the target again, so a detached extension can come back */
		out(w, "lskel_link_create_ext(prog_fd, skel->progs.%s.prog_fd, %u)",
		    w->o->progs[p->ext_target].name, p->attach_btf_id);
		break;
	case ATTACH_LSM:
		out(w, "lskel_link_create(prog_fd, 0, LSKEL_BPF_LSM_MAC)");
		break;
	case ATTACH_ITER:
		out(w, "lskel_link_create(prog_fd, 0, LSKEL_BPF_TRACE_ITER)");
		break;
	default:
		hw_err(w, -EINVAL, "prog '%s': no attach kind %d", p->name, p->def->attach);
	}
}

static void emit_prog_attach(struct hw *w, const struct bprog *p)
{
	out(w, "static inline int\n%s__%s__attach(struct %s *skel)\n{\n"
	    "\tint prog_fd = skel->progs.%s.prog_fd, fd;\n\n"
	    "\tif (prog_fd <= 0)\t/* not loaded */\n\t\treturn lskel_set_errno(-ENOENT);\n"
	    "\tif (skel->links.%s_fd > 0)\n\t\treturn lskel_set_errno(-EBUSY);\n\tfd = ",
	    w->name, p->name, w->name, p->name, p->name);
	emit_attach_call(w, p);
	out(w, ";\n\tif (fd < 0)\n\t\treturn lskel_set_errno(fd);\n"
	    "\tskel->links.%s_fd = fd;\n\treturn fd;\n}\n\n", p->name);
}

/* Attaches every loaded program that can attach by itself and is not attached yet. */
static void emit_attach(struct hw *w)
{
	const struct bobj *o = w->o;
	const struct bprog *p;
	bool any = false;

	out(w, "static inline int\n%s__attach(struct %s *skel)\n{\n", w->name, w->name);
	for (size_t i = 0; i < o->nr_progs; i++) {
		p = &o->progs[i];
		if (!is_attachable(p))
			continue;
		if (!any)
			out(w, "\tint err;\n\n");
		any = true;
		out(w, "\tif (skel->progs.%s.prog_fd > 0 && skel->links.%s_fd <= 0) {\n"
		    "\t\terr = %s__%s__attach(skel);\n\t\tif (err < 0)\n\t\t\treturn err;\n\t}\n",
		    p->name, p->name, w->name, p->name);
	}
	emit_st_ops_attach(w);
	if (!any && !has_st_ops(o))
		out(w, "\t(void)skel;\n");
	out(w, "\treturn 0;\n}\n\n");
}

//
// the whole header
//

static void emit_prologue(struct hw *w)
{
	out(w, "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
	    "/* generated by lskel " LSKEL_VERSION " from %s; do not edit */\n"
	    "/*\n"
	    " * Light skeleton of %s: %s__open_and_load(), %s__attach(), %s__destroy(),\n"
	    " * as with bpftool gen skeleton -L. Before load, set skel->ctx.log_level,\n"
	    " * log_buf and log_size for verifier logs, skel->progs.X.autoload to choose\n"
	    " * programs, skel->maps.X.max_entries to resize a map, and write global data\n"
	    " * through skel->bss, skel->rodata... After a failed load, skel->errstr says\n"
	    " * which step failed (the map or program) and the errno; with log_level set\n"
	    " * it quotes the verifier's reason, and log_buf (your buffer, log_size bytes)\n"
	    " * holds the whole log of the failing step, as each load writes it from the\n"
	    " * start (a buffer too small for a program that loads fails it with ENOSPC).\n"
	    " * Maps the kernel lets you mmap() (BPF_F_MMAPABLE arrays, ring buffers,\n"
	    " * arenas) are yours to mmap() through skel->maps.X.map_fd.\n"
	    " */\n"
	    "#ifndef __%s_SKEL_H__\n#define __%s_SKEL_H__\n\n",
	    w->o->path ? w->o->path : w->name, w->name, w->name, w->name, w->name,
	    w->upper, w->upper);
	for (const char *const *text = lskel_runtime_texts; *text; text++)
		out(w, "%s\n", *text);
}

static void emit_epilogue(struct hw *w)
{
	out(w, "#endif /* __%s_SKEL_H__ */\n", w->upper);
}

static int hw_check(struct hw *w)
{
	const struct bobj *o = w->o;

	if (!is_c_ident(o->name))
		return hw_err(w, -EINVAL, "skeleton name '%s' is not a C identifier", o->name ?: "");
	if (o->ctx_sz > CTX_MAX)
		return hw_err(w, -E2BIG, "the loader context takes %u bytes, BPF_PROG_TEST_RUN "
			      "accepts %u: too many maps and programs", o->ctx_sz, CTX_MAX);
	for (size_t i = 0; i < o->nr_maps; i++)
		if (!is_c_ident(o->maps[i].ident))
			return hw_err(w, -EINVAL, "map '%s': '%s' is not a C identifier",
				      o->maps[i].name, o->maps[i].ident ?: "");
	for (size_t i = 0; i < o->nr_progs; i++)
		if (!is_c_ident(o->progs[i].name))
			return hw_err(w, -EINVAL, "prog '%s' is not a C identifier", o->progs[i].name ?: "");
	if (w->t->blob_sz && !w->t->blob)
		return hw_err(w, -EINVAL, "the trace has no blob");
	return st_ops_check(w);
}

static int hw_init(struct hw *w)
{
	const struct btf *btf = w->o->btf;

	if (hw_check(w))
		return w->err;
	w->upper = strdup(w->name);
	if (!w->upper)
		return hw_err(w, -ENOMEM, "out of memory");
	for (char *c = w->upper; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c -= 'a' - 'A';
	if (!btf)
		return 0;
	w->type_state = calloc(btf__type_cnt(btf), 1);
	w->dump = btf_dump__new(btf, dump_printf, w, NULL);
	if (!w->type_state || !w->dump)
		return hw_err(w, w->dump ? -ENOMEM : -errno, "btf_dump__new failed");
	return 0;
}

int header__write(FILE *out, const struct bobj *o, const struct trace *t,
		  const struct loader *l, char *errmsg, size_t errlen)
{
	struct hw w = { .out = out, .o = o, .t = t, .l = l, .name = o->name,
			.errmsg = errmsg, .errlen = errlen };

	if (errlen)
		errmsg[0] = '\0';
	if (!hw_init(&w)) {
		emit_prologue(&w);
		emit_types(&w);
		emit_skel_struct(&w);
		emit_layout_asserts(&w);
		emit_detach(&w);
		emit_destroy(&w);
		emit_open(&w);
		emit_load(&w);
		emit_open_and_load(&w);
		for (size_t i = 0; i < o->nr_progs; i++)
			if (is_attachable(&o->progs[i]))
				emit_prog_attach(&w, &o->progs[i]);
		emit_attach(&w);
		emit_epilogue(&w);
	}
	if (!w.err && (fflush(out) || ferror(out)))
		hw_err(&w, -EIO, "writing the header failed");
	btf_dump__free(w.dump);
	free(w.type_state);
	free(w.upper);
	return w.err;
}
