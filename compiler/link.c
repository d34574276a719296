/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Several objects in, one object model out: the inputs are linked statically by
 * libbpf's BPF linker (bpf_linker, as `bpftool gen object` does) into a temporary
 * file, which is opened like any single input and unlinked right away (the open
 * object keeps its own descriptor). The linker resolves extern maps, variables and
 * functions, merges same-named sections and picks strong over weak definitions; what
 * it produces is an ordinary relocatable BPF object, so the later stages need not know
 * it was linked.
 *
 * The object's path, which prefixes every later error and names the source in the
 * header, becomes the inputs joined with '+' ("a.bpf.o+b.bpf.o") instead of the
 * temporary name. The temporary file lives in $TMPDIR (or /tmp) and never outlives
 * the call.
 *
 * Each input's ELF header is checked first, as bobj__open() checks it, so a file
 * that is no BPF object gets the error it would get alone. libbpf 1.1's linker
 * still trusts its input more than that (a file that is not ELF crashes it), so the
 * link runs in a child process: a crash there becomes an error here. The child
 * reports through a pipe; libbpf's own messages reach us through its print
 * callback, whose last warning is quoted.
 *
 * libbpf's linker (1.1 and later) has one inconsistency its users inherit: given a
 * weak definition (map or variable) before the strong one, it points the symbol at
 * the strong copy but leaves the DATASEC entry at the weak one. Programs use the
 * symbol, so a skeleton reading the DATASEC would show the user the dead copy, and
 * a map relocation would find no map. Every object opened here, linked by us or by
 * `bpftool gen object`, gets its DATASEC entries moved to their symbols.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <bpf/libbpf.h>

#include "internal.h"

/* The last warning libbpf printed while linking; one process links once at a time. */
static char link_warning[256];

static int link_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *nl;

	if (level != LIBBPF_WARN)
		return 0;
	vsnprintf(link_warning, sizeof(link_warning), fmt, ap);
	nl = strchr(link_warning, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* libbpf's message without its "libbpf: " prefix, or the errno text. */
static const char *link_reason(int err)
{
	static const char prefix[] = "libbpf: ";
	const char *msg = link_warning;

	if (!msg[0])
		return strerror(-err);
	if (!strncmp(msg, prefix, sizeof(prefix) - 1))
		msg += sizeof(prefix) - 1;
	return msg;
}

/* "a.bpf.o+b.bpf.o"; caller frees */
static char *joined_paths(const char *const *paths, size_t n)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(paths[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, "+");
		strcat(s, paths[i]);
	}
	return s;
}

/* A fresh empty file in $TMPDIR for the linker to overwrite; caller unlinks and frees. */
static char *tmp_object(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&path, "%s/lskel-link-XXXXXX", dir) < 0)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Links paths[] into out; on failure o->errmsg says which input and why. */
static int link_files(struct bobj *o, const char *const *paths, size_t n, const char *out)
{
	libbpf_print_fn_t old = libbpf_set_print(link_print);
	struct bpf_linker *linker;
	int err = 0;

	link_warning[0] = '\0';
	linker = bpf_linker__new(out, NULL);
	if (!linker) {
		err = -errno;
		bobj__err(o, err, "linking: %s", link_reason(err));
	}
	for (size_t i = 0; linker && i < n && !err; i++) {
		err = bpf_linker__add_file(linker, paths[i], NULL);
		if (err)
			bobj__err(o, err, "linking %s: %s", paths[i], link_reason(err));
	}
	if (linker && !err) {
		err = bpf_linker__finalize(linker);
		if (err)
			bobj__err(o, err, "linking: %s", link_reason(err));
	}
	bpf_linker__free(linker);
	libbpf_set_print(old);
	return err;
}

/*
 * The checks of bobj__open() on the ELF header, so a file that is no BPF object gets
 * the error it would get alone (its externs are for the linker to resolve).
 */
static int check_input(struct bobj *o, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	Elf *elf = NULL;
	GElf_Ehdr ehdr;

	if (fd < 0)
		return bobj__err(o, -errno, "linking %s: cannot open: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr))
		err = bobj__err(o, -EINVAL, "linking %s: not an ELF file", path);
	else if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_machine != EM_BPF ||
		 ehdr.e_type != ET_REL)
		err = bobj__err(o, -EINVAL, "linking %s: not a 64-bit relocatable BPF object", path);
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

static int check_inputs(struct bobj *o, const char *const *paths, size_t n)
{
	int err = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return bobj__err(o, -EINVAL, "libelf: %s", elf_errmsg(-1));
	for (size_t i = 0; i < n && !err; i++)
		err = check_input(o, paths[i]);
	return err;
}

/* link_files() in a child; its error message comes back through a pipe. */
static int link_isolated(struct bobj *o, const char *const *paths, size_t n, const char *out)
{
	int pfd[2], status, err;
	ssize_t len;
	pid_t pid;

	if (pipe(pfd))
		return bobj__err(o, -errno, "linking: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		err = link_files(o, paths, n, out);
		if (err && write(pfd[1], o->errmsg, strlen(o->errmsg)) < 0)
			_exit(2);
		_exit(err ? (-err & 0x7f) ?: EINVAL : 0);	/* the errno, as the exit code */
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return bobj__err(o, -errno, "linking: fork: %s", strerror(errno));
	}
	len = read(pfd[0], o->errmsg, sizeof(o->errmsg) - 1);
	o->errmsg[len > 0 ? len : 0] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status))
		return bobj__err(o, -EINVAL, "linking: libbpf's linker crashed (signal %d)",
				 WTERMSIG(status));
	return bobj__err(o, -WEXITSTATUS(status), "linking failed");
}

/* The non-local symbol called name in ELF section sec_idx, or NULL. */
static const GElf_Sym *global_sym(const struct bobj *o, size_t sec_idx, const char *name)
{
	for (size_t i = 1; i < o->nr_syms; i++) {
		const GElf_Sym *sym = &o->syms[i].sym;

		if (sym->st_shndx == sec_idx && GELF_ST_BIND(sym->st_info) != STB_LOCAL &&
		    !strcmp(o->syms[i].name, name))
			return sym;
	}
	return NULL;
}

static int cmp_secinfo(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* DATASEC t's global variables at their symbols' offsets, where the linker left them apart. */
static void datasec_to_symbols(struct bobj *o, struct btf_type *t)
{
	const struct elf_sec *sec = bobj__sec_by_name(o, btf__name_by_offset(o->btf, t->name_off));
	struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	bool moved = false;

	for (uint32_t i = 0; sec && i < btf_vlen(t); i++) {
		const struct btf_type *var = btf__type_by_id(o->btf, vsi[i].type);
		const GElf_Sym *sym;

		if (!var || !btf_is_var(var) || btf_var(var)->linkage != BTF_VAR_GLOBAL_ALLOCATED)
			continue;
		sym = global_sym(o, sec - o->secs, btf__name_by_offset(o->btf, var->name_off));
		if (sym && sym->st_value != vsi[i].offset && sym->st_value + vsi[i].size <= t->size) {
			vsi[i].offset = sym->st_value;
			moved = true;
		}
	}
	if (moved)
		qsort(vsi, btf_vlen(t), sizeof(*vsi), cmp_secinfo);
}

static void fix_weak_before_strong(struct bobj *o)
{
	uint32_t n = o->btf ? btf__type_cnt(o->btf) : 0;

	for (uint32_t id = 1; id < n; id++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(o->btf, id);

		if (btf_is_datasec(t))
			datasec_to_symbols(o, t);
	}
}

/*
 * An error of bobj__open() names the temporary file: name the inputs instead, so
 * the message means something to the user.
 */
static void rename_in_errmsg(struct bobj *o, const char *tmp, const char *joined)
{
	size_t len = strlen(tmp);
	char rest[sizeof(o->errmsg)];

	if (strncmp(o->errmsg, tmp, len))
		return;
	snprintf(rest, sizeof(rest), "%s", o->errmsg + len);
	snprintf(o->errmsg, sizeof(o->errmsg), "%s%s", joined, rest);
}

int bobj__open_many(struct bobj *o, const char *const *paths, size_t n, const char *name)
{
	char *joined = joined_paths(paths, n), *tmp = NULL;
	int err;

	if (n == 1) {
		free(joined);
		err = bobj__open(o, paths[0], name);
		if (!err)
			fix_weak_before_strong(o);
		return err;
	}
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = joined;	/* error messages of the link step */
	tmp = joined ? tmp_object() : NULL;
	if (!tmp)
		return bobj__err(o, joined ? -errno : -ENOMEM, "linking: cannot create a temporary file: %s",
				 strerror(errno));
	err = check_inputs(o, paths, n);
	err = err ?: link_isolated(o, paths, n, tmp);
	if (!err) {
		o->path = NULL;	/* bobj__open starts afresh; joined is still ours */
		err = bobj__open(o, tmp, name);
		rename_in_errmsg(o, tmp, joined);
		free(o->path);
		o->path = joined;
		joined = NULL;
		if (!err)
			fix_weak_before_strong(o);
	}
	unlink(tmp);
	free(tmp);
	return err;
}
