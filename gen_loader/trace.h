/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The trace: the one contract between the front end (compiler/) and the back end
 * (gen_loader/).
 *
 * A trace is a data blob plus an ordered list of steps. Each step is one bpf()
 * command whose attr already sits in the blob, byte for byte as it must reach the
 * kernel except for the values only known at run time; those are listed as fix-ups
 * the loader applies, in order, right before the command:
 *  - FIX_BLOB_ADDR: a pointer field gets the kernel address of a blob offset (the
 *    loader runs inside the kernel, so every pointer in an attr is a kernel pointer
 *    into the blob map's value);
 *  - FIX_BLOB_U32: a u32 field gets a u32 stored elsewhere in the blob, typically
 *    the fd an earlier step stored in its fd slot;
 *  - FIX_CTX_U32 / FIX_CTX_U64: a field gets a value from the skeleton context if
 *    that value is non-zero (max_entries overrides, log settings);
 *  - FIX_USER_DATA: len bytes of the blob get replaced by what the pointer in a ctx
 *    u64 points to, if that pointer is non-zero (global data initial values; a user
 *    pointer, or a kernel pointer when the ctx says LSKEL_CTX_KERNEL).
 *
 * A step that returns an fd stores it as a u32 at fd_off in the blob; every fd slot
 * starts as -1 in the blob image. The loader closes every fd slot > 0 when a step
 * fails, and on success copies each output's fd into the context and closes every
 * other fd slot. A step with cond_ctx_off >= 0 runs only when the ctx u32 there is
 * non-zero (programs the user may turn off before load), or, with cond_zero set,
 * only when it is zero (a map the runtime handed in, so it is not created).
 *
 * Inputs are fds the runtime passes in through the context (a pinned map it
 * reused): before the first step, each input whose ctx u32 is non-zero is copied
 * into its fd slot. Those fds stay the runtime's: the loader never closes an fd
 * slot that still holds its input's value, on success or failure.
 *
 * Besides bpf() commands, a step can be a run-time look-up done with a helper:
 * STEP_BTF_FIND calls bpf_btf_find_by_name_kind() for the NUL-terminated name at
 * attr_off (attr_sz bytes, NUL included) and BTF kind `cmd`; it stores the type id as
 * a u32 at id_off and the BTF object fd (0 for vmlinux, a new fd for a module) in its
 * fd slot. Fds count as created when > 0. STEP_KSYM_ADDR calls
 * bpf_kallsyms_lookup_name() for the name at attr_off and stores the symbol's
 * address as a u64 at id_off (8-byte aligned); it has no fd slot. A look-up step
 * marked weak treats "not found" (-ENOENT) as a result, not a failure: it stores
 * zero as the id or address and in its fd slot, and the load goes on.
 *
 * FIX_BLOB_U32_IF is FIX_BLOB_U32 done only when the u32 at blob offset `cond` is
 * non-zero: patches that apply only if a weak look-up found its symbol.
 *
 * A signed trace (sign set) makes a loader whose first act is checking the blob it
 * runs on: that the blob map is exclusive to the loader and that the hash the
 * kernel computed of the frozen map equals blob_sha256, which the loader carries
 * in its (signed) instructions. The front end leaves run-time overrides of what
 * the signature covers (max_entries, global data) out of such a trace.
 *
 * Invariants: every offset and length lies inside the blob; u32 fields are 4-byte
 * aligned and u64 fields 8-byte aligned; fd_off values are distinct.
 */
#ifndef LSKEL_TRACE_H
#define LSKEL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_FIX_KINDS(X)	\
	X(FIX_BLOB_ADDR, "blob_addr")	\
	X(FIX_BLOB_U32,	 "blob_u32")	\
	X(FIX_CTX_U32,	 "ctx_u32")	\
	X(FIX_CTX_U64,	 "ctx_u64")	\
	X(FIX_USER_DATA, "user_data")	\
	X(FIX_BLOB_U32_IF, "blob_u32_if")

enum trace_fix_kind {
#define X(k, s) k,
	TRACE_FIX_KINDS(X)
#undef X
};

struct trace_fix {
	enum trace_fix_kind kind;
	uint32_t off;		/* blob offset of the field (or data) patched */
	uint32_t src;		/* blob offset (BLOB_*) or ctx offset (CTX_*, USER_DATA) */
	uint32_t len;		/* bytes copied, FIX_USER_DATA only */
	uint32_t cond;		/* FIX_BLOB_U32_IF: blob offset of the u32 that must be non-zero */
};

enum trace_step_kind {
	STEP_SYS_BPF,		/* bpf_sys_bpf(cmd, attr, attr_sz) */
	STEP_BTF_FIND,		/* bpf_btf_find_by_name_kind(name, name_sz, cmd, 0) */
	STEP_KSYM_ADDR,		/* bpf_kallsyms_lookup_name(name, name_sz, 0, &u64 at id_off) */
};

struct trace_step {
	enum trace_step_kind kind;
	int cmd;		/* enum bpf_cmd, or a BTF_KIND_* for STEP_BTF_FIND */
	uint32_t attr_off;	/* the attr (or name) in the blob */
	uint32_t attr_sz;
	struct trace_fix *fix;
	uint32_t nr_fix;
	int64_t fd_off;		/* blob offset of the fd slot the result goes to, -1 if none */
	int64_t id_off;		/* BTF_FIND: blob offset of the u32 type id; KSYM_ADDR: of the
				 * u64 address; else -1 */
	bool weak;		/* look-ups: "not found" stores zeroes instead of failing */
	int64_t cond_ctx_off;	/* run only if ctx u32 here is non-zero; -1: always */
	bool cond_zero;		/* with cond_ctx_off: run only if that u32 is zero instead */
	char *desc;		/* what this step does, for errors: "map 'counts'" */
};

struct trace_output {
	uint32_t fd_off;	/* fd slot in the blob */
	uint32_t ctx_off;	/* where the fd goes in the context */
};

struct trace_input {
	uint32_t ctx_off;	/* a ctx u32: an fd from the runtime, 0 if none */
	uint32_t fd_off;	/* the fd slot it fills */
};

struct trace {
	uint8_t *blob;
	uint32_t blob_sz;
	uint32_t blob_cap;
	struct trace_step *steps;
	uint32_t nr_steps;
	struct trace_output *outputs;
	uint32_t nr_outputs;
	struct trace_input *inputs;
	uint32_t nr_inputs;
	uint32_t ctx_sz;	/* bytes of the context the loader may touch */
	bool sign;		/* a signed image: the loader checks the blob first */
	uint8_t blob_sha256[32];	/* with sign: SHA-256 of the final blob */
	int err;		/* sticky: first failure of a trace__ builder call */
};

/*
 * trace.c: building. Builders keep a sticky error in t->err and return offsets. A
 * returned step pointer is valid until the next trace__step()/trace__btf_find().
 */
void trace__init(struct trace *t);
void trace__free(struct trace *t);
uint32_t trace__blob_add(struct trace *t, const void *data, uint32_t len, uint32_t align);
uint32_t trace__blob_add_str(struct trace *t, const char *s);
uint32_t trace__fd_slot(struct trace *t);	/* a new fd slot, initialised to -1 */
/* A STEP_SYS_BPF step; attr is copied into the blob (8-byte aligned). */
struct trace_step *trace__step(struct trace *t, int cmd, const void *attr, uint32_t attr_sz,
			       const char *desc_fmt, ...) __attribute__((format(printf, 5, 6)));
/* A STEP_BTF_FIND step with a fresh fd slot and id slot. */
struct trace_step *trace__btf_find(struct trace *t, const char *name, int btf_kind,
				   const char *desc_fmt, ...) __attribute__((format(printf, 4, 5)));
/* off is an absolute blob offset; use step->attr_off + offsetof(union bpf_attr, f) */
void trace__fix(struct trace *t, struct trace_step *s, enum trace_fix_kind kind,
		uint32_t off, uint32_t src, uint32_t len);
/* A STEP_KSYM_ADDR step with a fresh 8-byte address slot. */
struct trace_step *trace__ksym_addr(struct trace *t, const char *name, const char *desc_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A FIX_BLOB_U32_IF fix-up: the u32 at src goes to off if the u32 at cond is non-zero. */
void trace__fix_if(struct trace *t, struct trace_step *s, uint32_t off, uint32_t src,
		   uint32_t cond);
void trace__output(struct trace *t, uint32_t fd_off, uint32_t ctx_off);
void trace__input(struct trace *t, uint32_t fd_off, uint32_t ctx_off);
const char *trace__fix_name(enum trace_fix_kind kind);
const char *trace__cmd_name(int cmd);

/* dump.c: readable form of the trace (lskel dump), attrs decoded per command */
void trace__dump(const struct trace *t, FILE *out);

#endif /* LSKEL_TRACE_H */
