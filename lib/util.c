/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *program_name = "vswitch";

void
vs_set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');

    program_name = slash ? slash + 1 : argv0;
}

const char *
vs_program_name(void)
{
    return program_name;
}

static void VS_NO_RETURN
out_of_memory(void)
{
    static const char msg[] = "virtual memory exhausted\n";

    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* Nothing more to do. */
    }
    abort();
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xzalloc(size_t size)
{
    return xcalloc(1, size);
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xmemdup(const void *p, size_t size)
{
    void *q = xmalloc(size);

    memcpy(q, p, size);
    return q;
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *q = xmalloc(len + 1);

    memcpy(q, s, len);
    q[len] = '\0';
    return q;
}

char *
xvasprintf(const char *fmt, va_list args)
{
    char *s;

    if (vasprintf(&s, fmt, args) < 0) {
        out_of_memory();
    }
    return s;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list args;
    char *s;

    va_start(args, fmt);
    s = xvasprintf(fmt, args);
    va_end(args);
    return s;
}

void
vs_fatal(int status, const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(status);
}

void
vs_abort(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: internal error: ", program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

const char *
vs_strerror(int error)
{
    static __thread char buf[128];

    if (error == 0) {
        return "Success";
    }
    /* GNU strerror_r returns a pointer that may or may not be 'buf'. */
    return strerror_r(error, buf, sizeof buf);
}

static long long
clock_msec(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
vs_time_msec(void)
{
    return clock_msec(CLOCK_MONOTONIC);
}

long long
vs_time_wall_msec(void)
{
    return clock_msec(CLOCK_REALTIME);
}

long long
vs_time_usec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool
vs_str_to_llong(const char *s, long long min, long long max, long long *value)
{
    char *end;
    long long v;

    if (!s || !*s) {
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max) {
        return false;
    }
    *value = v;
    return true;
}

int
vs_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return errno;
    }
    return 0;
}

int
vs_write_fully(int fd, const void *data_, size_t size)
{
    const char *data = data_;

    while (size > 0) {
        ssize_t n = write(fd, data, size);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        data += n;
        size -= n;
    }
    return 0;
}
