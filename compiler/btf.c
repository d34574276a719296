/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The object's BTF and .BTF.ext, made ready for the kernel.
 *
 * clang leaves DATASEC sizes and VAR offsets at zero; the kernel wants the real ones,
 * which only the ELF section sizes and symbol values know. Variables and functions
 * with hidden visibility become static, as libbpf does, so that the kernel verifies
 * hidden subprograms with their caller's context. The BTF is edited in place through
 * libbpf's parsed copy, so btf__raw_data() returns the fixed bytes.
 *
 * .BTF.ext func_info and line_info records are kept per ELF section with insn_off
 * turned from bytes into instruction indexes; relocate.c remaps them per program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct btf_ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	struct {
		uint32_t off, len;
	} info[NR_EXT];		/* func_info, line_info, core_relo: offsets after hdr_len */
};

static const struct {
	const char *name;
	uint32_t min_rec_sz;
} ext_kinds[NR_EXT] = {
	[EXT_FUNC] = { "func_info", 8 },
	[EXT_LINE] = { "line_info", 16 },
	[EXT_CORE] = { "core_relo", 16 },
};

static struct btf_type *btf_type_mut(struct btf *btf, uint32_t id)
{
	return (struct btf_type *)btf__type_by_id(btf, id);
}

static const struct elf_sym *find_var_sym(const struct bobj *o, const char *name)
{
	for (size_t i = 1; i < o->nr_syms; i++) {
		const struct elf_sym *s = &o->syms[i];
		int type = GELF_ST_TYPE(s->sym.st_info);

		if ((type == STT_OBJECT || type == STT_NOTYPE) && !strcmp(s->name, name) &&
		    GELF_ST_BIND(s->sym.st_info) != STB_LOCAL)
			return s;
	}
	return NULL;
}

static bool sym_hidden(const GElf_Sym *sym)
{
	int vis = GELF_ST_VISIBILITY(sym->st_other);

	return vis == STV_HIDDEN || vis == STV_INTERNAL;
}

static int cmp_vsi(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int fix_datasec_var(struct bobj *o, struct btf_var_secinfo *vsi, bool fix_off,
			   const char *sec_name)
{
	struct btf_type *vt = btf_type_mut(o->btf, vsi->type);
	const struct elf_sym *sym;
	const char *name;

	if (!vt || !btf_is_var(vt))
		return bobj__err(o, -EINVAL, "btf: DATASEC '%s': member type [%u] is not a VAR",
				 sec_name, vsi->type);
	if (btf_var(vt)->linkage == BTF_VAR_STATIC || btf_var(vt)->linkage == BTF_VAR_GLOBAL_EXTERN)
		return 0;
	name = btf__name_by_offset(o->btf, vt->name_off);
	sym = find_var_sym(o, name);
	if (!sym)
		return bobj__err(o, -ENOENT, "btf: DATASEC '%s': VAR [%u] '%s' has no ELF symbol",
				 sec_name, vsi->type, name);
	if (fix_off)
		vsi->offset = sym->sym.st_value;
	if (sym_hidden(&sym->sym))
		btf_var(vt)->linkage = BTF_VAR_STATIC;
	return 0;
}

static int fix_datasec(struct bobj *o, uint32_t id, struct btf_type *t)
{
	const char *name = btf__name_by_offset(o->btf, t->name_off);
	struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	bool fix_off = false;
	int err = 0;

	if (!name)
		return bobj__err(o, -EINVAL, "btf: DATASEC [%u]: no name", id);
	if (!strcmp(name, ".kconfig") || !strcmp(name, ".ksyms"))
		goto sort;
	if (t->size == 0) {
		const struct elf_sec *s = bobj__sec_by_name(o, name);

		if (!s || !s->shdr.sh_size)
			return bobj__err(o, -ENOENT, "btf: DATASEC [%u] '%s': no ELF section of that name",
					 id, name);
		t->size = s->shdr.sh_size;
		fix_off = true;
	}
	for (uint32_t i = 0; i < btf_vlen(t) && !err; i++)
		err = fix_datasec_var(o, &vsi[i], fix_off, name);
sort:
	qsort(vsi, btf_vlen(t), sizeof(*vsi), cmp_vsi);
	return err;
}

static const struct elf_sym *find_func_sym(const struct bobj *o, const char *name)
{
	for (size_t i = 1; i < o->nr_syms; i++) {
		const struct elf_sym *s = &o->syms[i];

		if (GELF_ST_TYPE(s->sym.st_info) == STT_FUNC && !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

/* A global function the user hid is verified like a static one. */
static void fix_func_linkage(struct bobj *o, struct btf_type *t)
{
	const struct elf_sym *sym;

	if (btf_vlen(t) != BTF_FUNC_GLOBAL)	/* a FUNC's vlen holds its linkage */
		return;
	sym = find_func_sym(o, btf__name_by_offset(o->btf, t->name_off));
	if (sym && sym_hidden(&sym->sym))
		t->info = (BTF_KIND_FUNC << 24) | BTF_FUNC_STATIC;
}

static int fix_btf(struct bobj *o)
{
	uint32_t n = btf__type_cnt(o->btf);
	int err = 0;

	for (uint32_t id = 1; id < n && !err; id++) {
		struct btf_type *t = btf_type_mut(o->btf, id);

		if (btf_is_datasec(t))
			err = fix_datasec(o, id, t);
		else if (btf_is_func(t))
			fix_func_linkage(o, t);
	}
	return err;
}

static struct btf_ext_sec *ext_sec_for(struct bobj *o, const char *name)
{
	struct btf_ext_sec *e;
	const struct elf_sec *s = bobj__sec_by_name(o, name);

	if (!s)
		return NULL;
	for (size_t i = 0; i < o->nr_ext; i++)
		if (o->ext[i].sec_idx == (size_t)(s - o->secs))
			return &o->ext[i];
	e = realloc(o->ext, (o->nr_ext + 1) * sizeof(*e));
	if (!e)
		return NULL;
	o->ext = e;
	e = &o->ext[o->nr_ext++];
	memset(e, 0, sizeof(*e));
	e->sec_idx = s - o->secs;
	return e;
}

/*
 * One info subsection: a u32 record size, then per ELF section {u32 sec_name_off,
 * u32 num_info, records}. The first u32 of every record is insn_off in bytes.
 */
static int read_ext_recs(struct bobj *o, enum ext_kind k, const uint8_t **pp,
			 const uint8_t *end, uint32_t rec_sz)
{
	const char *what = ext_kinds[k].name, *sec_name;
	const uint8_t *p = *pp;
	uint32_t hdr[2], bytes;
	struct btf_ext_sec *e;
	uint8_t *recs;

	if (end - p < 8)
		return bobj__err(o, -EINVAL, "btf.ext: %s: truncated section header", what);
	memcpy(hdr, p, 8);
	p += 8;
	sec_name = btf__name_by_offset(o->btf, hdr[0]);
	if (!sec_name || __builtin_mul_overflow(hdr[1], rec_sz, &bytes) ||
	    bytes > (size_t)(end - p))
		return bobj__err(o, -EINVAL, "btf.ext: %s: bad section entry", what);
	e = ext_sec_for(o, sec_name);
	if (!e)
		return bobj__err(o, -EINVAL, "btf.ext: %s: section '%s' not in ELF", what, sec_name);
	if (e->recs[k])
		return bobj__err(o, -EINVAL, "btf.ext: %s: section '%s' listed twice", what, sec_name);
	recs = malloc(bytes ? bytes : 1);
	if (!recs)
		return -ENOMEM;
	memcpy(recs, p, bytes);
	e->recs[k] = recs;
	e->nr[k] = hdr[1];
	*pp = p + bytes;
	for (uint32_t i = 0; i < hdr[1]; i++) {
		uint32_t *off = (uint32_t *)(recs + (size_t)i * rec_sz);

		if (*off % INSN_SZ)
			return bobj__err(o, -EINVAL, "btf.ext: %s: sec '%s': record #%u: insn_off %u not insn-aligned",
					 what, sec_name, i, *off);
		*off /= INSN_SZ;
	}
	return 0;
}

static int read_ext_info(struct bobj *o, enum ext_kind k, const uint8_t *p, uint32_t len)
{
	const uint8_t *end = p + len;
	uint32_t rec_sz;
	int err = 0;

	if (len == 0)
		return 0;
	if (len < 4)
		return bobj__err(o, -EINVAL, "btf.ext: %s: truncated", ext_kinds[k].name);
	memcpy(&rec_sz, p, 4);
	p += 4;
	if (rec_sz < ext_kinds[k].min_rec_sz || rec_sz % 4)
		return bobj__err(o, -EINVAL, "btf.ext: %s: bad record size %u", ext_kinds[k].name,
				 rec_sz);
	o->ext_rec_size[k] = rec_sz;
	while (p < end && !err)
		err = read_ext_recs(o, k, &p, end, rec_sz);
	return err;
}

static int read_btf_ext(struct bobj *o, const Elf_Data *d)
{
	struct btf_ext_hdr h = { 0 };
	const uint8_t *base = d->d_buf;
	size_t sz = d->d_size;
	int err = 0;

	if (sz < 8)
		return bobj__err(o, -EINVAL, "btf.ext: truncated header");
	memcpy(&h, base, sz < sizeof(h) ? sz : sizeof(h));
	if (h.magic != BTF_MAGIC || h.version != 1)
		return bobj__err(o, -EINVAL, "btf.ext: bad magic 0x%x or version %u", h.magic, h.version);
	if (h.hdr_len < offsetof(struct btf_ext_hdr, info[EXT_CORE]) || h.hdr_len > sz)
		return bobj__err(o, -EINVAL, "btf.ext: bad header length %u", h.hdr_len);
	if (h.hdr_len < sizeof(h))	/* an old header without CO-RE relocations */
		h.info[EXT_CORE].len = 0;
	for (int k = 0; k < NR_EXT && !err; k++) {
		if ((uint64_t)h.hdr_len + h.info[k].off + h.info[k].len > sz)
			return bobj__err(o, -EINVAL, "btf.ext: %s past the end", ext_kinds[k].name);
		err = read_ext_info(o, k, base + h.hdr_len + h.info[k].off, h.info[k].len);
	}
	return err;
}

int bobj__open_btf(struct bobj *o)
{
	const struct elf_sec *b = bobj__sec_by_name(o, ".BTF");
	const struct elf_sec *ext = bobj__sec_by_name(o, ".BTF.ext");
	int err;

	if (!b || !b->data)
		return 0;	/* no BTF: only maps and programs that need none */
	o->btf = btf__new(b->data->d_buf, b->data->d_size);
	if (!o->btf) {
		err = -errno;
		o->btf = NULL;
		return bobj__err(o, err, "btf: cannot parse .BTF: %s", strerror(-err));
	}
	err = bobj__check_btf(o);
	err = err ?: bobj__collect_externs(o);	/* lays out .kconfig/.ksyms first */
	err = err ?: fix_btf(o);
	if (!err && ext && ext->data)
		err = read_btf_ext(o, ext->data);
	return err;
}
