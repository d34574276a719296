/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A user-space emulator of the loader, for tests that need no kernel.
 *
 * emu__run() interprets the loader's instructions with a copy of the trace's blob and
 * a copy of a context, against a fake kernel: bpf_sys_bpf() records the command and
 * a copy of its attr as patched at call time and returns a fake fd (100, 101, ...);
 * bpf_sys_close() records the fd; bpf_btf_find_by_name_kind() returns a made-up type
 * id (and a fake module BTF fd if asked) and bpf_kallsyms_lookup_name() a made-up
 * address, both -ENOENT for the names the script says are missing; bpf_copy_from_user() and
 * bpf_probe_read_kernel() copy from a host pointer. The script can make the n-th
 * fallible helper call fail.
 *
 * Kernel addresses are emulated: the blob lives at EMU_BLOB_BASE and the context at
 * EMU_CTX_BASE, so a pointer the loader stores into an attr reads as
 * EMU_BLOB_BASE + blob offset. Besides running, the interpreter checks a few of the
 * verifier's rules that the loader depends on (initialised registers, ctx accessed
 * only through the unmodified ctx pointer, memory bounds, no pointer compares), and
 * the fake kernel checks pointers into the blob and the fds an attr names, so a
 * missing fix-up shows up as -EFAULT or -EBADF.
 *
 * emu__model() replays the same trace in plain C against the same fake kernel:
 * it is the reference the emulated loader must match call for call (emu__compare).
 */
#ifndef LSKEL_EMU_H
#define LSKEL_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen_loader/gen_loader.h"
#include "gen_loader/trace.h"

#define EMU_BLOB_BASE	0xffffc90000100000ull	/* kernel address of blob offset 0 */
#define EMU_CTX_BASE	0xffff888000200000ull	/* kernel address of the context */
#define EMU_FIRST_FD	100			/* fds the fake kernel hands out */
#define EMU_FIRST_BTF_ID 1000			/* type ids btf_find hands out */
#define EMU_KSYM_BASE	0xffffffff81000000ull	/* addresses kallsyms_lookup_name hands out */

struct emu_call {
	int helper;		/* BPF_FUNC_* */
	int cmd;		/* sys_bpf: the command; btf_find: the BTF kind */
	uint32_t off;		/* blob offset of the attr, name or copy destination */
	uint32_t sz;		/* its size */
	uint8_t *data;		/* sys_bpf, btf_find: copy of the attr or name at call time */
	uint64_t arg;		/* sys_close: the fd; copies: the source pointer */
	int64_t ret;
	uint32_t step;		/* 1-based trace step the call belongs to, 0 if unknown */
};

struct emu_script {
	const void *ctx;	/* initial context, ctx_sz bytes (NULL: zeroes) */
	uint32_t ctx_sz;	/* 0: the trace's ctx_sz */
	uint32_t fail_at;	/* 1-based index of the fallible helper call to fail; 0 none */
	int fail_err;		/* its negative errno; 0 means -EINVAL */
	bool btf_module;	/* btf_find answers with a module BTF fd, not vmlinux (0) */
	const char *const *missing;	/* NULL-terminated: symbols the kernel lacks */
	uint64_t max_insns;	/* run limit; 0 means 1,000,000 */
};

struct emu_result {
	int64_t ret;		/* what the loader returned, as the kernel reports it (s32) */
	struct emu_call *calls;	/* every helper call, in order */
	uint32_t nr_calls, cap_calls;
	uint8_t *blob;		/* the blob and context after the run */
	uint32_t blob_sz;
	uint8_t *ctx;
	uint32_t ctx_sz;
	uint64_t nr_executed;	/* insns executed */
	char fault[256];	/* set when the run stopped on a broken rule */
	char kmsg[256];		/* why the fake kernel last refused a call, if it did */
};

/* emu.c: the interpreter. Returns 0 if the loader ran to its exit, -EFAULT with
 * r->fault set if it broke a rule. r is filled either way; free it. */
int emu__run(const struct trace *t, const struct loader *l, const struct emu_script *s,
	     struct emu_result *r);
void emu_result__free(struct emu_result *r);
/* Kernel check_cfg() look-alike: jump targets, reachability, no back edge, final
 * exit. Returns 0 or -EINVAL with msg set. */
int emu__check_cfg(const struct loader *l, char *msg, size_t msg_sz);
/* Decoded jump distances: the largest |off| over all jumps of l. */
uint32_t emu__max_jump(const struct loader *l);

/* model.c: the reference replay and comparison. */
int emu__model(const struct trace *t, const struct emu_script *s, struct emu_result *r);
/* 0 if got matches want: return value, helper calls in order with their attr bytes,
 * closed fds as a set, final ctx and blob. Else -1 with msg saying what differs. */
int emu__compare(const struct emu_result *want, const struct emu_result *got, char *msg,
		 size_t msg_sz);
/* emu__run + emu__model + emu__compare + emu__check_cfg in one call. */
int emu__check(const struct trace *t, const struct loader *l, const struct emu_script *s,
	       char *msg, size_t msg_sz);

/* The fake kernel, shared by emu.c and model.c. */
struct emu_kernel {
	const struct trace *t;
	const struct emu_script *s;
	struct emu_result *r;	/* calls are appended here; r->blob is the live blob */
	uint32_t nr_fallible;	/* fallible calls made so far */
	int next_fd;
	uint32_t nr_btf_find;
	uint32_t nr_ksym;	/* kallsyms look-ups answered so far */
	struct emu_fd *fds;	/* fds[fd - EMU_FIRST_FD]: what each fd handed out is */
	uint32_t cap_fds;
};

int emu_kernel__init(struct emu_kernel *k, const struct trace *t, const struct emu_script *s,
		     struct emu_result *r);
void emu_kernel__free(struct emu_kernel *k);
int64_t emu_kernel__sys_bpf(struct emu_kernel *k, int cmd, uint32_t attr_off, uint32_t sz);
int64_t emu_kernel__btf_find(struct emu_kernel *k, uint32_t name_off, uint32_t sz, int kind,
			     uint64_t flags);
int64_t emu_kernel__copy(struct emu_kernel *k, int helper, uint32_t dst_off, uint32_t len,
			 uint64_t src);
int64_t emu_kernel__kallsyms(struct emu_kernel *k, uint32_t name_off, uint32_t sz, uint64_t flags,
			     uint32_t res_off);
int64_t emu_kernel__close(struct emu_kernel *k, uint64_t fd);

#endif /* LSKEL_EMU_H */
