/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Building a trace: the blob grows by appending aligned chunks, steps copy their attr
 * into it. Every builder keeps a sticky error in t->err: after the first failure the
 * calls do nothing and return 0 or NULL, and the caller checks t->err once at the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "trace.h"

void trace__init(struct trace *t)
{
	memset(t, 0, sizeof(*t));
}

void trace__free(struct trace *t)
{
	for (uint32_t i = 0; i < t->nr_steps; i++) {
		free(t->steps[i].fix);
		free(t->steps[i].desc);
	}
	free(t->steps);
	free(t->outputs);
	free(t->inputs);
	free(t->blob);
	memset(t, 0, sizeof(*t));
}

static bool grow(struct trace *t, void **arr, uint32_t nr, size_t elem)
{
	void *p;

	/* capacity is 4, then doubles each time nr reaches a power of two */
	if (nr != 0 && (nr < 4 || (nr & (nr - 1))))
		return true;
	p = realloc(*arr, (nr ? nr * 2 : 4) * elem);
	if (!p) {
		t->err = -ENOMEM;
		return false;
	}
	*arr = p;
	return true;
}

uint32_t trace__blob_add(struct trace *t, const void *data, uint32_t len, uint32_t align)
{
	uint32_t off, end;

	if (t->err)
		return 0;
	off = (t->blob_sz + align - 1) & ~(align - 1);
	if (__builtin_add_overflow(off, len, &end)) {
		t->err = -E2BIG;
		return 0;
	}
	if (end > t->blob_cap) {
		uint32_t cap = t->blob_cap ? t->blob_cap : 256;
		uint8_t *p;

		while (cap < end)
			cap *= 2;
		p = realloc(t->blob, cap);
		if (!p) {
			t->err = -ENOMEM;
			return 0;
		}
		t->blob = p;
		t->blob_cap = cap;
	}
	memset(t->blob + t->blob_sz, 0, off - t->blob_sz);
	if (data)
		memcpy(t->blob + off, data, len);
	else
		memset(t->blob + off, 0, len);
	t->blob_sz = end;
	return off;
}

uint32_t trace__blob_add_str(struct trace *t, const char *s)
{
	return trace__blob_add(t, s, strlen(s) + 1, 1);
}

uint32_t trace__fd_slot(struct trace *t)
{
	int32_t none = -1;

	return trace__blob_add(t, &none, sizeof(none), 4);
}

/* A step of kind/cmd whose attr (or name) is at attr_off; desc from fmt. */
static struct trace_step *new_step(struct trace *t, enum trace_step_kind kind, int cmd,
				   uint32_t attr_off, uint32_t attr_sz, const char *fmt, va_list ap)
{
	struct trace_step *s;

	if (t->err || !grow(t, (void **)&t->steps, t->nr_steps, sizeof(*s)))
		return NULL;
	s = &t->steps[t->nr_steps];
	memset(s, 0, sizeof(*s));
	s->fd_off = -1;
	s->id_off = -1;
	s->cond_ctx_off = -1;
	s->kind = kind;
	s->cmd = cmd;
	s->attr_off = attr_off;
	s->attr_sz = attr_sz;
	if (vasprintf(&s->desc, fmt, ap) < 0) {
		s->desc = NULL;
		t->err = -ENOMEM;
		return NULL;
	}
	t->nr_steps++;
	return s;
}

struct trace_step *trace__step(struct trace *t, int cmd, const void *attr, uint32_t attr_sz,
			       const char *desc_fmt, ...)
{
	struct trace_step *s;
	uint32_t attr_off;
	va_list ap;

	attr_off = trace__blob_add(t, attr, attr_sz, 8);
	va_start(ap, desc_fmt);
	s = new_step(t, STEP_SYS_BPF, cmd, attr_off, attr_sz, desc_fmt, ap);
	va_end(ap);
	return s;
}

struct trace_step *trace__btf_find(struct trace *t, const char *name, int btf_kind,
				   const char *desc_fmt, ...)
{
	uint32_t name_off = trace__blob_add_str(t, name);
	uint32_t fd_off = trace__fd_slot(t);
	uint32_t id = 0, id_off = trace__blob_add(t, &id, sizeof(id), 4);
	struct trace_step *s;
	va_list ap;

	va_start(ap, desc_fmt);
	s = new_step(t, STEP_BTF_FIND, btf_kind, name_off, strlen(name) + 1, desc_fmt, ap);
	va_end(ap);
	if (!s)
		return NULL;
	s->fd_off = fd_off;
	s->id_off = id_off;
	return s;
}

/* The address slot is 8-byte aligned: the helper writes a u64 through the pointer. */
struct trace_step *trace__ksym_addr(struct trace *t, const char *name, const char *desc_fmt, ...)
{
	uint32_t name_off = trace__blob_add_str(t, name);
	uint64_t zero = 0;
	uint32_t addr_off = trace__blob_add(t, &zero, sizeof(zero), 8);
	struct trace_step *s;
	va_list ap;

	va_start(ap, desc_fmt);
	s = new_step(t, STEP_KSYM_ADDR, 0, name_off, strlen(name) + 1, desc_fmt, ap);
	va_end(ap);
	if (!s)
		return NULL;
	s->id_off = addr_off;
	return s;
}

void trace__fix_if(struct trace *t, struct trace_step *s, uint32_t off, uint32_t src,
		   uint32_t cond)
{
	trace__fix(t, s, FIX_BLOB_U32_IF, off, src, 0);
	if (!t->err && s && s->nr_fix)
		s->fix[s->nr_fix - 1].cond = cond;
}

void trace__fix(struct trace *t, struct trace_step *s, enum trace_fix_kind kind,
		uint32_t off, uint32_t src, uint32_t len)
{
	if (t->err || !s || !grow(t, (void **)&s->fix, s->nr_fix, sizeof(*s->fix)))
		return;
	s->fix[s->nr_fix++] = (struct trace_fix){ .kind = kind, .off = off, .src = src, .len = len };
}

void trace__output(struct trace *t, uint32_t fd_off, uint32_t ctx_off)
{
	if (t->err || !grow(t, (void **)&t->outputs, t->nr_outputs, sizeof(*t->outputs)))
		return;
	t->outputs[t->nr_outputs++] = (struct trace_output){ .fd_off = fd_off, .ctx_off = ctx_off };
}

void trace__input(struct trace *t, uint32_t fd_off, uint32_t ctx_off)
{
	if (t->err || !grow(t, (void **)&t->inputs, t->nr_inputs, sizeof(*t->inputs)))
		return;
	t->inputs[t->nr_inputs++] = (struct trace_input){ .ctx_off = ctx_off, .fd_off = fd_off };
}

const char *trace__fix_name(enum trace_fix_kind kind)
{
	static const char *const names[] = {
#define X(k, s) [k] = s,
		TRACE_FIX_KINDS(X)
#undef X
	};

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

const char *trace__cmd_name(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE: return "MAP_CREATE";
	case BPF_MAP_UPDATE_ELEM: return "MAP_UPDATE_ELEM";
	case BPF_MAP_FREEZE: return "MAP_FREEZE";
	case BPF_PROG_LOAD: return "PROG_LOAD";
	case BPF_BTF_LOAD: return "BTF_LOAD";
	case BPF_OBJ_PIN: return "OBJ_PIN";
	case BPF_OBJ_GET: return "OBJ_GET";
	case BPF_LINK_CREATE: return "LINK_CREATE";
	default: return "CMD";
	}
}
