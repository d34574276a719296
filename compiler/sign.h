/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Signed light skeletons: SHA-256 and detached PKCS#7 (CMS) signatures through
 * OpenSSL, the same message format the kernel checks BPF program signatures
 * against (a SignedData over the loader's instructions, SHA-256, no signed
 * attributes, no certificates inside), and `lskel verify` of a written header.
 */
#ifndef LSKEL_SIGN_H
#define LSKEL_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define SIGN_SHA256_SIZE 32

struct signer;

/*
 * Reads a private key (PEM) and its certificate (PEM or DER). Only RSA keys: their
 * PKCS#1 v1.5 signatures are deterministic, so a header is reproducible byte for
 * byte. Returns 0 or -errno with a one-line reason in err.
 */
int signer__open(struct signer **s, const char *key_path, const char *cert_path,
		 char *err, size_t errlen);
void signer__close(struct signer *s);

/* Detached signature of data, DER, malloc'ed into *sig. */
int signer__sign(const struct signer *s, const void *data, size_t len, uint8_t **sig,
		 size_t *sig_len, char *err, size_t errlen);

int sign__sha256(const void *data, size_t len, uint8_t out[SIGN_SHA256_SIZE]);

/*
 * Checks that sig is a detached signature of data by the certificate at cert_path,
 * as the kernel would with that certificate in its keyring: the whole buffer must
 * be one DER message. Returns 0, or -errno with a one-line reason in err.
 */
int sign__verify(const char *cert_path, const void *data, size_t len, const uint8_t *sig,
		 size_t sig_len, char *err, size_t errlen);

/* `lskel verify HEADER --cert CERT`: 0 if good, else -errno with the reason in err. */
int sign__verify_header(const char *header_path, const char *cert_path, char *err,
			size_t errlen);

#endif /* LSKEL_SIGN_H */
