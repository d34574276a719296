/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The front end: a BPF ELF object in, an object model and a trace out.
 *
 * struct bobj owns everything parsed from the ELF file; getters hand out borrowed
 * pointers and bobj__close() frees it all, a half-built object included. Library code
 * returns -errno and never exits; messages go to bobj->errmsg from the outside in
 * ("file.bpf.o: sec 'xdp': prog 'f': insn #12: ..."), and main() prints them.
 *
 * Stages, called in this order by main.c:
 *   bobj__open        ELF sections, symbols, license, version, BTF, BTF.ext
 *   bobj__collect     programs, subprograms, maps, global data, relocations
 *   bobj__relocate    subprogram layout, call and ld_imm64 patching, func/line info
 *   bobj__build_trace the ordered load steps (gen_loader/trace.h)
 */
#ifndef LSKEL_COMPILER_H
#define LSKEL_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <gelf.h>
#include <bpf/btf.h>

#include "../gen_loader/trace.h"

#ifndef BPF_F_MMAPABLE
#define BPF_F_MMAPABLE (1U << 10)
#endif

//
// sec_def.c: libbpf's SEC() name conventions
//

/* How NAME__attach() attaches a program of a section kind. */
#define SEC_ATTACH_KINDS(X)				\
	X(ATTACH_NONE,	  "none")	/* user attaches */	\
	X(ATTACH_RAW_TP,  "raw_tp")	/* raw tracepoint by name */	\
	X(ATTACH_TRACING, "tracing")	/* tp_btf, fentry, fexit, fmod_ret: raw_tp open, no name */ \
	X(ATTACH_LSM,	  "lsm")	/* BPF_LINK_CREATE, BPF_LSM_MAC */	\
	X(ATTACH_ITER,	  "iter")	/* BPF_LINK_CREATE, BPF_TRACE_ITER */	\
	X(ATTACH_EXT,	  "ext")	/* freplace: raw_tp open, no name, the target named at load */

enum sec_attach {
#define X(k, s) k,
	SEC_ATTACH_KINDS(X)
#undef X
};

enum sec_flags {
	SEC_SLEEPABLE	  = 1u << 0,	/* BPF_F_SLEEPABLE */
	SEC_ATTACH_BTF	  = 1u << 1,	/* attach_btf_id resolved from the target name */
	SEC_XDP_FRAGS	  = 1u << 2,	/* BPF_F_XDP_HAS_FRAGS */
	SEC_EXP_ATTACH_OPT = 1u << 3,	/* expected_attach_type optional on old kernels */
	SEC_USDT	  = 1u << 4,
};

struct sec_def {
	const char *prefix;	/* "raw_tp", "fentry.s", "xdp.frags", ... */
	bool slashed;		/* matches "prefix" and "prefix/..." (libbpf's '+') */
	uint32_t prog_type;	/* enum bpf_prog_type */
	uint32_t expected_attach_type;	/* enum bpf_attach_type */
	unsigned int flags;	/* SEC_* */
	enum sec_attach attach;
	const char *btf_prefix;	/* SEC_ATTACH_BTF: BTF name = btf_prefix + target */
	int btf_kind;		/* SEC_ATTACH_BTF: BTF_KIND_FUNC or BTF_KIND_TYPEDEF */
};

/* The definition matching sec_name (without a leading '?'), or NULL. */
const struct sec_def *sec_def__find(const char *sec_name);
/* The attach target after "prefix/", or NULL when the section has none. */
const char *sec_def__target(const struct sec_def *def, const char *sec_name);

//
// object model
//

enum bmap_kind {
	BMAP_USER,		/* BTF-defined map in .maps */
	BMAP_DATA,		/* .data, .data.*, .bss */
	BMAP_RODATA,		/* .rodata, .rodata.*: frozen after init */
	BMAP_KCONFIG,		/* .kconfig externs */
	BMAP_STRUCT_OPS,	/* a variable in .struct_ops or .struct_ops.link (struct_ops.c) */
};

/* Who decides a user map's max_entries at load (map_types.c) */
enum bmap_load_size {
	BMAP_SIZE_AS_IS,	/* the object, or the user through skel->maps.X.max_entries */
	BMAP_SIZE_RINGBUF,	/* that, rounded up to a power-of-2 multiple of the page size */
	BMAP_SIZE_CPUS,		/* 0 unless the user sets it: the number of possible CPUs */
};

struct bmap {
	char *name;		/* as the kernel sees it: "counts", "a_bpf.bss" */
	char *sec_name;		/* ELF section of a data map: ".bss", ".rodata.str1.1" */
	char *ident;		/* skeleton field: "counts", "bss", "rodata_str1_1" */
	enum bmap_kind kind;
	uint32_t type, key_size, value_size, max_entries, map_flags, numa_node;
	uint64_t map_extra;
	uint32_t btf_key_type_id, btf_value_type_id;
	uint32_t pinning;	/* LIBBPF_PIN_* */
	int sec_idx;		/* ELF section of a data map, or of .maps */
	uint32_t sym_off;	/* offset of a user map's variable in .maps */
	int datasec_id;		/* BTF DATASEC of a data map, 0 if none */
	uint8_t *init;		/* data maps: initial image, value_size bytes */
	bool mmapable;		/* BPF_F_MMAPABLE: the runtime maps it after load */
	enum bmap_load_size load_size;	/* max_entries the runtime adjusts before load */
	uint32_t ctx_off;	/* struct lskel_map_desc in the skeleton */
	struct bmap *inner;	/* map-in-map: the inner map template (map_values.c) */
	struct bmap_slot *slots;	/* initial entries from .values = { [k] = &x } */
	uint32_t nr_slots;
	struct bst_ops *st_ops;	/* BMAP_STRUCT_OPS: the object's type and value (struct_ops.c) */
};

/* One initial entry of a map-in-map or prog array: key -> map or program. */
struct bmap_slot {
	uint32_t key;		/* the index in .values */
	uint32_t target;	/* index in o->maps (map-in-map) or o->progs (prog array) */
};

/*
 * A struct_ops variable as the object defines it (struct_ops.c). Nothing here
 * depends on a kernel: the running kernel's layout of the type is found by the
 * skeleton's runtime at load time, which matches members by name.
 */
enum bst_member_kind {
	BST_DATA,		/* a scalar (or array, struct...) copied into the kernel's value */
	BST_PROG,		/* a function pointer set to a program: its fd goes in */
	BST_NULL,		/* a function pointer left NULL */
};

struct bst_member {
	const char *name;	/* borrowed from the object's BTF */
	enum bst_member_kind kind;
	uint32_t off, size;	/* bytes, in the object's type */
	uint32_t btf_kind;	/* after typedefs and modifiers: the kernel's must be the same */
	int prog_idx;		/* BST_PROG: index in o->progs, else -1 */
};

struct bst_ops {
	char *type_name;	/* the kernel type, "tcp_congestion_ops" ("___flavour" dropped) */
	uint32_t type_id;	/* the variable's struct in the object's BTF */
	bool link;		/* SEC(".struct_ops.link"): BPF_F_LINK, registered through a link */
	uint8_t *image;		/* the variable's bytes in the object, size bytes */
	uint32_t size;
	struct bst_member *members;	/* every member of the object's type, in order */
	uint32_t nr_members;
	uint32_t ctx_off;	/* struct lskel_st_ops_map_desc in the skeleton */
};

struct bprog {
	char *name;		/* function name, also the skeleton field */
	char *sec_name;		/* without the leading '?' */
	const struct sec_def *def;
	const char *attach_target;	/* points into sec_name, NULL if none */
	uint32_t prog_type, expected_attach_type, prog_flags;
	bool autoload;		/* false for SEC("?...") */
	int sec_idx;
	uint32_t sec_off;	/* start of the function in its section, bytes */
	struct bpf_insn *insns;	/* after relocation: the program plus its subprograms */
	uint32_t nr_insns;
	void *func_info;	/* struct bpf_func_info records, insn_off in insns */
	uint32_t nr_func_info, func_info_rec_size;
	void *line_info;	/* struct bpf_line_info records */
	uint32_t nr_line_info, line_info_rec_size;
	void *core_relo;	/* struct bpf_core_relo records, for kernel-side CO-RE */
	uint32_t nr_core_relo, core_relo_rec_size;
	uint32_t ctx_off;	/* struct lskel_prog_desc in the skeleton */
	uint32_t st_ctx_off;	/* struct_ops programs: struct lskel_st_ops_prog_desc, else 0 */
	int ext_target;		/* EXT (freplace.c): index in o->progs of the program extended */
	uint32_t attach_btf_id;	/* EXT: the replaced function's FUNC id in the object's BTF */
};

/*
 * An extern: a .kconfig value or a __ksym symbol (externs.c). Nothing about it is
 * resolved at generation: kconfig values are filled by the runtime on the loading
 * machine, ksyms and kfuncs by look-up steps of the loader.
 */
#define KCFG_TYPES(X)					\
	X(KCFG_UNKNOWN,	 "unknown")			\
	X(KCFG_CHAR,	 "char")	/* 1-byte int: y/n/m or a number */	\
	X(KCFG_BOOL,	 "bool")			\
	X(KCFG_INT,	 "int")		/* 2, 4 or 8 bytes */	\
	X(KCFG_TRISTATE, "tristate")	/* enum libbpf_tristate */	\
	X(KCFG_CHAR_ARR, "char array")	/* a string value */

enum kcfg_type {
#define X(k, s) k,
	KCFG_TYPES(X)
#undef X
};

enum bext_kind {
	BEXT_KCONFIG,		/* a value in the .kconfig map */
	BEXT_KSYM_ADDR,		/* typeless __ksym: a kallsyms address in an ld_imm64 */
	BEXT_KSYM_VAR,		/* typed __ksym variable: its kernel BTF VAR in an ld_imm64 */
	BEXT_KFUNC,		/* __ksym function: kfunc calls, and ld_imm64 for bpf_ksym_exists() */
};

/* One instruction that refers to an extern. */
struct bext_use {
	uint32_t prog;		/* index in o->progs */
	uint32_t insn;		/* index in that program's relocated insns */
	bool call;		/* a call, else an ld_imm64 */
};

struct bextern {
	char *name;
	enum bext_kind kind;
	bool weak;		/* unresolved reads as 0 instead of failing the load */
	uint32_t sym_idx;	/* its ELF symbol */
	uint32_t btf_id;	/* its VAR or FUNC in the object's BTF */
	enum kcfg_type kcfg_type;	/* BEXT_KCONFIG: the C type and place of the value */
	uint32_t kcfg_off, kcfg_size, kcfg_align;
	bool kcfg_signed;
	struct bext_use *uses;
	uint32_t nr_uses;
	int64_t res_off;	/* trace: its look-up's u32 BTF id or u64 address, -1 if none */
	int64_t fd_off;		/* trace: its look-up's BTF fd slot, -1 if none */
	uint32_t fd_array_idx;	/* trace, BEXT_KFUNC: fd_array index of its module BTF fd */
};

struct elf_sec;
struct elf_sym;
struct btf_ext_sec;
struct bfunc;

struct bobj {
	char *path;
	char *name;		/* skeleton name, "a_bpf" for a.bpf.o */
	char errmsg[512];
	int fd;
	Elf *elf;
	struct elf_sec *secs;
	size_t nr_secs;
	struct elf_sym *syms;
	size_t nr_syms;
	struct btf *btf;	/* the object's BTF, fixed for the kernel by bobj__open */
	struct btf_ext_sec *ext;	/* parsed .BTF.ext, one entry per ELF section */
	size_t nr_ext;
	uint32_t ext_rec_size[3];	/* .BTF.ext record sizes: func, line, CO-RE relo */
	struct bfunc *funcs;	/* every function: program entries and subprograms */
	size_t nr_funcs;
	char license[128];
	uint32_t kern_version;
	struct bmap *maps;
	size_t nr_maps;
	struct bprog *progs;
	size_t nr_progs;
	struct bextern *externs;	/* libbpf's order: kconfig (by align, size, name), then ksyms */
	size_t nr_externs;
	uint32_t ctx_sz;	/* the loader's context: ctx, maps, progs */
	unsigned int target_kv;	/* --target-kernel as major << 8 | minor; 0: the newest */
	bool sign;		/* --sign: no run-time overrides of what the signature covers */
};

/* open.c / collect.c / relocate.c / build_trace.c */
int bobj__open(struct bobj *o, const char *path, const char *name);
/* link.c: bobj__open of several objects linked by libbpf's bpf_linker (one: bobj__open) */
int bobj__open_many(struct bobj *o, const char *const *paths, size_t n, const char *name);
/* core_offline.c: after bobj__relocate, CO-RE resolved against btf_path, not the kernel */
int bobj__core_offline(struct bobj *o, const char *btf_path);
int bobj__collect(struct bobj *o);
int bobj__relocate(struct bobj *o);
int bobj__build_trace(struct bobj *o, struct trace *t);
void bobj__close(struct bobj *o);

/* target.c: "6.1" -> 0x601; then rewrite or refuse what the target lacks */
int bobj__parse_kernel_version(const char *s, unsigned int *kv);
int bobj__target(struct bobj *o);

/* Records the first error, prefixed with the file name; returns err. */
int bobj__err(struct bobj *o, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* name.c: "dir/a.bpf.o" -> "a_bpf", as bpftool derives it; caller frees */
char *skel_name_from_path(const char *path);
/* ".rodata.str1.1" -> "rodata_str1_1"; caller frees */
char *skel_ident_from_sec(const char *sec_name);

#endif /* LSKEL_COMPILER_H */
