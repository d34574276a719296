/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The runtime's struct_ops part, pasted after lskel_runtime.h into every header.
 *
 * A struct_ops map's value is a kernel struct (struct bpf_struct_ops_<type>, whose
 * data member is struct <type>) laid out as the RUNNING kernel lays it out, and its
 * programs must be loaded with the kernel's type id and the index of the member each
 * one implements. The loader cannot read BTF and the blob must stay as generated, so
 * the runtime reads the kernel's BTF itself (/sys/kernel/btf/vmlinux: a header, the
 * type records, the strings; libc only) before it runs the loader:
 *
 *   resolve  finds struct <type> and struct bpf_struct_ops_<type>, matches every
 *            member of the object's type to the kernel's by name and checks it (a
 *            member the kernel lacks must be zero in the object; kinds must agree,
 *            scalar sizes must be equal, bitfields are refused); writes the type ids,
 *            value size and member indexes into the skeleton's context records,
 *            which the loader's map create and program loads read; and builds the
 *            value: the kernel's size, zeroed, each scalar member copied from the
 *            object's bytes to the kernel's offset. The BTF is dropped again.
 *   fill     after the loader ran: each program's fd into its function pointer;
 *   attach   BPF_MAP_UPDATE_ELEM of that value: for SEC(".struct_ops") that is the
 *            registration, undone only by BPF_MAP_DELETE_ELEM (detach, destroy): the
 *            kernel keeps it past the process otherwise, and takes a value once, so
 *            the map cannot register again; for SEC(".struct_ops.link") the update
 *            only checks the value and a BPF_LINK_CREATE (BPF_STRUCT_OPS) registers
 *            it until the link is closed, again after a detach if need be.
 *
 * A mismatch fails the load with a message naming the map and member; nothing is
 * ever written at an offset the kernel's BTF did not give. Kernel versions: struct_ops
 * maps 5.6, BPF_F_LINK and BPF_LINK_CREATE for them 6.4. Only vmlinux types: a
 * struct_ops type defined by a module is reported as missing. The kernel flavour
 * cannot read the BTF file and refuses objects with struct_ops maps at load.
 */
#ifndef LSKEL_ST_OPS_H
#define LSKEL_ST_OPS_H

//
// flavour shims
//
#ifdef __KERNEL__
static inline int lskel_read_vmlinux_btf(void **buf, __u32 *size)
{
	(void)buf;
	(void)size;
	return -EOPNOTSUPP;
}
#else /* !__KERNEL__ */
#include <fcntl.h>

/* Tests point this at a BTF file of their own making. */
#ifndef LSKEL_VMLINUX_BTF
#define LSKEL_VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#endif

/* The whole file: sysfs reports its size, but reading to the end is what counts. */
static inline int lskel_read_vmlinux_btf(void **buf, __u32 *size)
{
	size_t cap = 1 << 22, len = 0;
	char *p = (char *)malloc(cap), *np;
	ssize_t n = 0;
	int fd = open(LSKEL_VMLINUX_BTF, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0 || !p) {
		err = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	while ((n = read(fd, p + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len < cap)
			continue;
		np = cap < (1u << 30) ? (char *)realloc(p, cap * 2) : NULL;
		if (!np) {
			err = -EFBIG;
			goto out;
		}
		p = np;
		cap *= 2;
	}
	if (n < 0)
		err = -errno;
out:
	if (fd >= 0)
		close(fd);
	if (err) {
		free(p);
		return err;
	}
	*buf = p;
	*size = (__u32)len;
	return 0;
}
#endif /* __KERNEL__ */

//
// the kernel's BTF (include/uapi/linux/btf.h), read in place
//
enum {
	LSKEL_BTF_MAGIC = 0xeB9F,
	LSKEL_BTF_KIND_INT = 1, LSKEL_BTF_KIND_PTR, LSKEL_BTF_KIND_ARRAY, LSKEL_BTF_KIND_STRUCT,
	LSKEL_BTF_KIND_UNION, LSKEL_BTF_KIND_ENUM, LSKEL_BTF_KIND_FWD, LSKEL_BTF_KIND_TYPEDEF,
	LSKEL_BTF_KIND_VOLATILE, LSKEL_BTF_KIND_CONST, LSKEL_BTF_KIND_RESTRICT,
	LSKEL_BTF_KIND_FUNC, LSKEL_BTF_KIND_FUNC_PROTO, LSKEL_BTF_KIND_VAR,
	LSKEL_BTF_KIND_DATASEC, LSKEL_BTF_KIND_FLOAT, LSKEL_BTF_KIND_DECL_TAG,
	LSKEL_BTF_KIND_TYPE_TAG, LSKEL_BTF_KIND_ENUM64,
	LSKEL_BTF_MAX_DEPTH = 32,	/* typedef and modifier chains, array nesting */
};

struct lskel_btf_header {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 type_off;		/* from the end of the header */
	__u32 type_len;
	__u32 str_off;
	__u32 str_len;
};

struct lskel_btf_type {
	__u32 name_off;
	__u32 info;		/* vlen: bits 0-15, kind: 24-28, kind_flag: 31 */
	__u32 size;		/* or the type it refers to */
};

struct lskel_btf_member {
	__u32 name_off;
	__u32 type;
	__u32 offset;		/* bits; with kind_flag: bitfield size << 24 | offset */
};

struct lskel_btf_array {
	__u32 type;
	__u32 index_type;
	__u32 nelems;
};

struct lskel_btf {
	void *raw;		/* the file, owned */
	const char *types;
	const char *strs;
	__u32 str_len;
	__u32 *offs;		/* offs[id]: the record of type id in types; id 0 is void */
	__u32 nr;		/* types, void included */
	__u32 ptr_sz;		/* the kernel's pointer size: its "long" */
};

static inline __u32 lskel_btf_kind(const struct lskel_btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}

static inline __u32 lskel_btf_vlen(const struct lskel_btf_type *t)
{
	return t->info & 0xffff;
}

/* Bytes after the 12-byte record, or -1 for a kind this runtime does not know. */
static inline long lskel_btf_extra(const struct lskel_btf_type *t)
{
	__u32 vlen = lskel_btf_vlen(t);

	switch (lskel_btf_kind(t)) {
	case LSKEL_BTF_KIND_INT: case LSKEL_BTF_KIND_VAR: case LSKEL_BTF_KIND_DECL_TAG:
		return 4;
	case LSKEL_BTF_KIND_PTR: case LSKEL_BTF_KIND_FWD: case LSKEL_BTF_KIND_TYPEDEF:
	case LSKEL_BTF_KIND_VOLATILE: case LSKEL_BTF_KIND_CONST: case LSKEL_BTF_KIND_RESTRICT:
	case LSKEL_BTF_KIND_FUNC: case LSKEL_BTF_KIND_FLOAT: case LSKEL_BTF_KIND_TYPE_TAG:
		return 0;
	case LSKEL_BTF_KIND_ARRAY:
		return 12;
	case LSKEL_BTF_KIND_STRUCT: case LSKEL_BTF_KIND_UNION: case LSKEL_BTF_KIND_DATASEC:
	case LSKEL_BTF_KIND_ENUM64:
		return 12L * vlen;
	case LSKEL_BTF_KIND_ENUM: case LSKEL_BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	default:
		return -1;
	}
}

static inline const struct lskel_btf_type *lskel_btf_type(const struct lskel_btf *btf, __u32 id)
{
	if (!id || id >= btf->nr)
		return NULL;
	return (const struct lskel_btf_type *)(btf->types + btf->offs[id]);
}

static inline const char *lskel_btf_name(const struct lskel_btf *btf, __u32 off)
{
	return off < btf->str_len ? btf->strs + off : "";
}

static inline const struct lskel_btf_member *lskel_btf_members(const struct lskel_btf_type *t)
{
	return (const struct lskel_btf_member *)(t + 1);
}

/* Walks the records twice: to count them, then to index them. */
static inline int lskel_btf_index(struct lskel_btf *btf, __u32 len)
{
	const struct lskel_btf_type *t;
	__u32 off, n = 1;
	long extra;

	for (off = 0; off + sizeof(*t) <= len; n++) {
		t = (const struct lskel_btf_type *)(btf->types + off);
		extra = lskel_btf_extra(t);
		if (extra < 0 || off + sizeof(*t) + (__u32)extra > len)
			return -EINVAL;
		if (btf->offs) {
			btf->offs[n] = off;
			if (lskel_btf_kind(t) == LSKEL_BTF_KIND_INT &&
			    !strcmp(lskel_btf_name(btf, t->name_off), "long int"))
				btf->ptr_sz = t->size;
		}
		off += (__u32)sizeof(*t) + (__u32)extra;
	}
	if (off != len)
		return -EINVAL;
	btf->nr = n;
	return 0;
}

static inline void lskel_btf_free(struct lskel_btf *btf)
{
	lskel_free(btf->offs);
	lskel_free(btf->raw);	/* user space: malloc'd, as lskel_free frees */
	memset(btf, 0, sizeof(*btf));
}

/* Reads and indexes the running kernel's BTF; on failure btf is empty. */
static inline int lskel_btf_load(struct lskel_btf *btf)
{
	const struct lskel_btf_header *h;
	__u32 size = 0;
	int err;

	memset(btf, 0, sizeof(*btf));
	btf->ptr_sz = 8;
	err = lskel_read_vmlinux_btf(&btf->raw, &size);
	if (err)
		return err;
	h = (const struct lskel_btf_header *)btf->raw;
	err = -EINVAL;
	if (size < sizeof(*h) || h->magic != LSKEL_BTF_MAGIC || h->version != 1 ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > size ||
	    (__u64)h->type_off + h->type_len > size - h->hdr_len ||
	    (__u64)h->str_off + h->str_len > size - h->hdr_len || !h->str_len || h->type_off % 4)
		goto fail;
	btf->types = (const char *)btf->raw + h->hdr_len + h->type_off;
	btf->strs = (const char *)btf->raw + h->hdr_len + h->str_off;
	btf->str_len = h->str_len;
	if (btf->strs[btf->str_len - 1] || lskel_btf_index(btf, h->type_len))
		goto fail;
	btf->offs = (__u32 *)lskel_alloc((size_t)btf->nr * sizeof(*btf->offs));
	if (!btf->offs) {
		err = -ENOMEM;
		goto fail;
	}
	if (!lskel_btf_index(btf, h->type_len))
		return 0;
fail:
	lskel_btf_free(btf);
	return err;
}

static inline __u32 lskel_btf_find(const struct lskel_btf *btf, const char *name, __u32 kind)
{
	const struct lskel_btf_type *t;
	__u32 id;

	for (id = 1; id < btf->nr; id++) {
		t = lskel_btf_type(btf, id);
		if (lskel_btf_kind(t) == kind && !strcmp(lskel_btf_name(btf, t->name_off), name))
			return id;
	}
	return 0;
}

/* The type under typedefs and modifiers; *id follows it. NULL for void or a loop. */
static inline const struct lskel_btf_type *lskel_btf_skip_mods(const struct lskel_btf *btf,
							       __u32 *id)
{
	const struct lskel_btf_type *t = lskel_btf_type(btf, *id);
	int depth;

	for (depth = 0; t && depth < LSKEL_BTF_MAX_DEPTH; depth++) {
		switch (lskel_btf_kind(t)) {
		case LSKEL_BTF_KIND_TYPEDEF: case LSKEL_BTF_KIND_VOLATILE: case LSKEL_BTF_KIND_CONST:
		case LSKEL_BTF_KIND_RESTRICT: case LSKEL_BTF_KIND_TYPE_TAG:
			*id = t->size;
			t = lskel_btf_type(btf, *id);
			break;
		default:
			return t;
		}
	}
	return NULL;
}

/* Size in bytes of type id, or -1 for a type without one. */
static inline long long lskel_btf_size(const struct lskel_btf *btf, __u32 id, int depth)
{
	const struct lskel_btf_type *t = lskel_btf_skip_mods(btf, &id);
	const struct lskel_btf_array *a;
	long long n;

	if (!t || depth > LSKEL_BTF_MAX_DEPTH)
		return -1;
	switch (lskel_btf_kind(t)) {
	case LSKEL_BTF_KIND_INT: case LSKEL_BTF_KIND_ENUM: case LSKEL_BTF_KIND_ENUM64:
	case LSKEL_BTF_KIND_STRUCT: case LSKEL_BTF_KIND_UNION: case LSKEL_BTF_KIND_FLOAT:
		return t->size;
	case LSKEL_BTF_KIND_PTR:
		return btf->ptr_sz;
	case LSKEL_BTF_KIND_ARRAY:
		a = (const struct lskel_btf_array *)(t + 1);
		n = lskel_btf_size(btf, a->type, depth + 1);
		return n < 0 ? -1 : n * a->nelems;
	default:
		return -1;
	}
}

static inline int lskel_btf_is_func_ptr(const struct lskel_btf *btf, const struct lskel_btf_type *t)
{
	__u32 id;

	if (lskel_btf_kind(t) != LSKEL_BTF_KIND_PTR)
		return 0;
	id = t->size;
	t = lskel_btf_skip_mods(btf, &id);
	return t && lskel_btf_kind(t) == LSKEL_BTF_KIND_FUNC_PROTO;
}

//
// struct_ops maps against the kernel's BTF
//

/* How the object sets a member: the generator's enum bst_member_kind. */
enum {
	LSKEL_ST_DATA,		/* bytes copied from the object */
	LSKEL_ST_PROG,		/* a program's fd */
	LSKEL_ST_NULL,		/* a function pointer left NULL */
};

/* One member of the object's type, as the generator saw it. */
struct lskel_st_ops_member {
	const char *name;
	__u32 kind;		/* LSKEL_ST_* */
	__u32 off, size;	/* in the object's type */
	__u32 btf_kind;		/* under typedefs and modifiers */
	int prog;		/* LSKEL_ST_PROG: index in skel->progs */
	int st_prog;		/* LSKEL_ST_PROG: index in skel->st_ops_progs */
};

/* One struct_ops map of the object. */
struct lskel_st_ops_map {
	const char *name;	/* the map: "cc" */
	const char *type;	/* the kernel type: "tcp_congestion_ops" */
	const char *image;	/* the object's value, pointers cleared */
	__u32 size;		/* of the object's type */
	__u32 link;		/* SEC(".struct_ops.link") */
	const struct lskel_st_ops_member *members;
	__u32 nr_members;
};

/*
 * What load leaves for attach: the value in the kernel's layout, and where each
 * member of the object's type landed in it.
 */
struct lskel_st_ops_value {
	char *data;		/* value_size bytes; NULL before load */
	__u32 *kern_off;	/* per member: its offset in data, LSKEL_ST_ABSENT if skipped */
	__u32 registered;	/* SEC(".struct_ops"): attach's update registered it */
	__u32 __pad;
};

#define LSKEL_ST_ABSENT (~0u)

/* The kernel's side of one map, found by name. */
struct lskel_st_ops_kern {
	__u32 type_id;		/* struct <type> */
	__u32 value_type_id;	/* struct bpf_struct_ops_<type> */
	__u32 value_size;
	__u32 data_off;		/* of struct <type> in the value */
};

/* "lskel: struct_ops map 'cc': WHAT: -E (text)" into errstr; returns err. */
static inline int lskel_st_ops_fail(struct lskel_load_opts *opts, int err,
				    const struct lskel_st_ops_map *m, const char *what)
{
	char code[64];

	lskel_fmt_err(code, sizeof(code), err);
	if (opts->errstr_sz)
		snprintf(opts->errstr, opts->errstr_sz, "lskel: struct_ops map '%.24s': %.160s: %.40s",
			 m->name, what, code);	/* bounded: errstr has 256 bytes */
	return err;
}

static inline int lskel_st_ops_find_types(struct lskel_load_opts *opts, const struct lskel_btf *btf,
					  const struct lskel_st_ops_map *m,
					  struct lskel_st_ops_kern *k)
{
	const struct lskel_btf_type *vt, *t;
	const struct lskel_btf_member *mb;
	char name[128], what[256];
	__u32 i;

	memset(k, 0, sizeof(*k));
	if (snprintf(name, sizeof(name), "bpf_struct_ops_%s", m->type) >= (int)sizeof(name))
		return lskel_st_ops_fail(opts, -ENAMETOOLONG, m, "type name too long");
	k->type_id = lskel_btf_find(btf, m->type, LSKEL_BTF_KIND_STRUCT);
	k->value_type_id = lskel_btf_find(btf, name, LSKEL_BTF_KIND_STRUCT);
	if (!k->type_id || !k->value_type_id) {
		snprintf(what, sizeof(what), "the running kernel has no struct_ops type '%.64s' "
			 "(no struct %.80s in /sys/kernel/btf/vmlinux)", m->type,
			 k->type_id ? name : m->type);
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, what);
	}
	vt = lskel_btf_type(btf, k->value_type_id);
	t = lskel_btf_type(btf, k->type_id);
	mb = lskel_btf_members(vt);
	for (i = 0; i < lskel_btf_vlen(vt); i++, mb++)
		if (mb->type == k->type_id && !(vt->info >> 31) && mb->offset % 8 == 0)
			break;
	if (i == lskel_btf_vlen(vt) || mb->offset / 8 + t->size > vt->size) {
		snprintf(what, sizeof(what), "struct %.80s holds no struct %.64s", name, m->type);
		return lskel_st_ops_fail(opts, -EINVAL, m, what);
	}
	k->value_size = vt->size;
	k->data_off = mb->offset / 8;
	return 0;
}

static inline int lskel_st_ops_is_zero(const char *p, __u32 len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * Where the object's member mb goes in the kernel's struct <type>: 0 with its offset
 * in the value and its member index, 1 when the kernel lacks a member the object
 * leaves zero (skipped, as libbpf does), or -errno with errstr saying why.
 */
static inline int lskel_st_ops_place(struct lskel_load_opts *opts, const struct lskel_btf *btf,
				     const struct lskel_st_ops_map *m,
				     const struct lskel_st_ops_kern *k,
				     const struct lskel_st_ops_member *mb, __u32 *off, __u32 *idx)
{
	const struct lskel_btf_type *t = lskel_btf_type(btf, k->type_id), *mt;
	const struct lskel_btf_member *km = lskel_btf_members(t);
	__u32 i, bits, mt_id;
	long long size;
	char what[256];

	for (i = 0; i < lskel_btf_vlen(t); i++, km++)
		if (!strcmp(lskel_btf_name(btf, km->name_off), mb->name))
			break;
	if (i == lskel_btf_vlen(t)) {
		if (mb->kind == LSKEL_ST_NULL ||
		    (mb->kind == LSKEL_ST_DATA && lskel_st_ops_is_zero(m->image + mb->off, mb->size)))
			return 1;
		snprintf(what, sizeof(what), "member '%.64s' is set, but the running kernel's "
			 "struct %.64s has no such member", mb->name, m->type);
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, what);
	}
	bits = t->info >> 31 ? km->offset & 0xffffff : km->offset;
	mt_id = km->type;
	mt = lskel_btf_skip_mods(btf, &mt_id);
	size = lskel_btf_size(btf, mt_id, 0);
	if ((t->info >> 31 && km->offset >> 24) || bits % 8 || !mt || size < 0 ||
	    bits / 8 + size > t->size) {
		snprintf(what, sizeof(what), "member '%.64s': the running kernel's is a bitfield or "
			 "has no size", mb->name);
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, what);
	}
	if (lskel_btf_kind(mt) != mb->btf_kind ||
	    (mb->kind != LSKEL_ST_DATA && !lskel_btf_is_func_ptr(btf, mt))) {
		snprintf(what, sizeof(what), "member '%.64s': BTF kind %u in the object, %u in the "
			 "running kernel%s", mb->name, mb->btf_kind, lskel_btf_kind(mt),
			 mb->kind != LSKEL_ST_DATA ? " (not a function pointer)" : "");
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, what);
	}
	if (mb->kind == LSKEL_ST_DATA && size != mb->size) {
		snprintf(what, sizeof(what), "member '%.64s': %u bytes in the object, %lld in the "
			 "running kernel", mb->name, mb->size, size);
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, what);
	}
	if (mb->kind != LSKEL_ST_DATA && size != 8)
		return lskel_st_ops_fail(opts, -EOPNOTSUPP, m, "function pointers are not 64-bit");
	*off = k->data_off + bits / 8;
	*idx = i;
	return 0;
}

static inline void lskel_st_ops_free(struct lskel_st_ops_value *v)
{
	lskel_free(v->data);
	lskel_free(v->kern_off);
	v->data = NULL;
	v->kern_off = NULL;
}

/*
 * One map: its context record, its programs' records, and its value with every
 * scalar member in place (the program fds come after the loader ran).
 */
static inline int lskel_st_ops_resolve_map(struct lskel_load_opts *opts,
					   const struct lskel_btf *btf,
					   const struct lskel_st_ops_map *m,
					   struct lskel_st_ops_map_desc *map_desc,
					   struct lskel_st_ops_prog_desc *prog_descs,
					   struct lskel_st_ops_value *v)
{
	const struct lskel_st_ops_member *mb;
	struct lskel_st_ops_kern k;
	__u32 j, idx;
	int err;

	err = lskel_st_ops_find_types(opts, btf, m, &k);
	if (err)
		return err;
	lskel_st_ops_free(v);
	v->data = (char *)lskel_alloc(k.value_size);
	v->kern_off = (__u32 *)lskel_alloc((m->nr_members + 1) * sizeof(__u32));
	if (!v->data || !v->kern_off)
		return lskel_st_ops_fail(opts, -ENOMEM, m, "building the value");
	for (j = 0; j < m->nr_members; j++) {
		mb = &m->members[j];
		err = lskel_st_ops_place(opts, btf, m, &k, mb, &v->kern_off[j], &idx);
		if (err < 0)
			return err;
		if (err)
			v->kern_off[j] = LSKEL_ST_ABSENT;
		else if (mb->kind == LSKEL_ST_DATA)
			memcpy(v->data + v->kern_off[j], m->image + mb->off, mb->size);
		else if (mb->kind == LSKEL_ST_PROG) {
			prog_descs[mb->st_prog].attach_btf_id = k.type_id;
			prog_descs[mb->st_prog].member = idx;
		}
	}
	map_desc->value_type_id = k.value_type_id;
	map_desc->value_size = k.value_size;
	return 0;
}

/*
 * Before the loader runs: reads the running kernel's BTF and, for every map, fills
 * the context records the loader reads (map_descs[i], and prog_descs[] of its
 * programs) and values[i] but for the program fds. values[] stay the skeleton's
 * until lskel_st_ops_free(), on failure too.
 */
static inline int lskel_st_ops_resolve(struct lskel_load_opts *opts,
				       const struct lskel_st_ops_map *maps, __u32 nr_maps,
				       struct lskel_st_ops_map_desc *map_descs,
				       struct lskel_st_ops_prog_desc *prog_descs,
				       struct lskel_st_ops_value *values)
{
	struct lskel_btf btf;
	__u32 i;
	int err;

	if (opts->errstr_sz)
		opts->errstr[0] = '\0';
	err = lskel_btf_load(&btf);
	if (err)
		return lskel_fail(opts, err, "reading the kernel's BTF for struct_ops "
				  "(/sys/kernel/btf/vmlinux)", 0);
	for (i = 0; i < nr_maps && !err; i++)
		err = lskel_st_ops_resolve_map(opts, &btf, &maps[i], &map_descs[i], prog_descs,
					       &values[i]);
	lskel_btf_free(&btf);
	return err;
}

/* After the loader ran: each program's fd into its function pointer (0 if not loaded). */
static inline void lskel_st_ops_fill(const struct lskel_st_ops_map *maps, __u32 nr_maps,
				     const struct lskel_prog_desc *progs,
				     struct lskel_st_ops_value *values)
{
	const struct lskel_st_ops_member *mb;
	__u64 fd;
	__u32 i, j;

	for (i = 0; i < nr_maps; i++) {
		for (j = 0; j < maps[i].nr_members; j++) {
			mb = &maps[i].members[j];
			if (mb->kind != LSKEL_ST_PROG || values[i].kern_off[j] == LSKEL_ST_ABSENT)
				continue;
			fd = progs[mb->prog].prog_fd > 0 ? (__u64)progs[mb->prog].prog_fd : 0;
			memcpy(values[i].data + values[i].kern_off[j], &fd, sizeof(fd));
		}
	}
}

enum {
	LSKEL_BPF_MAP_DELETE_ELEM = 3,
	LSKEL_BPF_STRUCT_OPS = 44,	/* the attach type of a struct_ops link */
};

/*
 * Registers one map. SEC(".struct_ops"): the update registers it (*link_fd stays
 * untouched). SEC(".struct_ops.link"): the update only checks the value, which the
 * kernel takes once (-EBUSY on the next attach after a detach, harmless), and the
 * link registers it. Returns 0 or -errno.
 */
static inline int lskel_st_ops_attach(int map_fd, struct lskel_st_ops_value *v, int link,
				      int *link_fd)
{
	struct lskel_attr_map_elem attr;
	__u32 key = 0;
	int err;

	if (map_fd <= 0 || !v->data)
		return -ENOENT;	/* not loaded */
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)map_fd;
	attr.key = (unsigned long)&key;
	attr.value = (unsigned long)v->data;
	err = lskel_sys_bpf(LSKEL_BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
	if (!link) {
		if (!err)
			v->registered = 1;
		return err < 0 ? err : 0;
	}
	if (err < 0 && err != -EBUSY)
		return err;
	err = lskel_link_create(map_fd, 0, LSKEL_BPF_STRUCT_OPS);
	if (err < 0)
		return err;
	*link_fd = err;
	return 0;
}

/* Unregisters a legacy map registered by attach: deleting its only element does it. */
static inline void lskel_st_ops_unregister(int map_fd, struct lskel_st_ops_value *v)
{
	struct lskel_attr_map_elem attr;
	__u32 key = 0;

	if (!v->registered)
		return;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)map_fd;
	attr.key = (unsigned long)&key;
	lskel_sys_bpf(LSKEL_BPF_MAP_DELETE_ELEM, &attr, sizeof(attr));
	v->registered = 0;
}

#endif /* LSKEL_ST_OPS_H */
