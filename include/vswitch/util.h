/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_UTIL_H
#define VSWITCH_UTIL_H 1

/*
 * util: small things every module needs.
 *
 * Allocation: slow-path code allocates with the x* wrappers, which abort the
 * process with a message when memory runs out (there is nothing sensible a
 * configuration path can do then).  Fast-path code calls malloc() directly
 * and handles failure.
 *
 * Errors: functions return 0 or a positive errno value; vs_strerror() is
 * thread-safe.
 *
 * Time: vs_time_msec() is CLOCK_MONOTONIC in milliseconds, vs_time_wall_msec()
 * CLOCK_REALTIME in milliseconds.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Given 'pointer' to member 'member' of a struct 'type', the struct. */
#define CONTAINER_OF(pointer, type, member)                                   \
    ((type *) (void *) ((char *) (pointer) -offsetof(type, member)))

/* Like CONTAINER_OF, but for an 'object' of the struct's type, so that the
 * type can be inferred: OBJECT_CONTAINING(node, obj, member). */
#define OBJECT_CONTAINING(pointer, object, member)                            \
    ((__typeof__(object)) (void *) ((char *) (pointer) -offsetof(             \
        __typeof__(*(object)), member)))

#define VS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define VS_MAX(a, b) ((a) > (b) ? (a) : (b))
#define DIV_ROUND_UP(x, y) (((x) + (y) -1) / (y))
#define ROUND_UP(x, y) (DIV_ROUND_UP(x, y) * (y))

#define VS_LIKELY(x) __builtin_expect(!!(x), 1)
#define VS_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define VS_PRINTF_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))
#define VS_NO_RETURN __attribute__((noreturn))
#define VS_WARN_UNUSED __attribute__((warn_unused_result))

void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xmemdup(const void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) VS_PRINTF_FORMAT(1, 2);
char *xvasprintf(const char *fmt, va_list args) VS_PRINTF_FORMAT(1, 0);

/* Prints "PROGRAM: message" to stderr and exits with 'status'. */
void vs_fatal(int status, const char *fmt, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;
/* Aborts with a message: for broken invariants only. */
void vs_abort(const char *fmt, ...) VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;

/* Sets the program name used in messages, from argv[0]. */
void vs_set_program_name(const char *argv0);
const char *vs_program_name(void);

/* Thread-safe strerror(). */
const char *vs_strerror(int error);

long long vs_time_msec(void);
long long vs_time_wall_msec(void);
long long vs_time_usec(void);

/* Parses a decimal integer in [min, max] from the whole of 's'. */
bool vs_str_to_llong(const char *s, long long min, long long max,
                     long long *value);

/* Sets or clears O_NONBLOCK (returns 0 or errno). */
int vs_set_nonblocking(int fd);

/* write() all of 'size' bytes of 'data', retrying on EINTR and short writes;
 * returns 0 or errno. */
int vs_write_fully(int fd, const void *data, size_t size);

#endif /* VSWITCH_UTIL_H */
