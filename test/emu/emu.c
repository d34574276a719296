// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The interpreter: runs loader instructions one at a time against the blob and
 * context copies in the result and the fake kernel of kernel.c.
 *
 * Each register carries a value and a kind (uninitialised, scalar, ctx pointer, blob
 * pointer), a small part of what the verifier tracks, enough to refuse what the real
 * verifier would refuse in a loader: reading an uninitialised register (helpers
 * clobber R1-R5), dereferencing a ctx pointer that was moved, BPF_ST or a pointer
 * store into the ctx, arithmetic other than add/sub on a pointer, compares on
 * pointers, a helper memory argument that is not a blob range, the stack. Only the
 * instructions and helpers the loader uses are implemented; anything else is a fault.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "emu.h"

enum reg_kind { RK_NONE, RK_SCALAR, RK_CTX, RK_BLOB };

struct reg {
	uint64_t v;
	enum reg_kind kind;
};

struct vm {
	const struct loader *l;
	struct emu_result *r;
	struct emu_kernel k;
	struct reg regs[MAX_BPF_REG];
	uint32_t pc;
	bool done;
};

static int fault(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fault(struct vm *vm, const char *fmt, ...)
{
	int n = snprintf(vm->r->fault, sizeof(vm->r->fault), "insn %u: ", vm->pc);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->r->fault + n, sizeof(vm->r->fault) - n, fmt, ap);
	va_end(ap);
	return -EFAULT;
}

static int reg_read(struct vm *vm, uint8_t r, struct reg *out)
{
	if (r >= MAX_BPF_REG || vm->regs[r].kind == RK_NONE)
		return fault(vm, "R%u is not initialised", r);
	*out = vm->regs[r];
	return 0;
}

static int scalar_read(struct vm *vm, uint8_t r, uint64_t *v)
{
	struct reg x = {};
	int err = reg_read(vm, r, &x);

	if (!err && x.kind != RK_SCALAR)
		return fault(vm, "R%u is a pointer where a scalar is needed", r);
	*v = x.v;
	return err;
}

static void reg_set(struct vm *vm, uint8_t r, uint64_t v, enum reg_kind kind)
{
	vm->regs[r] = (struct reg){ .v = v, .kind = kind };
}

/* The host address of size bytes at base + off, checked as the verifier would. */
static uint8_t *mem(struct vm *vm, uint8_t base_reg, int16_t off, uint32_t size)
{
	struct reg base = {};
	int64_t at;

	if (reg_read(vm, base_reg, &base))
		return NULL;
	if (base.kind == RK_CTX) {
		if (base.v != EMU_CTX_BASE) {
			fault(vm, "dereference of a modified ctx pointer R%u", base_reg);
			return NULL;
		}
		if (off < 0 || (uint32_t)off + size > vm->r->ctx_sz || off % size) {
			fault(vm, "ctx access %d/%u out of bounds or misaligned", off, size);
			return NULL;
		}
		return vm->r->ctx + off;
	}
	if (base.kind != RK_BLOB) {
		fault(vm, "R%u is not a pointer", base_reg);
		return NULL;
	}
	at = (int64_t)(base.v - EMU_BLOB_BASE) + off;
	if (at < 0 || (uint64_t)at + size > vm->r->blob_sz) {
		fault(vm, "blob access %lld/%u out of bounds", (long long)at, size);
		return NULL;
	}
	return vm->r->blob + at;
}

static uint32_t size_of(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static int do_ldx(struct vm *vm, const struct bpf_insn *in)
{
	uint32_t sz = size_of(in->code);
	uint8_t *p;
	uint64_t v = 0;

	if (BPF_MODE(in->code) != BPF_MEM)
		return fault(vm, "unsupported load mode 0x%x", in->code);
	p = mem(vm, in->src_reg, in->off, sz);
	if (!p)
		return -EFAULT;
	memcpy(&v, p, sz);	/* little-endian host: low bytes first */
	reg_set(vm, in->dst_reg, v, RK_SCALAR);
	return 0;
}

static int do_store(struct vm *vm, const struct bpf_insn *in, struct reg val)
{
	uint32_t sz = size_of(in->code);
	struct reg base = {};
	uint8_t *p;

	if (BPF_MODE(in->code) != BPF_MEM)
		return fault(vm, "unsupported store mode 0x%x", in->code);
	if (reg_read(vm, in->dst_reg, &base))
		return -EFAULT;
	if (base.kind == RK_CTX && BPF_CLASS(in->code) == BPF_ST)
		return fault(vm, "BPF_ST into the ctx is refused by the verifier");
	if (val.kind == RK_CTX || (val.kind == RK_BLOB && (base.kind == RK_CTX || sz != 8)))
		return fault(vm, "pointer store the verifier refuses");
	p = mem(vm, in->dst_reg, in->off, sz);
	if (!p)
		return -EFAULT;
	memcpy(p, &val.v, sz);
	return 0;
}

static int do_stx(struct vm *vm, const struct bpf_insn *in)
{
	struct reg val;

	return reg_read(vm, in->src_reg, &val) ?: do_store(vm, in, val);
}

static int do_st(struct vm *vm, const struct bpf_insn *in)
{
	struct reg val = { .v = (uint64_t)(int64_t)in->imm, .kind = RK_SCALAR };

	return do_store(vm, in, val);
}

static int do_ld_imm64(struct vm *vm, const struct bpf_insn *in)
{
	const struct bpf_insn *next = in + 1;

	if (in->code != (BPF_LD | BPF_DW | BPF_IMM) || vm->pc + 1 >= vm->l->nr_insns ||
	    next->code || next->dst_reg || next->src_reg || next->off)
		return fault(vm, "bad ld_imm64");
	if (in->src_reg == 0) {
		reg_set(vm, in->dst_reg, (uint32_t)in->imm | (uint64_t)next->imm << 32,
			RK_SCALAR);
	} else if (in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE && in->imm == 0) {
		if ((uint32_t)next->imm > vm->r->blob_sz)
			return fault(vm, "map value offset %u past the blob", next->imm);
		reg_set(vm, in->dst_reg, EMU_BLOB_BASE + (uint32_t)next->imm, RK_BLOB);
	} else {
		return fault(vm, "ld_imm64 src %u imm %d: only fd_array[0] values", in->src_reg,
			     in->imm);
	}
	vm->pc++;
	return 0;
}

static uint64_t alu_op(uint8_t op, uint64_t a, uint64_t b, bool is64)
{
	uint32_t mask = is64 ? 63 : 31;

	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_DIV: return b ? a / b : 0;
	case BPF_MOD: return b ? a % b : a;
	case BPF_OR: return a | b;
	case BPF_AND: return a & b;
	case BPF_XOR: return a ^ b;
	case BPF_LSH: return a << (b & mask);
	case BPF_RSH: return a >> (b & mask);
	case BPF_NEG: return -a;
	case BPF_MOV: return b;
	default:	/* BPF_ARSH */
		return is64 ? (uint64_t)((int64_t)a >> (b & mask))
			    : (uint32_t)((int32_t)a >> (b & mask));
	}
}

/* Pointers allow mov, and add/sub of a scalar in 64 bits; nothing else. */
static int alu_kind(struct vm *vm, const struct bpf_insn *in, struct reg dst, struct reg src,
		    enum reg_kind *kind)
{
	uint8_t op = BPF_OP(in->code);
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;

	*kind = RK_SCALAR;
	if (op == BPF_MOV) {
		if (src.kind != RK_SCALAR && !is64)
			return fault(vm, "32-bit move of a pointer");
		*kind = src.kind;
		return 0;
	}
	if (src.kind != RK_SCALAR)
		return fault(vm, "pointer used as an ALU operand");
	if (dst.kind == RK_SCALAR)
		return 0;
	if (!is64 || (op != BPF_ADD && op != BPF_SUB))
		return fault(vm, "pointer arithmetic 0x%x the verifier refuses", in->code);
	*kind = dst.kind;
	return 0;
}

static int do_alu(struct vm *vm, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	struct reg dst = { .kind = RK_SCALAR }, src = { .kind = RK_SCALAR };
	enum reg_kind kind;
	uint64_t v;

	if (op > BPF_ARSH || op == BPF_END || in->dst_reg >= BPF_REG_10)
		return fault(vm, "unsupported ALU insn 0x%x", in->code);
	if (BPF_SRC(in->code) == BPF_X && reg_read(vm, in->src_reg, &src))
		return -EFAULT;
	if (BPF_SRC(in->code) == BPF_K)
		src.v = is64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm;
	if (op != BPF_MOV && reg_read(vm, in->dst_reg, &dst))
		return -EFAULT;
	if (alu_kind(vm, in, dst, src, &kind))
		return -EFAULT;
	if (is64)
		v = alu_op(op, dst.v, src.v, true);
	else
		v = (uint32_t)alu_op(op, (uint32_t)dst.v, (uint32_t)src.v, false);
	reg_set(vm, in->dst_reg, v, kind);
	return 0;
}

static bool cond_true(uint8_t op, uint64_t a, uint64_t b, bool is64)
{
	int64_t sa = is64 ? (int64_t)a : (int32_t)a, sb = is64 ? (int64_t)b : (int32_t)b;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return a & b;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	default: return sa <= sb;	/* BPF_JSLE */
	}
}

static int jump_to(struct vm *vm, int16_t off)
{
	int64_t to = (int64_t)vm->pc + 1 + off;

	if (to < 0 || to >= vm->l->nr_insns)
		return fault(vm, "jump to %lld out of the program", (long long)to);
	vm->pc = to - 1;	/* the run loop adds one */
	return 0;
}

static int call_args(struct vm *vm, uint8_t ptr_reg, uint8_t len_reg, uint32_t *off,
		     uint32_t *len)
{
	struct reg p = {};
	uint64_t n;

	if (reg_read(vm, ptr_reg, &p) || scalar_read(vm, len_reg, &n))
		return -EFAULT;
	if (p.kind != RK_BLOB)
		return fault(vm, "helper memory argument R%u is not a blob pointer", ptr_reg);
	if (p.v - EMU_BLOB_BASE > vm->r->blob_sz || n > vm->r->blob_sz - (p.v - EMU_BLOB_BASE))
		return fault(vm, "helper memory argument R%u+%llu out of the blob", ptr_reg,
			     (unsigned long long)n);
	*off = p.v - EMU_BLOB_BASE;
	*len = n;
	return 0;
}

/* A helper's fixed-size memory argument: a blob pointer with size bytes of room. */
static int call_arg_fixed(struct vm *vm, uint8_t reg, uint32_t size, uint32_t *off)
{
	struct reg p = {};

	if (reg_read(vm, reg, &p))
		return -EFAULT;
	if (p.kind != RK_BLOB || p.v - EMU_BLOB_BASE > vm->r->blob_sz ||
	    vm->r->blob_sz - (p.v - EMU_BLOB_BASE) < size)
		return fault(vm, "helper memory argument R%u is not a blob range of %u bytes", reg,
			     size);
	*off = p.v - EMU_BLOB_BASE;
	return 0;
}

static int call_helper(struct vm *vm, int32_t id, int64_t *ret)
{
	uint64_t a1 = 0, a3 = 0, a4 = 0;
	uint32_t off, len, res = 0;

	switch (id) {
	case BPF_FUNC_sys_bpf:
		if (scalar_read(vm, 1, &a1) || call_args(vm, 2, 3, &off, &len))
			return -EFAULT;
		*ret = emu_kernel__sys_bpf(&vm->k, a1, off, len);
		return 0;
	case BPF_FUNC_btf_find_by_name_kind:
		if (call_args(vm, 1, 2, &off, &len) || scalar_read(vm, 3, &a3) ||
		    scalar_read(vm, 4, &a4))
			return -EFAULT;
		*ret = emu_kernel__btf_find(&vm->k, off, len, a3, a4);
		return 0;
	case BPF_FUNC_kallsyms_lookup_name:
		if (call_args(vm, 1, 2, &off, &len) || scalar_read(vm, 3, &a3) ||
		    call_arg_fixed(vm, 4, 8, &res))
			return -EFAULT;
		*ret = emu_kernel__kallsyms(&vm->k, off, len, a3, res);
		return 0;
	case BPF_FUNC_copy_from_user:
	case BPF_FUNC_probe_read_kernel:
		if (call_args(vm, 1, 2, &off, &len) || scalar_read(vm, 3, &a3))
			return -EFAULT;
		*ret = emu_kernel__copy(&vm->k, id, off, len, a3);
		return 0;
	case BPF_FUNC_sys_close:
		if (scalar_read(vm, 1, &a1))
			return -EFAULT;
		*ret = emu_kernel__close(&vm->k, a1);
		return 0;
	default:
		return fault(vm, "helper %d is not one the loader uses", id);
	}
}

static int do_call(struct vm *vm, const struct bpf_insn *in)
{
	int64_t ret = 0;

	if (in->src_reg || call_helper(vm, in->imm, &ret))
		return vm->r->fault[0] ? -EFAULT : fault(vm, "pseudo call");
	reg_set(vm, BPF_REG_0, ret, RK_SCALAR);
	for (uint8_t r = BPF_REG_1; r <= BPF_REG_5; r++)
		reg_set(vm, r, 0, RK_NONE);
	return 0;
}

static int do_exit(struct vm *vm)
{
	uint64_t v;

	if (scalar_read(vm, BPF_REG_0, &v))
		return -EFAULT;
	vm->r->ret = (int32_t)v;
	vm->done = true;
	return 0;
}

static int do_jmp(struct vm *vm, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_JMP;
	uint8_t op = BPF_OP(in->code);
	uint64_t a, b = (uint64_t)(int64_t)in->imm;

	if (is64 && op == BPF_JA)
		return jump_to(vm, in->off);
	if (is64 && op == BPF_CALL)
		return do_call(vm, in);
	if (is64 && op == BPF_EXIT)
		return do_exit(vm);
	if (op == BPF_JA || op == BPF_CALL || op == BPF_EXIT || op > BPF_JSLE)
		return fault(vm, "unsupported jump 0x%x", in->code);
	if (scalar_read(vm, in->dst_reg, &a))
		return -EFAULT;
	if (BPF_SRC(in->code) == BPF_X && scalar_read(vm, in->src_reg, &b))
		return -EFAULT;
	return cond_true(op, a, b, is64) ? jump_to(vm, in->off) : 0;
}

static int exec_one(struct vm *vm)
{
	const struct bpf_insn *in = &vm->l->insns[vm->pc];

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64: return do_alu(vm, in);
	case BPF_JMP:
	case BPF_JMP32: return do_jmp(vm, in);
	case BPF_LDX: return do_ldx(vm, in);
	case BPF_STX: return do_stx(vm, in);
	case BPF_ST: return do_st(vm, in);
	default: return do_ld_imm64(vm, in);
	}
}

static int result_init(const struct trace *t, const struct emu_script *s,
		       struct emu_result *r)
{
	memset(r, 0, sizeof(*r));
	r->blob_sz = t->blob_sz;
	r->ctx_sz = s->ctx_sz ? s->ctx_sz : t->ctx_sz;
	r->blob = malloc(r->blob_sz ? r->blob_sz : 1);
	r->ctx = calloc(1, r->ctx_sz ? r->ctx_sz : 1);
	if (!r->blob || !r->ctx)
		return -ENOMEM;
	if (t->blob_sz)
		memcpy(r->blob, t->blob, t->blob_sz);
	if (s->ctx)
		memcpy(r->ctx, s->ctx, r->ctx_sz);
	return 0;
}

int emu__run(const struct trace *t, const struct loader *l, const struct emu_script *s,
	     struct emu_result *r)
{
	uint64_t limit = s->max_insns ? s->max_insns : 1000000;
	struct vm vm = { .l = l, .r = r };
	int err = result_init(t, s, r);

	if (err)
		return err;
	emu_kernel__init(&vm.k, t, s, r);
	reg_set(&vm, BPF_REG_1, EMU_CTX_BASE, RK_CTX);
	while (!err && !vm.done) {
		if (vm.pc >= l->nr_insns)
			err = fault(&vm, "fell off the end of the program");
		else if (r->nr_executed++ >= limit)
			err = fault(&vm, "more than %llu insns run", (unsigned long long)limit);
		else
			err = exec_one(&vm);
		vm.pc++;
	}
	emu_kernel__free(&vm.k);
	return err;
}

void emu_result__free(struct emu_result *r)
{
	for (uint32_t i = 0; i < r->nr_calls; i++)
		free(r->calls[i].data);
	free(r->calls);
	free(r->blob);
	free(r->ctx);
	memset(r, 0, sizeof(*r));
}

static bool is_jump(const struct bpf_insn *in)
{
	uint8_t op = BPF_OP(in->code);

	if (BPF_CLASS(in->code) == BPF_JMP)
		return op != BPF_CALL && op != BPF_EXIT;
	return BPF_CLASS(in->code) == BPF_JMP32;
}

static bool is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}

uint32_t emu__max_jump(const struct loader *l)
{
	uint32_t max = 0;

	for (uint32_t i = 0; i < l->nr_insns; i++) {
		int32_t off = l->insns[i].off;

		if (is_jump(&l->insns[i]) && (uint32_t)abs(off) > max)
			max = abs(off);
		i += is_ld_imm64(&l->insns[i]);
	}
	return max;
}

static int cfg_fail(char *msg, size_t sz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cfg_fail(char *msg, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* One insn's successors; reach[] marks them. Forward edges only. */
static int cfg_visit(const struct loader *l, uint32_t i, uint8_t *reach, char *msg,
		     size_t sz)
{
	const struct bpf_insn *in = &l->insns[i];
	bool jump = is_jump(in), ja = jump && in->code == (BPF_JMP | BPF_JA);
	uint32_t next = i + 1 + is_ld_imm64(in);

	if (jump) {
		int64_t to = (int64_t)i + 1 + in->off;

		if (to <= i || to >= l->nr_insns || reach[to] == 2)
			return cfg_fail(msg, sz, "insn %u: bad jump target %d", i, in->off);
		reach[to] = 1;
	}
	if (in->code == (BPF_JMP | BPF_EXIT) || ja)
		return 0;
	if (next >= l->nr_insns)
		return cfg_fail(msg, sz, "insn %u: falls off the end", i);
	reach[next] = 1;
	return 0;
}

int emu__check_cfg(const struct loader *l, char *msg, size_t sz)
{
	uint8_t *reach = calloc(l->nr_insns + 1, 1);	/* 1 reached, 2 ld_imm64 tail */
	int err = 0;

	if (!reach)
		return -ENOMEM;
	for (uint32_t i = 0; i + 1 < l->nr_insns; i++)
		if (is_ld_imm64(&l->insns[i]))
			reach[++i] = 2;
	reach[0] = l->nr_insns ? 1 : 0;
	for (uint32_t i = 0; i < l->nr_insns && !err; i++) {
		if (reach[i] == 0)
			err = cfg_fail(msg, sz, "insn %u: unreachable", i);
		else if (reach[i] == 1)
			err = cfg_visit(l, i, reach, msg, sz);
	}
	if (!err && !l->nr_insns)
		err = cfg_fail(msg, sz, "empty program");
	free(reach);
	return err;
}
