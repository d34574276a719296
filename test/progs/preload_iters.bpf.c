// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Two iterators for a module that preloads them into every bpffs mount, as the
 * kernel's bpf_preload does (test/unit/skel_preload.c). dump_tasks() prints a
 * title, one line per task, "tgid pid comm", and a trailer counting the tasks and
 * the reads so far (nr_reads lives in .bss, so it only grows while the module's
 * programs stay loaded). dump_maps() prints a title and one line per map,
 * "id name max_entries"; it counts the maps it walked in the array preload_marker,
 * which is why that map belongs to the program and is listed while it is loaded.
 * Reading a file twice is two runs; BPF_SEQ_PRINTF's output goes to the reader.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} preload_marker SEC(".maps");

__u64 nr_tasks = 0;		/* tasks seen by the current read */
__u64 nr_reads = 0;		/* finished reads of the task file */

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(seq, "lskel preload: tasks\n");
	if (!task) {		/* the final call after the last task */
		nr_reads++;
		BPF_SEQ_PRINTF(seq, "%llu tasks, read %llu\n", nr_tasks, nr_reads);
		nr_tasks = 0;
		return 0;
	}
	nr_tasks++;
	BPF_SEQ_PRINTF(seq, "%d %d %s\n", task->tgid, task->pid, task->comm);
	return 0;
}

SEC("iter/bpf_map")
int dump_maps(struct bpf_iter__bpf_map *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct bpf_map *map = ctx->map;
	__u32 key = 0;
	__u64 *seen;

	if (ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(seq, "lskel preload: maps\n");
	if (!map)
		return 0;
	seen = bpf_map_lookup_elem(&preload_marker, &key);
	if (seen)
		__sync_fetch_and_add(seen, 1);
	BPF_SEQ_PRINTF(seq, "%u %s %u\n", map->id, map->name, map->max_entries);
	return 0;
}
