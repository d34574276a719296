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
/* one attribute of a BTF map definition (__uint, __type, ...) into m */
int bmap__parse_member(struct bobj *o, struct bmap *m, const struct btf_member *mb);

/* map_types.c: per map type rules; the loading machine's sizes in m->load_size */
int bobj__check_map_types(struct bobj *o);
bool map_type__takes_btf(uint32_t type);	/* false: the kernel refuses BTF ids */

/* build_trace.c: whether m's BTF key/value type ids go to BPF_MAP_CREATE */
bool bmap__btf_ids_usable(const struct bmap *m);
void bmap__create_attr(const struct bmap *m, union bpf_attr *attr);

/* map_values.c: map-in-map, prog-array initial values, pinned maps */
int bmap__parse_values(struct bobj *o, struct bmap *m, const struct btf_member *mb);
int bobj__collect_map_values(struct bobj *o);
void bmap__free_values(struct bmap *m);
/* before map i's BPF_MAP_CREATE: its inner template's; returns its fd slot or -1 */
int64_t bmap__trace_inner(const struct bobj *o, struct trace *t, size_t map_idx, int64_t btf_fd);
/* after it, on its step s: inner_map_fd, and for a pinned map the reuse condition */
void bmap__trace_create(const struct bobj *o, struct trace *t, struct trace_step *s,
			size_t map_idx, int64_t inner_fd, uint32_t fd_slot);
/* map-in-map entries, once every map exists; prog-array entries, once programs are */
void bobj__trace_map_slots(const struct bobj *o, struct trace *t, uint32_t fd_array);
int bobj__trace_prog_slots(struct bobj *o, struct trace *t, uint32_t fd_array);
/* the fd slot program p's load step writes (found through its output), -1 if none */
int64_t bprog__trace_fd_slot(const struct trace *t, const struct bprog *p);

/* freplace.c: extensions of the object's own programs */
int bobj__resolve_ext(struct bobj *o);	/* after relocation: each EXT program's target */
/* an EXT program's load step: attach_btf_id, attach_prog_fd from its target's fd slot */
void ext__fix_prog_load(const struct bobj *o, struct trace *t, struct trace_step *s,
			const struct bprog *p);

/* struct_ops.c: .struct_ops and .struct_ops.link maps, after every other map */
int bobj__collect_st_ops(struct bobj *o);
/* the context records of struct_ops maps and programs from off; returns the end */
uint32_t bobj__layout_st_ops_ctx(struct bobj *o, uint32_t off);
/* the fields of a map create and a program load only the running kernel knows */
void st_ops__fix_map_create(struct trace *t, struct trace_step *s, const struct bmap *m);
void st_ops__fix_prog_load(struct trace *t, struct trace_step *s, const struct bprog *p);
void st_ops__free(struct bst_ops *so);
/* collect.c: a new zeroed map at the end of o->maps (moves the array) */
struct bmap *bobj__new_map(struct bobj *o);

/* externs.c: .kconfig and __ksym externs (see the file's opening comment) */
int bobj__collect_externs(struct bobj *o);	/* open, before the BTF is fixed */
int bobj__add_kconfig_map(struct bobj *o);	/* collect, after the data maps */
/* relocate: the insn at insn_idx of program prog refers to extern symbol sym_idx;
 * on -EINVAL *why says what is wrong with it */
int bobj__reloc_extern(struct bobj *o, size_t prog, uint32_t insn_idx, uint32_t sym_idx,
		       bool call, const char **why);
/* trace: fd_array entries for module BTF fds, right after the maps' fd slots (sets
 * *fd_array when there are no maps); the look-up steps; a program load's patches */
void bobj__trace_extern_fd_array(struct bobj *o, struct trace *t, uint32_t *fd_array);
void bobj__trace_extern_lookups(struct bobj *o, struct trace *t);
void bobj__trace_extern_fixes(const struct bobj *o, struct trace *t, struct trace_step *s,
			      size_t prog, uint32_t insns, uint32_t fd_array);
void bobj__free_externs(struct bobj *o);
const char *kcfg_type_name(enum kcfg_type type);

#endif /* LSKEL_COMPILER_INTERNAL_H */
