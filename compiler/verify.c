// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `lskel verify HEADER --cert CERT`: checks a signed light skeleton offline.
 *
 * It reads back the arrays the header writer put into NAME__load() (blob, insns,
 * signature, excl_prog_hash: C string literals in the fixed form header.c emits)
 * and checks the three links of the chain the kernel and the loader check at load:
 * the signature covers the loader's instructions under CERT (PKCS#7, as the kernel
 * verifies it), the SHA-256 the loader compares the blob map's hash with equals the
 * blob's, and the blob map's excl_prog_hash equals the instructions' SHA-256. The
 * loader's expected hash is found by the instruction pattern loader.c emits right
 * after its prologue; anything else is not a loader this verifier knows.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "sign.h"

struct bytes {
	uint8_t *p;
	size_t len;
};

static int read_file(const char *path, char **text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0;
	long size;

	*text = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -errno;
	}
	*text = malloc((size_t)size + 1);
	if (*text)
		len = fread(*text, 1, (size_t)size, f);
	fclose(f);
	if (!*text || len != (size_t)size) {
		snprintf(err, errlen, "%s: cannot read it", path);
		free(*text);
		*text = NULL;
		return -EIO;
	}
	(*text)[len] = '\0';
	return 0;
}

/* One escape after the backslash at *s: \ooo (1-3 octal digits) or \c. */
static uint8_t unescape(const char **s)
{
	const char *p = *s + 1;
	unsigned int v = 0;
	int n = 0;

	while (n < 3 && *p >= '0' && *p <= '7')
		v = v * 8 + (unsigned int)(*p++ - '0'), n++;
	if (!n)
		v = (uint8_t)*p++;
	*s = p;
	return (uint8_t)v;
}

/* Appends the bytes of the literal starting at the quote *s; returns past it or NULL. */
static const char *literal_read(const char *s, struct bytes *b)
{
	for (s++; *s && *s != '"'; ) {
		if (*s == '\n')
			return NULL;
		b->p[b->len++] = *s == '\\' ? unescape(&s) : (uint8_t)*s++;
	}
	return *s == '"' ? s + 1 : NULL;
}

/* `static const char NAME[] = "..." "...";` anywhere in text */
static int array_find(const char *text, const char *name, struct bytes *b, const char *path,
		      char *err, size_t errlen)
{
	char decl[64];
	const char *s;

	snprintf(decl, sizeof(decl), "static const char %s[] =", name);
	s = strstr(text, decl);
	b->len = 0;
	b->p = s ? malloc(strlen(s)) : NULL;	/* never more bytes than characters */
	if (!b->p) {
		snprintf(err, errlen, "%s: no %s[] array: not a %slight skeleton of lskel", path,
			 name, strcmp(name, "signature") && strcmp(name, "excl_prog_hash") ?
			 "" : "signed ");
		return -EINVAL;
	}
	s += strlen(decl);
	for (;;) {
		s += strspn(s, " \t\n");
		if (*s == ';')
			return 0;
		if (*s != '"' || !(s = literal_read(s, b)))
			break;
	}
	snprintf(err, errlen, "%s: %s[]: not a sequence of string literals", path, name);
	return -EINVAL;
}

static bool is_ld_imm64(const struct bpf_insn *i, int dst, int src)
{
	return i->code == (BPF_LD | BPF_DW | BPF_IMM) && i->dst_reg == dst && i->src_reg == src;
}

/*
 * The SHA-256 a signed loader expects of its blob, from its metadata check: after the
 * 3-insn prologue, mov r8; ld_imm64 r1 = map; ldx r2 excl; mov r7; jne; then per 8
 * bytes: ldx r2 = sha[i]; ld_imm64 r3 = expected; mov r7; jne r2, r3.
 */
static int loader_expected_hash(const struct bytes *insns, uint8_t sha[SIGN_SHA256_SIZE])
{
	const struct bpf_insn *in = (const struct bpf_insn *)insns->p;
	size_t n = insns->len / sizeof(*in);

	if (insns->len % sizeof(*in) || n < 29 || !is_ld_imm64(&in[4], BPF_REG_1, BPF_PSEUDO_MAP_IDX))
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		const struct bpf_insn *ld = &in[9 + 5 * i];
		uint64_t v;

		if (ld->code != (BPF_LDX | BPF_MEM | BPF_DW) || ld->src_reg != BPF_REG_1 ||
		    ld->off != 8 * i || !is_ld_imm64(&ld[1], BPF_REG_3, 0))
			return -EINVAL;
		v = (uint64_t)(uint32_t)ld[1].imm | (uint64_t)(uint32_t)ld[2].imm << 32;
		memcpy(sha + 8 * i, &v, 8);
	}
	return 0;
}

static int check_chain(const char *path, const char *cert, struct bytes a[4], char *err,
		       size_t errlen)
{
	uint8_t want[SIGN_SHA256_SIZE], got[SIGN_SHA256_SIZE];
	int ret;

	ret = sign__verify(cert, a[1].p, a[1].len, a[2].p, a[2].len, err, errlen);
	if (ret)
		return ret;
	if (loader_expected_hash(&a[1], want)) {
		snprintf(err, errlen, "%s: the loader has no blob hash check lskel knows", path);
		return -EINVAL;
	}
	if (sign__sha256(a[0].p, a[0].len, got) || memcmp(got, want, sizeof(got))) {
		snprintf(err, errlen, "%s: the blob's SHA-256 is not the one the loader checks", path);
		return -EBADMSG;
	}
	if (sign__sha256(a[1].p, a[1].len, got) || a[3].len != sizeof(got) ||
	    memcmp(got, a[3].p, sizeof(got))) {
		snprintf(err, errlen, "%s: excl_prog_hash is not the loader's SHA-256", path);
		return -EBADMSG;
	}
	return 0;
}

int sign__verify_header(const char *header_path, const char *cert_path, char *err,
			size_t errlen)
{
	static const char *const names[4] = { "blob", "insns", "signature", "excl_prog_hash" };
	struct bytes a[4] = {};
	char *text;
	int ret = read_file(header_path, &text, err, errlen);

	for (int i = 0; i < 4 && !ret; i++)
		ret = array_find(text, names[i], &a[i], header_path, err, errlen);
	if (!ret)
		ret = check_chain(header_path, cert_path, a, err, errlen);
	for (int i = 0; i < 4; i++)
		free(a[i].p);
	free(text);
	return ret;
}
