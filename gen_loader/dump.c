// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The readable form of a trace, for `lskel dump` and golden files. The output is a
 * pure function of the trace: offsets, sizes and decoded attr fields, never a host
 * pointer or anything that changes from run to run.
 *
 * Attrs are decoded through one field table per command (name, offset, size, how to
 * print). Fields the installed UAPI header (6.1) already knows use offsetof(); newer
 * ones are given by their offset in today's union bpf_attr. A field is printed if it
 * is a main one for its command or non-zero; bytes no field covers are printed in hex
 * when non-zero, and a command without a table is printed whole in hex.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>

#include "trace.h"

enum field_fmt {
	F_U32,
	F_S32,
	F_HEX,		/* flags, u64 pointers */
	F_STR,		/* char[BPF_OBJ_NAME_LEN] */
	F_MAP_TYPE,
	F_PROG_TYPE,
	F_ATTACH_TYPE,
};

struct field {
	const char *name;
	uint32_t off, sz;
	enum field_fmt fmt;
	bool main;		/* printed even when zero */
};

#define FLD(f, fmt, main) \
	{ #f, offsetof(union bpf_attr, f), sizeof(((union bpf_attr *)0)->f), fmt, main }
/* fields newer than the installed UAPI header, by offset */
#define NEW(name, off, sz, fmt) { name, off, sz, fmt, false }

static const struct field map_create_fields[] = {
	FLD(map_type, F_MAP_TYPE, true),
	FLD(key_size, F_U32, true),
	FLD(value_size, F_U32, true),
	FLD(max_entries, F_U32, true),
	FLD(map_flags, F_HEX, true),
	FLD(inner_map_fd, F_U32, false),
	FLD(numa_node, F_U32, false),
	FLD(map_name, F_STR, true),
	FLD(map_ifindex, F_U32, false),
	FLD(btf_fd, F_U32, false),
	FLD(btf_key_type_id, F_U32, false),
	FLD(btf_value_type_id, F_U32, false),
	FLD(btf_vmlinux_value_type_id, F_U32, false),
	FLD(map_extra, F_HEX, false),
	NEW("value_type_btf_obj_fd", 72, 4, F_S32),
	NEW("map_token_fd", 76, 4, F_S32),
	NEW("excl_prog_hash", 80, 8, F_HEX),
	NEW("excl_prog_hash_size", 88, 4, F_U32),
};

static const struct field prog_load_fields[] = {
	FLD(prog_type, F_PROG_TYPE, true),
	FLD(insn_cnt, F_U32, true),
	FLD(insns, F_HEX, false),
	FLD(license, F_HEX, false),
	FLD(log_level, F_U32, false),
	FLD(log_size, F_U32, false),
	FLD(log_buf, F_HEX, false),
	FLD(kern_version, F_U32, false),
	FLD(prog_flags, F_HEX, true),
	FLD(prog_name, F_STR, true),
	FLD(prog_ifindex, F_U32, false),
	FLD(expected_attach_type, F_ATTACH_TYPE, false),
	FLD(prog_btf_fd, F_U32, false),
	FLD(func_info_rec_size, F_U32, false),
	FLD(func_info, F_HEX, false),
	FLD(func_info_cnt, F_U32, false),
	FLD(line_info_rec_size, F_U32, false),
	FLD(line_info, F_HEX, false),
	FLD(line_info_cnt, F_U32, false),
	FLD(attach_btf_id, F_U32, true),
	FLD(attach_prog_fd, F_U32, false),
	FLD(core_relo_cnt, F_U32, false),
	FLD(fd_array, F_HEX, false),
	FLD(core_relos, F_HEX, false),
	FLD(core_relo_rec_size, F_U32, false),
	NEW("log_true_size", 140, 4, F_U32),
	NEW("prog_token_fd", 144, 4, F_S32),
	NEW("fd_array_cnt", 148, 4, F_U32),
	NEW("signature", 152, 8, F_HEX),
	NEW("signature_size", 160, 4, F_U32),
	NEW("keyring_id", 164, 4, F_S32),
};

static const struct field btf_load_fields[] = {
	FLD(btf, F_HEX, false),
	FLD(btf_log_buf, F_HEX, false),
	FLD(btf_size, F_U32, true),
	FLD(btf_log_size, F_U32, false),
	FLD(btf_log_level, F_U32, false),
	NEW("btf_log_true_size", 28, 4, F_U32),
	NEW("btf_flags", 32, 4, F_HEX),
	NEW("btf_token_fd", 36, 4, F_S32),
};

static const struct field map_elem_fields[] = {
	FLD(map_fd, F_U32, true),
	FLD(key, F_HEX, false),
	FLD(value, F_HEX, false),
	FLD(flags, F_HEX, true),
};

static const struct field map_freeze_fields[] = {
	FLD(map_fd, F_U32, true),
};

static const struct field link_create_fields[] = {
	FLD(link_create.prog_fd, F_U32, true),
	FLD(link_create.target_fd, F_U32, true),
	FLD(link_create.attach_type, F_ATTACH_TYPE, true),
	FLD(link_create.flags, F_HEX, true),
};

struct cmd_fields {
	int cmd;
	const struct field *fields;
	uint32_t nr;
};

#define CMD(c, arr) { c, arr, sizeof(arr) / sizeof(arr[0]) }

static const struct cmd_fields cmd_fields[] = {
	CMD(BPF_MAP_CREATE, map_create_fields),
	CMD(BPF_PROG_LOAD, prog_load_fields),
	CMD(BPF_BTF_LOAD, btf_load_fields),
	CMD(BPF_MAP_UPDATE_ELEM, map_elem_fields),
	CMD(BPF_MAP_FREEZE, map_freeze_fields),
	CMD(BPF_LINK_CREATE, link_create_fields),
};

static const struct cmd_fields *fields_of(int cmd)
{
	for (size_t i = 0; i < sizeof(cmd_fields) / sizeof(cmd_fields[0]); i++)
		if (cmd_fields[i].cmd == cmd)
			return &cmd_fields[i];
	return NULL;
}

static const char *btf_kind_name(int kind)
{
	static const char *const names[] = {
		"unkn", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
		"volatile", "const", "restrict", "func", "func_proto", "var", "datasec",
		"float", "decl_tag", "type_tag", "enum64",
	};

	return kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

static uint64_t load_uint(const uint8_t *p, uint32_t sz)
{
	uint32_t v32;
	uint64_t v64;

	if (sz == 8) {
		memcpy(&v64, p, 8);
		return v64;
	}
	memcpy(&v32, p, 4);
	return v32;
}

static bool all_zero(const uint8_t *p, uint32_t sz)
{
	for (uint32_t i = 0; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

static void dump_name(const char *name, FILE *out)
{
	fputs(name ?: "?", out);
}

static void dump_str(const uint8_t *p, uint32_t sz, FILE *out)
{
	fputc('"', out);
	for (uint32_t i = 0; i < sz && p[i]; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			fputc(p[i], out);
		else
			fprintf(out, "\\x%02x", p[i]);
	fputc('"', out);
}

static void dump_field(const struct field *f, const uint8_t *attr, FILE *out)
{
	const uint8_t *p = attr + f->off;
	uint64_t v = f->fmt == F_STR ? 0 : load_uint(p, f->sz);

	fprintf(out, "\t%s ", f->name);
	switch (f->fmt) {
	case F_U32: fprintf(out, "%llu", (unsigned long long)v); break;
	case F_S32: fprintf(out, "%d", (int32_t)v); break;
	case F_HEX: fprintf(out, "0x%llx", (unsigned long long)v); break;
	case F_STR: dump_str(p, f->sz, out); break;
	case F_MAP_TYPE: dump_name(libbpf_bpf_map_type_str(v), out); break;
	case F_PROG_TYPE: dump_name(libbpf_bpf_prog_type_str(v), out); break;
	case F_ATTACH_TYPE: dump_name(libbpf_bpf_attach_type_str(v), out); break;
	}
	if (f->fmt >= F_MAP_TYPE)
		fprintf(out, " (%llu)", (unsigned long long)v);
	fputc('\n', out);
}

/* 16 bytes a line, each line prefixed with its offset in the attr */
static void dump_hex(const uint8_t *p, uint32_t from, uint32_t to, FILE *out)
{
	for (uint32_t line = from; line < to; line += 16) {
		fprintf(out, "\t+%u:", line);
		for (uint32_t i = line; i < to && i < line + 16; i++)
			fprintf(out, " %02x", p[i]);
		fputc('\n', out);
	}
}

static void dump_attr(int cmd, const uint8_t *attr, uint32_t sz, FILE *out)
{
	const struct cmd_fields *cf = fields_of(cmd);
	uint32_t covered = 0;

	if (!cf) {
		dump_hex(attr, 0, sz, out);
		return;
	}
	for (uint32_t i = 0; i < cf->nr; i++) {
		const struct field *f = &cf->fields[i];

		if (f->off + f->sz > sz)
			break;
		if (f->main || !all_zero(attr + f->off, f->sz))
			dump_field(f, attr, out);
		covered = f->off + f->sz;
	}
	/* padding between fields is zero in any attr the kernel accepts */
	if (covered < sz && !all_zero(attr + covered, sz - covered))
		dump_hex(attr, covered, sz, out);
}

/* The attr field a blob offset falls in, to name fix-up targets. */
static const char *field_at(const struct trace_step *s, uint32_t off)
{
	const struct cmd_fields *cf;

	if (s->kind != STEP_SYS_BPF || off < s->attr_off || off >= s->attr_off + s->attr_sz)
		return NULL;
	cf = fields_of(s->cmd);
	for (uint32_t i = 0; cf && i < cf->nr; i++)
		if (off - s->attr_off >= cf->fields[i].off &&
		    off - s->attr_off < cf->fields[i].off + cf->fields[i].sz)
			return cf->fields[i].name;
	return NULL;
}

static int64_t blob_ptr(const struct trace_step *s, size_t field);

/* A program load's fix-up into its instructions (extern patches): "insn 12+4". */
static bool dump_insn_at(const struct trace *t, const struct trace_step *s, uint32_t off,
			 FILE *out)
{
	int64_t insns = s->kind == STEP_SYS_BPF && s->cmd == BPF_PROG_LOAD &&
			s->attr_sz >= offsetof(union bpf_attr, insns) + 8 ?
			blob_ptr(s, offsetof(union bpf_attr, insns)) : -1;
	const union bpf_attr *a = (const void *)(t->blob + s->attr_off);

	if (insns < 0 || off < insns ||
	    (uint64_t)(off - insns) >= (uint64_t)a->insn_cnt * sizeof(struct bpf_insn))
		return false;
	fprintf(out, " (insn %u+%u)", (uint32_t)((off - insns) / sizeof(struct bpf_insn)),
		(uint32_t)((off - insns) % sizeof(struct bpf_insn)));
	return true;
}

static void dump_fix(const struct trace *t, const struct trace_step *s, const struct trace_fix *f,
		     FILE *out)
{
	const char *field = field_at(s, f->off);
	bool from_ctx = f->kind == FIX_CTX_U32 || f->kind == FIX_CTX_U64 ||
			f->kind == FIX_USER_DATA;

	fprintf(out, "\tfix %s blob %u", trace__fix_name(f->kind), f->off);
	if (field)
		fprintf(out, " (%s)", field);
	else if (f->off >= s->attr_off && f->off < s->attr_off + s->attr_sz)
		fprintf(out, " (attr+%u)", f->off - s->attr_off);
	else
		dump_insn_at(t, s, f->off, out);
	if (f->kind == FIX_USER_DATA)
		fprintf(out, " len %u", f->len);
	fprintf(out, " <- %s %u", from_ctx ? "ctx" : "blob", f->src);
	if (f->kind == FIX_BLOB_U32_IF)
		fprintf(out, " if blob %u != 0", f->cond);
	fputc('\n', out);
}

/* The blob offset a FIX_BLOB_ADDR of this step stores into attr field `field`. */
static int64_t blob_ptr(const struct trace_step *s, size_t field)
{
	for (uint32_t j = 0; j < s->nr_fix; j++)
		if (s->fix[j].kind == FIX_BLOB_ADDR && s->fix[j].off == s->attr_off + field)
			return s->fix[j].src;
	return -1;
}

static void dump_insn_ref(const struct bpf_insn *insn, uint32_t i, FILE *out)
{
	if (insn[0].code == (BPF_JMP | BPF_CALL) && insn[0].src_reg == BPF_PSEUDO_CALL)
		fprintf(out, "	insn %u: call pc%+d (insn %d)\n", i, insn[0].imm, i + 1 + insn[0].imm);
	else if (insn[0].code != (BPF_LD | BPF_IMM | BPF_DW))
		return;
	else if (insn[0].src_reg == BPF_PSEUDO_FUNC)
		fprintf(out, "	insn %u: ld_imm64 func pc%+d (insn %d)\n", i, insn[0].imm,
			i + 1 + insn[0].imm);
	else if (insn[0].src_reg == BPF_PSEUDO_MAP_IDX)
		fprintf(out, "	insn %u: ld_imm64 map fd_array[%d]\n", i, insn[0].imm);
	else if (insn[0].src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
		fprintf(out, "	insn %u: ld_imm64 map value fd_array[%d] + %d\n", i, insn[0].imm,
			insn[1].imm);
}

/*
 * What relocation decided for a program: its calls, function pointers and map
 * references, and where each function's func_info landed.
 */
static void dump_prog(const struct trace *t, const struct trace_step *s, FILE *out)
{
	const union bpf_attr *a = (const void *)(t->blob + s->attr_off);
	int64_t insns = blob_ptr(s, offsetof(union bpf_attr, insns));
	int64_t fi = blob_ptr(s, offsetof(union bpf_attr, func_info));
	uint32_t cnt = a->insn_cnt, rec = a->func_info_rec_size;

	if (insns >= 0 && (uint64_t)insns + (uint64_t)cnt * sizeof(struct bpf_insn) <= t->blob_sz) {
		const struct bpf_insn *in = (const void *)(t->blob + insns);

		for (uint32_t i = 0; i < cnt; i++)
			dump_insn_ref(&in[i], i, out);
	}
	if (fi < 0 || rec < 8 || (uint64_t)fi + (uint64_t)a->func_info_cnt * rec > t->blob_sz)
		return;
	for (uint32_t i = 0; i < a->func_info_cnt; i++) {
		const struct bpf_func_info *f = (const void *)(t->blob + fi + (uint64_t)i * rec);

		fprintf(out, "	func_info insn %u: btf type [%u]\n", f->insn_off, f->type_id);
	}
}

/* How many types of each BTF kind the loaded BTF has: shows --target-kernel rewrites. */
static void dump_btf_kinds(const struct trace *t, const struct trace_step *s, FILE *out)
{
	static const char *const names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
		"volatile", "const", "restrict", "func", "func_proto", "var", "datasec", "float",
		"decl_tag", "type_tag", "enum64",
	};
	const union bpf_attr *a = (const void *)(t->blob + s->attr_off);
	int64_t data = blob_ptr(s, offsetof(union bpf_attr, btf));
	uint32_t counts[32] = {};
	struct btf *btf;

	if (data < 0 || (uint64_t)data + a->btf_size > t->blob_sz)
		return;
	btf = btf__new(t->blob + data, a->btf_size);
	if (!btf)
		return;
	for (uint32_t id = 1; id < btf__type_cnt(btf); id++)
		counts[btf_kind(btf__type_by_id(btf, id)) & 31]++;
	btf__free(btf);
	fprintf(out, "	btf kinds:");
	for (uint32_t k = 1; k < 32; k++)
		if (counts[k])
			fprintf(out, " %s %u", k < sizeof(names) / sizeof(names[0]) ? names[k] : "?",
				counts[k]);
	fprintf(out, "\n");
}

static void dump_step(const struct trace *t, uint32_t i, FILE *out)
{
	const struct trace_step *s = &t->steps[i];
	const uint8_t *attr = t->blob + s->attr_off;

	if (s->attr_off > t->blob_sz || s->attr_sz > t->blob_sz - s->attr_off) {
		fprintf(out, "step %u: attr blob %u+%u past the blob\n", i + 1, s->attr_off,
			s->attr_sz);
	} else if (s->kind == STEP_BTF_FIND) {
		fprintf(out, "step %u: BTF_FIND: %s\n", i + 1, s->desc ?: "");
		fprintf(out, "\tname blob %u+%u ", s->attr_off, s->attr_sz);
		dump_str(attr, s->attr_sz, out);
		fprintf(out, " kind %s (%d)\n", btf_kind_name(s->cmd), s->cmd);
	} else if (s->kind == STEP_KSYM_ADDR) {
		fprintf(out, "step %u: KSYM_ADDR: %s\n", i + 1, s->desc ?: "");
		fprintf(out, "\tname blob %u+%u ", s->attr_off, s->attr_sz);
		dump_str(attr, s->attr_sz, out);
		fputc('\n', out);
	} else {
		fprintf(out, "step %u: %s: %s\n", i + 1, trace__cmd_name(s->cmd), s->desc ?: "");
		fprintf(out, "\tattr blob %u+%u\n", s->attr_off, s->attr_sz);
		dump_attr(s->cmd, attr, s->attr_sz, out);
	}
	for (uint32_t j = 0; j < s->nr_fix; j++)
		dump_fix(t, s, &s->fix[j], out);
	if (s->kind == STEP_SYS_BPF && s->cmd == BPF_PROG_LOAD &&
	    s->attr_sz >= offsetof(union bpf_attr, func_info_cnt) + sizeof(uint32_t) &&
	    s->attr_off <= t->blob_sz && s->attr_sz <= t->blob_sz - s->attr_off)
		dump_prog(t, s, out);
	if (s->kind == STEP_SYS_BPF && s->cmd == BPF_BTF_LOAD &&
	    s->attr_sz >= offsetof(union bpf_attr, btf_size) + sizeof(uint32_t) &&
	    s->attr_off <= t->blob_sz && s->attr_sz <= t->blob_sz - s->attr_off)
		dump_btf_kinds(t, s, out);
	if (s->fd_off >= 0)
		fprintf(out, "\tfd -> blob %lld\n", (long long)s->fd_off);
	if (s->id_off >= 0)
		fprintf(out, "\t%s -> blob %lld\n", s->kind == STEP_KSYM_ADDR ? "addr" : "id",
			(long long)s->id_off);
	if (s->weak)
		fprintf(out, "\tweak: not found stores 0\n");
	if (s->cond_ctx_off >= 0)
		fprintf(out, "\tonly if ctx %lld %s 0\n", (long long)s->cond_ctx_off,
			s->cond_zero ? "==" : "!=");
}

void trace__dump(const struct trace *t, FILE *out)
{
	fprintf(out, "trace: blob %u bytes, ctx %u bytes, %u steps, %u outputs\n",
		t->blob_sz, t->ctx_sz, t->nr_steps, t->nr_outputs);
	for (uint32_t i = 0; i < t->nr_inputs; i++)
		fprintf(out, "input: ctx %u -> fd blob %u if non-zero\n", t->inputs[i].ctx_off,
			t->inputs[i].fd_off);
	for (uint32_t i = 0; i < t->nr_steps; i++)
		dump_step(t, i, out);
	for (uint32_t i = 0; i < t->nr_outputs; i++)
		fprintf(out, "output: fd blob %u -> ctx %u\n", t->outputs[i].fd_off,
			t->outputs[i].ctx_off);
}
