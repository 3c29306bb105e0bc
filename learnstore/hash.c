/*
 * hash.c - the short hashes the Python learning store keys its rows by:
 * ls_hash_job() of a job name and ls_hash_workspace() of a folder, and
 * ls_hash_bytes() under both (and under ls_pattern_id()).  Each is the
 * first 16 lowercase hex digits of a SHA-256.
 */
#include "learnstore.h"
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/*
 * The first ndigits (even, at most 64) lowercase hex digits of SHA-256 of
 * len bytes at data (NULL only when len is 0), and a NUL, into out.
 */
void
lsi_sha256_hex(const void *data, size_t len, size_t ndigits, char *out)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char digest[32];
    size_t i;

    assert(data != NULL || len == 0);
    assert(out != NULL && ndigits % 2 == 0 && ndigits <= 64);
    ls_sha256(data, len, digest);
    for (i = 0; i < ndigits / 2; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    out[ndigits] = '\0';
}

/* The first 16 hex digits of SHA-256 of len bytes at data into out. */
void
ls_hash_bytes(const void *data, size_t len, char out[LS_HASH_HEX])
{
    lsi_sha256_hex(data, len, LS_HASH_HEX - 1, out);
}

/*
 * A thread's last text hashed by one caller and its hash: a job records
 * one outcome per sheet, all with the same job name and workspace, and a
 * SHA-256 is a sixth of recording one.  Texts longer than text[] are not
 * kept.  hex[0] is '\0' until the first text is kept.
 */
struct memo {
    size_t len;
    char text[256];
    char hex[LS_HASH_HEX];
};

static _Thread_local struct memo job_memo, workspace_memo;

/* ls_hash_bytes() of len bytes at data into out, through memo m. */
static void
memo_hash(struct memo *m, const char *data, size_t len,
          char out[LS_HASH_HEX])
{
    if (m->hex[0] != '\0' && len == m->len
        && memcmp(m->text, data, len) == 0) {
        memcpy(out, m->hex, LS_HASH_HEX);
        return;
    }
    ls_hash_bytes(data, len, out);
    if (len <= sizeof m->text) {
        memcpy(m->text, data, len);
        m->len = len;
        memcpy(m->hex, out, LS_HASH_HEX);
    }
}

/*
 * First 16 hex digits of SHA-256 of name ":" (config_hash or ""), as the
 * Python store's hash_job(name, config_hash).  Returns SC_OK, SC_MISUSE
 * when name or out is NULL (out is then untouched), or SC_NOMEM.
 */
int
ls_hash_job(const char *name, const char *config_hash,
            char out[LS_HASH_HEX])
{
    size_t name_len, cfg_len, len;
    char small[sizeof job_memo.text], *text = small;

    if (name == NULL || out == NULL)
        return SC_MISUSE;
    if (config_hash == NULL)
        config_hash = "";
    name_len = strlen(name);
    cfg_len = strlen(config_hash);
    len = name_len + 1 + cfg_len;
    if (len > sizeof small && (text = malloc(len)) == NULL)
        return SC_NOMEM;
    memcpy(text, name, name_len);
    text[name_len] = ':';
    memcpy(text + name_len + 1, config_hash, cfg_len);
    memo_hash(&job_memo, text, len, out);
    if (text != small)
        free(text);
    return SC_OK;
}

/*
 * First 16 hex digits of SHA-256 of the bytes of ls_path_resolve(path), as
 * the Python store's hash_workspace(path).  The path is resolved on every
 * call (a link may have changed); only the hash of what it resolves to is
 * remembered.  Returns SC_OK, SC_MISUSE when path or out is NULL,
 * SC_NOMEM, or SC_IO when the path cannot be resolved (a symlink loop);
 * out is untouched on failure.
 */
int
ls_hash_workspace(const char *path, char out[LS_HASH_HEX])
{
    char *resolved;
    int rc;

    if (path == NULL || out == NULL)
        return SC_MISUSE;
    rc = ls_path_resolve(path, &resolved);
    if (rc != SC_OK)
        return rc;
    memo_hash(&workspace_memo, resolved, strlen(resolved), out);
    free(resolved);
    return SC_OK;
}
