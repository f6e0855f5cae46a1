// Test aid for the exit race (Tern issue 11), preloaded into `tern`:
//  - SSL_shutdown (called by a connection's I/O thread as it closes) first sleeps DELAY_MS (default 30),
//    as a descheduled thread would;
//  - an atexit handler registered before OpenSSL's (so it runs after OpenSSL's clean-up, at the very end
//    of exit) reports whether every SSL_shutdown had returned before exit began, then uses OpenSSL once
//    (EVP_MD_fetch), as a thread still inside OpenSSL at that moment would. If OpenSSL's clean-up ran,
//    that call dereferences the freed library context's NULL lock and the process dies with SIGSEGV.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <openssl/evp.h>
typedef struct ssl_st SSL;
static atomic_int started, finished;
static void at_end(void) {
    fprintf(stderr, "exitrace: shutdowns started %d, finished before exit %s\n", atomic_load(&started),
            atomic_load(&started) == atomic_load(&finished) ? "all" : "NOT all");
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MD_free(md);
    fprintf(stderr, "exitrace: OpenSSL still usable at exit\n");
}
__attribute__((constructor)) static void setup(void) { atexit(at_end); }
int SSL_shutdown(SSL *s) {
    static int (*real)(SSL *) = 0;
    if (!real) real = (int (*)(SSL *))dlsym(RTLD_NEXT, "SSL_shutdown");
    atomic_fetch_add(&started, 1);
    const char *v = getenv("DELAY_MS");
    usleep((v ? atoi(v) : 30) * 1000);
    int r = real(s);
    atomic_fetch_add(&finished, 1);
    return r;
}
