// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hashing and PKCS#7 signing of loader images through OpenSSL.
 *
 * The signature is a CMS SignedData in DER, detached (the loader's instructions
 * are not inside it), SHA-256, with no signed attributes and no certificates: the
 * shape the kernel's PKCS#7 parser takes for module signatures and, since 6.18,
 * for BPF program signatures. Without signed attributes there is no signing time,
 * and RSA PKCS#1 v1.5 has no random nonce, so the same key and input give the same
 * bytes; that is why other key types are refused rather than silently producing
 * headers that differ on every run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sign.h"

struct signer {
	EVP_PKEY *key;
	X509 *cert;
};

/* "FILE: WHAT: OpenSSL's reason", one line; returns err */
static int ssl_fail(char *buf, size_t len, int err, const char *file, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, len, "%s: %s%s%s", file, what, reason ? ": " : "", reason ? reason : "");
	ERR_clear_error();
	return err;
}

static BIO *file_open(const char *path, char *err, size_t errlen)
{
	BIO *bio = BIO_new_file(path, "rb");

	if (!bio) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : ENOENT));
		ERR_clear_error();
	}
	return bio;
}

static X509 *cert_read(const char *path, char *err, size_t errlen)
{
	BIO *bio = file_open(path, err, errlen);
	X509 *cert = NULL;

	if (!bio)
		return NULL;
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!cert) {	/* not PEM: DER, as keyctl takes it */
		ERR_clear_error();
		BIO_reset(bio);
		cert = d2i_X509_bio(bio, NULL);
	}
	if (!cert)
		ssl_fail(err, errlen, -EINVAL, path, "not an X.509 certificate (PEM or DER)");
	BIO_free(bio);
	return cert;
}

static EVP_PKEY *key_read(const char *path, char *err, size_t errlen)
{
	BIO *bio = file_open(path, err, errlen);
	EVP_PKEY *key;

	if (!bio)
		return NULL;
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!key)
		ssl_fail(err, errlen, -EINVAL, path, "not an unencrypted PEM private key");
	return key;
}

int signer__open(struct signer **out, const char *key_path, const char *cert_path,
		 char *err, size_t errlen)
{
	struct signer *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->key = key_read(key_path, err, errlen);
	s->cert = s->key ? cert_read(cert_path, err, errlen) : NULL;
	if (!s->cert) {
		signer__close(s);
		return -EINVAL;
	}
	if (EVP_PKEY_get_base_id(s->key) != EVP_PKEY_RSA) {
		snprintf(err, errlen, "%s: not an RSA key: other signatures are randomised, "
			 "and a signed header must be reproducible", key_path);
		signer__close(s);
		return -EINVAL;
	}
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, "%s: the certificate does not belong to the key %s",
			 cert_path, key_path);
		signer__close(s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

void signer__close(struct signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s);
}

static int cms_to_der(CMS_ContentInfo *cms, uint8_t **sig, size_t *sig_len)
{
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);

	if (n <= 0)
		return -EINVAL;
	*sig = malloc(n);
	if (*sig) {
		memcpy(*sig, der, n);
		*sig_len = n;
	}
	OPENSSL_free(der);
	return *sig ? 0 : -ENOMEM;
}

int signer__sign(const struct signer *s, const void *data, size_t len, uint8_t **sig,
		 size_t *sig_len, char *err, size_t errlen)
{
	const unsigned int flags = CMS_NOCERTS | CMS_BINARY | CMS_DETACHED;
	BIO *in = BIO_new_mem_buf(data, (int)len);
	CMS_ContentInfo *cms = NULL;
	int ret = -EINVAL;

	*sig = NULL;
	if (in)
		cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	if (cms && CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
				   flags | CMS_NOSMIMECAP | CMS_NOATTR) &&
	    CMS_final(cms, in, NULL, flags) == 1)
		ret = cms_to_der(cms, sig, sig_len);
	if (ret)
		ssl_fail(err, errlen, ret, "signing the loader", "CMS");
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return ret;
}

int sign__sha256(const void *data, size_t len, uint8_t out[SIGN_SHA256_SIZE])
{
	unsigned int n = 0;

	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 &&
	       n == SIGN_SHA256_SIZE ? 0 : -EINVAL;
}

/* The whole buffer must be the message: trailing bytes are not ignored. */
static CMS_ContentInfo *cms_parse(const uint8_t *sig, size_t sig_len, char *err, size_t errlen)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);

	if (!cms) {
		ssl_fail(err, errlen, -EBADMSG, "signature", "not a DER PKCS#7 message");
		return NULL;
	}
	if ((size_t)(p - sig) != sig_len) {
		snprintf(err, errlen, "signature: %zu bytes after the PKCS#7 message",
			 sig_len - (size_t)(p - sig));
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	return cms;
}

int sign__verify(const char *cert_path, const void *data, size_t len, const uint8_t *sig,
		 size_t sig_len, char *err, size_t errlen)
{
	/* the kernel trusts the key it is given, not a chain: no chain checks here */
	const unsigned int flags = CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY;
	STACK_OF(X509) *certs = sk_X509_new_null();
	X509 *cert = cert_read(cert_path, err, errlen);
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL;
	int ret = -EINVAL;

	if (cert && certs && sk_X509_push(certs, cert)) {
		cms = cms_parse(sig, sig_len, err, errlen);
		in = BIO_new_mem_buf(data, (int)len);
	}
	if (cms && in) {
		ret = CMS_verify(cms, certs, NULL, in, NULL, flags) == 1 ? 0 : -EKEYREJECTED;
		if (ret)
			ssl_fail(err, errlen, ret, cert_path,
				 "the signature does not verify under this certificate");
	}
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	sk_X509_free(certs);
	X509_free(cert);
	return ret;
}
