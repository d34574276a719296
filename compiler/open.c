/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Opening an object: the ELF file, its sections, symbols and relocations, the license
 * and version, the BTF fixed up the way the kernel wants it (DATASEC sizes and VAR
 * offsets from the ELF, hidden functions and variables made static) and the .BTF.ext
 * func_info/line_info records per section.
 *
 * Requires: a readable file. Every malformed piece of input is reported through
 * bobj__err() with the section or symbol it concerns; nothing here asserts on input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"

int bobj__err(struct bobj *o, int err, const char *fmt, ...)
{
	char msg[sizeof(o->errmsg) - 64];
	va_list ap;

	if (o->errmsg[0])
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* names from a damaged object may hold any byte: keep the message one printable line */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	snprintf(o->errmsg, sizeof(o->errmsg), "%s: %s", o->path ? o->path : "?", msg);
	return err;
}

const struct elf_sec *bobj__sec(const struct bobj *o, size_t idx)
{
	return idx < o->nr_secs ? &o->secs[idx] : NULL;
}

const struct elf_sym *bobj__sym(const struct bobj *o, size_t idx)
{
	return idx < o->nr_syms ? &o->syms[idx] : NULL;
}

const struct btf_ext_sec *bobj__ext(const struct bobj *o, size_t sec_idx)
{
	for (size_t i = 0; i < o->nr_ext; i++)
		if (o->ext[i].sec_idx == sec_idx)
			return &o->ext[i];
	return NULL;
}

static int open_elf(struct bobj *o)
{
	struct stat st;
	GElf_Ehdr ehdr;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return bobj__err(o, -EINVAL, "libelf: %s", elf_errmsg(-1));
	o->fd = open(o->path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0)
		return bobj__err(o, -errno, "cannot open: %s", strerror(errno));
	o->elf = elf_begin(o->fd, ELF_C_READ_MMAP, NULL);
	if (!o->elf || elf_kind(o->elf) != ELF_K_ELF || !gelf_getehdr(o->elf, &ehdr))
		return bobj__err(o, -EINVAL, "not an ELF file");
	if (ehdr.e_ident[EI_CLASS] != ELFCLASS64)
		return bobj__err(o, -EINVAL, "elf: not a 64-bit ELF object");
	if (ehdr.e_machine != EM_BPF)
		return bobj__err(o, -EINVAL, "elf: machine %u is not BPF (%u)", ehdr.e_machine, EM_BPF);
	if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
		return bobj__err(o, -ENOTSUP, "elf: big-endian BPF objects are not supported");
	if (ehdr.e_type != ET_REL)
		return bobj__err(o, -EINVAL, "elf: not a relocatable object (type %u)", ehdr.e_type);
	if (fstat(o->fd, &st) || ehdr.e_shoff + (uint64_t)ehdr.e_shnum * ehdr.e_shentsize > (uint64_t)st.st_size)
		return bobj__err(o, -EINVAL, "elf: section headers past the end of the file (truncated?)");
	return 0;
}

static enum sec_kind classify(const char *name, const GElf_Shdr *sh)
{
	bool exec = sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR);

	if (exec)
		return strcmp(name, ".text") ? SK_PROG : SK_TEXT;
	if (!strcmp(name, ".maps"))
		return SK_MAPS;
	if (!strcmp(name, ".kconfig"))
		return SK_KCONFIG;
	if (sh->sh_type == SHT_PROGBITS && (!strcmp(name, ".data") || !strncmp(name, ".data.", 6)))
		return SK_DATA;
	if (sh->sh_type == SHT_PROGBITS &&
	    (!strcmp(name, ".rodata") || !strncmp(name, ".rodata.", 8)))
		return SK_RODATA;
	if (sh->sh_type == SHT_NOBITS && (!strcmp(name, ".bss") || !strncmp(name, ".bss.", 5)))
		return SK_BSS;
	return SK_OTHER;
}

static int read_sections(struct bobj *o)
{
	size_t shstrndx, n;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(o->elf, &shstrndx) || elf_getshdrnum(o->elf, &n))
		return bobj__err(o, -EINVAL, "elf: cannot read section headers: %s", elf_errmsg(-1));
	o->secs = calloc(n, sizeof(*o->secs));
	if (!o->secs)
		return -ENOMEM;
	o->nr_secs = n;
	while ((scn = elf_nextscn(o->elf, scn))) {
		size_t idx = elf_ndxscn(scn);
		struct elf_sec *s = &o->secs[idx];

		s->map_idx = -1;
		if (!gelf_getshdr(scn, &s->shdr))
			return bobj__err(o, -EINVAL, "elf: section #%zu: bad header", idx);
		s->name = elf_strptr(o->elf, shstrndx, s->shdr.sh_name);
		if (!s->name)
			return bobj__err(o, -EINVAL, "elf: section #%zu: bad name", idx);
		s->data = elf_getdata(scn, NULL);
		if (!s->data && s->shdr.sh_type != SHT_NOBITS && s->shdr.sh_size)
			return bobj__err(o, -EINVAL, "elf: sec '%s': cannot read data", s->name);
		s->kind = classify(s->name, &s->shdr);
		if (s->kind == SK_PROG || s->kind == SK_TEXT) {
			if (s->shdr.sh_size % INSN_SZ)
				return bobj__err(o, -EINVAL, "sec '%s': size %zu is not a multiple of %u",
						 s->name, (size_t)s->shdr.sh_size, INSN_SZ);
		}
	}
	return 0;
}

static int read_symbols(struct bobj *o)
{
	const struct elf_sec *symtab = NULL;
	size_t i, n;

	for (i = 1; i < o->nr_secs; i++)
		if (o->secs[i].shdr.sh_type == SHT_SYMTAB)
			symtab = &o->secs[i];
	if (!symtab || !symtab->data)
		return bobj__err(o, -EINVAL, "elf: no symbol table");
	n = symtab->data->d_size / sizeof(Elf64_Sym);
	o->syms = calloc(n ? n : 1, sizeof(*o->syms));
	if (!o->syms)
		return -ENOMEM;
	o->nr_syms = n;
	for (i = 0; i < n; i++) {
		struct elf_sym *s = &o->syms[i];

		if (!gelf_getsym(symtab->data, i, &s->sym))
			return bobj__err(o, -EINVAL, "elf: symbol #%zu: cannot read", i);
		s->name = elf_strptr(o->elf, symtab->shdr.sh_link, s->sym.st_name);
		if (!s->name)
			return bobj__err(o, -EINVAL, "elf: symbol #%zu: bad name", i);
		if (GELF_ST_TYPE(s->sym.st_info) == STT_SECTION && s->sym.st_shndx < o->nr_secs)
			s->name = o->secs[s->sym.st_shndx].name;
	}
	return 0;
}

static int cmp_rel(const void *a, const void *b)
{
	const struct elf_rel *x = a, *y = b;

	return x->insn_idx < y->insn_idx ? -1 : x->insn_idx > y->insn_idx;
}

static int read_rel_section(struct bobj *o, const struct elf_sec *rs)
{
	struct elf_sec *target = (struct elf_sec *)bobj__sec(o, rs->shdr.sh_info);
	size_t n = rs->data ? rs->data->d_size / sizeof(Elf64_Rel) : 0;

	if (!target)
		return bobj__err(o, -EINVAL, "elf: sec '%s': bad target section %u", rs->name,
				 (unsigned int)rs->shdr.sh_info);
	if (target->kind != SK_PROG && target->kind != SK_TEXT)
		return 0;	/* .BTF, .BTF.ext and debug relocations are not for us */
	target->rels = calloc(n ? n : 1, sizeof(*target->rels));
	if (!target->rels)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct elf_rel *r = &target->rels[i];
		GElf_Rel rel;

		if (!gelf_getrel(rs->data, i, &rel))
			return bobj__err(o, -EINVAL, "sec '%s': relo #%zu: cannot read", rs->name, i);
		if (rel.r_offset % INSN_SZ || rel.r_offset >= target->shdr.sh_size)
			return bobj__err(o, -EINVAL, "sec '%s': relo #%zu: bad offset %zu",
					 target->name, i, (size_t)rel.r_offset);
		if (GELF_R_SYM(rel.r_info) >= o->nr_syms)
			return bobj__err(o, -EINVAL, "sec '%s': relo #%zu: bad symbol index %zu",
					 target->name, i, (size_t)GELF_R_SYM(rel.r_info));
		r->insn_idx = rel.r_offset / INSN_SZ;
		r->sym_idx = GELF_R_SYM(rel.r_info);
		r->type = GELF_R_TYPE(rel.r_info);
	}
	target->nr_rels = n;
	qsort(target->rels, n, sizeof(*target->rels), cmp_rel);
	return 0;
}

static int read_relocations(struct bobj *o)
{
	int err = 0;

	for (size_t i = 1; i < o->nr_secs && !err; i++) {
		if (o->secs[i].shdr.sh_type == SHT_RELA)
			return bobj__err(o, -EINVAL, "elf: sec '%s': RELA relocations are not used by BPF",
					 o->secs[i].name);
		if (o->secs[i].shdr.sh_type == SHT_REL)
			err = read_rel_section(o, &o->secs[i]);
	}
	return err;
}

const struct elf_sec *bobj__sec_by_name(const struct bobj *o, const char *name)
{
	for (size_t i = 1; i < o->nr_secs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	return NULL;
}

static int read_license_version(struct bobj *o)
{
	const struct elf_sec *lic = bobj__sec_by_name(o, "license");
	const struct elf_sec *ver = bobj__sec_by_name(o, "version");

	if (lic && lic->data) {
		size_t n = lic->data->d_size;

		if (n >= sizeof(o->license) || !memchr(lic->data->d_buf, 0, n))
			return bobj__err(o, -EINVAL, "sec 'license': not a NUL-terminated string of less than %zu bytes",
					 sizeof(o->license));
		memcpy(o->license, lic->data->d_buf, n);
	}
	if (ver && ver->data) {
		if (ver->data->d_size != sizeof(uint32_t))
			return bobj__err(o, -EINVAL, "sec 'version': size %zu, expected 4",
					 ver->data->d_size);
		memcpy(&o->kern_version, ver->data->d_buf, sizeof(uint32_t));
	}
	return 0;
}

int bobj__open(struct bobj *o, const char *path, const char *name)
{
	int err;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = strdup(path);
	o->name = name ? strdup(name) : skel_name_from_path(path);
	if (!o->path || !o->name)
		return -ENOMEM;
	err = open_elf(o);
	err = err ?: read_sections(o);
	err = err ?: read_symbols(o);
	err = err ?: read_relocations(o);
	err = err ?: read_license_version(o);
	err = err ?: bobj__open_btf(o);
	return err;
}

void bobj__close(struct bobj *o)
{
	for (size_t i = 0; i < o->nr_secs; i++)
		free(o->secs[i].rels);
	for (size_t i = 0; i < o->nr_ext; i++)
		for (int k = 0; k < NR_EXT; k++)
			free(o->ext[i].recs[k]);
	for (size_t i = 0; i < o->nr_maps; i++) {
		free(o->maps[i].name);
		free(o->maps[i].sec_name);
		free(o->maps[i].ident);
		free(o->maps[i].init);
		bmap__free_values(&o->maps[i]);
		st_ops__free(o->maps[i].st_ops);
	}
	for (size_t i = 0; i < o->nr_progs; i++) {
		free(o->progs[i].name);
		free(o->progs[i].sec_name);
		free(o->progs[i].insns);
		free(o->progs[i].func_info);
		free(o->progs[i].line_info);
		free(o->progs[i].core_relo);
	}
	free(o->maps);
	free(o->progs);
	free(o->funcs);
	bobj__free_externs(o);
	free(o->ext);
	free(o->secs);
	free(o->syms);
	btf__free(o->btf);
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
	free(o->path);
	free(o->name);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}
