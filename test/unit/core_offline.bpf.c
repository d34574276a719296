// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE relocations for test_core_offline.c, which resolves them against a target
 * BTF it builds with another layout of the same types. Local types only (UAPI
 * headers, no vmlinux.h), so the expected values follow from the two layouts alone.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct thing {
	int a;
	char name[8];
	struct thing *next;
	unsigned int flags : 3, mode : 5;
	union {
		long u1;
		int u2;
	};
	unsigned int count;
} __attribute__((preserve_access_index));

struct thing___old {		/* a flavour with a member the target lacks */
	int removed;
} __attribute__((preserve_access_index));

struct gone {			/* no such type in the target */
	int x;
} __attribute__((preserve_access_index));

enum color { RED, GREEN = 5 };
enum color___new { PURPLE = 3 };

long out[16];

SEC("raw_tp/sys_enter")
int read_thing(void *ctx)
{
	struct thing *t = (void *)(long)bpf_get_current_task();
	struct thing___old *old = (void *)t;

	out[0] = BPF_CORE_READ(t, a);
	out[1] = BPF_CORE_READ(t, next, a);
	out[2] = bpf_core_field_size(t->name);
	out[3] = bpf_core_field_exists(t->flags);
	out[4] = BPF_CORE_READ_BITFIELD_PROBED(t, mode);
	out[5] = BPF_CORE_READ(t, u1);
	out[6] = bpf_core_type_exists(struct gone);
	out[7] = bpf_core_field_exists(old->removed);
	out[8] = bpf_core_type_size(struct thing);
	out[9] = bpf_core_enum_value(enum color, GREEN);
	out[10] = bpf_core_enum_value_exists(enum color___new, PURPLE);
	out[11] = bpf_core_type_id_kernel(struct thing);
	out[13] = t->count;		/* direct loads of fields the target widened: */
	out[14] = t->a;			/* unsigned is loaded wider, signed poisoned */
	if (out[0] == 12345)		/* resolves to nothing: poisoned, never reached */
		out[12] = BPF_CORE_READ(old, removed);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
