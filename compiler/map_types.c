/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What lskel knows about each kernel map type, in one table: which definitions the
 * kernel refuses whatever its version (so they fail here, with the map's name,
 * instead of as EINVAL at load), which ones take BTF key/value ids, and which sizes
 * only the loading machine can decide.
 *
 * Two sizes depend on the machine that loads, never on the one that generates:
 *  - a ring buffer's max_entries must be a power-of-2 multiple of the page size;
 *    libbpf rounds a user's size up to the next such multiple, and so does the
 *    skeleton's runtime, with its own page size, right before the loader runs;
 *  - a perf event array declared with max_entries 0 gets one slot per possible CPU,
 *    counted by the runtime (/sys/devices/system/cpu/possible, or the kernel's own
 *    count in a kernel module), as libbpf does.
 * Both are recorded here as m->load_size; the header writer emits the call.
 *
 * Memory a user may map (mmap(2) on skel->maps.X.map_fd, as with a libbpf-loaded
 * map): an ARRAY with BPF_F_MMAPABLE (5.5), a ring buffer (consumer page read-write,
 * producer page and data read-only), a user ring buffer (the reverse) and an arena
 * (6.9, BPF_F_MMAPABLE required, and its user address in map_extra: see
 * check_rule()). The skeleton exposes no pointer for user maps, as bpftool's does
 * not: the user maps them.
 *
 * Requires bobj__collect's maps. Breaks nothing: only flags and load_size change.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

enum map_type_flags {
	MT_NO_BTF	= 1u << 0,	/* the kernel refuses BTF key/value ids (libbpf drops them) */
	MT_NEED_BTF	= 1u << 1,	/* the kernel requires BTF key and value ids */
	MT_NO_KEY	= 1u << 2,	/* key_size must be 0 */
	MT_NO_VALUE	= 1u << 3,	/* value_size must be 0 */
	MT_NO_PREALLOC	= 1u << 4,	/* map_flags must hold BPF_F_NO_PREALLOC */
	MT_MMAPABLE	= 1u << 5,	/* map_flags must hold BPF_F_MMAPABLE */
	MT_RINGBUF	= 1u << 6,	/* max_entries: a power-of-2 multiple of the page size */
	MT_CPUS		= 1u << 7,	/* max_entries 0: the number of possible CPUs */
	MT_USER_ADDR	= 1u << 8,	/* map_extra must give the user address */
};

/*
 * Every map type up to 6.18: X(name, id, flags), with the kernel that added it.
 * Types past the table pass through unchecked, for kernels newer than lskel.
 */
#define MAP_TYPES(X)								\
	X("unspec",		  0, 0)							\
	X("hash",		  1, 0)				/* 3.19 */		\
	X("array",		  2, 0)				/* 3.19 */		\
	X("prog_array",		  3, 0)				/* 4.2 */		\
	X("perf_event_array",	  4, MT_NO_BTF | MT_CPUS)	/* 4.3 */		\
	X("percpu_hash",	  5, 0)				/* 4.6 */		\
	X("percpu_array",	  6, 0)				/* 4.6 */		\
	X("stack_trace",	  7, MT_NO_BTF)			/* 4.6 */		\
	X("cgroup_array",	  8, MT_NO_BTF)			/* 4.8 */		\
	X("lru_hash",		  9, 0)				/* 4.10 */		\
	X("lru_percpu_hash",	 10, 0)				/* 4.10 */		\
	X("lpm_trie",		 11, MT_NO_PREALLOC)		/* 4.11 */		\
	X("array_of_maps",	 12, MT_NO_BTF)			/* 4.12 */		\
	X("hash_of_maps",	 13, MT_NO_BTF)			/* 4.12 */		\
	X("devmap",		 14, MT_NO_BTF)			/* 4.14 */		\
	X("sockmap",		 15, MT_NO_BTF)			/* 4.14 */		\
	X("cpumap",		 16, MT_NO_BTF)			/* 4.15 */		\
	X("xskmap",		 17, MT_NO_BTF)			/* 4.18 */		\
	X("sockhash",		 18, MT_NO_BTF)			/* 4.18 */		\
	X("cgroup_storage",	 19, 0)				/* 4.19 */		\
	X("reuseport_sockarray", 20, 0)				/* 4.19 */		\
	X("percpu_cgroup_storage", 21, 0)			/* 4.20 */		\
	X("queue",		 22, MT_NO_BTF | MT_NO_KEY)	/* 4.20 */		\
	X("stack",		 23, MT_NO_BTF | MT_NO_KEY)	/* 4.20 */		\
	X("sk_storage",		 24, MT_NEED_BTF | MT_NO_PREALLOC)	/* 5.2 */	\
	X("devmap_hash",	 25, MT_NO_BTF)			/* 5.4 */		\
	X("struct_ops",		 26, 0)				/* 5.6 */		\
	X("ringbuf",		 27, MT_NO_KEY | MT_NO_VALUE | MT_RINGBUF)	/* 5.8 */	\
	X("inode_storage",	 28, MT_NEED_BTF | MT_NO_PREALLOC)	/* 5.10 */	\
	X("task_storage",	 29, MT_NEED_BTF | MT_NO_PREALLOC)	/* 5.11 */	\
	X("bloom_filter",	 30, MT_NO_KEY)			/* 5.16 */		\
	X("user_ringbuf",	 31, MT_NO_KEY | MT_NO_VALUE | MT_RINGBUF)	/* 6.1 */	\
	X("cgrp_storage",	 32, MT_NEED_BTF | MT_NO_PREALLOC)	/* 6.2 */	\
	X("arena",		 33, MT_NO_BTF | MT_NO_KEY | MT_NO_VALUE | MT_MMAPABLE | MT_USER_ADDR) /* 6.9 */

struct map_type {
	const char *name;
	unsigned int flags;
};

static const struct map_type map_types[] = {
#define X(name, id, flags) [id] = { name, flags },
	MAP_TYPES(X)
#undef X
};

#define NR_MAP_TYPES (sizeof(map_types) / sizeof(map_types[0]))

static const struct map_type *map_type(uint32_t type)
{
	return type < NR_MAP_TYPES ? &map_types[type] : NULL;
}

bool map_type__takes_btf(uint32_t type)
{
	const struct map_type *mt = map_type(type);

	return !mt || !(mt->flags & MT_NO_BTF);
}

/* One rule of the table against one definition; 0 if it holds. */
static int check_rule(struct bobj *o, const struct bmap *m, const struct map_type *mt)
{
	const char *map = m->name, *type = mt->name;

	if ((mt->flags & MT_NO_KEY) && m->key_size)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps have no key, yet key_size is %u",
				 map, type, m->key_size);
	if ((mt->flags & MT_NO_VALUE) && m->value_size)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps have no value, yet value_size is %u",
				 map, type, m->value_size);
	if ((mt->flags & MT_NO_PREALLOC) && !(m->map_flags & BPF_F_NO_PREALLOC))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps need map_flags BPF_F_NO_PREALLOC",
				 map, type);
	if ((mt->flags & MT_MMAPABLE) && !(m->map_flags & BPF_F_MMAPABLE))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps need map_flags BPF_F_MMAPABLE",
				 map, type);
	if ((mt->flags & MT_NEED_BTF) && (!m->btf_key_type_id || !m->btf_value_type_id))
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps need __type(key, ...) and __type(value, ...): the kernel requires their BTF",
				 map, type);
	/*
	 * The verifier wants an arena's user address when a program using it loads.
	 * libbpf mmap()s the arena between map creation and program loads; the loader
	 * does both in one run, so only map_extra can give it.
	 */
	if ((mt->flags & MT_USER_ADDR) && !m->map_extra)
		return bobj__err(o, -EINVAL, "sec '.maps': map '%s': %s maps need map_extra (the user address to mmap() them at): a light skeleton loads programs before anything can mmap() the map",
				 map, type);
	return 0;
}

static enum bmap_load_size load_size(const struct bmap *m, const struct map_type *mt)
{
	if (mt->flags & MT_RINGBUF)
		return BMAP_SIZE_RINGBUF;
	if ((mt->flags & MT_CPUS) && !m->max_entries)
		return BMAP_SIZE_CPUS;
	return BMAP_SIZE_AS_IS;
}

int bobj__check_map_types(struct bobj *o)
{
	int err = 0;

	for (size_t i = 0; i < o->nr_maps && !err; i++) {
		struct bmap *m = &o->maps[i];
		const struct map_type *mt = map_type(m->type);

		if (m->kind != BMAP_USER || !mt || !mt->name)
			continue;
		err = check_rule(o, m, mt);
		m->load_size = load_size(m, mt);
	}
	return err;
}
