// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The loader against the emulator, on a synthetic trace shaped like a small object:
 * BTF load, a global-data map created, filled from the user's initial value and
 * frozen, a hash map, a kfunc look-up, and two programs that may be turned off.
 *
 * Each row of the table is one run: how the context is set (autoload bits, kernel
 * flag, initial value, max_entries override), which helper call fails, and what must
 * come out: the helper calls in order, the closed fds, the fds in the context, the
 * return value and failed_step. Every run is also compared with the reference model
 * (emu__check). The same table runs twice, the second time with the whole object
 * placed past 64 KiB of blob so every blob offset needs a computed address. Then
 * failure is injected at every fallible call, and a few broken loaders make sure the
 * comparison can fail at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "emu.h"
#include "lskel_abi.h"

struct skel {
	struct lskel_loader_ctx ctx;
	struct lskel_map_desc maps[2];
	struct lskel_prog_desc progs[2];
};

#define CTX_OFF(f) ((uint32_t)offsetof(struct skel, f))
#define ATTR_OFF(f) ((uint32_t)offsetof(union bpf_attr, f))

/* Where things are in the synthetic object's blob. */
struct obj {
	struct trace t;
	struct loader l;
	uint32_t btf_img, data_img, key, insns, license;	/* blob offsets */
	uint32_t btf_fd, data_fd, counts_fd, p1_fd, p2_fd;	/* fd slots */
	uint32_t find_id, find_fd;
	uint32_t step_update, step_p1;				/* attr offsets */
};

static int failures, checks;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint32_t fill(struct trace *t, uint32_t len, uint8_t seed)
{
	uint32_t off = trace__blob_add(t, NULL, len, 8);

	for (uint32_t i = 0; i < len && !t->err; i++)
		t->blob[off + i] = seed + i * 7;
	return off;
}

static void add_btf(struct obj *o)
{
	union bpf_attr a = { .btf_size = 64 };
	struct trace_step *s;

	o->btf_img = fill(&o->t, 64, 0x10);
	o->btf_fd = trace__fd_slot(&o->t);
	s = trace__step(&o->t, BPF_BTF_LOAD, &a, ATTR_OFF(btf_log_level) + 4, "btf");
	trace__fix(&o->t, s, FIX_BLOB_ADDR, s->attr_off + ATTR_OFF(btf), o->btf_img, 0);
	s->fd_off = o->btf_fd;
}

static void add_data_map(struct obj *o)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
			     .max_entries = 1, .btf_value_type_id = 5, .map_name = "data" };
	struct trace_step *s;
	uint32_t sz = ATTR_OFF(map_extra) + 8;

	o->data_fd = trace__fd_slot(&o->t);
	s = trace__step(&o->t, BPF_MAP_CREATE, &a, sz, "map '%s'", "data");
	trace__fix(&o->t, s, FIX_BLOB_U32, s->attr_off + ATTR_OFF(btf_fd), o->btf_fd, 0);
	trace__fix(&o->t, s, FIX_CTX_U32, s->attr_off + ATTR_OFF(max_entries),
		   CTX_OFF(maps[0].max_entries), 0);
	s->fd_off = o->data_fd;
	trace__output(&o->t, o->data_fd, CTX_OFF(maps[0].map_fd));
}

static void add_data_init(struct obj *o)
{
	union bpf_attr a = {};
	struct trace_step *s;

	o->key = trace__blob_add(&o->t, NULL, 4, 4);
	o->data_img = fill(&o->t, 16, 0x40);
	s = trace__step(&o->t, BPF_MAP_UPDATE_ELEM, &a, ATTR_OFF(flags) + 8, "map 'data': init");
	trace__fix(&o->t, s, FIX_BLOB_U32, s->attr_off + ATTR_OFF(map_fd), o->data_fd, 0);
	trace__fix(&o->t, s, FIX_BLOB_ADDR, s->attr_off + ATTR_OFF(key), o->key, 0);
	trace__fix(&o->t, s, FIX_BLOB_ADDR, s->attr_off + ATTR_OFF(value), o->data_img, 0);
	trace__fix(&o->t, s, FIX_USER_DATA, o->data_img, CTX_OFF(maps[0].initial_value), 16);
	o->step_update = s ? s->attr_off : 0;
	s = trace__step(&o->t, BPF_MAP_FREEZE, &a, ATTR_OFF(map_fd) + 4, "map 'data': freeze");
	trace__fix(&o->t, s, FIX_BLOB_U32, s->attr_off + ATTR_OFF(map_fd), o->data_fd, 0);
}

static void add_counts_map(struct obj *o)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
			     .max_entries = 64, .map_name = "counts" };
	struct trace_step *s;

	o->counts_fd = trace__fd_slot(&o->t);
	s = trace__step(&o->t, BPF_MAP_CREATE, &a, ATTR_OFF(map_extra) + 8, "map 'counts'");
	trace__fix(&o->t, s, FIX_CTX_U32, s->attr_off + ATTR_OFF(max_entries),
		   CTX_OFF(maps[1].max_entries), 0);
	s->fd_off = o->counts_fd;
	trace__output(&o->t, o->counts_fd, CTX_OFF(maps[1].map_fd));
}

static void add_find(struct obj *o)
{
	struct trace_step *s = trace__btf_find(&o->t, "bpf_foo", 12, "kfunc 'bpf_foo'");

	if (!s)
		return;
	o->find_id = s->id_off;
	o->find_fd = s->fd_off;
}

/* insns: r1 = map 'counts' (ld_imm64), r0 = 0, exit */
static uint32_t add_insns(struct obj *o)
{
	struct bpf_insn insns[4] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD,
		  .imm = -1 },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return trace__blob_add(&o->t, insns, sizeof(insns), 8);
}

static void add_prog(struct obj *o, int which)
{
	union bpf_attr a = { .prog_type = BPF_PROG_TYPE_XDP, .insn_cnt = 4 };
	uint32_t *slot = which ? &o->p2_fd : &o->p1_fd;
	struct trace_step *s;

	strcpy(a.prog_name, which ? "p2" : "p1");
	*slot = trace__fd_slot(&o->t);
	s = trace__step(&o->t, BPF_PROG_LOAD, &a, ATTR_OFF(core_relo_rec_size) + 4, "prog '%s'",
			a.prog_name);
	if (!s)
		return;
	trace__fix(&o->t, s, FIX_BLOB_ADDR, s->attr_off + ATTR_OFF(insns), o->insns, 0);
	trace__fix(&o->t, s, FIX_BLOB_ADDR, s->attr_off + ATTR_OFF(license), o->license, 0);
	trace__fix(&o->t, s, FIX_BLOB_U32, o->insns + 4, o->counts_fd, 0);
	trace__fix(&o->t, s, FIX_BLOB_U32, s->attr_off + ATTR_OFF(prog_btf_fd), o->btf_fd, 0);
	trace__fix(&o->t, s, FIX_BLOB_U32, s->attr_off + ATTR_OFF(attach_btf_id), o->find_id, 0);
	trace__fix(&o->t, s, FIX_CTX_U32, s->attr_off + ATTR_OFF(log_level),
		   CTX_OFF(ctx.log_level), 0);
	trace__fix(&o->t, s, FIX_CTX_U32, s->attr_off + ATTR_OFF(log_size),
		   CTX_OFF(ctx.log_size), 0);
	trace__fix(&o->t, s, FIX_CTX_U64, s->attr_off + ATTR_OFF(log_buf), CTX_OFF(ctx.log_buf), 0);
	s->fd_off = *slot;
	s->cond_ctx_off = CTX_OFF(progs[which].autoload);
	trace__output(&o->t, *slot, CTX_OFF(progs[which].prog_fd));
	if (!which)
		o->step_p1 = s->attr_off;
}

/* The synthetic object; pad puts that many bytes in front of everything. */
static int obj_build(struct obj *o, uint32_t pad)
{
	memset(o, 0, sizeof(*o));
	trace__init(&o->t);
	o->t.ctx_sz = sizeof(struct skel);
	if (pad)
		trace__blob_add(&o->t, NULL, pad, 8);
	add_btf(o);
	add_data_map(o);
	add_data_init(o);
	add_counts_map(o);
	add_find(o);
	o->insns = add_insns(o);
	o->license = trace__blob_add_str(&o->t, "GPL");
	add_prog(o, 0);
	add_prog(o, 1);
	if (o->t.err)
		return o->t.err;
	return loader__gen(&o->t, &o->l);
}

static void obj_free(struct obj *o)
{
	loader__free(&o->l);
	trace__free(&o->t);
}

static const char *call_name(const struct emu_call *c)
{
	switch (c->helper) {
	case BPF_FUNC_sys_bpf: return trace__cmd_name(c->cmd);
	case BPF_FUNC_btf_find_by_name_kind: return "btf_find";
	case BPF_FUNC_copy_from_user: return "copy_from_user";
	case BPF_FUNC_probe_read_kernel: return "probe_read_kernel";
	default: return "close";
	}
}

/* "BTF_LOAD MAP_CREATE ..." for every call but closes; "100 103" for closes */
static void summarize(const struct emu_result *r, char *calls, char *closed, size_t sz)
{
	size_t nc = 0, nd = 0;

	calls[0] = closed[0] = 0;
	for (uint32_t i = 0; i < r->nr_calls; i++) {
		const struct emu_call *c = &r->calls[i];

		if (c->helper == BPF_FUNC_sys_close)
			nd += snprintf(closed + nd, sz - nd, "%s%llu", nd ? " " : "",
				       (unsigned long long)c->arg);
		else
			nc += snprintf(calls + nc, sz - nc, "%s%s", nc ? " " : "", call_name(c));
	}
}

struct row {
	const char *name;
	uint32_t autoload;	/* bit i: progs[i].autoload */
	uint32_t flags;		/* ctx->flags */
	bool init;		/* maps[0].initial_value points to user data */
	uint32_t max_entries;	/* maps[0].max_entries override */
	bool module;		/* btf_find answers with a module BTF fd */
	uint32_t fail_at;
	int fail_err;
	/* expected */
	int ret;
	uint32_t failed_step;
	const char *calls;
	const char *closed;
	int fds[4];		/* maps[0], maps[1], progs[0], progs[1] in the ctx */
};

#define ALL "BTF_LOAD MAP_CREATE copy_from_user MAP_UPDATE_ELEM MAP_FREEZE MAP_CREATE " \
	    "btf_find PROG_LOAD PROG_LOAD"
#define NO_COPY "BTF_LOAD MAP_CREATE MAP_UPDATE_ELEM MAP_FREEZE MAP_CREATE btf_find"

/* columns: name, autoload, flags, init, max_entries, module, fail_at, fail_err,
 * then what must come out: ret, failed_step, calls, closed fds, ctx fds */
static const struct row rows[] = {
	{ "all", 3, 0, true, 0, false, 0, 0, 0, 0, ALL, "100", { 101, 102, 103, 104 } },
	{ "kernel flavour", 3, LSKEL_CTX_KERNEL, true, 0, false, 0, 0, 0, 0,
	  "BTF_LOAD MAP_CREATE probe_read_kernel MAP_UPDATE_ELEM MAP_FREEZE MAP_CREATE "
	  "btf_find PROG_LOAD PROG_LOAD", "100", { 101, 102, 103, 104 } },
	{ "no initial value", 3, 0, false, 0, false, 0, 0, 0, 0,
	  NO_COPY " PROG_LOAD PROG_LOAD", "100", { 101, 102, 103, 104 } },
	{ "kernel flag, no initial value", 3, LSKEL_CTX_KERNEL, false, 0, false, 0, 0, 0, 0,
	  NO_COPY " PROG_LOAD PROG_LOAD", "100", { 101, 102, 103, 104 } },
	{ "p2 off", 1, 0, false, 0, false, 0, 0, 0, 0, NO_COPY " PROG_LOAD", "100",
	  { 101, 102, 103, 0 } },
	{ "p1 off", 2, 0, false, 0, false, 0, 0, 0, 0, NO_COPY " PROG_LOAD", "100",
	  { 101, 102, 0, 103 } },
	{ "both off", 0, 0, false, 0, false, 0, 0, 0, 0, NO_COPY, "100", { 101, 102, 0, 0 } },
	{ "module btf", 3, 0, false, 0, true, 0, 0, 0, 0, NO_COPY " PROG_LOAD PROG_LOAD",
	  "100 103", { 101, 102, 104, 105 } },
	{ "max_entries override", 3, 0, false, 4096, false, 0, 0, 0, 0,
	  NO_COPY " PROG_LOAD PROG_LOAD", "100", { 101, 102, 103, 104 } },
	{ "btf load fails", 3, 0, true, 0, false, 1, 0, -EINVAL, 1, "BTF_LOAD", "", { 0 } },
	{ "user copy fails", 3, 0, true, 0, false, 3, -EFAULT, -EFAULT, 3,
	  "BTF_LOAD MAP_CREATE copy_from_user", "100 101", { 0 } },
	{ "kernel copy fails", 3, LSKEL_CTX_KERNEL, true, 0, false, 3, -EFAULT, -EFAULT, 3,
	  "BTF_LOAD MAP_CREATE probe_read_kernel", "100 101", { 0 } },
	{ "btf_find fails", 3, 0, false, 0, true, 6, -ESRCH, -ESRCH, 6, NO_COPY, "100 101 102",
	  { 0 } },
	{ "last load fails", 3, 0, true, 0, true, 9, -EPERM, -EPERM, 8, ALL,
	  "100 101 102 103 104", { 0 } },
	{ "p1 off, p2 fails", 2, 0, false, 0, false, 7, -E2BIG, -E2BIG, 8,
	  NO_COPY " PROG_LOAD", "100 101 102", { 0 } },
};

static void script_ctx(const struct row *w, struct skel *k, const uint8_t *init)
{
	memset(k, 0, sizeof(*k));
	k->ctx.sz = sizeof(*k);
	k->ctx.flags = w->flags;
	k->ctx.log_level = 1;
	k->ctx.log_size = 4096;
	k->ctx.log_buf = 0x7f0000001000ull;
	k->maps[0].max_entries = w->max_entries;
	k->maps[0].initial_value = w->init ? (uintptr_t)init : 0;
	k->progs[0].autoload = w->autoload & 1;
	k->progs[1].autoload = !!(w->autoload & 2);
}

static uint64_t attr_u64(const struct emu_call *c, uint32_t off)
{
	uint64_t v = 0;

	memcpy(&v, c->data + off, c->sz >= off + 8 ? 8 : 0);
	return v;
}

static uint32_t attr_u32(const struct emu_call *c, uint32_t off)
{
	uint32_t v = 0;

	memcpy(&v, c->data + off, c->sz >= off + 4 ? 4 : 0);
	return v;
}

static const struct emu_call *find_call(const struct emu_result *r, int cmd, uint32_t off)
{
	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_bpf && r->calls[i].cmd == cmd &&
		    r->calls[i].off == off)
			return &r->calls[i];
	return NULL;
}

/* Attr contents at call time, checked against the trace by hand, not by the model. */
static void check_attrs(const struct obj *o, const struct row *w, const struct emu_result *r,
			const uint8_t *init)
{
	const struct emu_call *up = find_call(r, BPF_MAP_UPDATE_ELEM, o->step_update);
	const struct emu_call *p1 = find_call(r, BPF_PROG_LOAD, o->step_p1);
	int32_t imm;

	if (up) {
		check(attr_u32(up, ATTR_OFF(map_fd)) == 101, "%s: update map_fd", w->name);
		check(attr_u64(up, ATTR_OFF(key)) == EMU_BLOB_BASE + o->key, "%s: key ptr", w->name);
		check(attr_u64(up, ATTR_OFF(value)) == EMU_BLOB_BASE + o->data_img,
		      "%s: value ptr", w->name);
		check(!memcmp(r->blob + o->data_img, w->init ? init : o->t.blob + o->data_img, 16),
		      "%s: initial value in the blob", w->name);
	}
	if (p1 && !w->fail_at) {
		check(attr_u64(p1, ATTR_OFF(insns)) == EMU_BLOB_BASE + o->insns, "%s: insns",
		      w->name);
		check(attr_u64(p1, ATTR_OFF(license)) == EMU_BLOB_BASE + o->license, "%s: license",
		      w->name);
		check(attr_u32(p1, ATTR_OFF(prog_btf_fd)) == 100, "%s: prog_btf_fd", w->name);
		check(attr_u32(p1, ATTR_OFF(attach_btf_id)) == EMU_FIRST_BTF_ID, "%s: btf id",
		      w->name);
		check(attr_u32(p1, ATTR_OFF(log_level)) == 1 &&
		      attr_u32(p1, ATTR_OFF(log_size)) == 4096 &&
		      attr_u64(p1, ATTR_OFF(log_buf)) == 0x7f0000001000ull, "%s: log", w->name);
		memcpy(&imm, r->blob + o->insns + 4, 4);
		check(imm == 102, "%s: ld_imm64 map fd is %d", w->name, imm);
	}
}

static void check_map_create(const struct obj *o, const struct row *w,
			     const struct emu_result *r)
{
	const struct emu_call *c = NULL;

	for (uint32_t i = 0; i < r->nr_calls && !c; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_bpf && r->calls[i].cmd == BPF_MAP_CREATE)
			c = &r->calls[i];
	if (!c)
		return;
	check(attr_u32(c, ATTR_OFF(btf_fd)) == 100, "%s: btf_fd", w->name);
	check(attr_u32(c, ATTR_OFF(max_entries)) == (w->max_entries ? w->max_entries : 1),
	      "%s: max_entries %u", w->name, attr_u32(c, ATTR_OFF(max_entries)));
	check(c->step == 2, "%s: map create is step %u", w->name, c->step);
	(void)o;
}

static void run_row(const struct obj *o, const struct row *w, uint32_t pad)
{
	static const uint8_t init[16] = "initial value!!";
	struct emu_script s = { .fail_at = w->fail_at, .fail_err = w->fail_err,
				.btf_module = w->module };
	char calls[512], closed[128], msg[256];
	struct emu_result r;
	struct skel k, *out;
	int err;

	script_ctx(w, &k, init);
	s.ctx = &k;
	err = emu__run(&o->t, &o->l, &s, &r);
	check(!err, "%s (pad %u): emulator: %s", w->name, pad, r.fault);
	summarize(&r, calls, closed, sizeof(calls));
	check(!strcmp(calls, w->calls), "%s (pad %u): calls\n  got  %s\n  want %s", w->name,
	      pad, calls, w->calls);
	check(!strcmp(closed, w->closed), "%s (pad %u): closed '%s', want '%s'", w->name, pad,
	      closed, w->closed);
	out = (struct skel *)r.ctx;
	check(r.ret == w->ret && out->ctx.failed_step == w->failed_step,
	      "%s (pad %u): ret %lld failed_step %u (kmsg: %s)", w->name, pad,
	      (long long)r.ret, out->ctx.failed_step, r.kmsg);
	check(out->maps[0].map_fd == w->fds[0] && out->maps[1].map_fd == w->fds[1] &&
	      out->progs[0].prog_fd == w->fds[2] && out->progs[1].prog_fd == w->fds[3],
	      "%s (pad %u): ctx fds %d %d %d %d", w->name, pad, out->maps[0].map_fd,
	      out->maps[1].map_fd, out->progs[0].prog_fd, out->progs[1].prog_fd);
	check_attrs(o, w, &r, init);
	check_map_create(o, w, &r);
	emu_result__free(&r);
	check(!emu__check(&o->t, &o->l, &s, msg, sizeof(msg)), "%s (pad %u): model: %s",
	      w->name, pad, msg);
}

/* fds a run created before failing: every fd a successful call returned */
static void created_fds(const struct emu_result *r, char *buf, size_t sz)
{
	size_t n = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < r->nr_calls; i++) {
		const struct emu_call *c = &r->calls[i];
		int64_t fd = c->helper == BPF_FUNC_btf_find_by_name_kind ? c->ret >> 32 : c->ret;

		if (c->ret > 0 && fd > 0 && c->helper != BPF_FUNC_sys_close)
			n += snprintf(buf + n, sz - n, "%s%lld", n ? " " : "", (long long)fd);
	}
}

static uint32_t nth_fallible_step(const struct emu_result *r, uint32_t n)
{
	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper != BPF_FUNC_sys_close && --n == 0)
			return r->calls[i].step;
	return 0;
}

static uint32_t nr_fallible(const struct emu_result *r)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->nr_calls; i++)
		n += r->calls[i].helper != BPF_FUNC_sys_close;
	return n;
}

static void check_failed_run(const struct row *base, uint32_t at, const struct emu_result *r,
			     const struct emu_script *s, uint32_t step)
{
	const struct skel *out = (const struct skel *)r->ctx;
	char created[256], closed[256], calls[512];

	created_fds(r, created, sizeof(created));
	summarize(r, calls, closed, sizeof(closed));
	check(r->ret == s->fail_err, "%s fail@%u: ret %lld", base->name, at, (long long)r->ret);
	check(out->ctx.failed_step == step, "%s fail@%u: failed_step %u, want %u", base->name,
	      at, out->ctx.failed_step, step);
	check(!strcmp(created, closed), "%s fail@%u: closed '%s', created '%s'", base->name, at,
	      closed, created);
	check(!out->maps[0].map_fd && !out->maps[1].map_fd && !out->progs[0].prog_fd &&
	      !out->progs[1].prog_fd, "%s fail@%u: fds handed out", base->name, at);
}

/* Fails each fallible call in turn, for one row's context, and once past the end. */
static void inject_all(const struct obj *o, const struct row *base)
{
	static const uint8_t init[16] = "another value";
	struct emu_script s = { .btf_module = base->module };
	struct emu_result ok, r;
	char msg[256];
	struct skel k;
	uint32_t n;

	script_ctx(base, &k, init);
	s.ctx = &k;
	check(!emu__run(&o->t, &o->l, &s, &ok), "%s: clean run: %s", base->name, ok.fault);
	n = nr_fallible(&ok);
	for (uint32_t at = 1; at <= n + 1; at++) {
		s.fail_at = at;
		s.fail_err = -(int)(at % 30) - 1;
		check(!emu__run(&o->t, &o->l, &s, &r), "%s fail@%u: %s", base->name, at, r.fault);
		if (at <= n)
			check_failed_run(base, at, &r, &s, nth_fallible_step(&ok, at));
		else
			check(r.ret == 0, "%s fail@%u (past the end): ret %lld", base->name, at,
			      (long long)r.ret);
		emu_result__free(&r);
		check(!emu__check(&o->t, &o->l, &s, msg, sizeof(msg)), "%s fail@%u: model: %s",
		      base->name, at, msg);
	}
	emu_result__free(&ok);
}

static void test_table(uint32_t pad)
{
	struct obj o;
	int err = obj_build(&o, pad);

	check(!err, "build (pad %u): %d %s", pad, err, o.l.errmsg);
	if (err)
		goto out;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&o, &rows[i], pad);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!rows[i].fail_at)
			inject_all(&o, &rows[i]);
out:
	obj_free(&o);
}

/* A loader built without one fix-up must not match the trace that has it. */
static void test_detects_missing_fix(void)
{
	static const struct row *w = &rows[0];
	static const uint8_t init[16] = "x";
	struct emu_script s = {};
	struct obj full, partial;
	char msg[256] = "";
	struct skel k;

	check(!obj_build(&full, 0) && !obj_build(&partial, 0), "build for mutation");
	script_ctx(w, &k, init);
	k.maps[0].max_entries = 7;	/* so the max_entries fix-ups show */
	k.maps[1].max_entries = 9;
	s.ctx = &k;
	for (uint32_t i = 0; i < partial.t.nr_steps; i++) {
		struct trace_step *st = &partial.t.steps[i];

		if (!st->nr_fix)
			continue;
		st->nr_fix--;
		loader__free(&partial.l);
		check(!loader__gen(&partial.t, &partial.l), "regen without a fix");
		check(emu__check(&full.t, &partial.l, &s, msg, sizeof(msg)) != 0,
		      "step %u: dropping its last fix-up went unnoticed", i + 1);
		st->nr_fix++;
	}
	obj_free(&full);
	obj_free(&partial);
}

/* A few hand-broken loaders: the emulator or the model comparison must object. */
static void test_detects_broken_insns(void)
{
	static const uint8_t init[16] = "x";
	struct emu_script s = {};
	struct emu_result r;
	char msg[256];
	struct skel k;
	struct obj o;
	uint32_t mutated = 0;

	check(!obj_build(&o, 0), "build for insn mutation");
	script_ctx(&rows[0], &k, init);
	s.ctx = &k;
	s.fail_at = 5;
	for (uint32_t i = 0; i < o.l.nr_insns; i++) {
		struct bpf_insn *in = &o.l.insns[i], save = *in;

		/* the step index a failure reports */
		if (in->code != (BPF_ALU64 | BPF_MOV | BPF_K) || in->dst_reg != BPF_REG_8)
			continue;
		in->imm += 1;
		if (save.imm == 4)	/* fail_at 5 is step 4's MAP_FREEZE */
			check(emu__check(&o.t, &o.l, &s, msg, sizeof(msg)) != 0,
			      "insn %u: wrong step index went unnoticed", i);
		*in = save;
		mutated++;
	}
	check(mutated == o.t.nr_steps, "%u step index insns for %u steps", mutated,
	      o.t.nr_steps);
	o.l.insns[0].src_reg = BPF_REG_2;	/* R6 = R2: uninitialised */
	check(emu__run(&o.t, &o.l, &s, &r) != 0 && strstr(r.fault, "R2 is not initialised"),
	      "uninit R2 went unnoticed: '%s'", r.fault);
	emu_result__free(&r);
	obj_free(&o);
}

static void expect_gen_error(struct trace *t, const char *what, const char *needle)
{
	struct loader l;
	int err = loader__gen(t, &l);

	check(err == -EINVAL && strstr(l.errmsg, needle), "%s: err %d msg '%s'", what, err,
	      l.errmsg);
	loader__free(&l);
}

static void test_gen_errors(void)
{
	union bpf_attr a = {};
	struct trace_step *s;
	struct trace t;

	trace__init(&t);
	t.ctx_sz = sizeof(struct skel);
	s = trace__step(&t, BPF_MAP_FREEZE, &a, 4, "freeze");
	s->cond_ctx_off = 40000;
	expect_gen_error(&t, "cond past s16", "out of reach");
	s->cond_ctx_off = sizeof(struct skel);
	expect_gen_error(&t, "cond past ctx_sz", "out of reach");
	s->cond_ctx_off = -1;
	trace__fix(&t, s, FIX_BLOB_U32, t.blob_sz, 0, 0);
	expect_gen_error(&t, "fix past the blob", "out of range");
	s->fix[0].off = 0;
	s->fix[0].kind = FIX_CTX_U64;
	s->fix[0].src = 33000;
	expect_gen_error(&t, "ctx source past s16", "out of range");
	s->nr_fix = 0;
	trace__output(&t, 0, 40000);
	expect_gen_error(&t, "output past s16", "output #0");
	t.nr_outputs = 0;
	t.ctx_sz = 8;
	expect_gen_error(&t, "ctx without failed_step", "failed_step");
	t.ctx_sz = 0;
	t.err = -ENOMEM;
	expect_gen_error(&t, "broken trace", "not built");
	trace__free(&t);
}

/* dump: stable text with the attrs decoded */
static void test_dump(void)
{
	static const char *const want[] = {
		"trace: blob ", "step 1: BTF_LOAD: btf\n", "\tbtf_size 64\n",
		"step 2: MAP_CREATE: map 'data'\n", "\tmap_type array (2)\n",
		"\tmap_name \"data\"\n", "\tbtf_value_type_id 5\n",
		"\tfix blob_u32 blob ", " (btf_fd) <- blob ", " (max_entries) <- ctx 36\n",
		"\tfix user_data blob ", " len 16 <- ctx 40\n", "step 6: BTF_FIND: kfunc 'bpf_foo'\n",
		"\tname blob ", "\"bpf_foo\" kind func (12)\n", "step 7: PROG_LOAD: prog 'p1'\n",
		"\tprog_type xdp (6)\n", "\tinsn_cnt 4\n", "\tprog_name \"p1\"\n",
		" (insns) <- blob ", " (log_buf) <- ctx 16\n", "\tonly if ctx 68 != 0\n",
		"output: fd blob ",
	};
	char *a = NULL, *b = NULL;
	size_t na, nb;
	struct obj o;
	FILE *f;

	check(!obj_build(&o, 0), "build for dump");
	f = open_memstream(&a, &na);
	trace__dump(&o.t, f);
	fclose(f);
	f = open_memstream(&b, &nb);
	trace__dump(&o.t, f);
	fclose(f);
	check(na == nb && !memcmp(a, b, na), "dump is not deterministic");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		check(strstr(a, want[i]) != NULL, "dump lacks '%s'", want[i]);
	if (getenv("DUMP"))
		fputs(a, stdout);
	free(a);
	free(b);
	obj_free(&o);
}

int main(void)
{
	test_table(0);
	test_table(70000);
	test_detects_missing_fix();
	test_detects_broken_insns();
	test_gen_errors();
	test_dump();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
