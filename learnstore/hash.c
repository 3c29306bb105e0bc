/*
 * hash.c - the short hashes the Python learning store keys its rows by:
 * ls_hash_job() of a job name and ls_hash_workspace() of a folder, and
 * ls_hash_bytes() under both (and under ls_pattern_id()).  Each is the
 * first 16 lowercase hex digits of a SHA-256.
 */
#include "learnstore.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/*
 * The first 16 lowercase hex digits of SHA-256 of len bytes at data (NULL
 * only when len is 0), and a NUL, into out.
 */
void
ls_hash_bytes(const void *data, size_t len, char out[LS_HASH_HEX])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char digest[32];
    int i;

    assert(data != NULL || len == 0);
    assert(out != NULL);
    ls_sha256(data, len, digest);
    for (i = 0; i < 8; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    out[16] = '\0';
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
    size_t name_len, cfg_len;
    char *text;

    if (name == NULL || out == NULL)
        return SC_MISUSE;
    if (config_hash == NULL)
        config_hash = "";
    name_len = strlen(name);
    cfg_len = strlen(config_hash);
    text = malloc(name_len + 1 + cfg_len);
    if (text == NULL)
        return SC_NOMEM;
    memcpy(text, name, name_len);
    text[name_len] = ':';
    memcpy(text + name_len + 1, config_hash, cfg_len);
    ls_hash_bytes(text, name_len + 1 + cfg_len, out);
    free(text);
    return SC_OK;
}

/*
 * First 16 hex digits of SHA-256 of the bytes of ls_path_resolve(path), as
 * the Python store's hash_workspace(path).  Returns SC_OK, SC_MISUSE when
 * path or out is NULL, SC_NOMEM, or SC_IO when the path cannot be
 * resolved (a symlink loop); out is untouched on failure.
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
    ls_hash_bytes(resolved, strlen(resolved), out);
    free(resolved);
    return SC_OK;
}
