/*
 * hash.c - the short hashes the Python learning store keys its rows by:
 * sc_hash_job() of a job name and sc_hash_workspace() of a folder.  Both
 * are the first 16 lowercase hex digits of a SHA-256.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Write the first 8 bytes of digest as 16 lowercase hex digits and a NUL
 * into out. */
static void
hex16(const unsigned char digest[32], char out[SC_HASH_HEX])
{
    static const char digits[] = "0123456789abcdef";
    int i;

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
sc_hash_job(const char *name, const char *config_hash,
            char out[SC_HASH_HEX])
{
    unsigned char digest[32];
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
    sc_sha256(text, name_len + 1 + cfg_len, digest);
    free(text);
    hex16(digest, out);
    return SC_OK;
}

/*
 * First 16 hex digits of SHA-256 of the bytes of sc_path_resolve(path), as
 * the Python store's hash_workspace(path).  Returns SC_OK, SC_MISUSE when
 * path or out is NULL, SC_NOMEM, or SC_IO when the path cannot be
 * resolved (a symlink loop); out is untouched on failure.
 */
int
sc_hash_workspace(const char *path, char out[SC_HASH_HEX])
{
    unsigned char digest[32];
    char *resolved;
    int rc;

    if (path == NULL || out == NULL)
        return SC_MISUSE;
    rc = sc_path_resolve(path, &resolved);
    if (rc != SC_OK)
        return rc;
    sc_sha256(resolved, strlen(resolved), digest);
    free(resolved);
    hex16(digest, out);
    return SC_OK;
}
