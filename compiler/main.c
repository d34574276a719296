/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * lskel: the command line. Runs the stages as a flat list (open, collect, relocate,
 * build the trace, emit the loader, write the header) and is the only place that
 * prints errors and exits. Output is produced in memory first and then written whole:
 * to stdout, or to a temporary file renamed over -o FILE, so a failure never leaves a
 * partial header behind.
 *
 * Several input objects are linked into one first (link.c). Their skeleton has no
 * file name to be named after, so it must be named with -n NAME, as bpftool's
 * `gen object` + `gen skeleton ... name NAME` flow names it.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "compiler.h"
#include "sign.h"
#include "../gen_loader/gen_loader.h"
#include "../gen_loader/header.h"

struct opts {
	const char *obj;	/* the input, or the first of several, for messages */
	const char *const *objs;
	size_t nr_objs;
	const char *name;
	const char *out;
	const char *btf;	/* --btf FILE: CO-RE resolved now, against FILE */
	const char *target;	/* --target-kernel MAJOR.MINOR, NULL: the newest */
	bool sign;		/* --sign: a signed loader image */
	const char *key;	/* --key FILE: the signer's private key (PEM) */
	const char *cert;	/* --cert FILE: its certificate (PEM or DER) */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: lskel gen [-n NAME] [-o FILE] [--btf FILE] [--target-kernel X.Y]\n"
		"                 [--sign --key KEY --cert CERT] OBJ.bpf.o...\n"
		"       lskel gen skeleton [-L] [-S -k KEY -i CERT] OBJ.bpf.o [name NAME]"
		"   (bpftool's spelling)\n"
		"       lskel dump [-n NAME] [--btf FILE] OBJ.bpf.o...\n"
		"       lskel verify HEADER --cert CERT\n"
		"       lskel --help | --version\n"
		"\n"
		"gen   writes a light skeleton header for OBJ: one loader program run in the\n"
		"      kernel creates every map and loads every program; the header needs libc only.\n"
		"      Several objects are linked into one first, as by bpftool gen object;\n"
		"      an object bpftool gen object produced is taken as it is.\n"
		"      -n NAME  skeleton name (default: from the file name, as bpftool: a.bpf.o -> a_bpf;\n"
		"               required with several objects)\n"
		"      -o FILE  write to FILE (whole or not at all) instead of stdout\n"
		"      --btf FILE  resolve CO-RE relocations now against FILE (the target kernel's\n"
		"               vmlinux BTF, raw or in an ELF file) instead of in the kernel at load\n"
		"      --target-kernel X.Y  make the output load on kernel X.Y (5.14 or newer): BTF\n"
		"               kinds it lacks are rewritten, features it lacks are refused now\n"
		"      --sign --key KEY --cert CERT  a signed loader image (kernel 6.18+): PKCS#7\n"
		"               signature of the loader by KEY (RSA, PEM) with CERT (PEM or DER)\n"
		"verify  checks a signed header offline: its signature under CERT, and that its\n"
		"      blob and loader are the ones signed\n"
		"dump  prints the load trace: every step the loader performs, with its attr and fix-ups\n");
}

/* What messages call the input: "a.bpf.o", or "a.bpf.o+b.bpf.o" once linked */
static const char *input_name(const struct opts *op, const struct bobj *o)
{
	return o->path ? o->path : op->obj;
}

/* Runs the front end and the back end; on failure prints one line and returns 1. */
static int compile(const struct opts *op, struct bobj *o, struct trace *t, struct loader *l)
{
	int err;

	err = bobj__open_many(o, op->objs, op->nr_objs, op->name);
	err = err ?: bobj__collect(o);
	err = err ?: bobj__relocate(o);
	if (op->btf)
		err = err ?: bobj__core_offline(o, op->btf);
	if (op->target)
		err = err ?: bobj__parse_kernel_version(op->target, &o->target_kv) ?:
			      bobj__target(o);
	o->sign = op->sign;
	err = err ?: bobj__build_trace(o, t);
	if (!err && op->sign && sign__sha256(t->blob, t->blob_sz, t->blob_sha256))
		err = bobj__err(o, -EINVAL, "hashing the blob failed");
	if (err) {
		if (o->errmsg[0])
			fprintf(stderr, "lskel: %s\n", o->errmsg);
		else
			fprintf(stderr, "lskel: %s: %s\n", input_name(op, o), strerror(-err));
		return 1;
	}
	if (l && loader__gen(t, l)) {
		fprintf(stderr, "lskel: %s: %s\n", input_name(op, o), l->errmsg);
		return 1;
	}
	return 0;
}

static int write_all(const char *path, const char *buf, size_t len)
{
	char *tmp = NULL, *dir_copy = strdup(path);
	FILE *f = NULL;
	int fd = -1, err = 0;

	if (!dir_copy || asprintf(&tmp, "%s/.lskel-XXXXXX", dirname(dir_copy)) < 0) {
		free(dir_copy);
		return -ENOMEM;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		err = -errno;
	else if (fwrite(buf, 1, len, f) != len || fflush(f) || fsync(fd))
		err = errno ? -errno : -EIO;
	if (f ? fclose(f) : (fd >= 0 ? close(fd) : 0))
		err = err ?: -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err && fd >= 0)
		unlink(tmp);
	free(tmp);
	free(dir_copy);
	return err;
}

static int emit(const struct opts *op, const char *buf, size_t len)
{
	int err;

	if (!op->out) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout)) {
			fprintf(stderr, "lskel: writing stdout: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	err = write_all(op->out, buf, len);
	if (err)
		fprintf(stderr, "lskel: %s: %s\n", op->out, strerror(-err));
	return err ? 1 : 0;
}

/* The signature covers the loader's insns; the blob map is made exclusive to them. */
static int sign_loader(const struct signer *s, struct loader *l)
{
	size_t len = l->nr_insns * sizeof(*l->insns);
	char errmsg[256] = "";

	if (sign__sha256(l->insns, len, l->insns_sha256) ||
	    signer__sign(s, l->insns, len, &l->sig, &l->sig_len, errmsg, sizeof(errmsg))) {
		fprintf(stderr, "lskel: %s\n", errmsg[0] ? errmsg : "hashing the loader failed");
		return 1;
	}
	return 0;
}

static int cmd_gen(const struct opts *op)
{
	struct bobj o = { .fd = -1 };
	struct signer *signer = NULL;
	struct trace t = {};
	struct loader l = {};
	char errmsg[256] = "", *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int ret = 0;

	if (op->sign && signer__open(&signer, op->key, op->cert, errmsg, sizeof(errmsg))) {
		fprintf(stderr, "lskel: %s\n", errmsg);
		return 1;
	}
	ret = compile(op, &o, &t, &l);
	if (!ret && signer)
		ret = sign_loader(signer, &l);
	signer__close(signer);
	if (!ret) {
		mem = open_memstream(&buf, &len);
		if (!mem || header__write(mem, &o, &t, &l, errmsg, sizeof(errmsg)) || fclose(mem)) {
			fprintf(stderr, "lskel: %s: writing the header: %s\n", input_name(op, &o),
				errmsg[0] ? errmsg : strerror(errno));
			ret = 1;
		} else {
			ret = emit(op, buf, len);
		}
	}
	free(buf);
	loader__free(&l);
	trace__free(&t);
	bobj__close(&o);
	return ret;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{},
	};
	const char *cert = NULL;
	char errmsg[512] = "";
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		if (c != 'c') {
			usage(stderr);
			return 2;
		}
		cert = optarg;
	}
	if (!cert || optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (sign__verify_header(argv[optind], cert, errmsg, sizeof(errmsg))) {
		fprintf(stderr, "lskel: %s\n", errmsg);
		return 1;
	}
	return 0;
}

static int cmd_dump(const struct opts *op)
{
	struct bobj o = { .fd = -1 };
	struct trace t = {};
	int ret = compile(op, &o, &t, NULL);

	if (!ret)
		trace__dump(&t, stdout);
	trace__free(&t);
	bobj__close(&o);
	return ret;
}

/* `gen [-n NAME] [-o FILE] [--btf FILE] OBJ...` */
static int parse_gen(int argc, char **argv, struct opts *op)
{
	static const struct option longopts[] = {
		{ "btf", required_argument, NULL, 'B' },
		{ "target-kernel", required_argument, NULL, 'T' },
		{ "sign", no_argument, NULL, 'S' },
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'i' },
		{},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+n:o:L", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': op->name = optarg; break;
		case 'o': op->out = optarg; break;
		case 'B': op->btf = optarg; break;
		case 'T': op->target = optarg; break;
		case 'L': break;	/* bpftool's light-skeleton flag: the only kind we make */
		case 'S': op->sign = true; break;
		case 'k': op->key = optarg; break;
		case 'i': op->cert = optarg; break;
		default: return -1;
		}
	}
	if (optind >= argc)
		return -1;
	op->objs = (const char *const *)argv + optind;
	op->nr_objs = argc - optind;
	op->obj = argv[optind];
	return 0;
}

/* bpftool's `gen skeleton [-L] [-S -k KEY -i CERT] OBJ [name NAME]` */
static int parse_bpftool(int argc, char **argv, struct opts *op)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-L"))
			continue;
		if (!strcmp(argv[i], "-S") || !strcmp(argv[i], "--sign"))
			op->sign = true;
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			op->key = argv[++i];
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			op->cert = argv[++i];
		else
			return -1;
	}
	if (i >= argc)
		return -1;
	op->obj = argv[i];
	op->objs = (const char *const *)argv + i++;
	op->nr_objs = 1;
	if (i + 1 < argc && !strcmp(argv[i], "name")) {
		op->name = argv[i + 1];
		i += 2;
	}
	return i == argc ? 0 : -1;
}

static bool valid_ident(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

int main(int argc, char **argv)
{
	struct opts op = {};
	int err;

	libbpf_set_print(NULL);	/* errors are ours to report, one line each */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("lskel %s\n", LSKEL_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "gen") && argc > 2 && !strcmp(argv[2], "skeleton"))
		err = parse_bpftool(argc - 2, argv + 2, &op);
	else if (!strcmp(argv[1], "gen") || !strcmp(argv[1], "dump"))
		err = parse_gen(argc - 1, argv + 1, &op);
	else
		err = -1;
	if (err) {
		usage(stderr);
		return 2;
	}
	if (op.sign != (op.key && op.cert) || (!op.sign && (op.key || op.cert))) {
		fprintf(stderr, "lskel: --sign needs --key KEY and --cert CERT, and they need --sign\n");
		return 2;
	}
	if (op.nr_objs > 1 && !op.name) {
		fprintf(stderr, "lskel: %zu objects to link: name the skeleton with -n NAME\n",
			op.nr_objs);
		return 2;
	}
	if (op.name && !valid_ident(op.name)) {
		fprintf(stderr, "lskel: skeleton name '%s' is not a C identifier\n", op.name);
		return 2;
	}
	if (op.target && bobj__parse_kernel_version(op.target, &(unsigned int){ 0 })) {
		fprintf(stderr, "lskel: --target-kernel '%s': expected MAJOR.MINOR, e.g. 6.1\n",
			op.target);
		return 2;
	}
	return !strcmp(argv[1], "dump") ? cmd_dump(&op) : cmd_gen(&op);
}
