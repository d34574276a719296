// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fake kernel behind the emulator's helpers and the reference model. It hands
 * out fds from EMU_FIRST_FD up, remembers which are open and what they are, and
 * checks each attr the way the kernel would where a missing fix-up would show:
 * pointers must point into the blob with room for what they describe, and fds an
 * attr names must be open and of the right kind. A refused call returns -EFAULT,
 * -EBADF or -EINVAL with r->kmsg saying why. Every call is appended to r->calls.
 *
 * Fallible calls (everything but close) are counted; the script's fail_at-th one
 * returns the scripted error without any other effect.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "emu.h"

enum fd_kind { FD_NONE, FD_MAP, FD_PROG, FD_BTF, FD_OTHER };

struct emu_fd {
	uint8_t kind;		/* enum fd_kind; FD_NONE when closed */
	uint32_t key_size, value_size;
};

static struct emu_fd *fd_get(struct emu_kernel *k, uint64_t fd)
{
	struct emu_fd *info = k->fds;

	if (fd < EMU_FIRST_FD || fd >= (uint64_t)k->next_fd)
		return NULL;
	info += fd - EMU_FIRST_FD;
	return info->kind == FD_NONE ? NULL : info;
}

static int fd_open(struct emu_kernel *k, enum fd_kind kind, const union bpf_attr *a)
{
	uint32_t n = k->next_fd - EMU_FIRST_FD;
	struct emu_fd *info;

	if (n == k->cap_fds) {
		uint32_t cap = n ? n * 2 : 16;
		void *p = realloc(k->fds, cap * sizeof(*info));

		if (!p)
			return -ENOMEM;
		k->fds = p;
		k->cap_fds = cap;
	}
	info = k->fds + n;
	info->kind = kind;
	info->key_size = kind == FD_MAP ? a->key_size : 0;
	info->value_size = kind == FD_MAP ? a->value_size : 0;
	return k->next_fd++;
}

int emu_kernel__init(struct emu_kernel *k, const struct trace *t, const struct emu_script *s,
		     struct emu_result *r)
{
	memset(k, 0, sizeof(*k));
	k->t = t;
	k->s = s;
	k->r = r;
	k->next_fd = EMU_FIRST_FD;
	return 0;
}

void emu_kernel__free(struct emu_kernel *k)
{
	free(k->fds);
	k->fds = NULL;
}

static int refuse(struct emu_kernel *k, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct emu_kernel *k, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->r->kmsg, sizeof(k->r->kmsg), fmt, ap);
	va_end(ap);
	return err;
}

static uint32_t step_of(const struct trace *t, int kind, uint32_t off)
{
	for (uint32_t i = 0; i < t->nr_steps; i++) {
		const struct trace_step *s = &t->steps[i];

		if (kind < 0) {
			for (uint32_t j = 0; j < s->nr_fix; j++)
				if (s->fix[j].kind == FIX_USER_DATA && s->fix[j].off == off)
					return i + 1;
		} else if ((int)s->kind == kind && s->attr_off == off) {
			return i + 1;
		}
	}
	return 0;
}

static void record(struct emu_kernel *k, const struct emu_call *c)
{
	struct emu_result *r = k->r;
	struct emu_call *n;

	if (r->nr_calls == r->cap_calls) {
		uint32_t cap = r->cap_calls ? r->cap_calls * 2 : 16;
		void *p = realloc(r->calls, cap * sizeof(*n));

		if (!p)
			abort();
		r->calls = p;
		r->cap_calls = cap;
	}
	n = &r->calls[r->nr_calls++];
	*n = *c;
	if (c->data) {
		n->data = malloc(c->sz ? c->sz : 1);
		if (!n->data)
			abort();
		memcpy(n->data, c->data, c->sz);
	}
}

/* A symbol the script says this kernel lacks. */
static bool is_missing(struct emu_kernel *k, const char *name)
{
	for (const char *const *m = k->s->missing; m && *m; m++)
		if (!strcmp(*m, name))
			return true;
	return false;
}

/* The scripted failure, if this fallible call is the one. */
static int scripted(struct emu_kernel *k)
{
	if (++k->nr_fallible != k->s->fail_at)
		return 0;
	return k->s->fail_err ? k->s->fail_err : -EINVAL;
}

/* A kernel pointer in an attr must point into the blob with len bytes of room. */
static int check_ptr(struct emu_kernel *k, const char *what, uint64_t p, uint64_t len)
{
	uint64_t off = p - EMU_BLOB_BASE;

	if (p < EMU_BLOB_BASE || off > k->r->blob_sz || len > k->r->blob_sz - off)
		return refuse(k, -EFAULT, "%s 0x%llx (+%llu bytes) is not in the blob", what,
			      (unsigned long long)p, (unsigned long long)len);
	return 0;
}

/* An fd the runtime handed in through a trace input (a reused pinned map). */
static bool is_input_fd(struct emu_kernel *k, uint32_t fd)
{
	uint32_t v;

	for (uint32_t i = 0; i < k->t->nr_inputs && fd; i++) {
		memcpy(&v, k->r->ctx + k->t->inputs[i].ctx_off, 4);
		if (v == fd)
			return true;
	}
	return false;
}

static int check_fd(struct emu_kernel *k, const char *what, uint32_t fd, enum fd_kind kind,
		    bool optional)
{
	struct emu_fd *info = fd_get(k, fd);

	if (optional && fd == 0)
		return 0;
	if (!info && kind == FD_MAP && is_input_fd(k, fd))
		return 0;
	if (!info || info->kind != kind)
		return refuse(k, -EBADF, "%s %u is not an open fd of the right kind", what, fd);
	return 0;
}

/* A kfunc call names its BTF: vmlinux (off 0) or a module's BTF fd in fd_array[off]. */
static int check_kfunc_call(struct emu_kernel *k, const union bpf_attr *a, const struct bpf_insn *in)
{
	uint32_t fd;
	int err;

	if (!in->imm)
		return refuse(k, -EINVAL, "kfunc call with btf id 0");
	if (!in->off)
		return 0;
	if (in->off < 0 || !a->fd_array)
		return refuse(k, -EINVAL, "kfunc call with BTF index %d but no fd_array", in->off);
	err = check_ptr(k, "fd_array", a->fd_array + (uint64_t)in->off * 4, 4);
	if (err)
		return err;
	memcpy(&fd, k->r->blob + (a->fd_array - EMU_BLOB_BASE) + (uint64_t)in->off * 4, 4);
	return check_fd(k, "kfunc module BTF fd", fd, FD_BTF, false);
}

/* What the kernel checks of an insn that names a kernel object. */
static int check_insn(struct emu_kernel *k, const union bpf_attr *a, const struct bpf_insn *in)
{
	if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return check_kfunc_call(k, a, in);
	if (in->code != (BPF_LD | BPF_DW | BPF_IMM))
		return 0;
	if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE)
		return check_fd(k, "ld_imm64 map fd", in->imm, FD_MAP, false);
	if (in->src_reg != BPF_PSEUDO_BTF_ID)
		return 0;
	if (!in->imm)
		return refuse(k, -EINVAL, "ld_imm64 with btf id 0");
	return check_fd(k, "ld_imm64 BTF fd", in[1].imm, FD_BTF, true);
}

static int check_prog_insns(struct emu_kernel *k, const union bpf_attr *a)
{
	const struct bpf_insn *insn;
	int err = check_ptr(k, "insns", a->insns, (uint64_t)a->insn_cnt * sizeof(*insn));

	if (err)
		return err;
	insn = (const void *)(k->r->blob + (a->insns - EMU_BLOB_BASE));
	for (uint32_t i = 0; i < a->insn_cnt && !err; i++) {
		struct bpf_insn cur[2] = {};

		memcpy(cur, insn + i, (i + 1 < a->insn_cnt ? 2 : 1) * sizeof(*cur));
		err = check_insn(k, a, cur);
		i += cur[0].code == (BPF_LD | BPF_DW | BPF_IMM);
	}
	return err;
}

static int check_prog_load(struct emu_kernel *k, const union bpf_attr *a)
{
	const uint8_t *lic;
	int err;

	err = check_prog_insns(k, a) ?: check_ptr(k, "license", a->license, 1) ?:
	      check_fd(k, "prog_btf_fd", a->prog_btf_fd, FD_BTF, true);
	if (!err && a->func_info_cnt)
		err = check_ptr(k, "func_info", a->func_info,
				(uint64_t)a->func_info_cnt * a->func_info_rec_size);
	if (!err && a->line_info_cnt)
		err = check_ptr(k, "line_info", a->line_info,
				(uint64_t)a->line_info_cnt * a->line_info_rec_size);
	if (!err && a->core_relo_cnt)
		err = check_ptr(k, "core_relos", a->core_relos,
				(uint64_t)a->core_relo_cnt * a->core_relo_rec_size);
	if (!err && a->fd_array)
		err = check_ptr(k, "fd_array", a->fd_array, 4);
	if (err)
		return err;
	lic = k->r->blob + (a->license - EMU_BLOB_BASE);
	if (!memchr(lic, 0, k->r->blob_sz - (a->license - EMU_BLOB_BASE)))
		return refuse(k, -EFAULT, "license string runs past the blob");
	return 0;
}

static int check_map_elem(struct emu_kernel *k, int cmd, const union bpf_attr *a)
{
	struct emu_fd *info;
	int err = check_fd(k, "map_fd", a->map_fd, FD_MAP, false);

	if (err || cmd == BPF_MAP_FREEZE)
		return err;
	info = fd_get(k, a->map_fd);
	if (!info)	/* an input fd: its sizes are the runtime's business */
		return check_ptr(k, "key", a->key, 1) ?: check_ptr(k, "value", a->value, 1);
	return check_ptr(k, "key", a->key, info->key_size) ?:
	       check_ptr(k, "value", a->value, info->value_size);
}

static int check_attr(struct emu_kernel *k, int cmd, const union bpf_attr *a)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return check_fd(k, "btf_fd", a->btf_fd, FD_BTF, true) ?:
		       check_fd(k, "inner_map_fd", a->inner_map_fd, FD_MAP, true);
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_FREEZE:
		return check_map_elem(k, cmd, a);
	case BPF_PROG_LOAD:
		return check_prog_load(k, a);
	case BPF_BTF_LOAD:
		return check_ptr(k, "btf", a->btf, a->btf_size);
	case BPF_LINK_CREATE:
		return check_fd(k, "link_create.prog_fd", a->link_create.prog_fd, FD_PROG, false);
	default:
		return 0;
	}
}

static enum fd_kind fd_kind_of(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE: return FD_MAP;
	case BPF_PROG_LOAD: return FD_PROG;
	case BPF_BTF_LOAD: return FD_BTF;
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_OBJ_GET:
	case BPF_ITER_CREATE: return FD_OTHER;
	default: return FD_NONE;
	}
}

int64_t emu_kernel__sys_bpf(struct emu_kernel *k, int cmd, uint32_t attr_off, uint32_t sz)
{
	struct emu_call c = {
		.helper = BPF_FUNC_sys_bpf, .cmd = cmd, .off = attr_off, .sz = sz,
		.data = k->r->blob + attr_off, .step = step_of(k->t, STEP_SYS_BPF, attr_off),
	};
	union bpf_attr a = {};
	int64_t ret = scripted(k);

	memcpy(&a, c.data, sz < sizeof(a) ? sz : sizeof(a));
	if (!ret)
		ret = check_attr(k, cmd, &a);
	if (!ret && fd_kind_of(cmd) != FD_NONE)
		ret = fd_open(k, fd_kind_of(cmd), &a);
	c.ret = ret;
	record(k, &c);
	return ret;
}

int64_t emu_kernel__btf_find(struct emu_kernel *k, uint32_t name_off, uint32_t sz, int kind,
			     uint64_t flags)
{
	struct emu_call c = {
		.helper = BPF_FUNC_btf_find_by_name_kind, .cmd = kind, .off = name_off, .sz = sz,
		.data = k->r->blob + name_off, .step = step_of(k->t, STEP_BTF_FIND, name_off),
	};
	int64_t ret = scripted(k);

	if (!ret && (flags || !sz || c.data[sz - 1]))
		ret = refuse(k, -EINVAL, "btf_find: flags set or name not NUL-terminated");
	if (!ret && is_missing(k, (const char *)c.data))
		ret = refuse(k, -ENOENT, "btf_find: no '%s' in this kernel", (const char *)c.data);
	if (!ret) {
		int fd = k->s->btf_module ? fd_open(k, FD_BTF, NULL) : 0;

		ret = fd < 0 ? fd : (int64_t)((uint64_t)fd << 32 |
					      (EMU_FIRST_BTF_ID + k->nr_btf_find++));
	}
	c.ret = ret;
	record(k, &c);
	return ret;
}

/* The kernel writes the address, 0 if there is none, and says -ENOENT for none. */
int64_t emu_kernel__kallsyms(struct emu_kernel *k, uint32_t name_off, uint32_t sz, uint64_t flags,
			     uint32_t res_off)
{
	struct emu_call c = {
		.helper = BPF_FUNC_kallsyms_lookup_name, .off = name_off, .sz = sz,
		.data = k->r->blob + name_off, .arg = res_off,
		.step = step_of(k->t, STEP_KSYM_ADDR, name_off),
	};
	int64_t ret = scripted(k);
	uint64_t addr = 0;

	if (!ret && (flags || sz <= 1 || c.data[sz - 1]))
		ret = refuse(k, -EINVAL, "kallsyms: flags set or name not NUL-terminated");
	if (!ret && (res_off % 8 || res_off > k->r->blob_sz || k->r->blob_sz - res_off < 8))
		ret = refuse(k, -EFAULT, "kallsyms: result slot %u misaligned or past the blob",
			     res_off);
	if (!ret) {
		if (!is_missing(k, (const char *)c.data))
			addr = EMU_KSYM_BASE + 0x100 * ++k->nr_ksym;
		memcpy(k->r->blob + res_off, &addr, 8);
		if (!addr)
			ret = refuse(k, -ENOENT, "kallsyms: no '%s'", (const char *)c.data);
	}
	c.ret = ret;
	record(k, &c);
	return ret;
}

/* copy_from_user and probe_read_kernel both read host memory here */
int64_t emu_kernel__copy(struct emu_kernel *k, int helper, uint32_t dst_off, uint32_t len,
			 uint64_t src)
{
	struct emu_call c = {
		.helper = helper, .off = dst_off, .sz = len, .arg = src,
		.step = step_of(k->t, -1, dst_off),
	};
	int64_t ret = scripted(k);

	if (!ret && !src)
		ret = refuse(k, -EFAULT, "copy from a NULL pointer");
	if (!ret)
		memcpy(k->r->blob + dst_off, (const void *)(uintptr_t)src, len);
	c.ret = ret;
	record(k, &c);
	return ret;
}

int64_t emu_kernel__close(struct emu_kernel *k, uint64_t fd)
{
	struct emu_call c = { .helper = BPF_FUNC_sys_close, .arg = fd };
	struct emu_fd *info = fd_get(k, fd);

	if (info)
		info->kind = FD_NONE;
	c.ret = info ? 0 : refuse(k, -EBADF, "close of fd %llu that is not open",
				  (unsigned long long)fd);
	record(k, &c);
	return c.ret;
}
