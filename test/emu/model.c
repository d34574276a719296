// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reference: trace.h's semantics written as plain C, run against the same fake
 * kernel as the emulated loader. Because the fake kernel is deterministic (fds in
 * call order, scripted failure by call count), a correct loader and this model make
 * the same calls with the same bytes and end with the same ctx and blob; the
 * comparison below says where they part.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "emu.h"
#include "lskel_abi.h"

static uint64_t get(const uint8_t *p, uint32_t sz)
{
	uint64_t v = 0;

	memcpy(&v, p, sz);
	return v;
}

static int64_t model_fix(struct emu_kernel *k, const struct trace_fix *f)
{
	struct emu_result *r = k->r;
	uint64_t v;

	switch (f->kind) {
	case FIX_BLOB_ADDR:
		v = EMU_BLOB_BASE + f->src;
		memcpy(r->blob + f->off, &v, 8);
		return 0;
	case FIX_BLOB_U32:
		memmove(r->blob + f->off, r->blob + f->src, 4);
		return 0;
	case FIX_BLOB_U32_IF:
		if (get(r->blob + f->cond, 4))
			memmove(r->blob + f->off, r->blob + f->src, 4);
		return 0;
	case FIX_CTX_U32:
	case FIX_CTX_U64:
		v = get(r->ctx + f->src, f->kind == FIX_CTX_U32 ? 4 : 8);
		if (v)
			memcpy(r->blob + f->off, &v, f->kind == FIX_CTX_U32 ? 4 : 8);
		return 0;
	case FIX_USER_DATA:
		v = get(r->ctx + f->src, 8);
		if (!v || !f->len)
			return 0;
		return emu_kernel__copy(k, get(r->ctx + offsetof(struct lskel_loader_ctx, flags), 4) &
					LSKEL_CTX_KERNEL ? BPF_FUNC_probe_read_kernel :
					BPF_FUNC_copy_from_user, f->off, f->len, v);
	}
	return 0;
}

static void put32(uint8_t *p, uint64_t v)
{
	uint32_t x = v;

	memcpy(p, &x, 4);
}

/* A weak look-up that found nothing: zero id or address and fd slot, and go on. */
static int64_t model_weak_miss(struct emu_kernel *k, const struct trace_step *s)
{
	uint64_t zero = 0;

	if (s->id_off >= 0)
		memcpy(k->r->blob + s->id_off, &zero, s->kind == STEP_KSYM_ADDR ? 8 : 4);
	if (s->fd_off >= 0)
		put32(k->r->blob + s->fd_off, 0);
	return 0;
}

static int64_t model_call(struct emu_kernel *k, const struct trace_step *s)
{
	uint8_t *blob = k->r->blob;
	int64_t ret;

	if (s->kind == STEP_BTF_FIND)
		ret = emu_kernel__btf_find(k, s->attr_off, s->attr_sz, s->cmd, 0);
	else if (s->kind == STEP_KSYM_ADDR)
		ret = emu_kernel__kallsyms(k, s->attr_off, s->attr_sz, 0, s->id_off);
	else
		ret = emu_kernel__sys_bpf(k, s->cmd, s->attr_off, s->attr_sz);
	if (ret == -ENOENT && s->weak && s->kind != STEP_SYS_BPF)
		return model_weak_miss(k, s);
	if (ret < 0 || s->kind == STEP_KSYM_ADDR)	/* the helper stored the address */
		return ret;
	if (s->kind == STEP_BTF_FIND && s->id_off >= 0)
		put32(blob + s->id_off, ret);
	if (s->fd_off >= 0)
		put32(blob + s->fd_off, s->kind == STEP_BTF_FIND ? (uint64_t)ret >> 32 : (uint64_t)ret);
	return ret;
}

static int64_t model_step(struct emu_kernel *k, const struct trace_step *s)
{
	int64_t ret = 0;

	if (s->cond_ctx_off >= 0 && !get(k->r->ctx + s->cond_ctx_off, 4) != s->cond_zero)
		return 0;
	for (uint32_t i = 0; i < s->nr_fix && ret >= 0; i++)
		ret = model_fix(k, &s->fix[i]);
	return ret < 0 ? ret : model_call(k, s);
}

static bool is_output(const struct trace *t, uint32_t off)
{
	for (uint32_t i = 0; i < t->nr_outputs; i++)
		if (t->outputs[i].fd_off == off)
			return true;
	return false;
}

static bool is_step_slot(const struct trace *t, uint32_t off)
{
	for (uint32_t i = 0; i < t->nr_steps; i++)
		if (t->steps[i].fd_off == off)
			return true;
	return false;
}

/* An input's fd slot still holding the runtime's fd is the runtime's to close. */
static bool holds_input(struct emu_kernel *k, uint32_t off, int32_t fd)
{
	for (uint32_t i = 0; i < k->t->nr_inputs; i++)
		if (k->t->inputs[i].fd_off == off &&
		    (int32_t)get(k->r->ctx + k->t->inputs[i].ctx_off, 4) == fd)
			return true;
	return false;
}

static void close_slot(struct emu_kernel *k, uint32_t off)
{
	int32_t fd = get(k->r->blob + off, 4);

	if (fd > 0 && !holds_input(k, off, fd))
		emu_kernel__close(k, fd);
}

static void model_inputs(struct emu_kernel *k)
{
	for (uint32_t i = 0; i < k->t->nr_inputs; i++) {
		uint32_t v = get(k->r->ctx + k->t->inputs[i].ctx_off, 4);

		if (v)
			put32(k->r->blob + k->t->inputs[i].fd_off, v);
	}
}

/* closes every fd slot > 0; on success the outputs are handed over instead */
static void model_close(struct emu_kernel *k, bool success)
{
	const struct trace *t = k->t;

	for (uint32_t i = 0; i < t->nr_steps; i++) {
		int64_t off = t->steps[i].fd_off;

		if (off >= 0 && !(success && is_output(t, off)))
			close_slot(k, off);
	}
	for (uint32_t i = 0; i < t->nr_outputs && !success; i++) {
		uint32_t off = t->outputs[i].fd_off;
		bool seen = is_step_slot(t, off);

		for (uint32_t j = 0; j < i && !seen; j++)
			seen = t->outputs[j].fd_off == off;
		if (!seen)
			close_slot(k, off);
	}
	for (uint32_t i = 0; i < t->nr_inputs; i++) {
		uint32_t off = t->inputs[i].fd_off;
		bool seen = is_step_slot(t, off) || is_output(t, off);

		for (uint32_t j = 0; j < i && !seen; j++)
			seen = t->inputs[j].fd_off == off;
		if (!seen)
			close_slot(k, off);
	}
}

int emu__model(const struct trace *t, const struct emu_script *s, struct emu_result *r)
{
	struct emu_kernel k;
	int64_t ret = 0;
	uint32_t i;

	memset(r, 0, sizeof(*r));
	r->blob_sz = t->blob_sz;
	r->ctx_sz = s->ctx_sz ? s->ctx_sz : t->ctx_sz;
	r->blob = malloc(r->blob_sz + 1);
	r->ctx = calloc(1, r->ctx_sz + 1);
	if (!r->blob || !r->ctx)
		return -ENOMEM;
	memcpy(r->blob, t->blob, t->blob_sz);
	if (s->ctx)
		memcpy(r->ctx, s->ctx, r->ctx_sz);
	emu_kernel__init(&k, t, s, r);
	model_inputs(&k);
	for (i = 0; i < t->nr_steps && ret >= 0; i++)
		ret = model_step(&k, &t->steps[i]);
	if (ret < 0) {
		put32(r->ctx + offsetof(struct lskel_loader_ctx, failed_step), i);
		model_close(&k, false);
		r->ret = (int32_t)ret;
	} else {
		for (uint32_t j = 0; j < t->nr_outputs; j++) {
			int32_t fd = get(r->blob + t->outputs[j].fd_off, 4);

			if (fd > 0)
				put32(r->ctx + t->outputs[j].ctx_off, fd);
		}
		model_close(&k, true);
	}
	emu_kernel__free(&k);
	return 0;
}

static const char *helper_name(int id)
{
	switch (id) {
	case BPF_FUNC_sys_bpf: return "sys_bpf";
	case BPF_FUNC_btf_find_by_name_kind: return "btf_find_by_name_kind";
	case BPF_FUNC_copy_from_user: return "copy_from_user";
	case BPF_FUNC_probe_read_kernel: return "probe_read_kernel";
	case BPF_FUNC_sys_close: return "sys_close";
	case BPF_FUNC_kallsyms_lookup_name: return "kallsyms_lookup_name";
	default: return "?";
	}
}

static bool call_eq(const struct emu_call *a, const struct emu_call *b)
{
	if (a->helper != b->helper || a->cmd != b->cmd || a->off != b->off || a->sz != b->sz ||
	    a->arg != b->arg || a->ret != b->ret || !a->data != !b->data)
		return false;
	return !a->data || !memcmp(a->data, b->data, a->sz);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The closed fds of r, sorted, in a new array of *nr entries. */
static uint64_t *closes(const struct emu_result *r, uint32_t *nr)
{
	uint64_t *fds = malloc((r->nr_calls + 1) * sizeof(*fds));

	*nr = 0;
	if (!fds)
		abort();
	for (uint32_t i = 0; i < r->nr_calls; i++)
		if (r->calls[i].helper == BPF_FUNC_sys_close)
			fds[(*nr)++] = r->calls[i].arg;
	qsort(fds, *nr, sizeof(*fds), cmp_u64);
	return fds;
}

static int compare_calls(const struct emu_result *want, const struct emu_result *got,
			 char *msg, size_t sz)
{
	uint32_t i = 0, j = 0;

	for (;; i++, j++) {
		while (i < want->nr_calls && want->calls[i].helper == BPF_FUNC_sys_close)
			i++;
		while (j < got->nr_calls && got->calls[j].helper == BPF_FUNC_sys_close)
			j++;
		if (i == want->nr_calls || j == got->nr_calls)
			break;
		if (!call_eq(&want->calls[i], &got->calls[j])) {
			snprintf(msg, sz, "call #%u (%s, step %u) differs from the model's #%u "
				 "(%s, step %u)", j, helper_name(got->calls[j].helper),
				 got->calls[j].step, i, helper_name(want->calls[i].helper),
				 want->calls[i].step);
			return -1;
		}
	}
	if (i != want->nr_calls || j != got->nr_calls) {
		snprintf(msg, sz, "%s makes more calls (model stops at #%u, loader at #%u)",
			 i != want->nr_calls ? "model" : "loader", i, j);
		return -1;
	}
	return 0;
}

static int compare_closes(const struct emu_result *want, const struct emu_result *got,
			  char *msg, size_t sz)
{
	uint32_t nw, ng;
	uint64_t *w = closes(want, &nw), *g = closes(got, &ng);
	int err = 0;

	if (nw != ng || memcmp(w, g, nw * sizeof(*w))) {
		snprintf(msg, sz, "closed fds differ: model closes %u, loader %u", nw, ng);
		err = -1;
	}
	free(w);
	free(g);
	return err;
}

int emu__compare(const struct emu_result *want, const struct emu_result *got, char *msg,
		 size_t sz)
{
	if (want->ret != got->ret) {
		snprintf(msg, sz, "loader returns %lld, model %lld", (long long)got->ret,
			 (long long)want->ret);
		return -1;
	}
	if (compare_calls(want, got, msg, sz) || compare_closes(want, got, msg, sz))
		return -1;
	if (want->ctx_sz != got->ctx_sz || memcmp(want->ctx, got->ctx, want->ctx_sz)) {
		snprintf(msg, sz, "final ctx differs");
		return -1;
	}
	if (want->blob_sz != got->blob_sz || memcmp(want->blob, got->blob, want->blob_sz)) {
		snprintf(msg, sz, "final blob differs");
		return -1;
	}
	return 0;
}

int emu__check(const struct trace *t, const struct loader *l, const struct emu_script *s,
	       char *msg, size_t sz)
{
	struct emu_result want = {}, got = {};
	int err = emu__check_cfg(l, msg, sz);

	if (err)
		return err;
	err = emu__run(t, l, s, &got);
	if (err)
		snprintf(msg, sz, "emulator: %s", got.fault);
	if (!err)
		err = emu__model(t, s, &want) ?: emu__compare(&want, &got, msg, sz);
	emu_result__free(&want);
	emu_result__free(&got);
	return err;
}
