/*
 * child.h - run part of a test in a child process (fork()), for the tests
 * of what a handle does there.
 */
#ifndef SCHEMAC_TEST_CHILD_H
#define SCHEMAC_TEST_CHILD_H

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Run child(arg) in a child process and return what it returned (0 to
 * 254), or -1 when the child could not run or ended otherwise.  The
 * child hands its answer over a pipe and waits for the parent's SIGKILL,
 * so that nothing runs at its exit: the connections it inherited are
 * the parent's, left open on purpose, and a leak checker (make
 * check-valgrind) would count their memory.
 */
static inline int
t_in_child(int (*child)(void *), void *arg)
{
    unsigned char answer;
    int status, fd[2];
    pid_t pid;

    fflush(stdout);
    if (pipe(fd) != 0)
        return -1;
    if ((pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        answer = (unsigned char)child(arg);
        if (write(fd[1], &answer, 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(fd[1]);
    if (read(fd[0], &answer, 1) != 1)
        answer = 255;
    close(fd[0]);
    kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status)
        || WTERMSIG(status) != SIGKILL || answer == 255)
        return -1;
    return answer;
}

#endif
