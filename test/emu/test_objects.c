// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulator on real objects: every object given on the command line goes through
 * the whole front end (open, collect, relocate, trace) and the back end, and the
 * generated loader must then make exactly the trace's calls, in order and with the
 * same attr bytes, as the plain-C model does: with every program turned on, with
 * the context the skeleton's open() would set up, and with each fallible call made
 * to fail in turn (the loader must stop there and close exactly what it created).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compiler.h"
#include "include/lskel_abi.h"
#include "emu.h"
#include "emu_obj.h"

static int failures;

static void check(const char *obj, const char *what, const struct trace *t,
		  const struct loader *l, const struct emu_script *s)
{
	char msg[512];

	if (emu__check(t, l, s, msg, sizeof(msg))) {
		printf("FAIL %s: %s: %s\n", obj, what, msg);
		failures++;
	}
}

/* The context open() prepares: autoload as the object says, or every program on. */
static uint8_t *make_ctx(const struct bobj *o, bool all_on)
{
	uint8_t *ctx = calloc(1, o->ctx_sz);

	if (!ctx)
		return NULL;
	((struct lskel_loader_ctx *)ctx)->sz = o->ctx_sz;
	for (size_t i = 0; i < o->nr_progs; i++) {
		struct lskel_prog_desc *p = (void *)(ctx + o->progs[i].ctx_off);

		p->autoload = all_on || o->progs[i].autoload;
	}
	for (size_t i = 0; i < o->nr_maps; i++) {
		struct lskel_map_desc *m = (void *)(ctx + o->maps[i].ctx_off);

		if (o->maps[i].kind == BMAP_USER && !o->maps[i].max_entries)
			m->max_entries = 1;	/* the user must size these */
	}
	return ctx;
}

/* Runs once to count the fallible calls, then fails each of them in turn. */
static void check_failures(const char *obj, const struct trace *t, const struct loader *l,
			   struct emu_script *s)
{
	struct emu_result r = {};
	char what[64];
	uint32_t n;

	emu__model(t, s, &r);
	n = r.nr_calls;
	emu_result__free(&r);
	for (uint32_t i = 1; i <= n; i++) {
		s->fail_at = i;
		snprintf(what, sizeof(what), "failing call %u of %u", i, n);
		check(obj, what, t, l, s);
	}
	s->fail_at = 0;
}

static void check_object(const char *path)
{
	struct emu_script s = {};
	int before = failures;
	struct emu_obj x;
	uint8_t *ctx;

	if (emu_obj__build(&x, path)) {
		failures++;
		goto out;
	}
	for (int all_on = 0; all_on < 2; all_on++) {
		ctx = make_ctx(&x.o, all_on);
		s.ctx = ctx;
		check(path, all_on ? "all programs on" : "as opened", &x.t, &x.l, &s);
		check_failures(path, &x.t, &x.l, &s);
		free(ctx);
	}
	printf("%s %s: %u steps, %u loader insns\n", failures > before ? "FAIL" : "ok", path,
	       x.t.nr_steps, x.l.nr_insns);
out:
	emu_obj__free(&x);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		check_object(argv[i]);
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
