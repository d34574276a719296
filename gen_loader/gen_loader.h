/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The back end: a trace in, one loader program out.
 *
 * The loader is a BPF_PROG_TYPE_SYSCALL program, loaded sleepable, with the blob map
 * (a one-element array whose value is the trace's blob) at fd_array[0]. Register
 * contract: R6 = context, R9 = address of the blob map's value, R7 = result of the
 * last bpf() command. Every jump is a label resolved after emission; a jump whose
 * offset does not fit in 16 bits is an error, never a silent wrap.
 */
#ifndef LSKEL_GEN_LOADER_H
#define LSKEL_GEN_LOADER_H

#include <linux/bpf.h>
#include "trace.h"

struct loader {
	struct bpf_insn *insns;
	uint32_t nr_insns;
	char errmsg[160];	/* why loader__gen failed */
	/* a signed image, filled in by the caller after loader__gen (malloc'ed sig) */
	uint8_t *sig;		/* detached PKCS#7 signature of insns */
	size_t sig_len;
	uint8_t insns_sha256[32];	/* the blob map's excl_prog_hash */
};

/* Emits the loader for t. Returns 0 or -errno with l->errmsg set. */
int loader__gen(const struct trace *t, struct loader *l);
void loader__free(struct loader *l);

#endif /* LSKEL_GEN_LOADER_H */
