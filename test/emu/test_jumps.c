// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An exhaustive harness for the loader's labels and jump backpatching.
 *
 * Part one enumerates every trace of up to four steps drawn from a small alphabet
 * (plain command, command with an fd kept or handed out, BTF look-up, command with
 * ctx and user-data fix-ups) where each step is unconditional, conditional and run,
 * or conditional and skipped; each loader must pass the CFG check and match the
 * model with no failure and with each fallible call failing in turn. That covers the
 * nesting of skip labels, the shared error label and the output/close skips.
 *
 * Part two grows traces until their longest jump passes s16, in two shapes: one
 * conditional step with k fix-ups (the skip jump grows by two insns per fix-up) and
 * n plain steps (the first step's jump to the error block grows with n). Around the
 * limit every size is generated: below it the loader must work in the emulator and
 * its longest jump must be within one growth step of the limit; from the first size
 * past it, generation must fail with "loader too large: jump from insn A to B" where
 * B - A - 1 is just past s16.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "emu.h"
#include "lskel_abi.h"

#define S16_MAX 32767

struct skel {
	struct lskel_loader_ctx ctx;
	uint32_t cond[8];	/* on/off switches for conditional steps */
	uint32_t out[8];	/* fds handed out */
	uint64_t init;		/* user data pointer */
	uint32_t value;		/* a ctx value copied into attrs */
	uint32_t __pad;
};

#define CTX_OFF(f) ((uint32_t)offsetof(struct skel, f))

static int failures, checks;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	if (failures > 20)
		return;
	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

enum step_shape { SH_PLAIN, SH_FD, SH_OUTPUT, SH_FIND, SH_FIXES, NR_SHAPES };
enum step_cond { C_NONE, C_ON, C_OFF, NR_CONDS };

static void add_shape(struct trace *t, enum step_shape shape, uint32_t i)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
			     .max_entries = 1 };
	struct trace_step *s;
	uint32_t data;

	if (shape == SH_FIND) {
		trace__btf_find(t, "name", 12, "find %u", i);
		return;
	}
	data = trace__blob_add(t, NULL, 8, 8);
	s = trace__step(t, BPF_MAP_CREATE, &a, 32, "step %u", i);
	if (!s)
		return;
	if (shape != SH_PLAIN)
		s->fd_off = trace__fd_slot(t);
	if (shape == SH_OUTPUT)
		trace__output(t, s->fd_off, CTX_OFF(out[i]));
	if (shape == SH_FIXES) {
		trace__fix(t, s, FIX_CTX_U32, s->attr_off + 12, CTX_OFF(value), 0);
		trace__fix(t, s, FIX_USER_DATA, data, CTX_OFF(init), 8);
		trace__fix(t, s, FIX_BLOB_ADDR, s->attr_off + 24, data, 0);
	}
}

/* config: base-15 digits, one per step: shape * NR_CONDS + cond */
static void build_small(struct trace *t, struct skel *k, uint32_t n, uint32_t config)
{
	trace__init(t);
	t->ctx_sz = sizeof(*k);
	memset(k, 0, sizeof(*k));
	k->value = 77;
	for (uint32_t i = 0; i < n; i++, config /= NR_SHAPES * NR_CONDS) {
		uint32_t digit = config % (NR_SHAPES * NR_CONDS);
		uint32_t nr = t->nr_steps;

		add_shape(t, digit / NR_CONDS, i);
		if (digit % NR_CONDS != C_NONE && t->nr_steps > nr)
			t->steps[nr].cond_ctx_off = CTX_OFF(cond[i]);
		k->cond[i] = digit % NR_CONDS == C_ON;
	}
}

static uint32_t count_fallible(const struct emu_result *r)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->nr_calls; i++)
		n += r->calls[i].helper != BPF_FUNC_sys_close;
	return n;
}

/* One loader, every failure point, with and without user data. */
static void run_all_failures(const struct trace *t, const struct loader *l, struct skel *k,
			     const char *what)
{
	static const uint64_t user = 0x1122334455667788ull;
	struct emu_script s = { .ctx = k };
	struct emu_result r;
	char msg[256];
	uint32_t n;

	for (int with_init = 0; with_init < 2; with_init++) {
		k->init = with_init ? (uintptr_t)&user : 0;
		s.fail_at = 0;
		check(!emu__run(t, l, &s, &r), "%s: run: %s", what, r.fault);
		n = count_fallible(&r);
		emu_result__free(&r);
		for (uint32_t at = 0; at <= n; at++) {
			s.fail_at = at;
			check(!emu__check(t, l, &s, msg, sizeof(msg)), "%s fail@%u: %s", what, at,
			      msg);
		}
	}
}

static void test_small(void)
{
	uint32_t total = 0;

	for (uint32_t n = 0; n <= 4; n++) {
		uint32_t nr_configs = 1;

		for (uint32_t i = 0; i < n; i++)
			nr_configs *= NR_SHAPES * NR_CONDS;
		for (uint32_t c = 0; c < nr_configs; c++) {
			char what[64];
			struct loader l;
			struct trace t;
			struct skel k;

			build_small(&t, &k, n, c);
			snprintf(what, sizeof(what), "small n=%u config=%u", n, c);
			check(!loader__gen(&t, &l), "%s: gen: %s", what, l.errmsg);
			run_all_failures(&t, &l, &k, what);
			loader__free(&l);
			trace__free(&t);
			total++;
		}
	}
	printf("small: %u traces\n", total);
}

/* One conditional step with k blob_u32 fix-ups: its skip jump spans them all. */
static void build_deep(struct trace *t, uint32_t k, uint32_t pad)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
			     .max_entries = 1 };
	struct trace_step *s;
	uint32_t src;

	trace__init(t);
	t->ctx_sz = sizeof(struct skel);
	trace__blob_add(t, NULL, pad, 8);
	src = trace__blob_add(t, NULL, 4, 4);
	s = trace__step(t, BPF_MAP_CREATE, &a, 32, "deep");
	if (!s)
		return;
	s->cond_ctx_off = CTX_OFF(cond[0]);
	for (uint32_t i = 0; i < k; i++)	/* numa_node, harmless */
		trace__fix(t, s, FIX_BLOB_U32, s->attr_off + 24, src, 0);
}

/* n steps keeping an fd: the first one's jump to the error block spans them and the
 * success epilogue's closes. */
static void build_wide(struct trace *t, uint32_t n, uint32_t pad)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
			     .max_entries = 1 };

	trace__init(t);
	t->ctx_sz = sizeof(struct skel);
	trace__blob_add(t, NULL, pad, 8);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t fd = trace__fd_slot(t);
		struct trace_step *s = trace__step(t, BPF_MAP_CREATE, &a, 20, "wide %u", i);

		if (s)
			s->fd_off = fd;
	}
}

typedef void (*build_fn)(struct trace *t, uint32_t size, uint32_t pad);

/* Checks a working loader near the limit, failing the first and last call. */
static void check_near_limit(const struct trace *t, const struct loader *l, const char *what)
{
	struct emu_script s = {};
	struct skel k = { .cond = { 1 } };
	char msg[256];
	struct emu_result r;
	uint32_t n;

	s.ctx = &k;
	check(!emu__check_cfg(l, msg, sizeof(msg)), "%s: cfg: %s", what, msg);
	check(!emu__run(t, l, &s, &r), "%s: run: %s", what, r.fault);
	n = count_fallible(&r);
	emu_result__free(&r);
	for (uint32_t i = 0; i < 3; i++) {
		s.fail_at = i < 2 ? i : n;	/* none, the first call, the last call */
		check(!emu__check(t, l, &s, msg, sizeof(msg)), "%s fail@%u: %s", what,
		      s.fail_at, msg);
	}
	k.cond[0] = 0;
	s.fail_at = 0;
	check(!emu__check(t, l, &s, msg, sizeof(msg)), "%s cond off: %s", what, msg);
}

/* Generation must fail exactly because one jump is just past s16. */
static void check_too_large(int err, const struct loader *l, bool first, uint32_t growth,
			    const char *what)
{
	unsigned int from = 0, to = 0;
	int n = sscanf(l->errmsg, "loader too large: jump from insn %u to %u", &from, &to);
	long dist = (long)to - from - 1;

	check(err == -E2BIG && n == 2, "%s: err %d '%s'", what, err, l->errmsg);
	check(dist > S16_MAX && (!first || dist <= S16_MAX + (long)growth),
	      "%s: failing jump spans %ld insns", what, dist);
}

struct scan {
	uint32_t last_ok, first_bad;
	uint32_t growth;	/* insns added per size step */
	uint32_t last_ok_max_jump;
};

/* Finds the first size that fails by bisection, then scans every size around it. */
static uint32_t find_limit(build_fn build, uint32_t pad, uint32_t hi)
{
	uint32_t lo = 1;

	while (lo + 1 < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct loader l;
		struct trace t;

		build(&t, mid, pad);
		if (loader__gen(&t, &l))
			hi = mid;
		else
			lo = mid;
		loader__free(&l);
		trace__free(&t);
	}
	return hi;
}

static void scan_size(build_fn build, uint32_t size, uint32_t pad, struct scan *sc,
		      const char *name)
{
	uint32_t prev_insns = 0;
	struct loader l;
	struct trace t;
	char what[96];
	int err;

	snprintf(what, sizeof(what), "%s size %u pad %u", name, size, pad);
	build(&t, size, pad);
	err = loader__gen(&t, &l);
	if (!err) {
		check(emu__max_jump(&l) <= S16_MAX, "%s: jump past s16 slipped through", what);
		check(!sc->first_bad, "%s: works after size %u failed", what, sc->first_bad);
		sc->last_ok = size;
		sc->last_ok_max_jump = emu__max_jump(&l);
		prev_insns = l.nr_insns;
		check_near_limit(&t, &l, what);
		trace__free(&t);
		loader__free(&l);
		build(&t, size - 1, pad);	/* growth per size step */
		check(!loader__gen(&t, &l), "%s: smaller one fails", what);
		sc->growth = prev_insns - l.nr_insns;
	} else {
		check_too_large(err, &l, !sc->first_bad, sc->growth, what);
		if (!sc->first_bad)
			sc->first_bad = size;
	}
	loader__free(&l);
	trace__free(&t);
}

static void test_limit(build_fn build, const char *name, uint32_t pad, uint32_t hi)
{
	uint32_t limit = find_limit(build, pad, hi);
	struct scan sc = {};

	check(limit > 2 && limit < hi, "%s pad %u: no limit found below %u", name, pad, hi);
	for (uint32_t size = limit - 6; size < limit + 6; size++)
		scan_size(build, size, pad, &sc, name);
	check(sc.first_bad == limit && sc.last_ok == limit - 1,
	      "%s pad %u: last ok %u, first bad %u, limit %u", name, pad, sc.last_ok,
	      sc.first_bad, limit);
	check(sc.last_ok_max_jump + sc.growth > S16_MAX,
	      "%s pad %u: failed early: longest jump %u, growth %u", name, pad,
	      sc.last_ok_max_jump, sc.growth);
	printf("%s pad %u: %u works (longest jump %u), %u is too large\n", name, pad,
	       sc.last_ok, sc.last_ok_max_jump, sc.first_bad);
}

int main(void)
{
	test_small();
	test_limit(build_deep, "deep", 0, 40000);
	test_limit(build_deep, "deep", 40000, 40000);
	test_limit(build_wide, "wide", 0, 40000);
	test_limit(build_wide, "wide", 40000, 40000);
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
