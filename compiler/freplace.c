/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * freplace: BPF_PROG_TYPE_EXT programs that replace a global function of another
 * program of the same object.
 *
 * The kernel loads an extension against one loaded program: attach_prog_fd is that
 * program's fd and attach_btf_id the replaced function's type id in the BTF the
 * program was loaded with. Our programs load with the object's BTF, whose type ids
 * the compiler keeps (btf.c edits types in place and adds at the end only), so the
 * id is the FUNC's id in o->btf, known at generation. The program is the one whose
 * func_info holds that id: relocation appended the function to every program that
 * calls it, and the kernel picks the subprogram to replace by that same record. A
 * function reached from several programs is refused: SEC("freplace/f") cannot say
 * which one to extend. libbpf cannot do this at all (it wants the target's fd from
 * the user before the load, bpf_program__set_attach_target()); the loader can, as it
 * loads the target first.
 *
 * At load, extensions come after every other program (build_trace.c), and their
 * attach_prog_fd is the target's fd slot. A target the user turned off (autoload 0)
 * leaves that slot at -1, so the extension's load fails (EINVAL) and its step
 * names both programs: an extension never loads without what it extends. NAME__attach()
 * attaches with BPF_RAW_TRACEPOINT_OPEN and no name: the kernel takes the target the
 * load named (ATTACH_EXT).
 *
 * Requires bobj__relocate's func_info; sets ext_target and attach_btf_id of EXT programs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Whether p's func_info names BTF type id; the kernel looks the target up likewise. */
static bool prog_has_func(const struct bprog *p, uint32_t id)
{
	const uint8_t *rec = p->func_info;

	for (uint32_t i = 0; i < p->nr_func_info; i++, rec += p->func_info_rec_size) {
		const struct bpf_func_info *fi = (const void *)rec;

		if (fi->type_id == id)
			return true;
	}
	return false;
}

/*
 * The programs (extensions aside) holding a FUNC named like p's target: how many,
 * at most two of them in holder[], the first one's FUNC id in *id.
 */
static int find_holders(const struct bobj *o, const struct bprog *p, int holder[2], uint32_t *id)
{
	uint32_t n = btf__type_cnt(o->btf);
	int nr = 0;

	for (uint32_t tid = 1; tid < n && nr < 2; tid++) {
		const struct btf_type *t = btf__type_by_id(o->btf, tid);

		if (!btf_is_func(t) || strcmp(btf__name_by_offset(o->btf, t->name_off), p->attach_target))
			continue;
		for (size_t i = 0; i < o->nr_progs && nr < 2; i++) {
			if (o->progs[i].prog_type == BPF_PROG_TYPE_EXT || !prog_has_func(&o->progs[i], tid))
				continue;
			if (!nr)
				*id = tid;
			holder[nr++] = i;
		}
	}
	return nr;
}

static int resolve_ext(struct bobj *o, struct bprog *p)
{
	int holder[2], nr;
	uint32_t id = 0;

	if (!o->btf)
		return bobj__err(o, -EINVAL, "sec '%s': prog '%s': freplace needs the object's BTF "
				 "(build with -g)", p->sec_name, p->name);
	nr = find_holders(o, p, holder, &id);
	if (!nr)
		return bobj__err(o, -ENOENT, "sec '%s': prog '%s': freplace target '%s' is not a "
				 "function of another program in this object",
				 p->sec_name, p->name, p->attach_target);
	if (nr > 1)
		return bobj__err(o, -EINVAL, "sec '%s': prog '%s': freplace target '%s' is in prog "
				 "'%s' and prog '%s': cannot tell which to extend",
				 p->sec_name, p->name, p->attach_target, o->progs[holder[0]].name,
				 o->progs[holder[1]].name);
	if (btf_vlen(btf__type_by_id(o->btf, id)) != BTF_FUNC_GLOBAL)	/* a FUNC's vlen: linkage */
		return bobj__err(o, -EINVAL, "sec '%s': prog '%s': freplace target '%s' is static or "
				 "hidden: the kernel replaces global functions only",
				 p->sec_name, p->name, p->attach_target);
	p->ext_target = holder[0];
	p->attach_btf_id = id;
	return 0;
}

int bobj__resolve_ext(struct bobj *o)
{
	int err = 0;

	for (size_t i = 0; i < o->nr_progs && !err; i++)
		if (o->progs[i].prog_type == BPF_PROG_TYPE_EXT)
			err = resolve_ext(o, &o->progs[i]);
	return err;
}

void ext__fix_prog_load(const struct bobj *o, struct trace *t, struct trace_step *s,
			const struct bprog *p)
{
	const struct bprog *target = &o->progs[p->ext_target];
	int64_t fd = bprog__trace_fd_slot(t, target);
	char *desc;

	if (fd < 0) {	/* build_trace.c loads every target before its extensions */
		t->err = t->err ?: -EINVAL;
		return;
	}
	memcpy(t->blob + s->attr_off + offsetof(union bpf_attr, attach_btf_id), &p->attach_btf_id,
	       sizeof(p->attach_btf_id));
	trace__fix(t, s, FIX_BLOB_U32, s->attr_off + offsetof(union bpf_attr, attach_prog_fd), fd, 0);
	/* a failure here is most likely the target left unloaded: say which it is */
	if (asprintf(&desc, "prog '%s', freplace of '%s' in prog '%s'", p->name, p->attach_target,
		     target->name) < 0) {
		t->err = t->err ?: -ENOMEM;
		return;
	}
	free(s->desc);
	s->desc = desc;
}
