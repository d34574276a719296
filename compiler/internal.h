/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Front-end internals shared by open.c, collect.c, relocate.c and build_trace.c:
 * the parsed ELF (sections, symbols, relocations), functions and BTF.ext records.
 * Nothing here is visible outside compiler/.
 */
#ifndef LSKEL_COMPILER_INTERNAL_H
#define LSKEL_COMPILER_INTERNAL_H

#include "compiler.h"

#define INSN_SZ ((uint32_t)sizeof(struct bpf_insn))

enum sec_kind {
	SK_OTHER,
	SK_TEXT,		/* .text: subprograms only */
	SK_PROG,		/* executable section holding programs */
	SK_DATA,
	SK_RODATA,
	SK_BSS,
	SK_MAPS,		/* .maps */
	SK_KCONFIG,
};

struct elf_rel {
	uint32_t insn_idx;	/* instruction index inside the section */
	uint32_t sym_idx;
	uint32_t type;		/* R_BPF_* */
};

struct elf_sec {
	const char *name;
	GElf_Shdr shdr;
	Elf_Data *data;
	enum sec_kind kind;
	struct elf_rel *rels;	/* relocations applying to this section, sorted */
	size_t nr_rels;
	int map_idx;		/* data section: its map, else -1 */
};

struct elf_sym {
	const char *name;
	GElf_Sym sym;
};

/* A function in an executable section: a program entry or a subprogram. */
struct bfunc {
	const char *name;
	size_t sec_idx;
	uint32_t off;		/* first insn index in the section */
	uint32_t cnt;		/* insns */
	int prog_idx;		/* index in o->progs when it is an entry, else -1 */
};

enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE, NR_EXT };

/*
 * .BTF.ext records of one section, each starting with insn_off, converted from bytes
 * to instruction indexes. Record sizes are in bobj->ext_rec_size[].
 */
struct btf_ext_sec {
	size_t sec_idx;
	uint8_t *recs[NR_EXT];
	uint32_t nr[NR_EXT];
};

/* open.c */
const struct elf_sec *bobj__sec(const struct bobj *o, size_t idx);
const struct elf_sec *bobj__sec_by_name(const struct bobj *o, const char *name);
const struct elf_sym *bobj__sym(const struct bobj *o, size_t idx);
const struct btf_ext_sec *bobj__ext(const struct bobj *o, size_t sec_idx);

/* btf.c, btf_check.c */
int bobj__open_btf(struct bobj *o);
int bobj__check_btf(struct bobj *o);

/* collect.c */
int bobj__map_by_sec(const struct bobj *o, size_t sec_idx, uint32_t sym_off);

#endif /* LSKEL_COMPILER_INTERNAL_H */
