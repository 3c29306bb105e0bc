/*
 * replay.c - a plain main() for the fuzz targets when libFuzzer is not
 * at hand: feed every file named on the command line (folders: every file
 * inside) to LLVMFuzzerTestOneInput() once, and report one PASS/FAIL line.
 * A defect shows as a crash, an abort or a sanitizer report; an input
 * that runs longer than REPLAY_TIMEOUT seconds (default 10) is reported as
 * a FAIL naming the file.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line printed when the running input overruns its time, written
 * before each input so the alarm handler only has to write it. */
static char timeout_line[4600];
static unsigned timeout_secs = 10;

/* SIGALRM: the running input hangs; report it and stop. */
static void
on_alarm(int sig)
{
    ssize_t put = write(1, timeout_line, strlen(timeout_line));

    (void)sig;
    (void)put;
    _exit(1);
}

/*
 * Read the whole file at path into *data (malloc'd; the caller frees it)
 * and its length into *size.  Returns 0, or -1 when it cannot be read.
 */
static int
slurp(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *grown;
    size_t n = 0, cap = 0, got;

    if (f == NULL)
        return -1;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            if ((grown = realloc(buf, cap)) == NULL) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *data = buf;
    *size = n;
    return 0;
}

/*
 * Run the target over the file or every regular file of the folder at
 * path, under the time limit; name labels a timeout's FAIL line.  Returns
 * how many inputs ran, or -1 when path cannot be read.
 */
static long
replay_path(const char *name, const char *path)
{
    struct stat st;
    struct dirent *e;
    DIR *dir;
    uint8_t *data;
    size_t size;
    long n = 0, sub;
    char child[4096];

    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        if (slurp(path, &data, &size) != 0)
            return -1;
        snprintf(timeout_line, sizeof timeout_line, "FAIL %s: '%s' ran "
                 "longer than %u s\n", name, path, timeout_secs);
        fflush(stdout);
        alarm(timeout_secs);
        LLVMFuzzerTestOneInput(data, size);
        alarm(0);
        free(data);
        return 1;
    }
    if ((dir = opendir(path)) == NULL)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if ((sub = replay_path(name, child)) < 0) {
            closedir(dir);
            return -1;
        }
        n += sub;
    }
    closedir(dir);
    return n;
}

/* replay NAME PATH...: run NAME's target over every input; print
 * "PASS NAME (N inputs)" or "FAIL NAME: why". */
int
main(int argc, char **argv)
{
    long total = 0, n;
    int i;

    if (argc < 3) {
        fprintf(stderr, "usage: replay NAME FILE-OR-FOLDER...\n");
        return 2;
    }
    if (getenv("REPLAY_TIMEOUT") != NULL
        && atoi(getenv("REPLAY_TIMEOUT")) > 0)
        timeout_secs = (unsigned)atoi(getenv("REPLAY_TIMEOUT"));
    signal(SIGALRM, on_alarm);
    for (i = 2; i < argc; i++) {
        if ((n = replay_path(argv[1], argv[i])) < 0) {
            printf("FAIL %s: cannot read '%s'\n", argv[1], argv[i]);
            return 1;
        }
        total += n;
    }
    if (total == 0) {
        printf("FAIL %s: no inputs\n", argv[1]);
        return 1;
    }
    printf("PASS %s (%ld inputs)\n", argv[1], total);
    return 0;
}
