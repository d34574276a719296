// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Differential test: one object loaded twice, by libbpf (bpf_object__open_file +
 * bpf_object__load) and by its light skeleton, must leave the kernel in the same
 * state. Built once per object with -DSKEL_HEADER="x.lskel.h" -DSKEL_NAME=x_bpf;
 * run as `differential OBJ.bpf.o`.
 *
 * libbpf opens the object under the skeleton's name, as bpftool does when it
 * generates a skeleton, so internal maps get the same names ("x_bpf.rodata").
 * Programs are paired by the name the kernel reports, maps likewise, so neither
 * side's ordering matters. For each map: type, key/value size, max_entries, flags,
 * map_extra, which BTF ids are set, frozen, and the contents of arrays. For each
 * program: type, GPL flag, attach BTF target, verified insn count, func_info and
 * line_info (by function name, file and line, not BTF ids), the maps it uses, and
 * the translated instructions with map ids turned into map names and kernel
 * addresses (JIT results, helper-internal pointers) masked. The kernel reports no
 * expected_attach_type for a program, but a link does: tracing and lsm programs
 * are attached for a moment and their links' attach types compared. prog_flags
 * (sleepable) shows only through the verifier's result. Program tags are not
 * compared: the kernel hashes the instructions as submitted, so they depend on how
 * the loader encodes map references (fd vs fd_array index) and where CO-RE was
 * applied, not on the result.
 *
 * -DSKEL_TYPES="x.h" names a header with the types a skeleton refers to.
 *
 * A map declared with max_entries 0 needs a size from the user on both sides:
 * -DZERO_MAP=name gives it one. Objects libbpf itself cannot load here are skipped,
 * with libbpf's messages (and the verifier's refusal) in the reason.
 *
 * Maps holding maps or programs (map-in-map, prog arrays) are compared entry by
 * entry through the names of what their entries hold. -DAUTOLOAD_ALL turns every
 * program on, on both sides (libbpf 1.1 cannot fill a prog-array entry with a
 * program it did not load). -DPIN_MAPS mounts a bpffs of its own and gives each
 * side a pin root in it, so both create and pin their maps; the pins and the
 * mount are removed before the final check.
 *
 * -DKCONFIG_DIFFERS_AT=N: byte N of the .kconfig map holds a value libbpf works out
 * otherwise (the reason is in meson.build's diff_args); both values are printed and
 * that byte is not compared.
 */
#include <dirent.h>
#include <sys/mount.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "testlib.h"
#ifdef SKEL_TYPES
#include SKEL_TYPES
#endif
#include SKEL_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SKEL_FN(f) CAT(SKEL_NAME, f)
#define STR_(x) #x
#define STR(x) STR_(x)

#define ZERO_MAP_SIZE 16
#define MAX_OBJS 64

struct side {
	const char *what;		/* "libbpf" or "lskel" */
	int map_fds[MAX_OBJS], nr_maps;
	int prog_fds[MAX_OBJS], nr_progs;
};

static void side__add(struct side *s, int is_map, int fd)
{
	int *nr = is_map ? &s->nr_maps : &s->nr_progs;

	if (*nr == MAX_OBJS)
		fail("%s: more than %d objects", s->what, MAX_OBJS);
	(is_map ? s->map_fds : s->prog_fds)[(*nr)++] = fd;
}

//
// maps
//

/* Name of the map behind a kernel map id, as the instruction dump carries ids. */
static void map_name_by_id(__u32 id, char *name)
{
	struct bpf_map_info info;
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0 || map_info(fd, &info))
		fail("map id %u: %s", id, strerror(errno));
	memcpy(name, info.name, BPF_OBJ_NAME_LEN);
	close(fd);
}

static int fd_frozen(int fd)
{
	char path[64], line[128];
	int frozen = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		fail("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		sscanf(line, "frozen: %d", &frozen);
	fclose(f);
	return frozen;
}

static int find_map(const struct side *s, const char *name, struct bpf_map_info *info)
{
	int i;

	for (i = 0; i < s->nr_maps; i++) {
		if (map_info(s->map_fds[i], info))
			fail("%s: map info: %s", s->what, strerror(errno));
		if (!strcmp(info->name, name))
			return s->map_fds[i];
	}
	fail("%s has no map '%s'", s->what, name);
}

/* Array contents, element by element: initial images must match. */
static void cmp_array(const char *name, int fa, int fb, const struct bpf_map_info *info)
{
	size_t sz = info->value_size;
	char *va = calloc(1, sz), *vb = calloc(1, sz);
	__u32 k;

	if (!va || !vb)
		fail("out of memory");
	for (k = 0; k < info->max_entries; k++) {
		if (map_lookup(fa, &k, va) || map_lookup(fb, &k, vb))
			fail("map '%s'[%u]: lookup: %s", name, k, strerror(errno));
#ifdef KCONFIG_DIFFERS_AT
		if (strstr(name, ".kconfig") && KCONFIG_DIFFERS_AT < sz) {
			printf("map %s: byte %d not compared: %u vs %u\n", name, KCONFIG_DIFFERS_AT,
			       (__u8)va[KCONFIG_DIFFERS_AT], (__u8)vb[KCONFIG_DIFFERS_AT]);
			vb[KCONFIG_DIFFERS_AT] = va[KCONFIG_DIFFERS_AT];
		}
#endif
		if (memcmp(va, vb, sz)) {
			size_t i = 0;

			while (va[i] == vb[i])
				i++;
			fail("map '%s'[%u]: contents differ at byte %zu: 0x%02x != 0x%02x", name,
			     k, i, (__u8)va[i], (__u8)vb[i]);
		}
	}
	free(va);
	free(vb);
}

#define CMP_FIELD(name, a, b, f)					\
	do {								\
		if ((a)->f != (b)->f)					\
			fail("map '%s': " #f " %llu != %llu", name,	\
			     (unsigned long long)(a)->f, (unsigned long long)(b)->f); \
	} while (0)

/* The name of the map or program whose id an entry of a holder map holds. */
static void held_name(__u32 type, __u32 id, char *name)
{
	struct bpf_prog_info info;
	int fd;

	if (type != BPF_MAP_TYPE_PROG_ARRAY) {
		map_name_by_id(id, name);
		return;
	}
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0 || prog_info(fd, &info))
		fail("prog id %u: %s", id, strerror(errno));
	memcpy(name, info.name, BPF_OBJ_NAME_LEN);
	close(fd);
}

static int nr_keys(int fd)
{
	__u64 key, next;
	int nr = 0;

	while (!map_next_key(fd, nr ? &key : NULL, &next)) {
		key = next;
		nr++;
	}
	return nr;
}

/* Entry key of holder map fd as a name ("" if empty); key_size is at most 8 here. */
static void held_at(int fd, __u32 type, const void *key, char *name)
{
	__u32 id = 0;

	name[0] = '\0';
	if (map_lookup(fd, key, &id)) {
		if (errno != ENOENT)
			fail("holder lookup: %s", strerror(errno));
		return;
	}
	held_name(type, id, name);
}

/* Map-in-map and prog-array entries: the same keys hold objects of the same names. */
static void cmp_holder(const char *name, int fa, int fb, const struct bpf_map_info *info)
{
	char na[BPF_OBJ_NAME_LEN], nb[BPF_OBJ_NAME_LEN];
	__u64 key = 0, next;
	int nr = 0, first = 1;

	for (;;) {
		if (info->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
			if (map_next_key(fa, first ? NULL : &key, &next))
				break;
			key = next;
		} else if (key + !first >= info->max_entries) {
			break;
		} else {
			key += !first;
		}
		first = 0;
		held_at(fa, info->type, &key, na);
		held_at(fb, info->type, &key, nb);
		if (strcmp(na, nb))
			fail("map '%s': entry %llu holds '%s' != '%s'", name,
			     (unsigned long long)key, na, nb);
		nr += na[0] != 0;
	}
	if (info->type == BPF_MAP_TYPE_HASH_OF_MAPS && nr_keys(fb) != nr)
		fail("map '%s': %d entries != %d", name, nr, nr_keys(fb));
	printf("map %s: %d entries hold the same objects\n", name, nr);
}

static int is_holder(__u32 type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS ||
	       type == BPF_MAP_TYPE_PROG_ARRAY;
}

static void cmp_map(const char *name, int fa, int fb)
{
	struct bpf_map_info a, b;

	map_info(fa, &a);
	map_info(fb, &b);
	CMP_FIELD(name, &a, &b, type);
	CMP_FIELD(name, &a, &b, key_size);
	CMP_FIELD(name, &a, &b, value_size);
	CMP_FIELD(name, &a, &b, max_entries);
	CMP_FIELD(name, &a, &b, map_flags);
	CMP_FIELD(name, &a, &b, map_extra);
	CMP_FIELD(name, &a, &b, btf_vmlinux_value_type_id);
	if (!a.btf_key_type_id != !b.btf_key_type_id ||
	    !a.btf_value_type_id != !b.btf_value_type_id || !a.btf_id != !b.btf_id)
		fail("map '%s': BTF (id, key, value) %u %u %u != %u %u %u", name, a.btf_id,
		     a.btf_key_type_id, a.btf_value_type_id, b.btf_id, b.btf_key_type_id,
		     b.btf_value_type_id);
	if (fd_frozen(fa) != fd_frozen(fb))
		fail("map '%s': frozen %d != %d", name, fd_frozen(fa), fd_frozen(fb));
	if (a.type == BPF_MAP_TYPE_ARRAY)
		cmp_array(name, fa, fb, &a);
	if (is_holder(a.type))
		cmp_holder(name, fa, fb, &a);
	printf("map %s: type %u, key %u, value %u, max %u, flags 0x%x: same\n", name, a.type,
	       a.key_size, a.value_size, a.max_entries, a.map_flags);
}

/* Every map of a has a twin in b; with full set, an equal one. */
static void cmp_maps(const struct side *a, const struct side *b, int full)
{
	struct bpf_map_info ia, ib;
	int i, fb;

	if (a->nr_maps != b->nr_maps)
		fail("%d maps from %s, %d from %s", a->nr_maps, a->what, b->nr_maps, b->what);
	for (i = 0; i < a->nr_maps; i++) {
		if (map_info(a->map_fds[i], &ia))
			fail("%s: map info: %s", a->what, strerror(errno));
		fb = find_map(b, ia.name, &ib);
		if (full)
			cmp_map(ia.name, a->map_fds[i], fb);
	}
}

//
// programs
//

struct prog_dump {
	struct bpf_prog_info info;
	struct bpf_insn *insns;
	__u32 nr_insns;
	char (*map_names)[BPF_OBJ_NAME_LEN];	/* per insn: map of an ld_imm64, or "" */
	__u32 *map_ids;
	struct bpf_func_info *funcs;
	struct bpf_line_info *lines;
	struct btf *btf;
};

static void prog_dump__fetch(struct prog_dump *d, int fd)
{
	struct bpf_prog_info *info = &d->info;
	__u32 nr_maps, nr_funcs, nr_lines, len = sizeof(*info);

	memset(d, 0, sizeof(*d));
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		fail("prog info: %s", strerror(errno));
	d->nr_insns = info->xlated_prog_len / sizeof(struct bpf_insn);
	nr_maps = info->nr_map_ids;
	nr_funcs = info->nr_func_info;
	nr_lines = info->nr_line_info;
	d->insns = calloc(d->nr_insns + 1, sizeof(*d->insns));
	d->map_names = calloc(d->nr_insns + 1, sizeof(*d->map_names));
	d->map_ids = calloc(nr_maps + 1, sizeof(*d->map_ids));
	d->funcs = calloc(nr_funcs + 1, sizeof(*d->funcs));
	d->lines = calloc(nr_lines + 1, sizeof(*d->lines));
	if (!d->insns || !d->map_names || !d->map_ids || !d->funcs || !d->lines)
		fail("out of memory");

	memset(info, 0, sizeof(*info));
	info->xlated_prog_len = d->nr_insns * sizeof(struct bpf_insn);
	info->xlated_prog_insns = (__u64)(unsigned long)d->insns;
	info->nr_map_ids = nr_maps;
	info->map_ids = (__u64)(unsigned long)d->map_ids;
	info->nr_func_info = nr_funcs;
	info->func_info_rec_size = sizeof(struct bpf_func_info);
	info->func_info = (__u64)(unsigned long)d->funcs;
	info->nr_line_info = nr_lines;
	info->line_info_rec_size = sizeof(struct bpf_line_info);
	info->line_info = (__u64)(unsigned long)d->lines;
	len = sizeof(*info);
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		fail("prog info: %s", strerror(errno));
	if (info->btf_id) {
		d->btf = btf__load_from_kernel_by_id(info->btf_id);
		if (!d->btf)
			fail("prog '%s': BTF id %u: %s", info->name, info->btf_id, strerror(errno));
	}
}

static void prog_dump__free(struct prog_dump *d)
{
	free(d->insns);
	free(d->map_names);
	free(d->map_ids);
	free(d->funcs);
	free(d->lines);
	btf__free(d->btf);
}

static int is_kernel_addr(__u64 v)
{
	return (v >> 48) == 0xffff;
}

/*
 * Makes the dump comparable: a map reference keeps its kind and offset but its id
 * becomes the map's name; a kernel address in any other ld_imm64 (JITed callback
 * address, helper-internal pointer, ksym) becomes 0, as it differs between loads.
 */
static void prog_dump__normalise(struct prog_dump *d)
{
	__u32 i;

	for (i = 0; i + 1 < d->nr_insns; i++) {
		struct bpf_insn *in = &d->insns[i];
		__u64 v;

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		v = (__u32)in[0].imm | ((__u64)(__u32)in[1].imm << 32);
		if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			map_name_by_id(in->imm, d->map_names[i]);
			in->imm = 0;
		} else if (in->src_reg != BPF_PSEUDO_FUNC && is_kernel_addr(v)) {
			in[0].imm = 0;
			in[1].imm = 0;
		}
		i++;
	}
}

static const char *btf_str(const struct btf *btf, __u32 off)
{
	const char *s = btf ? btf__str_by_offset(btf, off) : NULL;

	return s ? s : "?";
}

static const char *func_name(const struct prog_dump *d, __u32 i)
{
	const struct btf_type *t = d->btf ? btf__type_by_id(d->btf, d->funcs[i].type_id) : NULL;

	return t ? btf_str(d->btf, t->name_off) : "?";
}

static void cmp_insns(const char *name, struct prog_dump *a, struct prog_dump *b)
{
	__u32 i;

	if (a->nr_insns != b->nr_insns)
		fail("prog '%s': %u xlated insns != %u", name, a->nr_insns, b->nr_insns);
	for (i = 0; i < a->nr_insns; i++) {
		const struct bpf_insn *x = &a->insns[i], *y = &b->insns[i];

		if (memcmp(x, y, sizeof(*x)) || strcmp(a->map_names[i], b->map_names[i]))
			fail("prog '%s': insn %u differs: code 0x%02x dst %u src %u off %d imm %d "
			     "map '%s' != code 0x%02x dst %u src %u off %d imm %d map '%s'",
			     name, i, x->code, x->dst_reg, x->src_reg, x->off, x->imm,
			     a->map_names[i], y->code, y->dst_reg, y->src_reg, y->off, y->imm,
			     b->map_names[i]);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The maps a program uses, as one sorted, space-separated list of names. */
static char *used_maps(const struct prog_dump *d)
{
	__u32 i, n = d->info.nr_map_ids;
	char (*names)[BPF_OBJ_NAME_LEN] = calloc(n + 1, BPF_OBJ_NAME_LEN);
	char *list = calloc(n + 1, BPF_OBJ_NAME_LEN + 1);

	if (!names || !list)
		fail("out of memory");
	for (i = 0; i < n; i++)
		map_name_by_id(d->map_ids[i], names[i]);
	qsort(names, n, BPF_OBJ_NAME_LEN, cmp_name);
	for (i = 0; i < n; i++) {
		strcat(list, i ? " " : "");
		strcat(list, names[i]);
	}
	free(names);
	return list;
}

static void cmp_used_maps(const char *name, struct prog_dump *a, struct prog_dump *b)
{
	char *la = used_maps(a), *lb = used_maps(b);

	if (strcmp(la, lb))
		fail("prog '%s': uses maps [%s] != [%s]", name, la, lb);
	free(la);
	free(lb);
}

static void cmp_func_info(const char *name, struct prog_dump *a, struct prog_dump *b)
{
	__u32 i;

	if (a->info.nr_func_info != b->info.nr_func_info)
		fail("prog '%s': %u func_info != %u", name, a->info.nr_func_info,
		     b->info.nr_func_info);
	for (i = 0; i < a->info.nr_func_info; i++)
		if (a->funcs[i].insn_off != b->funcs[i].insn_off ||
		    strcmp(func_name(a, i), func_name(b, i)))
			fail("prog '%s': func_info #%u: %s at %u != %s at %u", name, i,
			     func_name(a, i), a->funcs[i].insn_off, func_name(b, i),
			     b->funcs[i].insn_off);
}

static void cmp_line_info(const char *name, struct prog_dump *a, struct prog_dump *b)
{
	__u32 i;

	if (a->info.nr_line_info != b->info.nr_line_info)
		fail("prog '%s': %u line_info != %u", name, a->info.nr_line_info,
		     b->info.nr_line_info);
	for (i = 0; i < a->info.nr_line_info; i++) {
		const struct bpf_line_info *x = &a->lines[i], *y = &b->lines[i];

		if (x->insn_off != y->insn_off || x->line_col != y->line_col ||
		    strcmp(btf_str(a->btf, x->file_name_off), btf_str(b->btf, y->file_name_off)) ||
		    strcmp(btf_str(a->btf, x->line_off), btf_str(b->btf, y->line_off)))
			fail("prog '%s': line_info #%u: insn %u line %u:%u '%s' != insn %u line "
			     "%u:%u '%s'", name, i, x->insn_off, BPF_LINE_INFO_LINE_NUM(x->line_col),
			     BPF_LINE_INFO_LINE_COL(x->line_col), btf_str(a->btf, x->line_off),
			     y->insn_off, BPF_LINE_INFO_LINE_NUM(y->line_col),
			     BPF_LINE_INFO_LINE_COL(y->line_col), btf_str(b->btf, y->line_off));
	}
}

/*
 * The expected_attach_type of a tracing or lsm program, read from a link made for
 * the purpose and closed again; -1 for program types without one to read. The
 * kind of link tells iterators and tp_btf apart; other tracing links say it.
 * raw_tracepoint_open() takes tp_btf/fentry/fexit/fmod_ret, link_create() iterators
 * (which it alone accepts) and lsm.
 */
static int attach_type(int prog_fd, const struct bpf_prog_info *info)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	struct bpf_link_info link;
	int fd = -1;

	if (info->type == BPF_PROG_TYPE_TRACING) {
		fd = bpf_raw_tracepoint_open(NULL, prog_fd);
		if (fd < 0)
			fd = bpf_link_create(prog_fd, 0, BPF_TRACE_ITER, &opts);
	} else if (info->type == BPF_PROG_TYPE_LSM) {
		fd = bpf_link_create(prog_fd, 0, BPF_LSM_MAC, &opts);
	} else {
		return -1;
	}
	if (fd < 0)
		fail("prog '%s': cannot attach to learn its attach type: %s", info->name,
		     strerror(errno));
	if (link_info(fd, &link))
		fail("prog '%s': link info: %s", info->name, strerror(errno));
	close(fd);
	switch (link.type) {
	case BPF_LINK_TYPE_ITER:
		return BPF_TRACE_ITER;
	case BPF_LINK_TYPE_RAW_TRACEPOINT:	/* the kernel makes one for tp_btf only */
		return BPF_TRACE_RAW_TP;
	default:
		return link.tracing.attach_type;
	}
}

#define CMP_INFO(name, a, b, f)						\
	do {								\
		if ((a)->info.f != (b)->info.f)				\
			fail("prog '%s': " #f " %llu != %llu", name,	\
			     (unsigned long long)(a)->info.f,		\
			     (unsigned long long)(b)->info.f);		\
	} while (0)

static void cmp_prog(const char *name, int fa, int fb)
{
	struct prog_dump a, b;
	int at;

	prog_dump__fetch(&a, fa);
	prog_dump__fetch(&b, fb);
	CMP_INFO(name, &a, &b, type);
	CMP_INFO(name, &a, &b, gpl_compatible);
	CMP_INFO(name, &a, &b, attach_btf_obj_id);
	CMP_INFO(name, &a, &b, attach_btf_id);
	CMP_INFO(name, &a, &b, verified_insns);
	if (!a.info.btf_id != !b.info.btf_id)
		fail("prog '%s': BTF id %u vs %u", name, a.info.btf_id, b.info.btf_id);
	at = attach_type(fa, &a.info);
	if (at != attach_type(fb, &b.info))
		fail("prog '%s': expected_attach_type %d != %d", name, at,
		     attach_type(fb, &b.info));
	cmp_used_maps(name, &a, &b);
	cmp_func_info(name, &a, &b);
	cmp_line_info(name, &a, &b);
	prog_dump__normalise(&a);
	prog_dump__normalise(&b);
	cmp_insns(name, &a, &b);
	printf("prog %s: type %u, attach type %d, %u insns, %u funcs, %u lines, %u maps: same\n",
	       name, a.info.type, at, a.nr_insns, a.info.nr_func_info, a.info.nr_line_info,
	       a.info.nr_map_ids);
	prog_dump__free(&a);
	prog_dump__free(&b);
}

static int find_prog(const struct side *s, const char *name)
{
	struct bpf_prog_info info;
	int i;

	for (i = 0; i < s->nr_progs; i++) {
		if (prog_info(s->prog_fds[i], &info))
			fail("%s: prog info: %s", s->what, strerror(errno));
		if (!strcmp(info.name, name))
			return s->prog_fds[i];
	}
	fail("%s has no program '%s'", s->what, name);
}

/* Every program of a has a twin in b; with full set, an equal one. */
static void cmp_progs(const struct side *a, const struct side *b, int full)
{
	struct bpf_prog_info info;
	int i;

	if (a->nr_progs != b->nr_progs)
		fail("%d programs from %s, %d from %s", a->nr_progs, a->what, b->nr_progs,
		     b->what);
	for (i = 0; i < a->nr_progs; i++) {
		int fb;

		prog_info(a->prog_fds[i], &info);
		fb = find_prog(b, info.name);
		if (full)
			cmp_prog(info.name, a->prog_fds[i], fb);
	}
}

//
// the two loads
//

/*
 * What libbpf said, for the skip line when it gives up (its whole output goes to
 * stderr anyway): its messages in order, one line each, but the closing "failed to
 * load object"; of a verifier log only the last line before the statistics, which
 * names the refusal.
 */
static char libbpf_said[1024];

/* Appends the line of text starting at line to libbpf_said, after a "; ". */
static void libbpf_said__add(const char *prefix, const char *line)
{
	size_t len = strlen(libbpf_said);

	snprintf(libbpf_said + len, sizeof(libbpf_said) - len, "%s%s%.*s", len ? "; " : "",
		 prefix, (int)strcspn(line, "\n"), line);
}

/* The verifier's last word in a log block: the last line but statistics and END. */
static void libbpf_said__log(const char *log)
{
	const char *line, *last = NULL;

	for (line = strchr(log, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (line[1] != '\n' && strncmp(line + 1, "processed ", 10) &&
		    strncmp(line + 1, "-- END", 6))
			last = line + 1;
	if (last)
		libbpf_said__add("verifier: ", last);
}

static void libbpf_remember(const char *msg)
{
	const char *log = strstr(msg, "-- BEGIN PROG LOAD LOG --");

	if (log)
		libbpf_said__log(log);
	else if (!strstr(msg, "failed to load object"))
		libbpf_said__add("", strncmp(msg, "libbpf: ", 8) ? msg : msg + 8);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[4096];
	va_list again;

	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(again, ap);
	vsnprintf(msg, sizeof(msg), fmt, again);
	va_end(again);
	libbpf_remember(msg);
	return vfprintf(stderr, fmt, ap);
}

/* Skips: libbpf 1.1 cannot open or load path (load), with what it said. */
static void __attribute__((noreturn)) libbpf_refused(int load, const char *path, int err)
{
	skip("libbpf 1.1 cannot %s %s%s: %s (libbpf: %s)", load ? "load" : "open", path,
	     load ? " on this kernel" : "", strerror(err),
	     libbpf_said[0] ? libbpf_said : "nothing more");
}

#ifdef PIN_MAPS
static char pin_mnt[64], pin_libbpf[96], pin_lskel[96];

/* A bpffs of our own: each side pins into its own directory there. */
static void pins_mount(void)
{
	strcpy(pin_mnt, "/tmp/lskel-diff-XXXXXX");
	if (!mkdtemp(pin_mnt))
		fail("mkdtemp: %s", strerror(errno));
	if (mount("bpf", pin_mnt, "bpf", 0, NULL)) {
		int err = errno;

		rmdir(pin_mnt);
		skip("cannot mount a bpffs: %s", strerror(err));
	}
	snprintf(pin_libbpf, sizeof(pin_libbpf), "%s/libbpf", pin_mnt);
	snprintf(pin_lskel, sizeof(pin_lskel), "%s/lskel", pin_mnt);
}

/* The names pinned in dir, sorted and space-separated into buf. */
static void pins_list(const char *dir, char *buf, size_t size)
{
	char names[64][64];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			snprintf(names[n++], sizeof(names[0]), "%.63s", de->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_name);
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? " " : "", names[i]);
}

/* Both sides pinned the same maps. */
static void pins_compare(void)
{
	char a[1024], b[1024];

	pins_list(pin_libbpf, a, sizeof(a));
	pins_list(pin_lskel, b, sizeof(b));
	if (strcmp(a, b))
		fail("pinned maps [%s] != [%s]", a, b);
	printf("pinned on both sides: %s\n", a);
}

/* Every pin goes, then the mount: the kernel frees the maps once the fds close. */
static void pins_cleanup(void)
{
	const char *dirs[] = { pin_libbpf, pin_lskel };
	char path[512];
	struct dirent *de;

	if (!pin_mnt[0])
		return;
	for (int i = 0; i < 2; i++) {
		DIR *d = opendir(dirs[i]);

		while (d && (de = readdir(d))) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], de->d_name);
			if (de->d_name[0] != '.')
				unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(dirs[i]);
	}
	umount(pin_mnt);
	rmdir(pin_mnt);
	pin_mnt[0] = '\0';
}
#define PIN_ROOT_LIBBPF pin_libbpf
#else
#define PIN_ROOT_LIBBPF NULL
#endif

static struct bpf_object *load_libbpf(const char *path, struct side *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = STR(SKEL_NAME),
		    .pin_root_path = PIN_ROOT_LIBBPF);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	if (!obj)	/* lskel gen took it: only libbpf 1.1 is short (struct_ops.s, ...) */
		libbpf_refused(0, path, errno);
#ifdef AUTOLOAD_ALL
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, true);
#endif
#ifdef ZERO_MAP
	map = bpf_object__find_map_by_name(obj, STR(ZERO_MAP));
	if (!map || bpf_map__set_max_entries(map, ZERO_MAP_SIZE))
		fail("libbpf: map '%s' to resize", STR(ZERO_MAP));
#endif
	err = bpf_object__load(obj);
	if (err)
		libbpf_refused(1, path, -err);
	s->what = "libbpf";
	bpf_object__for_each_map(map, obj)
		side__add(s, 1, bpf_map__fd(map));
	bpf_object__for_each_program(prog, obj)
		if (bpf_program__fd(prog) >= 0)
			side__add(s, 0, bpf_program__fd(prog));
	return obj;
}

static struct SKEL_NAME *load_skel(struct side *s)
{
	struct SKEL_NAME *skel = SKEL_FN(__open)();
	size_t i;
	int err;

	if (!skel)
		fail(STR(SKEL_NAME) "__open");
#ifdef ZERO_MAP
	skel->maps.ZERO_MAP.max_entries = ZERO_MAP_SIZE;
#endif
#ifdef AUTOLOAD_ALL
	for (i = 0; i < SKEL_NR_PROGS(skel); i++)
		SKEL_PROG(skel, i).autoload = 1;
#endif
#ifdef PIN_MAPS
	skel->pin_root_path = pin_lskel;
#endif
	err = SKEL_FN(__load)(skel);
	if (err)
		fail(STR(SKEL_NAME) "__load: %d (%s)", err, strerror(-err));
	s->what = SKEL_FLAVOUR;
	for (i = 0; i < SKEL_NR_MAPS(skel); i++)
		side__add(s, 1, SKEL_MAP(skel, i).map_fd);
	for (i = 0; i < SKEL_NR_PROGS(skel); i++)
		if (SKEL_PROG(skel, i).prog_fd > 0)
			side__add(s, 0, SKEL_PROG(skel, i).prog_fd);
	return skel;
}

int main(int argc, char **argv)
{
	struct side lib = {}, sk = {};
	struct SKEL_NAME *skel;
	struct bpf_object *obj;
	struct tracked t = {};
	int i;

	test_begin("differential-" STR(SKEL_NAME) "-" SKEL_FLAVOUR);
	if (argc != 2)
		fail("usage: %s OBJ.bpf.o", argv[0]);
	libbpf_set_print(quiet_libbpf);
#ifdef PIN_MAPS
	pins_mount();
	atexit(pins_cleanup);
#endif
	obj = load_libbpf(argv[1], &lib);
	skel = load_skel(&sk);
	for (i = 0; i < lib.nr_maps; i++)
		tracked__add(&t, OBJ_MAP, lib.map_fds[i]);
	for (i = 0; i < lib.nr_progs; i++)
		tracked__add(&t, OBJ_PROG, lib.prog_fds[i]);
	tracked__add_skel(&t, skel);

	cmp_maps(&lib, &sk, 1);
	cmp_maps(&sk, &lib, 0);
	cmp_progs(&lib, &sk, 1);
	cmp_progs(&sk, &lib, 0);
#ifdef PIN_MAPS
	pins_compare();
#endif

	SKEL_FN(__destroy)(skel);
	bpf_object__close(obj);
#ifdef PIN_MAPS
	pins_cleanup();
#endif
	tracked__check_gone(&t);
	printf("differential %s: %d maps, %d programs: same\n", argv[1], lib.nr_maps,
	       lib.nr_progs);
	return 0;
}
