// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Straight-line loader emission: every step of the trace becomes its own run of
 * instructions, in trace order, followed by a success epilogue and one shared error
 * block. The output is a BPF_PROG_TYPE_SYSCALL program, loaded sleepable with the
 * blob map at fd_array[0].
 *
 * Register contract (the verifier tracks these, so they never change meaning):
 *   R6  the context (struct lskel_loader_ctx and what follows it), set from R1 once.
 *       Every ctx access uses R6 plus a constant insn offset: the verifier refuses a
 *       dereference of a modified ctx pointer, so ctx offsets must fit in s16.
 *   R7  the result of the last fallible helper call; the error block returns it.
 *       Callee-saved, so it survives the bpf_sys_close() calls of the error block.
 *   R8  the 1-based index of the step being run; the error block stores it into
 *       ctx->failed_step. Set once per step, so each failure check is one jump.
 *   R9  the address of the blob (the blob map's value), from ld_imm64 with
 *       BPF_PSEUDO_MAP_IDX_VALUE, fd_array index 0, value offset 0. Blob accesses
 *       use R9 plus the insn offset; past s16 the address is computed (mov + add).
 *   R0-R5 are scratch and helper arguments; helpers clobber them.
 * The stack is not used.
 *
 * Helpers, with the kernel release that introduced them:
 *   bpf_sys_bpf                5.14  (with BPF_PROG_TYPE_SYSCALL itself)
 *   bpf_btf_find_by_name_kind  5.14
 *   bpf_sys_close              5.14
 *   bpf_copy_from_user         5.10  (sleepable programs only)
 *   bpf_probe_read_kernel      5.5   (GPL-only: the loader's license must be GPL)
 *   bpf_kallsyms_lookup_name   5.16  (only a trace with STEP_KSYM_ADDR calls it)
 * BPF_PSEUDO_MAP_IDX_VALUE and the fd_array attr field are 5.14 too, and JMP32
 * compares need 5.1, so the loader as a whole needs 5.14. Storing R9-based pointers
 * into the blob needs the loading process to be allowed pointer leaks (CAP_PERFMON
 * or root), as any loader of this kind does.
 *
 * Layout: prologue, the metadata check of a signed loader, the inputs copied into
 * their fd slots, steps, success
 * epilogue (copy outputs to the ctx, close every other fd slot > 0, return 0), error
 * block (store R8, close every fd slot > 0, return R7). Neither closes a slot that
 * still holds its input's value: that fd belongs to the runtime. All jumps go forward and name labels; they are patched once every
 * label is bound, and a distance outside s16 fails the whole emission. The error
 * block is emitted only if something jumps to it: the verifier rejects unreachable
 * instructions.
 *
 * The metadata check of a signed loader (trace.sign) reads the blob map's struct
 * bpf_map through the map pointer (ld_imm64 BPF_PSEUDO_MAP_IDX 0): `excl` (a u32 at
 * offset 32, 1 when the map was created exclusive to this program) and the SHA-256
 * the kernel stored in `sha` (offset 0) when the frozen map was hashed
 * (BPF_OBJ_GET_INFO_BY_FD), compared 8 bytes at a time with the expected hash in
 * ld_imm64 immediates. Those offsets are the 6.18.y kernels' (the kernel pins them
 * with BUILD_BUG_ON there); a kernel laid out otherwise refuses the loader at
 * verification, it never passes the check by accident. A failure stores
 * LSKEL_FAILED_METADATA and returns at once: nothing was created yet, and the fd
 * slots of a blob that failed its check must not be trusted enough to close them.
 * `lskel verify` finds the expected hash by this exact instruction pattern.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "gen_loader.h"
#include "lskel_abi.h"

#define S16_MAX 32767
/* offsetof(struct bpf_map, excl) on kernels with the signed loader's map check */
#define LSKEL_MAP_EXCL_OFF 32
#define S16_MIN (-32768)

enum {
	R_CTX = BPF_REG_6,
	R_RES = BPF_REG_7,
	R_STEP = BPF_REG_8,
	R_BLOB = BPF_REG_9,
};

struct label {
	int64_t at;		/* insn the label stands before; -1 while unbound */
	uint32_t nr_uses;
};

struct jump {
	uint32_t insn;		/* the jump insn, its off is patched */
	uint32_t label;
};

struct emitter {
	struct bpf_insn *insns;
	uint32_t nr_insns, cap_insns;
	struct label *labels;
	uint32_t nr_labels, cap_labels;
	struct jump *jumps;
	uint32_t nr_jumps, cap_jumps;
	uint32_t err_label;	/* the shared error block */
	int err;		/* sticky: first failure, later emits do nothing */
	char *errmsg;		/* the loader's errmsg buffer */
	size_t errmsg_sz;
};

/* The fd slots of a trace, sorted and unique, each marked if it is an output. */
struct slots {
	uint32_t *off;
	bool *is_output;
	int64_t *input_ctx;	/* ctx offset of the slot's input, -1 if it has none */
	uint32_t nr;
};

static void e_fail(struct emitter *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void e_fail(struct emitter *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (e->err)
		return;
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->errmsg, e->errmsg_sz, fmt, ap);
	va_end(ap);
}

static bool e_grow(struct emitter *e, void **arr, uint32_t *cap, uint32_t nr, size_t elem)
{
	uint32_t ncap;
	void *p;

	if (nr < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	p = ncap > *cap ? realloc(*arr, (size_t)ncap * elem) : NULL;
	if (!p) {
		e_fail(e, -ENOMEM, "out of memory emitting the loader");
		return false;
	}
	*arr = p;
	*cap = ncap;
	return true;
}

/* Appends one insn; returns its index (meaningless once e->err is set). */
static uint32_t emit(struct emitter *e, uint8_t code, uint8_t dst, uint8_t src,
		     int16_t off, int32_t imm)
{
	struct bpf_insn *insn;

	if (e->err || !e_grow(e, (void **)&e->insns, &e->cap_insns, e->nr_insns,
			      sizeof(*insn)))
		return 0;
	insn = &e->insns[e->nr_insns];
	memset(insn, 0, sizeof(*insn));
	insn->code = code;
	insn->dst_reg = dst;
	insn->src_reg = src;
	insn->off = off;
	insn->imm = imm;
	return e->nr_insns++;
}

static uint32_t label_new(struct emitter *e)
{
	if (e->err || !e_grow(e, (void **)&e->labels, &e->cap_labels, e->nr_labels,
			      sizeof(*e->labels)))
		return 0;
	e->labels[e->nr_labels] = (struct label){ .at = -1 };
	return e->nr_labels++;
}

static void label_bind(struct emitter *e, uint32_t label)
{
	if (!e->err)
		e->labels[label].at = e->nr_insns;
}

/* A conditional or unconditional jump to label; the offset is patched later. */
static void emit_jump(struct emitter *e, uint8_t code, uint8_t dst, int32_t imm,
		      uint32_t label)
{
	uint32_t insn = emit(e, code, dst, 0, 0, imm);

	if (e->err || !e_grow(e, (void **)&e->jumps, &e->cap_jumps, e->nr_jumps,
			      sizeof(*e->jumps)))
		return;
	e->jumps[e->nr_jumps++] = (struct jump){ .insn = insn, .label = label };
	e->labels[label].nr_uses++;
}

/* The same, comparing dst with register src */
static void emit_jump_reg(struct emitter *e, uint8_t code, uint8_t dst, uint8_t src,
			  uint32_t label)
{
	uint32_t insn = emit(e, code, dst, src, 0, 0);

	if (e->err || !e_grow(e, (void **)&e->jumps, &e->cap_jumps, e->nr_jumps,
			      sizeof(*e->jumps)))
		return;
	e->jumps[e->nr_jumps++] = (struct jump){ .insn = insn, .label = label };
	e->labels[label].nr_uses++;
}

static void emit_ja(struct emitter *e, uint32_t label)
{
	emit_jump(e, BPF_JMP | BPF_JA, 0, 0, label);
}

/* Patches every jump; a distance outside s16 is an error, never a wrap. */
static void labels_resolve(struct emitter *e)
{
	for (uint32_t i = 0; i < e->nr_jumps && !e->err; i++) {
		const struct jump *j = &e->jumps[i];
		int64_t at = e->labels[j->label].at;
		int64_t off = at - j->insn - 1;

		if (at < 0) {
			e_fail(e, -EINVAL, "internal error: label %u never bound", j->label);
			return;
		}
		if (off < S16_MIN || off > S16_MAX) {
			e_fail(e, -E2BIG, "loader too large: jump from insn %u to %u",
			       j->insn, (uint32_t)at);
			return;
		}
		e->insns[j->insn].off = off;
	}
}

static void emit_mov_imm(struct emitter *e, uint8_t dst, int32_t imm)
{
	emit(e, BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static void emit_mov_reg(struct emitter *e, uint8_t dst, uint8_t src)
{
	emit(e, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static void emit_call(struct emitter *e, int32_t helper)
{
	emit(e, BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}

static void emit_exit(struct emitter *e)
{
	emit(e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* dst = R9 + off, the kernel address of a blob offset */
static void emit_blob_ptr(struct emitter *e, uint8_t dst, uint32_t off)
{
	if (off > INT32_MAX) {
		e_fail(e, -E2BIG, "blob offset %u does not fit in an insn immediate", off);
		return;
	}
	emit_mov_reg(e, dst, R_BLOB);
	if (off)
		emit(e, BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, off);
}

static void emit_blob_ldx(struct emitter *e, uint8_t size, uint8_t dst, uint32_t off)
{
	if (off <= S16_MAX) {
		emit(e, BPF_LDX | BPF_MEM | size, dst, R_BLOB, off, 0);
		return;
	}
	emit_blob_ptr(e, dst, off);
	emit(e, BPF_LDX | BPF_MEM | size, dst, dst, 0, 0);
}

static void emit_blob_stx(struct emitter *e, uint8_t size, uint32_t off, uint8_t src)
{
	uint8_t tmp = src == BPF_REG_5 ? BPF_REG_4 : BPF_REG_5;

	if (off <= S16_MAX) {
		emit(e, BPF_STX | BPF_MEM | size, R_BLOB, src, off, 0);
		return;
	}
	emit_blob_ptr(e, tmp, off);
	emit(e, BPF_STX | BPF_MEM | size, tmp, src, 0, 0);
}

/* ctx offsets were checked against s16 before emission */
static void emit_ctx_ldx(struct emitter *e, uint8_t size, uint8_t dst, uint32_t off)
{
	emit(e, BPF_LDX | BPF_MEM | size, dst, R_CTX, off, 0);
}

static void emit_ctx_stx(struct emitter *e, uint8_t size, uint32_t off, uint8_t src)
{
	emit(e, BPF_STX | BPF_MEM | size, R_CTX, src, off, 0);
}

/* R7 = R0; a negative result goes to the error block with R8 naming the step */
static void emit_check(struct emitter *e)
{
	emit_mov_reg(e, R_RES, BPF_REG_0);
	emit_jump(e, BPF_JMP | BPF_JSLT | BPF_K, R_RES, 0, e->err_label);
}

static void emit_prologue(struct emitter *e)
{
	emit_mov_reg(e, R_CTX, BPF_REG_1);
	emit(e, BPF_LD | BPF_DW | BPF_IMM, R_BLOB, BPF_PSEUDO_MAP_IDX_VALUE, 0, 0);
	emit(e, 0, 0, 0, 0, 0);	/* second half: value offset 0 */
}

static void emit_ld_imm64(struct emitter *e, uint8_t dst, uint8_t src, uint64_t v)
{
	emit(e, BPF_LD | BPF_DW | BPF_IMM, dst, src, 0, (int32_t)(uint32_t)v);
	emit(e, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

/* R7 = err; if dst differs from the immediate (or register src), fail the check */
static void emit_meta_expect(struct emitter *e, uint8_t dst, int src, int32_t imm, int err,
			     uint32_t fail)
{
	emit_mov_imm(e, R_RES, err);
	if (src < 0)
		emit_jump(e, BPF_JMP | BPF_JNE | BPF_K, dst, imm, fail);
	else
		emit_jump_reg(e, BPF_JMP | BPF_JNE | BPF_X, dst, (uint8_t)src, fail);
}

/* The signed loader's first act; see the file comment. Returns the failure label. */
static uint32_t emit_metadata_check(struct emitter *e, const uint8_t sha[32])
{
	uint32_t fail = label_new(e);
	uint64_t want;

	emit_mov_imm(e, R_STEP, (int32_t)LSKEL_FAILED_METADATA);
	emit_ld_imm64(e, BPF_REG_1, BPF_PSEUDO_MAP_IDX, 0);
	emit(e, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, LSKEL_MAP_EXCL_OFF, 0);
	emit_meta_expect(e, BPF_REG_2, -1, 1, -EPERM, fail);
	for (int i = 0; i < 4; i++) {
		memcpy(&want, sha + 8 * i, 8);	/* the u64 the loader reads from map->sha */
		emit(e, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_2, BPF_REG_1, 8 * i, 0);
		emit_ld_imm64(e, BPF_REG_3, 0, want);
		emit_meta_expect(e, BPF_REG_2, BPF_REG_3, 0, -EBADMSG, fail);
	}
	return fail;
}

/* Refused metadata: nothing exists yet to close. */
static void emit_metadata_fail(struct emitter *e, uint32_t fail)
{
	label_bind(e, fail);
	emit_ctx_stx(e, BPF_W, offsetof(struct lskel_loader_ctx, failed_step), R_STEP);
	emit_mov_reg(e, BPF_REG_0, R_RES);
	emit_exit(e);
}

/* ctx value at src, if non-zero, replaces the blob field at off */
static void emit_fix_ctx(struct emitter *e, uint8_t size, const struct trace_fix *f)
{
	uint32_t skip = label_new(e);

	emit_ctx_ldx(e, size, BPF_REG_1, f->src);
	emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_1, 0, skip);
	emit_blob_stx(e, size, f->off, BPF_REG_1);
	label_bind(e, skip);
}

/*
 * The pointer in the ctx u64 at src, if non-zero, is read into the blob: from user
 * memory normally, from kernel memory when the ctx says the loader runs from a module.
 */
static void emit_fix_user_data(struct emitter *e, const struct trace_fix *f)
{
	uint32_t skip = label_new(e), kern = label_new(e), done = label_new(e);

	emit_ctx_ldx(e, BPF_DW, BPF_REG_3, f->src);
	emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_3, 0, skip);
	emit_ctx_ldx(e, BPF_W, BPF_REG_4, offsetof(struct lskel_loader_ctx, flags));
	emit_blob_ptr(e, BPF_REG_1, f->off);
	emit_mov_imm(e, BPF_REG_2, f->len);
	emit_jump(e, BPF_JMP | BPF_JSET | BPF_K, BPF_REG_4, LSKEL_CTX_KERNEL, kern);
	emit_call(e, BPF_FUNC_copy_from_user);
	emit_ja(e, done);
	label_bind(e, kern);
	emit_call(e, BPF_FUNC_probe_read_kernel);
	label_bind(e, done);
	emit_check(e);
	label_bind(e, skip);
}

/* The u32 at src replaces the field if the u32 at cond is non-zero. */
static void emit_fix_if(struct emitter *e, const struct trace_fix *f)
{
	uint32_t skip = label_new(e);

	emit_blob_ldx(e, BPF_W, BPF_REG_1, f->cond);
	emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_1, 0, skip);
	emit_blob_ldx(e, BPF_W, BPF_REG_1, f->src);
	emit_blob_stx(e, BPF_W, f->off, BPF_REG_1);
	label_bind(e, skip);
}

static void emit_fix(struct emitter *e, const struct trace_fix *f)
{
	switch (f->kind) {
	case FIX_BLOB_ADDR:
		emit_blob_ptr(e, BPF_REG_1, f->src);
		emit_blob_stx(e, BPF_DW, f->off, BPF_REG_1);
		break;
	case FIX_BLOB_U32:
		emit_blob_ldx(e, BPF_W, BPF_REG_1, f->src);
		emit_blob_stx(e, BPF_W, f->off, BPF_REG_1);
		break;
	case FIX_CTX_U32:
		emit_fix_ctx(e, BPF_W, f);
		break;
	case FIX_CTX_U64:
		emit_fix_ctx(e, BPF_DW, f);
		break;
	case FIX_USER_DATA:
		if (f->len)
			emit_fix_user_data(e, f);
		break;
	case FIX_BLOB_U32_IF:
		emit_fix_if(e, f);
		break;
	}
}

static void emit_sys_bpf(struct emitter *e, const struct trace_step *s)
{
	emit_mov_imm(e, BPF_REG_1, s->cmd);
	emit_blob_ptr(e, BPF_REG_2, s->attr_off);
	emit_mov_imm(e, BPF_REG_3, s->attr_sz);
	emit_call(e, BPF_FUNC_sys_bpf);
	emit_check(e);
	if (s->fd_off >= 0)
		emit_blob_stx(e, BPF_W, s->fd_off, R_RES);
}

/*
 * R7 = R0 of a look-up. A weak one that found nothing (-ENOENT) zeroes its id or
 * address and its fd slot and goes to done; any other negative result fails.
 */
static void emit_lookup_check(struct emitter *e, const struct trace_step *s, uint32_t done)
{
	uint32_t found = label_new(e);

	emit_mov_reg(e, R_RES, BPF_REG_0);
	if (s->weak) {
		emit_jump(e, BPF_JMP | BPF_JNE | BPF_K, R_RES, -ENOENT, found);
		emit_mov_imm(e, BPF_REG_1, 0);
		if (s->id_off >= 0)
			emit_blob_stx(e, s->kind == STEP_KSYM_ADDR ? BPF_DW : BPF_W, s->id_off,
				      BPF_REG_1);
		if (s->fd_off >= 0)
			emit_blob_stx(e, BPF_W, s->fd_off, BPF_REG_1);
		emit_ja(e, done);
	}
	label_bind(e, found);
	emit_jump(e, BPF_JMP | BPF_JSLT | BPF_K, R_RES, 0, e->err_label);
}

/* The helper returns the type id in the low 32 bits, the BTF object fd in the high. */
static void emit_btf_find(struct emitter *e, const struct trace_step *s)
{
	uint32_t done = label_new(e);

	emit_blob_ptr(e, BPF_REG_1, s->attr_off);
	emit_mov_imm(e, BPF_REG_2, s->attr_sz);
	emit_mov_imm(e, BPF_REG_3, s->cmd);
	emit_mov_imm(e, BPF_REG_4, 0);
	emit_call(e, BPF_FUNC_btf_find_by_name_kind);
	emit_lookup_check(e, s, done);
	if (s->id_off >= 0)
		emit_blob_stx(e, BPF_W, s->id_off, R_RES);
	if (s->fd_off >= 0) {
		emit_mov_reg(e, BPF_REG_1, R_RES);
		emit(e, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_1, 0, 0, 32);
		emit_blob_stx(e, BPF_W, s->fd_off, BPF_REG_1);
	}
	label_bind(e, done);
}

/* The helper writes the address through its fourth argument, into the blob. */
static void emit_ksym_addr(struct emitter *e, const struct trace_step *s)
{
	uint32_t done = label_new(e);

	emit_blob_ptr(e, BPF_REG_1, s->attr_off);
	emit_mov_imm(e, BPF_REG_2, s->attr_sz);
	emit_mov_imm(e, BPF_REG_3, 0);
	emit_blob_ptr(e, BPF_REG_4, s->id_off);
	emit_call(e, BPF_FUNC_kallsyms_lookup_name);
	emit_lookup_check(e, s, done);
	label_bind(e, done);
}

/* A non-zero ctx u32 is an fd the runtime hands in: it fills its slot. */
static void emit_inputs(struct emitter *e, const struct trace *t)
{
	for (uint32_t i = 0; i < t->nr_inputs; i++) {
		uint32_t skip = label_new(e);

		emit_ctx_ldx(e, BPF_W, BPF_REG_1, t->inputs[i].ctx_off);
		emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_1, 0, skip);
		emit_blob_stx(e, BPF_W, t->inputs[i].fd_off, BPF_REG_1);
		label_bind(e, skip);
	}
}

static void emit_step(struct emitter *e, const struct trace_step *s, uint32_t idx)
{
	uint32_t skip = label_new(e);

	if (s->cond_ctx_off >= 0) {
		emit_ctx_ldx(e, BPF_W, BPF_REG_1, s->cond_ctx_off);
		emit_jump(e, BPF_JMP | (s->cond_zero ? BPF_JNE : BPF_JEQ) | BPF_K, BPF_REG_1, 0,
			  skip);
	}
	emit_mov_imm(e, R_STEP, idx);
	for (uint32_t i = 0; i < s->nr_fix; i++)
		emit_fix(e, &s->fix[i]);
	if (s->kind == STEP_BTF_FIND)
		emit_btf_find(e, s);
	else if (s->kind == STEP_KSYM_ADDR)
		emit_ksym_addr(e, s);
	else
		emit_sys_bpf(e, s);
	label_bind(e, skip);
}

/*
 * bpf_sys_close(fd) if fd slot i holds an fd > 0 (signed: -1 means none) that is
 * not the runtime's own, handed in through the slot's input.
 */
static void emit_close_slot(struct emitter *e, const struct slots *sl, uint32_t i)
{
	uint32_t skip = label_new(e);

	emit_blob_ldx(e, BPF_W, BPF_REG_1, sl->off[i]);
	emit_jump(e, BPF_JMP32 | BPF_JSLE | BPF_K, BPF_REG_1, 0, skip);
	if (sl->input_ctx[i] >= 0) {
		emit_ctx_ldx(e, BPF_W, BPF_REG_2, sl->input_ctx[i]);
		emit_jump_reg(e, BPF_JMP32 | BPF_JEQ | BPF_X, BPF_REG_1, BPF_REG_2, skip);
	}
	emit_call(e, BPF_FUNC_sys_close);
	label_bind(e, skip);
}

static void emit_output(struct emitter *e, const struct trace_output *o)
{
	uint32_t skip = label_new(e);

	emit_blob_ldx(e, BPF_W, BPF_REG_1, o->fd_off);
	emit_jump(e, BPF_JMP32 | BPF_JSLE | BPF_K, BPF_REG_1, 0, skip);
	emit_ctx_stx(e, BPF_W, o->ctx_off, BPF_REG_1);
	label_bind(e, skip);
}

static void emit_success(struct emitter *e, const struct trace *t, const struct slots *sl)
{
	for (uint32_t i = 0; i < t->nr_outputs; i++)
		emit_output(e, &t->outputs[i]);
	for (uint32_t i = 0; i < sl->nr; i++)
		if (!sl->is_output[i])
			emit_close_slot(e, sl, i);
	emit_mov_imm(e, BPF_REG_0, 0);
	emit_exit(e);
}

static void emit_error(struct emitter *e, const struct slots *sl)
{
	if (e->err || !e->labels[e->err_label].nr_uses)
		return;
	label_bind(e, e->err_label);
	emit_ctx_stx(e, BPF_W, offsetof(struct lskel_loader_ctx, failed_step), R_STEP);
	for (uint32_t i = 0; i < sl->nr; i++)
		emit_close_slot(e, sl, i);
	emit_mov_reg(e, BPF_REG_0, R_RES);
	emit_exit(e);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool slots_has(const uint32_t *off, uint32_t nr, uint32_t v)
{
	return bsearch(&v, off, nr, sizeof(*off), cmp_u32) != NULL;
}

/* The ctx offset of the input filling fd slot off, or -1. */
static int64_t slot_input(const struct trace *t, uint32_t off)
{
	for (uint32_t i = 0; i < t->nr_inputs; i++)
		if (t->inputs[i].fd_off == off)
			return t->inputs[i].ctx_off;
	return -1;
}

/* Every step's fd slot plus every output's and input's, sorted, duplicates dropped. */
static int slots_collect(const struct trace *t, struct slots *sl)
{
	size_t max = (size_t)t->nr_steps + t->nr_outputs + t->nr_inputs + 1;
	uint32_t n = 0, *out = NULL;

	sl->off = malloc(max * sizeof(*sl->off));
	sl->is_output = calloc(max, sizeof(bool));
	sl->input_ctx = calloc(max, sizeof(*sl->input_ctx));
	out = malloc(((size_t)t->nr_outputs + 1) * sizeof(*out));
	if (!sl->off || !sl->is_output || !sl->input_ctx || !out) {
		free(out);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < t->nr_steps; i++)
		if (t->steps[i].fd_off >= 0)
			sl->off[n++] = t->steps[i].fd_off;
	for (uint32_t i = 0; i < t->nr_outputs; i++) {
		sl->off[n++] = t->outputs[i].fd_off;
		out[i] = t->outputs[i].fd_off;
	}
	for (uint32_t i = 0; i < t->nr_inputs; i++)
		sl->off[n++] = t->inputs[i].fd_off;
	qsort(sl->off, n, sizeof(*sl->off), cmp_u32);
	qsort(out, t->nr_outputs, sizeof(*out), cmp_u32);
	sl->nr = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (sl->nr && sl->off[sl->nr - 1] == sl->off[i])
			continue;
		sl->is_output[sl->nr] = slots_has(out, t->nr_outputs, sl->off[i]);
		sl->input_ctx[sl->nr] = slot_input(t, sl->off[i]);
		sl->off[sl->nr++] = sl->off[i];
	}
	free(out);
	return 0;
}

static void slots_free(struct slots *sl)
{
	free(sl->off);
	free(sl->is_output);
	free(sl->input_ctx);
}

static int bad(struct loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->errmsg, sizeof(l->errmsg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool in_blob(const struct trace *t, uint64_t off, uint64_t len)
{
	return off <= t->blob_sz && len <= t->blob_sz - off;
}

/* ctx accesses are R6 + insn offset, so they must fit in s16 (and in ctx_sz if known) */
static bool in_ctx(const struct trace *t, uint64_t off, uint64_t len)
{
	return off + len <= S16_MAX + 1u && (!t->ctx_sz || off + len <= t->ctx_sz);
}

static int check_fix(const struct trace *t, struct loader *l, uint32_t si, uint32_t fi)
{
	const struct trace_fix *f = &t->steps[si].fix[fi];
	static const uint32_t field_sz[] = {
		[FIX_BLOB_ADDR] = 8, [FIX_BLOB_U32] = 4, [FIX_CTX_U32] = 4, [FIX_CTX_U64] = 8,
		[FIX_BLOB_U32_IF] = 4,
	};
	bool src_ok;
	uint32_t sz;

	if ((unsigned int)f->kind > FIX_BLOB_U32_IF)
		return bad(l, "step %u: fix-up #%u: unknown kind %d", si + 1, fi, f->kind);
	sz = f->kind == FIX_USER_DATA ? f->len : field_sz[f->kind];
	switch (f->kind) {
	case FIX_BLOB_ADDR: src_ok = in_blob(t, f->src, 0); break;
	case FIX_BLOB_U32: src_ok = in_blob(t, f->src, 4); break;
	case FIX_CTX_U32: src_ok = in_ctx(t, f->src, 4); break;
	case FIX_BLOB_U32_IF: src_ok = in_blob(t, f->src, 4) && in_blob(t, f->cond, 4); break;
	default: src_ok = in_ctx(t, f->src, 8); break;
	}
	if (!in_blob(t, f->off, sz) || !src_ok || sz > INT32_MAX)
		return bad(l, "step %u (%s): fix-up #%u (%s): offset %u or source %u out of range",
			   si + 1, t->steps[si].desc ?: "?", fi, trace__fix_name(f->kind),
			   f->off, f->src);
	return 0;
}

static int check_step(const struct trace *t, struct loader *l, uint32_t si)
{
	const struct trace_step *s = &t->steps[si];
	const char *desc = s->desc ?: "?";
	int err = 0;

	if (s->kind != STEP_SYS_BPF && s->kind != STEP_BTF_FIND && s->kind != STEP_KSYM_ADDR)
		return bad(l, "step %u (%s): unknown kind %d", si + 1, desc, s->kind);
	if (s->kind == STEP_KSYM_ADDR && (s->id_off < 0 || s->id_off % 8 || !in_blob(t, s->id_off, 8)))
		return bad(l, "step %u (%s): address slot missing, misaligned or past the blob",
			   si + 1, desc);
	if (!in_blob(t, s->attr_off, s->attr_sz) || s->attr_sz > INT32_MAX)
		return bad(l, "step %u (%s): attr %u+%u past the blob (%u bytes)",
			   si + 1, desc, s->attr_off, s->attr_sz, t->blob_sz);
	if ((s->fd_off >= 0 && !in_blob(t, s->fd_off, 4)) ||
	    (s->id_off >= 0 && !in_blob(t, s->id_off, 4)))
		return bad(l, "step %u (%s): fd or id slot past the blob", si + 1, desc);
	if (s->cond_ctx_off >= 0 && !in_ctx(t, s->cond_ctx_off, 4))
		return bad(l, "step %u (%s): condition at ctx offset %lld out of reach",
			   si + 1, desc, (long long)s->cond_ctx_off);
	for (uint32_t i = 0; i < s->nr_fix && !err; i++)
		err = check_fix(t, l, si, i);
	return err;
}

/* Refuses a trace that breaks trace.h's invariants, before emitting anything. */
static int check_trace(const struct trace *t, struct loader *l)
{
	int err = 0;

	if (t->err)
		return bad(l, "trace was not built: error %d", t->err);
	if (!in_ctx(t, offsetof(struct lskel_loader_ctx, failed_step), 4))
		return bad(l, "ctx of %u bytes has no room for failed_step", t->ctx_sz);
	for (uint32_t i = 0; i < t->nr_steps && !err; i++)
		err = check_step(t, l, i);
	for (uint32_t i = 0; i < t->nr_outputs && !err; i++) {
		const struct trace_output *o = &t->outputs[i];

		if (!in_blob(t, o->fd_off, 4) || !in_ctx(t, o->ctx_off, 4))
			err = bad(l, "output #%u: fd slot %u or ctx offset %u out of range",
				  i, o->fd_off, o->ctx_off);
	}
	for (uint32_t i = 0; i < t->nr_inputs && !err; i++) {
		const struct trace_input *in = &t->inputs[i];

		if (!in_blob(t, in->fd_off, 4) || !in_ctx(t, in->ctx_off, 4))
			err = bad(l, "input #%u: fd slot %u or ctx offset %u out of range",
				  i, in->fd_off, in->ctx_off);
		else if (slot_input(t, in->fd_off) != in->ctx_off)
			err = bad(l, "input #%u: fd slot %u already has an input", i, in->fd_off);
	}
	return err;
}

static void emitter_free(struct emitter *e)
{
	free(e->insns);
	free(e->labels);
	free(e->jumps);
}

int loader__gen(const struct trace *t, struct loader *l)
{
	struct emitter e = { .errmsg = l->errmsg, .errmsg_sz = sizeof(l->errmsg) };
	struct slots sl = {};
	uint32_t meta_fail = 0;
	int err;

	memset(l, 0, sizeof(*l));
	err = check_trace(t, l) ?: slots_collect(t, &sl);
	if (err) {
		if (!l->errmsg[0])
			snprintf(l->errmsg, sizeof(l->errmsg), "out of memory");
		slots_free(&sl);
		return err;
	}
	e.err_label = label_new(&e);
	emit_prologue(&e);
	if (t->sign)
		meta_fail = emit_metadata_check(&e, t->blob_sha256);
	emit_inputs(&e, t);
	for (uint32_t i = 0; i < t->nr_steps; i++)
		emit_step(&e, &t->steps[i], i + 1);
	emit_success(&e, t, &sl);
	emit_error(&e, &sl);
	if (t->sign)
		emit_metadata_fail(&e, meta_fail);
	labels_resolve(&e);
	slots_free(&sl);
	if (e.err) {
		emitter_free(&e);
		return e.err;
	}
	l->insns = e.insns;
	l->nr_insns = e.nr_insns;
	e.insns = NULL;
	emitter_free(&e);
	return 0;
}

void loader__free(struct loader *l)
{
	free(l->insns);
	free(l->sig);
	l->insns = NULL;
	l->nr_insns = 0;
	l->sig = NULL;
	l->sig_len = 0;
}
