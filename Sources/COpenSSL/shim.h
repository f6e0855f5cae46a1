#ifndef TERN_COPENSSL_SHIM_H
#define TERN_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

// ---- library set-up: must be the first OpenSSL call of the process (see TernTLS/OpenSSL/OpenSSLLibrary.swift).
// OPENSSL_INIT_NO_ATEXIT: by default OpenSSL frees its global state (locks, the default library
// context, error strings) in an atexit handler. A connection's I/O thread may still be inside
// OpenSSL while another thread calls exit(), and then dereferences a freed or NULL lock
// (SIGSEGV in pthread_rwlock_rdlock). The process is ending anyway: leave that state to the kernel.
static inline int tern_openssl_init(void) {
    return OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS
                                | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
}

// ---- macro wrappers: OpenSSL exposes these as macros, which Swift cannot call.
static inline long tern_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long tern_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long tern_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline int tern_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline long tern_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline long tern_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline long tern_SSL_MODE_AUTO_RETRY(void) { return SSL_MODE_AUTO_RETRY; }
// A peer that closes TCP without close_notify reads as end of stream, not as an error:
// the protocol above (IMAP) already knows whether a response was complete.
static inline void tern_SSL_CTX_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}
static inline const char *tern_SSL_cipher_name(const SSL *ssl) {
    return SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
}

// ---- HMAC through the one-shot EVP_Q_mac (OpenSSL 3), so Swift sees no deprecated API.
// Returns the MAC length, or 0 on failure. `digest` is e.g. "SHA256".
static inline size_t tern_hmac(const char *digest, const void *key, size_t keylen,
                               const unsigned char *data, size_t datalen,
                               unsigned char *out, size_t outsize) {
    size_t outlen = 0;
    if (EVP_Q_mac(NULL, "HMAC", NULL, digest, NULL, key, keylen, data, datalen,
                  out, outsize, &outlen) == NULL) {
        return 0;
    }
    return outlen;
}

// One-shot message digest (e.g. "SHA256", "SHA1"). Returns digest length or 0.
static inline unsigned int tern_digest(const char *digest, const void *data, size_t len, unsigned char *out) {
    unsigned int outlen = 0;
    EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
    if (md == NULL) { return 0; }
    int ok = EVP_Digest(data, len, out, &outlen, md, NULL);
    EVP_MD_free(md);
    return ok ? outlen : 0;
}
#endif
