/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI between a light skeleton's runtime and its loader program.
 *
 * The skeleton struct starts with struct lskel_loader_ctx, followed by the maps
 * (struct lskel_map_desc each) and the programs (struct lskel_prog_desc each). That
 * prefix, ctx.sz bytes long, is the context the loader runs with: BPF_PROG_RUN copies
 * it in, the loader reads inputs from it at constant offsets and writes the fds it
 * created back, and the kernel copies it out again. Field names follow bpftool's
 * light skeleton so user code written for it compiles unchanged; fields are only ever
 * appended. This text is embedded into every generated header.
 */
#ifndef LSKEL_ABI_H
#define LSKEL_ABI_H

#include <linux/types.h>

enum {
	LSKEL_CTX_KERNEL = 1u << 0,	/* loader runs from a kernel module: no user copies */
};

/*
 * ctx.failed_step of a signed loader that refused its blob before any step ran:
 * the blob map was not exclusive to it (-EPERM) or its hash was not the signed one
 * (-EBADMSG).
 */
#define LSKEL_FAILED_METADATA 0xffffffffu

struct lskel_loader_ctx {
	__u32 sz;		/* in: bytes of the skeleton the loader may access */
	__u32 flags;		/* in: LSKEL_CTX_* */
	__u32 log_level;	/* in: verifier log level for every load step */
	__u32 log_size;		/* in: size of log_buf */
	__u64 log_buf;		/* in: user pointer the verifier log is written to */
	__u32 failed_step;	/* out: 1-based index of the step that failed, 0 if none */
	__u32 __pad;
};

struct lskel_map_desc {
	int map_fd;		/* out: fd of the created map */
	__u32 max_entries;	/* in: overrides the object's value when non-zero */
	__u64 initial_value __attribute__((aligned(8)));	/* in: pointer to the init image */
};

struct lskel_prog_desc {
	int prog_fd;		/* out: fd of the loaded program, 0 if not loaded */
	__u32 autoload;		/* in: load this program (SEC("?...") ones default to 0) */
};

/*
 * struct_ops: what the runtime finds in the running kernel's BTF before it runs the
 * loader. After the programs come one map record per struct_ops map, then one
 * program record per struct_ops program, in the objects' orders.
 */
struct lskel_st_ops_map_desc {
	__u32 value_type_id;	/* in: btf_vmlinux_value_type_id, struct bpf_struct_ops_<type> */
	__u32 value_size;	/* in: its size, the map's value_size */
};

struct lskel_st_ops_prog_desc {
	__u32 attach_btf_id;	/* in: the kernel's struct <type> */
	__u32 member;		/* in: expected_attach_type, the index of the member it implements */
};

#endif /* LSKEL_ABI_H */
