// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One map of every kernel map type up to 6.1 that a BTF definition can declare
 * (prog arrays, maps of maps and struct_ops have objects of their own; bloom
 * filters are in maps.bpf.c; cgroup storage in storage.bpf.c, the arena in
 * arena.bpf.c), each with the definition its kernel rules ask for.
 *
 * On the first syscall of the target process, produce() uses the ones a raw_tp
 * program can: writes records into a ring buffer (rb, whose odd max_entries the
 * skeleton rounds to a power-of-2 multiple of the loading machine's page size) and
 * into a perf event array (events, sized by the number of possible CPUs at load),
 * drains a user ring buffer the test filled (urb), looks up an LPM trie the test
 * filled and adds a prefix to it, pops what the test pushed into a queue and a stack
 * and pushes its own, records its kernel stack (stacks) and writes into an mmapable
 * array the test reads through mmap (shared_mem). The storage maps are reached from
 * userspace (a task's pidfd, a socket, a file) and, for task storage, by
 * task_storage() on every syscall of the target. The device, socket and cgroup maps
 * are only created: their use needs attachments outside this test's reach.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define RB_RECORDS 3
#define STACK_DEPTH 16

struct rec {
	__u32 seq;
	__u32 magic;		/* 0x5eed0000 + seq */
	__u64 pid_tgid;
};

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);	/* not a page multiple: rounded at load */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));	/* no max_entries: one per possible CPU */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16);
	__type(key, struct lpm_key);
	__type(value, __u32);
} trie SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u32);
} lifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} shared_mem SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} sk_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} inode_store SEC(".maps");

/* created only */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} devs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} devs_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} sock_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} reuse SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} cg_storage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} pcpu_cg_storage SEC(".maps");

const volatile int target_tgid = 0;

__u64 done = 0;
__u32 rb_written = 0;		/* records bpf_ringbuf_output/submit accepted */
long perf_ret = -1;		/* bpf_perf_event_output: 0 */
long drained = -1;		/* bpf_user_ringbuf_drain: records consumed */
__u64 drained_sum = 0;		/* their values added up */
__u32 lpm_found = 0;		/* trie value of 10.1.2.3: the longest prefix's */
__u32 popped_fifo = 0;		/* what the test pushed first */
__u32 popped_lifo = 0;		/* what the test pushed last */
long stack_id = -1;		/* bpf_get_stackid */
__u64 task_hits = 0;		/* task_storage() runs that found the storage */

static long drain_one(struct bpf_dynptr *dynptr, void *ctx)
{
	__u64 v = 0;

	if (!bpf_dynptr_read(&v, sizeof(v), dynptr, 0, 0))
		drained_sum += v;
	return 0;
}

static void ringbuf(void)
{
	struct rec r = { .pid_tgid = bpf_get_current_pid_tgid() };
	struct rec *p;
	__u32 i;

	for (i = 0; i < RB_RECORDS - 1; i++) {
		r.seq = i;
		r.magic = 0x5eed0000 + i;
		if (!bpf_ringbuf_output(&rb, &r, sizeof(r), 0))
			rb_written++;
	}
	p = bpf_ringbuf_reserve(&rb, sizeof(*p), 0);
	if (!p)
		return;
	p->seq = RB_RECORDS - 1;
	p->magic = 0x5eed0000 + RB_RECORDS - 1;
	p->pid_tgid = r.pid_tgid;
	bpf_ringbuf_submit(p, 0);
	rb_written++;
}

static void lpm_and_queues(void)
{
	struct lpm_key k = { .prefixlen = 32, .addr = { 10, 1, 2, 3 } };
	struct lpm_key add = { .prefixlen = 16, .addr = { 192, 168, 0, 0 } };
	__u32 *v, val = 0xc0a8, i;

	v = bpf_map_lookup_elem(&trie, &k);
	if (v)
		lpm_found = *v;
	bpf_map_update_elem(&trie, &add, &val, BPF_ANY);

	bpf_map_pop_elem(&fifo, &popped_fifo);
	bpf_map_pop_elem(&lifo, &popped_lifo);
	for (i = 1; i <= 3; i++) {
		val = 100 + i;
		bpf_map_push_elem(&fifo, &val, 0);
		bpf_map_push_elem(&lifo, &val, 0);
	}
}

SEC("raw_tp/sys_enter")
int produce(void *ctx)
{
	struct rec r = { .seq = 7, .magic = 0x9e4f };
	__u32 k = 2;
	__u64 *slot;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (__sync_fetch_and_add(&done, 1))
		return 0;
	ringbuf();
	r.pid_tgid = bpf_get_current_pid_tgid();
	perf_ret = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &r, sizeof(r));
	drained = bpf_user_ringbuf_drain(&urb, drain_one, NULL, 0);
	lpm_and_queues();
	stack_id = bpf_get_stackid(ctx, &stacks, 0);
	slot = bpf_map_lookup_elem(&shared_mem, &k);
	if (slot)
		*slot = 0xfeed;
	return 0;
}

SEC("tp_btf/sys_enter")
int task_storage(u64 *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 *v;

	if (task->tgid != target_tgid)
		return 0;
	v = bpf_task_storage_get(&task_store, task, 0, 0);
	if (!v)
		return 0;
	__sync_fetch_and_add(v, 1);
	__sync_fetch_and_add(&task_hits, 1);
	return 0;
}
