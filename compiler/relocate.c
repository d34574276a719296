/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Relocation: each program becomes one instruction array holding its entry function
 * followed by every subprogram it reaches, appended depth first in the order calls
 * appear (libbpf's order, so the kernel's translated program matches a libbpf load).
 * Calls and function pointers (ld_imm64 BPF_PSEUDO_FUNC) get their relative offsets
 * in the new layout; map references become BPF_PSEUDO_MAP_IDX and global data
 * references BPF_PSEUDO_MAP_IDX_VALUE, both indexing the loader's fd_array, which
 * holds one fd per map in o->maps order. Instructions referring to externs (.kconfig
 * values, ksyms, kfunc calls) are handed to externs.c. func_info, line_info and CO-RE
 * relocation records follow their instructions.
 *
 * Requires bobj__collect. Fills bprog insns and BTF.ext records, then finds what
 * each freplace program extends (freplace.c), which needs those records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10
#endif

/* Where each function of one program landed. */
struct layout {
	struct bobj *o;
	struct bprog *p;
	size_t *func;		/* index into o->funcs */
	uint32_t *base;		/* first insn in p->insns */
	size_t n;
};

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL);
}

static const struct elf_rel *find_rel(const struct elf_sec *s, uint32_t insn_idx)
{
	size_t lo = 0, hi = s->nr_rels;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->rels[mid].insn_idx < insn_idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nr_rels && s->rels[lo].insn_idx == insn_idx ? &s->rels[lo] : NULL;
}

static int func_at(const struct bobj *o, size_t sec_idx, uint32_t insn_idx)
{
	for (size_t i = 0; i < o->nr_funcs; i++)
		if (o->funcs[i].sec_idx == sec_idx && o->funcs[i].off == insn_idx)
			return i;
	return -1;
}

static int lay_find(const struct layout *l, size_t func)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->func[i] == func)
			return i;
	return -1;
}

static int lay_append(struct layout *l, size_t func)
{
	const struct bfunc *f = &l->o->funcs[func];
	const struct elf_sec *s = &l->o->secs[f->sec_idx];
	struct bpf_insn *insns;
	size_t *fn;
	uint32_t *base;

	insns = realloc(l->p->insns, (l->p->nr_insns + f->cnt) * sizeof(*insns));
	fn = realloc(l->func, (l->n + 1) * sizeof(*fn));
	if (fn)
		l->func = fn;
	base = realloc(l->base, (l->n + 1) * sizeof(*base));
	if (base)
		l->base = base;
	if (insns)
		l->p->insns = insns;
	if (!insns || !fn || !base)
		return -ENOMEM;
	memcpy(insns + l->p->nr_insns, (const struct bpf_insn *)s->data->d_buf + f->off,
	       f->cnt * sizeof(*insns));
	l->func[l->n] = func;
	l->base[l->n] = l->p->nr_insns;
	l->p->nr_insns += f->cnt;
	return l->n++;
}

static int reloc_func(struct layout *l, size_t li);

/* The new index of the function starting at (sec_idx, insn_idx), appending it if new. */
static int place_target(struct layout *l, size_t li, uint32_t at, size_t sec_idx,
			int64_t insn_idx, uint32_t *new_idx)
{
	const struct bfunc *f = &l->o->funcs[l->func[li]];
	int fi = insn_idx >= 0 ? func_at(l->o, sec_idx, insn_idx) : -1;
	int ti;

	if (fi < 0)
		return bobj__err(l->o, -EINVAL, "sec '%s': prog '%s': insn #%u: call or func pointer to insn %lld of sec '%s', not a function start",
				 l->o->secs[f->sec_idx].name, l->p->name, at - l->base[li] + f->off,
				 (long long)insn_idx, l->o->secs[sec_idx].name);
	ti = lay_find(l, fi);
	if (ti < 0) {
		int err;

		ti = lay_append(l, fi);
		if (ti < 0)
			return ti;
		err = reloc_func(l, ti);
		if (err)
			return err;
	}
	*new_idx = l->base[ti];
	return 0;
}

static int reloc_err(struct layout *l, size_t li, uint32_t i, const char *what, const char *sym)
{
	const struct bfunc *f = &l->o->funcs[l->func[li]];

	return bobj__err(l->o, -EINVAL, "sec '%s': prog '%s': insn #%u: relo vs '%s': %s",
			 l->o->secs[f->sec_idx].name, l->p->name, f->off + i, sym, what);
}

/* An insn referring to an undefined symbol: a .kconfig or __ksym extern (externs.c). */
static int reloc_extern(struct layout *l, size_t li, uint32_t i, const struct elf_rel *r,
			bool call)
{
	const char *why = NULL;
	int err = bobj__reloc_extern(l->o, l->p - l->o->progs, l->base[li] + i, r->sym_idx, call,
				     &why);

	return err && why ? reloc_err(l, li, i, why, l->o->syms[r->sym_idx].name) : err;
}

static int reloc_call(struct layout *l, size_t li, uint32_t i, const struct elf_rel *r)
{
	const struct bfunc *f = &l->o->funcs[l->func[li]];
	struct bpf_insn *insn = &l->p->insns[l->base[li] + i];
	size_t sec_idx = f->sec_idx;
	int64_t target = (int64_t)f->off + i + insn->imm + 1;
	uint32_t at = l->base[li] + i, new_idx;
	int err;

	if (r && l->o->syms[r->sym_idx].sym.st_shndx == SHN_UNDEF)
		return reloc_extern(l, li, i, r, true);	/* a kfunc */
	if (insn->src_reg != BPF_PSEUDO_CALL) {
		if (r)
			return reloc_err(l, li, i, "relocation on a helper call",
					 l->o->syms[r->sym_idx].name);
		return 0;	/* helper call */
	}
	if (r) {
		const struct elf_sym *s = &l->o->syms[r->sym_idx];
		const struct elf_sec *ts = bobj__sec(l->o, s->sym.st_shndx);

		if (!ts || (ts->kind != SK_TEXT && ts->kind != SK_PROG))
			return reloc_err(l, li, i, "call target is not in an executable section", s->name);
		if (s->sym.st_value % INSN_SZ)
			return reloc_err(l, li, i, "call target not instruction-aligned", s->name);
		sec_idx = s->sym.st_shndx;
		target = (int64_t)(s->sym.st_value / INSN_SZ) + insn->imm + 1;
	}
	err = place_target(l, li, at, sec_idx, target, &new_idx);
	if (!err)
		l->p->insns[at].imm = (int32_t)new_idx - (int32_t)at - 1;
	return err;
}

static int reloc_func_ptr(struct layout *l, size_t li, uint32_t i, const struct elf_sym *s)
{
	uint32_t at = l->base[li] + i, new_idx;
	struct bpf_insn *insn = &l->p->insns[at];
	int64_t byte_off = (int64_t)s->sym.st_value + insn->imm;
	int err;

	if ((insn->src_reg && insn->src_reg != BPF_PSEUDO_FUNC) || byte_off % INSN_SZ)
		return reloc_err(l, li, i, "bad function pointer", s->name);
	insn->src_reg = BPF_PSEUDO_FUNC;	/* clang leaves it 0 */
	err = place_target(l, li, at, s->sym.st_shndx, byte_off / INSN_SZ, &new_idx);
	if (!err)
		l->p->insns[at].imm = (int32_t)new_idx - (int32_t)at - 1;
	return err;
}

static int reloc_ld(struct layout *l, size_t li, uint32_t i, const struct elf_rel *r)
{
	const struct elf_sym *s = &l->o->syms[r->sym_idx];
	const struct elf_sec *ts = bobj__sec(l->o, s->sym.st_shndx);
	struct bpf_insn *insn = &l->p->insns[l->base[li] + i];
	int map;

	if (s->sym.st_shndx == SHN_UNDEF)
		return reloc_extern(l, li, i, r, false);
	if (!ts || s->sym.st_shndx >= SHN_LORESERVE)
		return reloc_err(l, li, i, "symbol in a special section; uninitialised global?", s->name);
	switch (ts->kind) {
	case SK_TEXT:
	case SK_PROG:
		return reloc_func_ptr(l, li, i, s);
	case SK_MAPS:
		map = bobj__map_by_sec(l->o, s->sym.st_shndx, s->sym.st_value);
		if (map < 0)
			return reloc_err(l, li, i, "no map at this offset of .maps", s->name);
		insn[0].src_reg = BPF_PSEUDO_MAP_IDX;
		insn[0].imm = map;
		insn[1].imm = 0;
		return 0;
	case SK_DATA:
	case SK_RODATA:
	case SK_BSS:
		if (ts->map_idx < 0)
			return reloc_err(l, li, i, "empty data section", s->name);
		insn[0].src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
		insn[1].imm = insn[0].imm + (int32_t)s->sym.st_value;
		insn[0].imm = ts->map_idx;
		return 0;
	default:
		return reloc_err(l, li, i, "unsupported section for an ld_imm64", ts->name);
	}
}

static int reloc_insn(struct layout *l, size_t li, uint32_t *i)
{
	const struct bfunc *f = &l->o->funcs[l->func[li]];
	const struct elf_sec *s = &l->o->secs[f->sec_idx];
	const struct elf_rel *r = find_rel(s, f->off + *i);
	const struct bpf_insn *insn = &l->p->insns[l->base[li] + *i];

	if (is_ldimm64(insn)) {
		if (*i + 1 >= f->cnt)
			return reloc_err(l, li, *i, "ld_imm64 without its second half", "-");
		(*i)++;
		if (r && r->type != R_BPF_64_64)
			return reloc_err(l, li, *i - 1, "unexpected relocation type", l->o->syms[r->sym_idx].name);
		return r ? reloc_ld(l, li, *i - 1, r) : 0;
	}
	if (is_call(insn))
		return reloc_call(l, li, *i, r);
	if (r)
		return reloc_err(l, li, *i, "relocation on an insn that is neither call nor ld_imm64",
				 l->o->syms[r->sym_idx].name);
	return 0;
}

static int reloc_func(struct layout *l, size_t li)
{
	uint32_t cnt = l->o->funcs[l->func[li]].cnt;
	int err = 0;

	for (uint32_t i = 0; i < cnt && !err; i++)
		err = reloc_insn(l, li, &i);
	return err;
}

/* Copies the .BTF.ext records of every placed function, insn_off made program-relative. */
static int remap_ext(struct layout *l, enum ext_kind k, void **out, uint32_t *nr, uint32_t *rec_sz)
{
	uint32_t sz = l->o->ext_rec_size[k];
	uint8_t *recs = NULL;
	uint32_t n = 0;

	for (size_t li = 0; li < l->n; li++) {
		const struct bfunc *f = &l->o->funcs[l->func[li]];
		const struct btf_ext_sec *e = bobj__ext(l->o, f->sec_idx);

		for (uint32_t r = 0; e && r < e->nr[k]; r++) {
			const uint8_t *src = e->recs[k] + (size_t)r * sz;
			uint32_t off;
			uint8_t *p;

			memcpy(&off, src, 4);
			if (off < f->off || off >= f->off + f->cnt)
				continue;
			p = realloc(recs, (size_t)(n + 1) * sz);
			if (!p) {
				free(recs);
				return -ENOMEM;
			}
			recs = p;
			memcpy(recs + (size_t)n * sz, src, sz);
			off = l->base[li] + off - f->off;
			if (k == EXT_CORE)
				off *= INSN_SZ;	/* the kernel wants CO-RE insn_off in bytes */
			memcpy(recs + (size_t)n * sz, &off, 4);
			n++;
		}
	}
	*out = recs;
	*nr = n;
	*rec_sz = sz;
	return 0;
}

static int relocate_prog(struct bobj *o, struct bprog *p, size_t entry)
{
	struct layout l = { .o = o, .p = p };
	int err = lay_append(&l, entry);

	if (err >= 0)
		err = reloc_func(&l, 0);
	err = err ?: remap_ext(&l, EXT_FUNC, &p->func_info, &p->nr_func_info, &p->func_info_rec_size);
	err = err ?: remap_ext(&l, EXT_LINE, &p->line_info, &p->nr_line_info, &p->line_info_rec_size);
	err = err ?: remap_ext(&l, EXT_CORE, &p->core_relo, &p->nr_core_relo, &p->core_relo_rec_size);
	free(l.func);
	free(l.base);
	return err < 0 ? err : 0;
}

int bobj__relocate(struct bobj *o)
{
	int err = 0;

	for (size_t i = 0; i < o->nr_funcs && !err; i++)
		if (o->funcs[i].prog_idx >= 0)
			err = relocate_prog(o, &o->progs[o->funcs[i].prog_idx], i);
	return err ?: bobj__resolve_ext(o);
}
