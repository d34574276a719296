// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Externs in the emulator: the look-up steps (STEP_BTF_FIND of kfuncs and typed
 * ksyms, STEP_KSYM_ADDR of typeless ksyms), weak look-ups that find nothing, and the
 * FIX_BLOB_U32_IF patches of the program loads, on the project's extern objects
 * through the real front end. Each case runs the loader against the fake kernel and
 * compares it with the reference model (emu__check), then reads the instructions
 * the loader handed to BPF_PROG_LOAD and checks every extern use in its resolved
 * form: a kfunc call with the BTF id and, for a module, the index of the module's
 * BTF fd in fd_array; a typed ksym with BPF_PSEUDO_BTF_ID, the id and BTF fd; a
 * typeless one with the address; and the "not found" form (a poisoned call,
 * ld_imm64 of 0) for weak externs the kernel lacks. A strong extern the kernel lacks
 * must stop the load at its look-up step with -ENOENT.
 *
 * For .kconfig, nothing of the generating machine may reach the blob: the map's
 * image is all zeroes there and the loader copies the runtime's image over it
 * (FIX_USER_DATA from skel->maps.kconfig.initial_value) before the map update.
 *
 * Usage: test-emu-externs KSYMS.bpf.o KFUNCS.bpf.o KSYMS_PERCPU.bpf.o KCONFIG.bpf.o
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compiler.h"
#include "include/lskel_abi.h"
#include "emu.h"
#include "emu_obj.h"

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

/* The object with a context that turns every program on. */
static int obj_open(struct emu_obj *x, const char *path)
{
	int err = emu_obj__build(x, path);

	if (err)
		return err;
	x->ctx = calloc(1, x->o.ctx_sz);
	if (!x->ctx)
		return -ENOMEM;
	((struct lskel_loader_ctx *)x->ctx)->sz = x->o.ctx_sz;
	for (size_t i = 0; i < x->o.nr_progs; i++)
		((struct lskel_prog_desc *)(x->ctx + x->o.progs[i].ctx_off))->autoload = 1;
	return 0;
}

static bool is_missing(const char *const *missing, const char *name)
{
	for (; missing && *missing; missing++)
		if (!strcmp(*missing, name))
			return true;
	return false;
}

/* The BPF_PROG_LOAD call of program p, or NULL. */
static const struct emu_call *prog_load(const struct emu_result *r, const char *name)
{
	for (uint32_t i = 0; i < r->nr_calls; i++) {
		const struct emu_call *c = &r->calls[i];
		const union bpf_attr *a = (const void *)c->data;

		if (c->helper == BPF_FUNC_sys_bpf && c->cmd == BPF_PROG_LOAD &&
		    !strncmp(a->prog_name, name, sizeof(a->prog_name) - 1))
			return c;
	}
	return NULL;
}

/* What the fake kernel answered the look-up of e: id or address, and fd. */
static void lookup_result(const struct emu_result *r, const struct bextern *e, uint64_t *res,
			  int32_t *fd)
{
	uint32_t id = 0;

	*res = 0;
	*fd = 0;
	if (e->kind == BEXT_KSYM_ADDR) {
		memcpy(res, r->blob + e->res_off, 8);
		return;
	}
	memcpy(&id, r->blob + e->res_off, 4);
	memcpy(fd, r->blob + e->fd_off, 4);
	*res = id;
}

/* One use of e in the instructions the kernel got. */
static void check_use(const struct emu_obj *x, const struct emu_result *r, const union bpf_attr *a,
		      const struct bextern *e, const struct bext_use *u, bool missing)
{
	const struct bpf_insn *in = (const struct bpf_insn *)(r->blob + (a->insns - EMU_BLOB_BASE)) +
				    u->insn;
	const char *where = x->o.progs[u->prog].name;
	uint64_t res;
	int32_t fd, slot = 0;

	lookup_result(r, e, &res, &fd);
	check(missing == !res, "%s: '%s': look-up result %llu, yet %s", where, e->name,
	      (unsigned long long)res, missing ? "missing" : "present");
	if (u->call && missing) {
		check(in->code == (BPF_JMP | BPF_CALL) && !in->src_reg && in->imm >= 2002000000,
		      "%s: insn %u: call of missing '%s' not poisoned", where, u->insn, e->name);
	} else if (u->call) {
		if (in->off > 0)
			memcpy(&slot, r->blob + (a->fd_array - EMU_BLOB_BASE) + in->off * 4, 4);
		check(in->src_reg == BPF_PSEUDO_KFUNC_CALL && in->imm == (int32_t)res &&
		      (fd ? in->off == (int16_t)e->fd_array_idx && slot == fd : !in->off),
		      "%s: insn %u: kfunc '%s': src %u imm %d off %d (id %llu, fd %d)", where,
		      u->insn, e->name, in->src_reg, in->imm, in->off, (unsigned long long)res, fd);
	} else if (e->kind == BEXT_KSYM_ADDR || missing) {
		check(!in->src_reg && (uint32_t)in[0].imm == (uint32_t)res &&
		      (uint32_t)in[1].imm == (uint32_t)(res >> 32),
		      "%s: insn %u: ld_imm64 of '%s' is not its address 0x%llx", where, u->insn,
		      e->name, (unsigned long long)res);
	} else {
		check(in->src_reg == BPF_PSEUDO_BTF_ID && in[0].imm == (int32_t)res && in[1].imm == fd,
		      "%s: insn %u: ld_imm64 of '%s': src %u imm %d/%d (id %llu, fd %d)", where,
		      u->insn, e->name, in->src_reg, in[0].imm, in[1].imm, (unsigned long long)res, fd);
	}
}

/* Runs x with these symbols missing; the load must succeed and every use be right. */
static void check_resolved(struct emu_obj *x, const char *const *missing, bool module)
{
	struct emu_script s = { .ctx = x->ctx, .missing = missing, .btf_module = module };
	struct emu_result r = {};
	char msg[512];

	if (emu__check(&x->t, &x->l, &s, msg, sizeof(msg))) {
		check(false, "%s: loader vs model: %s", x->path, msg);
		return;
	}
	emu__run(&x->t, &x->l, &s, &r);
	check(r.ret == 0, "%s: load returned %lld: %s", x->path, (long long)r.ret, r.kmsg);
	for (size_t i = 0; r.ret == 0 && i < x->o.nr_externs; i++) {
		const struct bextern *e = &x->o.externs[i];

		for (uint32_t j = 0; j < e->nr_uses; j++) {
			const struct emu_call *c = prog_load(&r, x->o.progs[e->uses[j].prog].name);

			check(c, "%s: no load of prog '%s'", x->path, x->o.progs[e->uses[j].prog].name);
			if (c)
				check_use(x, &r, (const void *)c->data, e, &e->uses[j],
					  is_missing(missing, e->name));
		}
	}
	emu_result__free(&r);
}

/* A strong extern the kernel lacks: the load stops at its look-up, naming it. */
static void check_strong_missing(struct emu_obj *x, const char *name)
{
	const char *const missing[] = { name, NULL };
	struct emu_script s = { .ctx = x->ctx, .missing = missing };
	struct emu_result r = {};
	uint32_t step;
	char msg[512];

	check(!emu__check(&x->t, &x->l, &s, msg, sizeof(msg)), "%s: without %s: %s", x->path,
	      name, msg);
	emu__run(&x->t, &x->l, &s, &r);
	memcpy(&step, r.ctx + offsetof(struct lskel_loader_ctx, failed_step), 4);
	check(r.ret == -ENOENT && step > 0 && step <= x->t.nr_steps &&
	      strstr(x->t.steps[step - 1].desc, name),
	      "%s: without %s: returned %lld at step %u (%s)", x->path, name, (long long)r.ret,
	      step, step && step <= x->t.nr_steps ? x->t.steps[step - 1].desc : "-");
	emu_result__free(&r);
}

/* Every fallible call made to fail in turn, with the weak symbols missing. */
static void check_failures(struct emu_obj *x, const char *const *missing)
{
	struct emu_script s = { .ctx = x->ctx, .missing = missing };
	struct emu_result r = {};
	char msg[512];
	uint32_t n;

	emu__model(&x->t, &s, &r);
	n = r.nr_calls;
	emu_result__free(&r);
	for (s.fail_at = 1; s.fail_at <= n; s.fail_at++)
		check(!emu__check(&x->t, &x->l, &s, msg, sizeof(msg)), "%s: failing call %u: %s",
		      x->path, s.fail_at, msg);
}

static void check_object(const char *path, const char *const *weak, const char *strong)
{
	struct emu_obj x;

	if (obj_open(&x, path)) {
		check(false, "%s: cannot compile", path);
		emu_obj__free(&x);
		return;
	}
	check(x.o.nr_externs > 0, "%s: no externs found", path);
	check_resolved(&x, NULL, false);
	check_resolved(&x, weak, false);
	check_resolved(&x, weak, true);
	check_strong_missing(&x, strong);
	check_failures(&x, weak);
	printf("%s: %zu externs, %u steps, %u loader insns\n", path, x.o.nr_externs, x.t.nr_steps,
	       x.l.nr_insns);
	emu_obj__free(&x);
}

/* A hand-built trace: weak and strong typeless look-ups, and a conditional patch. */
static void check_synthetic(void)
{
	const char *const missing[] = { "gone", NULL };
	struct emu_script s = { .missing = missing };
	struct emu_result r = {};
	struct trace t;
	struct loader l = {};
	struct trace_step *st;
	uint32_t a, b, dst, one = 1, seven = 7, zero = 0;
	uint64_t addr;
	char msg[512];

	trace__init(&t);
	t.ctx_sz = sizeof(struct lskel_loader_ctx);
	dst = trace__blob_add(&t, &zero, 4, 4);
	trace__blob_add(&t, &seven, 4, 4);
	trace__blob_add(&t, &one, 4, 4);
	st = trace__ksym_addr(&t, "here", "ksym 'here'");
	a = st ? st->id_off : 0;
	st = trace__ksym_addr(&t, "gone", "ksym 'gone'");
	if (st)
		st->weak = true;
	b = st ? st->id_off : 0;
	trace__fix_if(&t, st, dst, dst + 4, b);		/* not done: 'gone' is 0 */
	st = trace__ksym_addr(&t, "later", "ksym 'later'");
	trace__fix_if(&t, st, dst, dst + 8, a);		/* done: 'here' was found */
	check(!t.err && !loader__gen(&t, &l), "synthetic trace: %s", l.errmsg);
	check(!emu__check(&t, &l, &s, msg, sizeof(msg)), "synthetic: %s", msg);
	emu__run(&t, &l, &s, &r);
	check(r.ret == 0, "synthetic: returned %lld", (long long)r.ret);
	memcpy(&addr, r.blob + a, 8);
	check(addr == EMU_KSYM_BASE + 0x100, "synthetic: 'here' at 0x%llx", (unsigned long long)addr);
	memcpy(&addr, r.blob + b, 8);
	check(addr == 0, "synthetic: weak 'gone' at 0x%llx", (unsigned long long)addr);
	memcpy(&one, r.blob + dst, 4);
	check(one == 1, "synthetic: conditional patches gave %u, not 1", one);
	emu_result__free(&r);

	/* the same with 'here' missing: strong, so the first step fails with -ENOENT */
	s.missing = (const char *const[]){ "here", "gone", NULL };
	check(!emu__check(&t, &l, &s, msg, sizeof(msg)), "synthetic, 'here' missing: %s", msg);
	emu__run(&t, &l, &s, &r);
	check(r.ret == -ENOENT, "synthetic, 'here' missing: returned %lld", (long long)r.ret);
	emu_result__free(&r);
	loader__free(&l);
	trace__free(&t);
}

/* The .kconfig map's blob image: zero, replaced whole by the runtime's at load. */
static void check_kconfig_image(const char *path)
{
	const struct trace_step *s;
	const struct bmap *m = NULL;
	struct emu_obj x;
	bool copied = false;

	if (obj_open(&x, path)) {
		check(false, "%s: cannot compile", path);
		emu_obj__free(&x);
		return;
	}
	for (size_t i = 0; i < x.o.nr_maps; i++)
		if (x.o.maps[i].kind == BMAP_KCONFIG)
			m = &x.o.maps[i];
	check(m && (m->map_flags & BPF_F_RDONLY_PROG), "%s: no read-only .kconfig map", path);
	for (uint32_t i = 0; m && i < x.t.nr_steps; i++) {
		s = &x.t.steps[i];
		for (uint32_t j = 0; s->kind == STEP_SYS_BPF && s->cmd == BPF_MAP_UPDATE_ELEM &&
				     j < s->nr_fix; j++) {
			const struct trace_fix *f = &s->fix[j];

			if (f->kind != FIX_USER_DATA || f->src != m->ctx_off +
			    offsetof(struct lskel_map_desc, initial_value))
				continue;
			copied = f->len == m->value_size;
			for (uint32_t k = 0; k < f->len; k++)
				check(!x.t.blob[f->off + k], "%s: .kconfig image byte %u is %u in the blob",
				      path, k, x.t.blob[f->off + k]);
		}
	}
	check(copied, "%s: the .kconfig map's value is not the runtime's image", path);
	emu_obj__free(&x);
}

int main(int argc, char **argv)
{
	static const char *const ksyms_weak[] = {
		"lskel_no_such_func", "lskel_no_such_var", "bpf_prog_inc", NULL,
	};
	static const char *const kfuncs_weak[] = {
		"lskel_no_such_kfunc", "bpf_task_acquire", NULL,
	};

	if (argc != 5) {
		fprintf(stderr, "usage: %s KSYMS.bpf.o KFUNCS.bpf.o KSYMS_PERCPU.bpf.o KCONFIG.bpf.o\n",
			argv[0]);
		return 2;
	}
	check_synthetic();
	check_object(argv[1], ksyms_weak, "bpf_prog_put");
	check_object(argv[2], kfuncs_weak, "bpf_task_from_pid");
	check_object(argv[3], NULL, "runqueues");
	check_kconfig_image(argv[4]);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
