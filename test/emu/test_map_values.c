// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulator on map-in-map, prog-array and pinned-map objects, where the trace
 * uses inputs (fds the runtime hands in) and "only if zero" conditions:
 * `test-emu-map-values map_in_map.bpf.o pinning.bpf.o`.
 *
 * map_in_map: the inner templates are created before their outer maps, used as
 * inner_map_fd and closed at the end; every .values entry is set once, the
 * optional program's only when it is turned on.
 *
 * pinning: with every pinned map handed in (map_fd set in the context, as the
 * runtime does after finding a compatible pin), none of them is created, nor the
 * template of the pinned map-in-map, whose entry is not set; the prog array's entry
 * is set on the handed-in fd; the fds come back unchanged in the context and the
 * loader never closes them, whichever call fails. Handing in only some of them
 * creates the others. The loader must match the model call for call each time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "compiler/compiler.h"
#include "include/lskel_abi.h"
#include "emu.h"
#include "emu_obj.h"

#define INPUT_FD_BASE 50	/* below EMU_FIRST_FD: fds the fake kernel never hands out */

static int failures;

#define EXPECT(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static const struct bmap *map_named(const struct bobj *o, const char *name)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (!strcmp(o->maps[i].name, name))
			return &o->maps[i];
	return NULL;
}

static struct lskel_map_desc *desc_of(uint8_t *ctx, const struct bmap *m)
{
	return (struct lskel_map_desc *)(ctx + m->ctx_off);
}

/* A context with the given programs on and pinned maps handed in as fds. */
static uint8_t *make_ctx(const struct bobj *o, bool all_on, bool hand_in_all)
{
	uint8_t *ctx = calloc(1, o->ctx_sz);
	int nr_pinned = 0;

	if (!ctx)
		abort();
	((struct lskel_loader_ctx *)ctx)->sz = o->ctx_sz;
	for (size_t i = 0; i < o->nr_progs; i++)
		((struct lskel_prog_desc *)(ctx + o->progs[i].ctx_off))->autoload =
			all_on || o->progs[i].autoload;
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].pinning && (hand_in_all || nr_pinned++ % 2 == 0))
			desc_of(ctx, &o->maps[i])->map_fd = INPUT_FD_BASE + i;
	return ctx;
}

static const union bpf_attr *attr_of(const struct emu_call *c)
{
	static union bpf_attr a;

	memset(&a, 0, sizeof(a));
	memcpy(&a, c->data, c->sz < sizeof(a) ? c->sz : sizeof(a));
	return &a;
}

static int nr_creates(const struct emu_result *r, const char *name)
{
	int n = 0;

	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_bpf && r->calls[i].cmd == BPF_MAP_CREATE &&
		    !strncmp(attr_of(&r->calls[i])->map_name, name, BPF_OBJ_NAME_LEN - 1))
			n++;
	return n;
}

static int nr_updates(const struct emu_result *r, uint32_t map_fd)
{
	int n = 0;

	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_bpf &&
		    r->calls[i].cmd == BPF_MAP_UPDATE_ELEM &&
		    attr_of(&r->calls[i])->map_fd == map_fd)
			n++;
	return n;
}

static bool closes_below(const struct emu_result *r, uint64_t fd)
{
	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_close && r->calls[i].arg < fd)
			return true;
	return false;
}

static int run(struct emu_obj *x, struct emu_script *s, struct emu_result *r, const char *what)
{
	char msg[512];

	if (emu__check(&x->t, &x->l, s, msg, sizeof(msg))) {
		printf("FAIL %s: %s: %s\n", x->path, what, msg);
		failures++;
	}
	memset(r, 0, sizeof(*r));
	return emu__run(&x->t, &x->l, s, r);
}

/* The fd the fake kernel gave map name: what the context got back. */
static uint32_t fd_of(const struct emu_obj *x, const struct emu_result *r, const char *name)
{
	return desc_of(r->ctx, map_named(&x->o, name))->map_fd;
}

static void check_map_in_map(struct emu_obj *x)
{
	struct emu_script s = {};
	struct emu_result r;

	for (int all_on = 0; all_on < 2; all_on++) {
		s.ctx = make_ctx(&x->o, all_on, false);
		run(x, &s, &r, all_on ? "all on" : "as opened");
		EXPECT(r.ret == 0, "ret %lld", (long long)r.ret);
		EXPECT(nr_creates(&r, "outer_arr.inner") == 1, "template of outer_arr");
		EXPECT(nr_creates(&r, "outer_hash.inner") == 1, "template of outer_hash");
		EXPECT(nr_updates(&r, fd_of(x, &r, "outer_arr")) == 2, "outer_arr entries");
		EXPECT(nr_updates(&r, fd_of(x, &r, "outer_hash")) == 1, "outer_hash entries");
		EXPECT(nr_updates(&r, fd_of(x, &r, "jmp_table")) == 1 + all_on, "jmp_table entries");
		emu_result__free(&r);
		free((void *)s.ctx);
	}
}

/* Every call failing in turn: the handed-in fds are never closed. */
static void check_pin_failures(struct emu_obj *x, struct emu_script *s)
{
	struct emu_result r;
	char what[64];
	uint32_t n;

	emu__model(&x->t, s, &r);
	n = 0;
	for (uint32_t i = 0; i < r.nr_calls; i++)
		n += r.calls[i].helper != BPF_FUNC_sys_close;
	emu_result__free(&r);
	for (uint32_t i = 1; i <= n; i++) {
		s->fail_at = i;
		snprintf(what, sizeof(what), "failing call %u of %u", i, n);
		run(x, s, &r, what);
		EXPECT(r.ret < 0, "%s: ret %lld", what, (long long)r.ret);
		EXPECT(!closes_below(&r, EMU_FIRST_FD), "%s: closes a handed-in fd", what);
		emu_result__free(&r);
	}
	s->fail_at = 0;
}

static void check_pinning(struct emu_obj *x)
{
	const char *pinned[] = { "counts", "totals", "lookup", "jmp" };
	struct emu_script s = {};
	struct emu_result r;
	uint8_t *ctx;

	ctx = make_ctx(&x->o, true, true);
	s.ctx = ctx;
	run(x, &s, &r, "all handed in");
	EXPECT(r.ret == 0, "ret %lld", (long long)r.ret);
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		const struct bmap *m = map_named(&x->o, pinned[i]);

		EXPECT(nr_creates(&r, pinned[i]) == 0, "'%s' created", pinned[i]);
		EXPECT(fd_of(x, &r, pinned[i]) == (uint32_t)desc_of(ctx, m)->map_fd, "'%s' fd", pinned[i]);
	}
	EXPECT(nr_creates(&r, "own") == 1, "own not created");
	EXPECT(nr_creates(&r, "lookup.inner") == 0, "template of a handed-in map");
	EXPECT(nr_updates(&r, fd_of(x, &r, "lookup")) == 0, "entry of a handed-in map-in-map");
	EXPECT(nr_updates(&r, fd_of(x, &r, "jmp")) == 1, "entry of a handed-in prog array");
	EXPECT(!closes_below(&r, EMU_FIRST_FD), "closes a handed-in fd");
	emu_result__free(&r);
	check_pin_failures(x, &s);
	free(ctx);

	ctx = make_ctx(&x->o, true, false);
	s.ctx = ctx;
	run(x, &s, &r, "some handed in");
	EXPECT(r.ret == 0, "ret %lld", (long long)r.ret);
	EXPECT(nr_creates(&r, "counts") == 0 && nr_creates(&r, "totals") == 1 &&
	       nr_creates(&r, "lookup") == 0 && nr_creates(&r, "jmp") == 1, "creates");
	emu_result__free(&r);
	check_pin_failures(x, &s);
	free(ctx);
}

int main(int argc, char **argv)
{
	struct emu_obj x;

	if (argc != 3) {
		fprintf(stderr, "usage: %s map_in_map.bpf.o pinning.bpf.o\n", argv[0]);
		return 2;
	}
	if (!emu_obj__build(&x, argv[1]))
		check_map_in_map(&x);
	else
		failures++;
	emu_obj__free(&x);
	if (!emu_obj__build(&x, argv[2]))
		check_pinning(&x);
	else
		failures++;
	emu_obj__free(&x);
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
