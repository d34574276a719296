/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Externs: .kconfig values and __ksym symbols (typeless addresses, typed kernel
 * variables, kernel functions). Nothing about them is resolved here: the skeleton's
 * runtime fills the .kconfig image on the loading machine, and the loader looks
 * ksyms and kfuncs up in the running kernel. What this file decides is layout and
 * the shape of every instruction that refers to an extern.
 *
 * Open (bobj__collect_externs, before btf.c fixes the BTF): an extern is an
 * undefined global or weak NOTYPE symbol; its BTF VAR or FUNC (extern linkage) and
 * the DATASEC holding it (.kconfig or .ksyms) give its kind and C type. Externs are
 * sorted as libbpf sorts them, so .kconfig offsets equal libbpf's: kconfig first by
 * alignment (largest first), size (smallest first) and name, then ksyms by name. The
 * two DATASECs are rewritten the way the kernel accepts them: .kconfig variables
 * become allocated at their offsets, .ksyms entries become 4-byte int variables and
 * function entries point at one added "dummy_ksym" variable (function prototypes
 * get the names the kernel wants on every parameter, extern functions become global).
 *
 * Collect (bobj__add_kconfig_map): one array map "<obj>.kconfig" after the data
 * maps, read-only for programs, mmapable, frozen once its value is written.
 *
 * Relocate (bobj__reloc_extern): a .kconfig ld_imm64 points into that map. Every
 * other use is written in its "not found" form and recorded: ld_imm64 of 0, and a
 * kfunc call turned into a call of an unknown helper whose id names the extern
 * (KFUNC_POISON + index), which the verifier removes as dead code when the program
 * guards the call with bpf_ksym_exists(), and names in its log otherwise.
 *
 * Trace (bobj__trace_extern_*): one look-up step per ksym extern, before anything is
 * created (libbpf resolves externs first too): bpf_kallsyms_lookup_name() for a
 * typeless one, bpf_btf_find_by_name_kind() for the others; a weak one treats "not
 * found" as zero. Each program load then patches its uses from the results:
 * address halves into a typeless ld_imm64; for a typed one, when found,
 * src_reg = BPF_PSEUDO_BTF_ID, the BTF id and the BTF object fd (0: vmlinux); for a
 * kfunc call, when found, src_reg = BPF_PSEUDO_KFUNC_CALL, the BTF id, and for a
 * module the index of its BTF fd in fd_array (entries reserved after the maps').
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define KCONFIG_SEC ".kconfig"
#define KSYMS_SEC ".ksyms"
/* The helper id of a call to a kfunc the kernel lacks: an id no kernel has. */
#define KFUNC_POISON 2002000000

static const char *const linux_virtuals[] = {
	"LINUX_KERNEL_VERSION", "LINUX_HAS_BPF_COOKIE", "LINUX_HAS_SYSCALL_WRAPPER",
};

static bool has_prefix(const char *s, const char *pfx)
{
	return !strncmp(s, pfx, strlen(pfx));
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	*res_id = id;
	return t;
}

static bool sym_is_extern(const GElf_Sym *sym)
{
	int bind = GELF_ST_BIND(sym->st_info);

	return sym->st_shndx == SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK) &&
	       GELF_ST_TYPE(sym->st_info) == STT_NOTYPE;
}

/* The extern's VAR or FUNC in the object's BTF, which must have extern linkage. */
static int find_btf(struct bobj *o, const char *name, uint32_t *id)
{
	uint32_t n = o->btf ? btf__type_cnt(o->btf) : 0;

	for (uint32_t i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(o->btf, i);
		const char *tname = btf__name_by_offset(o->btf, t->name_off);

		if ((!btf_is_var(t) && !btf_is_func(t)) || !tname || strcmp(tname, name))
			continue;
		if ((btf_is_var(t) && btf_var(t)->linkage != BTF_VAR_GLOBAL_EXTERN) ||
		    (btf_is_func(t) && btf_vlen(t) != BTF_FUNC_EXTERN))
			return bobj__err(o, -EINVAL, "extern '%s': BTF [%u] is not declared extern",
					 name, i);
		*id = i;
		return 0;
	}
	return bobj__err(o, -ENOENT, "extern '%s': no BTF for it (build the object with -g)", name);
}

/* The name of the DATASEC that lists BTF type id, or NULL. */
static const char *datasec_of(const struct bobj *o, uint32_t id)
{
	uint32_t n = btf__type_cnt(o->btf);

	for (uint32_t i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(o->btf, i);

		if (!btf_is_datasec(t))
			continue;
		for (uint32_t j = 0; j < btf_vlen(t); j++)
			if (btf_var_secinfos(t)[j].type == id)
				return btf__name_by_offset(o->btf, t->name_off);
	}
	return NULL;
}

/* How a config value can be stored in a variable of BTF type id (libbpf's rules). */
static enum kcfg_type kcfg_type_of(const struct btf *btf, uint32_t id, bool *is_signed)
{
	const struct btf_type *t = skip_mods(btf, id, &id);
	const char *name = t ? btf__name_by_offset(btf, t->name_off) : "";
	bool elem_signed;

	*is_signed = false;
	if (!t)
		return KCFG_UNKNOWN;
	if (btf_is_int(t)) {
		if (btf_int_encoding(t) & BTF_INT_BOOL)
			return t->size == 1 ? KCFG_BOOL : KCFG_UNKNOWN;
		*is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
		if (t->size == 1)
			return KCFG_CHAR;
		return t->size == 2 || t->size == 4 || t->size == 8 ? KCFG_INT : KCFG_UNKNOWN;
	}
	if (btf_is_any_enum(t))
		return !strcmp(name, "libbpf_tristate") && (btf_is_enum64(t) || t->size == 4) ?
		       KCFG_TRISTATE : KCFG_UNKNOWN;
	if (btf_is_array(t) && btf_array(t)->nelems &&
	    kcfg_type_of(btf, btf_array(t)->type, &elem_signed) == KCFG_CHAR)
		return KCFG_CHAR_ARR;
	return KCFG_UNKNOWN;
}

static bool is_linux_virtual(const char *name)
{
	for (size_t i = 0; i < sizeof(linux_virtuals) / sizeof(linux_virtuals[0]); i++)
		if (!strcmp(name, linux_virtuals[i]))
			return true;
	return false;
}

/*
 * What no loading machine could resolve is refused now: names the runtime does not
 * know (libbpf fails these at every load) and virtual values of the wrong type.
 */
static int check_kconfig_name(struct bobj *o, const struct bextern *e)
{
	bool numeric = e->kcfg_type == KCFG_INT || e->kcfg_type == KCFG_CHAR ||
		       e->kcfg_type == KCFG_BOOL;

	if (has_prefix(e->name, "CONFIG_"))
		return 0;
	if (is_linux_virtual(e->name)) {
		if (!numeric || (e->kcfg_type == KCFG_BOOL && !strcmp(e->name, "LINUX_KERNEL_VERSION")))
			return bobj__err(o, -EINVAL, "kconfig extern '%s': type %s cannot hold its value (an integer)",
					 e->name, kcfg_type_name(e->kcfg_type));
		return 0;
	}
	if (has_prefix(e->name, "LINUX_") && e->weak)
		return 0;	/* unknown virtual values of weak externs read 0, as in libbpf */
	if (has_prefix(e->name, "LINUX_"))
		return bobj__err(o, -EINVAL, "kconfig extern '%s': no such LINUX_ value (known: LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER; make it __weak to read 0)",
				 e->name);
	return bobj__err(o, -EINVAL, "kconfig extern '%s': names start with CONFIG_ or LINUX_",
			 e->name);
}

static int init_kconfig(struct bobj *o, struct bextern *e, const struct btf_type *t)
{
	long long sz, align;

	if (!btf_is_var(t))
		return bobj__err(o, -EINVAL, "kconfig extern '%s': a function cannot be a kconfig value",
				 e->name);
	e->kind = BEXT_KCONFIG;
	sz = btf__resolve_size(o->btf, t->type);
	align = btf__align_of(o->btf, t->type);
	e->kcfg_type = kcfg_type_of(o->btf, t->type, &e->kcfg_signed);
	if (sz <= 0 || align <= 0 || sz > UINT32_MAX / 2)
		return bobj__err(o, -EINVAL, "kconfig extern '%s': BTF type [%u] has no usable size",
				 e->name, t->type);
	if (e->kcfg_type == KCFG_UNKNOWN)
		return bobj__err(o, -ENOTSUP, "kconfig extern '%s': type is not bool, char, an integer, enum libbpf_tristate or a char array",
				 e->name);
	e->kcfg_size = sz;
	e->kcfg_align = align;
	return check_kconfig_name(o, e);
}

static void init_ksym(struct bobj *o, struct bextern *e, const struct btf_type *t)
{
	uint32_t type_id;

	if (btf_is_func(t))
		e->kind = BEXT_KFUNC;
	else
		e->kind = skip_mods(o->btf, t->type, &type_id) && type_id ? BEXT_KSYM_VAR :
			  BEXT_KSYM_ADDR;
}

static int add_extern(struct bobj *o, uint32_t sym_idx)
{
	const struct elf_sym *s = &o->syms[sym_idx];
	const struct btf_type *t;
	struct bextern *e;
	const char *sec;
	uint32_t id = 0;
	int err;

	err = find_btf(o, s->name, &id);
	if (err)
		return err;
	e = realloc(o->externs, (o->nr_externs + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	o->externs = e;
	e = &o->externs[o->nr_externs++];
	memset(e, 0, sizeof(*e));
	e->name = strdup(s->name);
	if (!e->name)
		return -ENOMEM;
	e->sym_idx = sym_idx;
	e->btf_id = id;
	e->weak = GELF_ST_BIND(s->sym.st_info) == STB_WEAK;
	e->res_off = e->fd_off = -1;
	t = btf__type_by_id(o->btf, id);
	sec = datasec_of(o, id);
	if (sec && !strcmp(sec, KCONFIG_SEC))
		return init_kconfig(o, e, t);
	if (sec && !strcmp(sec, KSYMS_SEC)) {
		init_ksym(o, e, t);
		return 0;
	}
	if (!sec)
		return bobj__err(o, -EINVAL, "extern '%s': neither __kconfig nor __ksym (an extern of another object: link them, lskel gen -n NAME A.bpf.o B.bpf.o)",
				 e->name);
	return bobj__err(o, -ENOTSUP, "extern '%s': in section '%s', not .kconfig (__kconfig) or .ksyms (__ksym)",
			 e->name, sec);
}

static int cmp_extern(const void *a, const void *b)
{
	const struct bextern *x = a, *y = b;
	bool xk = x->kind == BEXT_KCONFIG, yk = y->kind == BEXT_KCONFIG;

	if (xk != yk)
		return xk ? -1 : 1;
	if (xk && x->kcfg_align != y->kcfg_align)
		return x->kcfg_align > y->kcfg_align ? -1 : 1;
	if (xk && x->kcfg_size != y->kcfg_size)
		return x->kcfg_size < y->kcfg_size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const struct bextern *extern_by_name(const struct bobj *o, const char *name)
{
	for (size_t i = 0; i < o->nr_externs; i++)
		if (!strcmp(o->externs[i].name, name))
			return &o->externs[i];
	return NULL;
}

static struct btf_type *datasec_mut(struct bobj *o, const char *name)
{
	int id = btf__find_by_name_kind(o->btf, name, BTF_KIND_DATASEC);

	return id > 0 ? (struct btf_type *)btf__type_by_id(o->btf, id) : NULL;
}

/* The first 32-bit integer type: what .ksyms variables become. */
static uint32_t int32_type(const struct btf *btf)
{
	uint32_t n = btf__type_cnt(btf);

	for (uint32_t i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (btf_is_int(t) && btf_int_bits(t) == 32)
			return i;
	}
	return 0;
}

/* Every parameter named (the kernel refuses nameless ones of a global function). */
static void name_params(struct bobj *o, uint32_t proto_id, uint32_t name_off)
{
	struct btf_type *p = (struct btf_type *)btf__type_by_id(o->btf, proto_id);

	if (!p || !btf_is_func_proto(p))
		return;
	for (uint32_t i = 0; i < btf_vlen(p); i++)
		if (btf_params(p)[i].type && !btf_params(p)[i].name_off)
			btf_params(p)[i].name_off = name_off;
}

/* A function among .ksyms needs the dummy variable its entry will point at. */
static int add_dummy_var(struct bobj *o, int *dummy)
{
	const struct btf_type *sec;

	*dummy = 0;
	sec = datasec_mut(o, KSYMS_SEC);
	for (uint32_t i = 0; sec && i < btf_vlen(sec); i++) {
		const struct btf_type *t = btf__type_by_id(o->btf, btf_var_secinfos(sec)[i].type);

		if (!t || !btf_is_func(t))
			continue;
		*dummy = btf__add_var(o->btf, "dummy_ksym", BTF_VAR_GLOBAL_ALLOCATED, int32_type(o->btf));
		if (*dummy < 0)
			return bobj__err(o, *dummy, "btf: cannot add the variable .ksyms functions point at");
		break;
	}
	return 0;
}

/* .ksyms: one allocated 4-byte int variable per entry, functions made global. */
static int fix_ksyms_sec(struct bobj *o, int dummy)
{
	struct btf_type *sec = datasec_mut(o, KSYMS_SEC);
	uint32_t int_id = int32_type(o->btf), dummy_name = 0;

	if (!sec)
		return 0;
	if (dummy)
		dummy_name = btf__type_by_id(o->btf, dummy)->name_off;
	for (uint32_t i = 0; i < btf_vlen(sec); i++) {
		struct btf_var_secinfo *vsi = &btf_var_secinfos(sec)[i];
		struct btf_type *t = (struct btf_type *)btf__type_by_id(o->btf, vsi->type);
		const char *name = t ? btf__name_by_offset(o->btf, t->name_off) : NULL;

		if (!name || (!btf_is_func(t) && !btf_is_var(t)))
			return bobj__err(o, -EINVAL, "btf: DATASEC '.ksyms': entry #%u [%u] is no named VAR or FUNC",
					 i, vsi->type);
		if (!extern_by_name(o, name))
			return bobj__err(o, -ENOENT, "btf: DATASEC '.ksyms': '%s' is not an extern symbol",
					 name);
		if (btf_is_func(t)) {
			name_params(o, t->type, dummy_name);
			t->info = (t->info & ~0xffffu) | BTF_FUNC_GLOBAL;
			vsi->type = dummy;
		} else {
			btf_var(t)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			t->type = int_id;
		}
		vsi->offset = i * sizeof(int);
		vsi->size = sizeof(int);
	}
	sec->size = btf_vlen(sec) * sizeof(int);
	return 0;
}

/* .kconfig: the layout the sorted externs give, every variable allocated. */
static int fix_kconfig_sec(struct bobj *o)
{
	struct btf_type *sec = datasec_mut(o, KCONFIG_SEC);
	uint32_t off = 0;

	for (size_t i = 0; i < o->nr_externs; i++) {
		struct bextern *e = &o->externs[i];

		if (e->kind != BEXT_KCONFIG)
			continue;
		e->kcfg_off = (off + e->kcfg_align - 1) / e->kcfg_align * e->kcfg_align;
		off = e->kcfg_off + e->kcfg_size;
	}
	if (!sec)
		return 0;
	sec->size = off;
	for (uint32_t i = 0; i < btf_vlen(sec); i++) {
		struct btf_var_secinfo *vsi = &btf_var_secinfos(sec)[i];
		struct btf_type *t = (struct btf_type *)btf__type_by_id(o->btf, vsi->type);
		const char *name = t ? btf__name_by_offset(o->btf, t->name_off) : NULL;
		const struct bextern *e = name ? extern_by_name(o, name) : NULL;

		if (!e || e->kind != BEXT_KCONFIG || !btf_is_var(t))
			return bobj__err(o, -EINVAL, "sec '.kconfig': '%s' is not an extern (__kconfig variables are declared, not defined)",
					 name ? name : "?");
		btf_var(t)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
		vsi->offset = e->kcfg_off;
	}
	return 0;
}

int bobj__collect_externs(struct bobj *o)
{
	int err = 0, dummy = 0;

	for (size_t i = 1; i < o->nr_syms && !err; i++)
		if (sym_is_extern(&o->syms[i].sym) && o->syms[i].name[0])
			err = add_extern(o, i);
	if (err || !o->nr_externs)
		return err;
	qsort(o->externs, o->nr_externs, sizeof(*o->externs), cmp_extern);
	err = add_dummy_var(o, &dummy);
	err = err ?: fix_ksyms_sec(o, dummy);
	err = err ?: fix_kconfig_sec(o);
	return err;
}

//
// the .kconfig map
//

/* libbpf's name: as much of the object name as fits before ".kconfig" (7 characters). */
static char *kconfig_map_name(const struct bobj *o)
{
	char buf[BPF_OBJ_NAME_LEN];

	snprintf(buf, sizeof(buf), "%.*s%s", (int)(BPF_OBJ_NAME_LEN - 1 - strlen(KCONFIG_SEC)),
		 o->name, KCONFIG_SEC);
	for (char *p = buf; *p; p++)
		if (!(*p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			*p = '_';
	return strdup(buf);
}

int bobj__add_kconfig_map(struct bobj *o)
{
	uint32_t size = 0;
	struct bmap *m;

	for (size_t i = 0; i < o->nr_externs; i++)
		if (o->externs[i].kind == BEXT_KCONFIG)
			size = o->externs[i].kcfg_off + o->externs[i].kcfg_size;
	if (!size)
		return 0;
	m = bobj__new_map(o);
	if (!m)
		return -ENOMEM;
	m->kind = BMAP_KCONFIG;
	m->sec_idx = -1;	/* no ELF section: relocations find it by kind */
	m->name = kconfig_map_name(o);
	m->sec_name = strdup(KCONFIG_SEC);
	m->ident = strdup("kconfig");
	m->init = calloc(1, size);	/* the runtime's image replaces it at load */
	if (!m->name || !m->sec_name || !m->ident || !m->init)
		return -ENOMEM;
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = sizeof(uint32_t);
	m->value_size = size;
	m->max_entries = 1;
	m->datasec_id = btf__find_by_name_kind(o->btf, KCONFIG_SEC, BTF_KIND_DATASEC);
	if (m->datasec_id < 0)
		m->datasec_id = 0;
	m->btf_value_type_id = m->datasec_id;
	m->mmapable = m->datasec_id != 0;	/* its variables are all allocated now */
	m->map_flags = BPF_F_RDONLY_PROG | (m->mmapable ? BPF_F_MMAPABLE : 0);
	return 0;
}

//
// relocation
//

static int add_use(struct bextern *e, uint32_t prog, uint32_t insn, bool call)
{
	struct bext_use *u = realloc(e->uses, (e->nr_uses + 1) * sizeof(*u));

	if (!u)
		return -ENOMEM;
	e->uses = u;
	e->uses[e->nr_uses++] = (struct bext_use){ .prog = prog, .insn = insn, .call = call };
	return 0;
}

static int kconfig_map(const struct bobj *o)
{
	for (size_t i = 0; i < o->nr_maps; i++)
		if (o->maps[i].kind == BMAP_KCONFIG)
			return i;
	return -1;
}

int bobj__reloc_extern(struct bobj *o, size_t prog, uint32_t insn_idx, uint32_t sym_idx,
		       bool call, const char **why)
{
	struct bpf_insn *insn = &o->progs[prog].insns[insn_idx];
	struct bextern *e = NULL;

	for (size_t i = 0; i < o->nr_externs && !e; i++)
		if (o->externs[i].sym_idx == sym_idx)
			e = &o->externs[i];
	*why = !e ? "undefined symbol that is not an extern" :
	       call && e->kind != BEXT_KFUNC ? "call of an extern that is not a kernel function" :
	       NULL;
	if (*why)
		return -EINVAL;
	if (call) {
		*insn = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL,
					   .imm = KFUNC_POISON + (int32_t)(e - o->externs) };
	} else if (e->kind == BEXT_KCONFIG) {
		insn[0].src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
		insn[0].imm = kconfig_map(o);
		insn[1].imm = e->kcfg_off;
		return 0;
	} else {
		insn[0].src_reg = 0;
		insn[0].imm = 0;
		insn[1].imm = 0;
	}
	return add_use(e, prog, insn_idx, call);
}

//
// the trace
//

static bool has_call_use(const struct bextern *e)
{
	for (uint32_t i = 0; i < e->nr_uses; i++)
		if (e->uses[i].call)
			return true;
	return false;
}

void bobj__trace_extern_fd_array(struct bobj *o, struct trace *t, uint32_t *fd_array)
{
	uint32_t idx = o->nr_maps, zero = 0;

	for (size_t i = 0; i < o->nr_externs; i++) {
		struct bextern *e = &o->externs[i];

		if (e->kind != BEXT_KFUNC || !has_call_use(e))
			continue;
		if (!idx) {	/* index 0 means vmlinux in a kfunc call: keep it unused */
			*fd_array = trace__blob_add(t, &zero, sizeof(zero), 4);
			idx = 1;
		}
		trace__blob_add(t, &zero, sizeof(zero), 4);
		e->fd_array_idx = idx++;
	}
}

void bobj__trace_extern_lookups(struct bobj *o, struct trace *t)
{
	for (size_t i = 0; i < o->nr_externs; i++) {
		struct bextern *e = &o->externs[i];
		struct trace_step *s;

		if (e->kind == BEXT_KCONFIG)
			continue;
		if (e->kind == BEXT_KSYM_ADDR)
			s = trace__ksym_addr(t, e->name, "ksym '%s'", e->name);
		else
			s = trace__btf_find(t, e->name, e->kind == BEXT_KFUNC ? BTF_KIND_FUNC : BTF_KIND_VAR,
					    "%s '%s'", e->kind == BEXT_KFUNC ? "kfunc" : "ksym", e->name);
		if (!s)
			return;
		s->weak = e->weak;
		e->res_off = s->id_off;
		e->fd_off = s->fd_off;
	}
}

/* The first 4 bytes of an insn (code, registers, off) as a blob constant. */
static uint32_t blob_insn_head(struct trace *t, struct bpf_insn insn)
{
	return trace__blob_add(t, &insn, 4, 4);
}

/* A typeless ksym: the address, 0 when a weak one is missing, into both halves. */
static void fix_addr(struct trace *t, struct trace_step *s, const struct bextern *e, uint32_t at)
{
	trace__fix(t, s, FIX_BLOB_U32, at + offsetof(struct bpf_insn, imm), e->res_off, 0);
	trace__fix(t, s, FIX_BLOB_U32, at + INSN_SZ + offsetof(struct bpf_insn, imm),
		   e->res_off + 4, 0);
}

/* A typed ksym (or a kfunc's address for bpf_ksym_exists()): BTF id and BTF fd. */
static void fix_btf_id(struct trace *t, struct trace_step *s, const struct bextern *e,
		       uint32_t at, struct bpf_insn insn)
{
	insn.src_reg = BPF_PSEUDO_BTF_ID;
	trace__fix_if(t, s, at, blob_insn_head(t, insn), e->res_off);
	trace__fix(t, s, FIX_BLOB_U32, at + offsetof(struct bpf_insn, imm), e->res_off, 0);
	trace__fix(t, s, FIX_BLOB_U32, at + INSN_SZ + offsetof(struct bpf_insn, imm), e->fd_off, 0);
}

/* A kfunc call: found, it calls BTF id in vmlinux, or in the module whose fd is in fd_array. */
static void fix_call(struct trace *t, struct trace_step *s, const struct bextern *e, uint32_t at)
{
	struct bpf_insn head = { .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL };
	uint32_t vmlinux = blob_insn_head(t, head);

	head.off = e->fd_array_idx;
	trace__fix_if(t, s, at, vmlinux, e->res_off);
	trace__fix_if(t, s, at, blob_insn_head(t, head), e->fd_off);
	trace__fix_if(t, s, at + offsetof(struct bpf_insn, imm), e->res_off, e->res_off);
}

void bobj__trace_extern_fixes(const struct bobj *o, struct trace *t, struct trace_step *s,
			      size_t prog, uint32_t insns, uint32_t fd_array)
{
	bool calls = false;

	for (size_t i = 0; i < o->nr_externs; i++) {
		const struct bextern *e = &o->externs[i];
		bool called = false;

		for (uint32_t j = 0; j < e->nr_uses; j++) {
			const struct bext_use *u = &e->uses[j];
			uint32_t at = insns + u->insn * INSN_SZ;

			if (u->prog != prog || e->res_off < 0)
				continue;
			if (e->kind == BEXT_KSYM_ADDR)
				fix_addr(t, s, e, at);
			else if (!u->call)
				fix_btf_id(t, s, e, at, o->progs[prog].insns[u->insn]);
			else
				fix_call(t, s, e, at);
			called |= u->call;
		}
		if (called)	/* its module's BTF fd (0 for vmlinux or not found) */
			trace__fix(t, s, FIX_BLOB_U32, fd_array + e->fd_array_idx * sizeof(uint32_t),
				   e->fd_off, 0);
		calls |= called;
	}
	/* with maps, build_trace.c points every program at fd_array already */
	if (calls && !o->nr_maps)
		trace__fix(t, s, FIX_BLOB_ADDR, s->attr_off + offsetof(union bpf_attr, fd_array),
			   fd_array, 0);
}

void bobj__free_externs(struct bobj *o)
{
	for (size_t i = 0; i < o->nr_externs; i++) {
		free(o->externs[i].name);
		free(o->externs[i].uses);
	}
	free(o->externs);
	o->externs = NULL;
	o->nr_externs = 0;
}

const char *kcfg_type_name(enum kcfg_type type)
{
	static const char *const names[] = {
#define X(k, s) [k] = s,
		KCFG_TYPES(X)
#undef X
	};

	return (unsigned int)type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
