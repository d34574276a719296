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
	X(ATTACH_ITER,	  "iter")	/* BPF_LINK_CREATE, BPF_TRACE_ITER */

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
	uint32_t ctx_off;	/* struct lskel_map_desc in the skeleton */
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
	uint32_t ctx_sz;	/* the loader's context: ctx, maps, progs */
};

/* open.c / collect.c / relocate.c / build_trace.c */
int bobj__open(struct bobj *o, const char *path, const char *name);
int bobj__collect(struct bobj *o);
int bobj__relocate(struct bobj *o);
int bobj__build_trace(struct bobj *o, struct trace *t);
void bobj__close(struct bobj *o);

/* Records the first error, prefixed with the file name; returns err. */
int bobj__err(struct bobj *o, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* name.c: "dir/a.bpf.o" -> "a_bpf", as bpftool derives it; caller frees */
char *skel_name_from_path(const char *path);
/* ".rodata.str1.1" -> "rodata_str1_1"; caller frees */
char *skel_ident_from_sec(const char *sec_name);

#endif /* LSKEL_COMPILER_H */
