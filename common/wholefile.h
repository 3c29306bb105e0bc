/*
 * wholefile.h - write a file that its readers see whole or not at all.
 *
 * The bytes go to a new file beside the one they replace, which a rename
 * puts in its place once every byte is written and on disk; a failed
 * write leaves the old file as it was.  A path that names a link is
 * followed (the link stays, its file is replaced), a replaced file keeps
 * its mode (and owner, where the process may set it), and a path that is
 * not a regular file (a terminal, a pipe, a device, /dev/stdout) is
 * written straight, since renaming over it would replace the device node
 * itself.  Shared by schemac's outputs and `learnstore export --output`.
 */
#ifndef SCHEMAC_WHOLEFILE_H
#define SCHEMAC_WHOLEFILE_H

#include <stdio.h>

struct wholefile {
    FILE *f;        /* where the bytes go */
    char *tmp;      /* the new file, or NULL when written straight */
    char *target;   /* the file tmp replaces (links resolved) */
};

int wholefile_open(struct wholefile *w, const char *path);
int wholefile_commit(struct wholefile *w);
void wholefile_abort(struct wholefile *w);

#endif
