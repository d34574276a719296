// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: programs this host's kernel refuses to load (BPF trampolines) and the
 * other kinds whose attach target the loader resolves in kernel BTF at load time:
 * fentry, fexit, fmod_ret, fentry.s, lsm, lsm.s, tp_btf and iter. Each gets a
 * BTF_FIND step (typedef btf_trace_X, func X, bpf_lsm_X, bpf_iter_X) whose id and
 * object fd feed attach_btf_id and attach_btf_obj_fd of its load.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 hits;

SEC("fentry/do_unlinkat") int on_fentry(__u64 *ctx) { hits++; return 0; }
SEC("fexit/do_unlinkat") int on_fexit(__u64 *ctx) { hits++; return 0; }
SEC("fmod_ret/security_inode_unlink") int on_fmod_ret(__u64 *ctx) { return 0; }
SEC("fentry.s/do_unlinkat") int on_fentry_s(__u64 *ctx) { hits++; return 0; }
SEC("lsm/file_open") int on_lsm(__u64 *ctx) { return 0; }
SEC("lsm.s/bprm_check_security") int on_lsm_s(__u64 *ctx) { return 0; }
SEC("tp_btf/sched_process_exec") int on_tp_btf(__u64 *ctx) { hits++; return 0; }
SEC("iter/task") int on_iter(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
