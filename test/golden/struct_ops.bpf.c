// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: struct_ops in both forms, with the object's own struct type (the
 * kernel's is only known at load time). Each map is a BPF_MAP_CREATE of
 * BPF_MAP_TYPE_STRUCT_OPS whose value_size and btf_vmlinux_value_type_id come from
 * the context (the runtime reads them from the running kernel's BTF), with BPF_F_LINK
 * for .struct_ops.link and no initial value (NAME__attach() writes it). Each program
 * takes attach_btf_id and expected_attach_type from its context record; one program
 * serves the same member of two maps, sleepable through struct_ops.s.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct lskel_golden_ops {
	int (*start)(void *ctx);
	int (*stop)(void *ctx);
	int (*idle)(void *ctx);
	char name[16];
	unsigned int flags;
};

__u64 calls;

SEC("struct_ops/start") int start(void *ctx) { calls++; return 0; }
SEC("struct_ops.s/stop") int stop(void *ctx) { return 1; }

SEC(".struct_ops") struct lskel_golden_ops legacy = {
	.start = (void *)start, .stop = (void *)stop, .name = "golden", .flags = 2,
};
SEC(".struct_ops.link") struct lskel_golden_ops linked = {
	.start = (void *)start, .name = "golden_link",
};

char LICENSE[] SEC("license") = "GPL";
