/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DS_H
#define VSWITCH_DS_H 1

/*
 * ds: a dynamic, always NUL-terminated string.
 *
 * 'string' is NULL until the first append (ds_cstr() then returns "");
 * 'length' excludes the terminator; 'allocated' is the capacity excluding
 * the terminator.  Appends grow the buffer geometrically and abort on
 * out-of-memory (slow-path use).  Not thread-safe.
 */

#include <stdarg.h>
#include <stddef.h>
#include "vswitch/util.h"

struct ds {
    char *string;     /* NUL-terminated contents, or NULL when never used. */
    size_t length;    /* Characters, excluding the terminator. */
    size_t allocated; /* Capacity, excluding the terminator. */
};

#define DS_EMPTY_INITIALIZER                                                  \
    {                                                                         \
        NULL, 0, 0                                                            \
    }

void ds_init(struct ds *);
void ds_destroy(struct ds *);
void ds_clear(struct ds *);
void ds_truncate(struct ds *, size_t new_length);
void ds_reserve(struct ds *, size_t min_length);

/* Appends room for 'n' characters and returns where they go; the caller
 * fills them. */
char *ds_put_uninit(struct ds *, size_t n);
void ds_put_char(struct ds *, char);
void ds_put_char_multiple(struct ds *, char, size_t n);
void ds_put_buffer(struct ds *, const char *, size_t n);
void ds_put_cstr(struct ds *, const char *);
void ds_put_format(struct ds *, const char *, ...) VS_PRINTF_FORMAT(2, 3);
void ds_put_format_valist(struct ds *, const char *, va_list)
    VS_PRINTF_FORMAT(2, 0);
/* Appends 'n' bytes of 'data' as lowercase hex digits. */
void ds_put_hex(struct ds *, const void *data, size_t n);
/* Appends a classic hex dump (offset, hex bytes, printable characters). */
void ds_put_hex_dump(struct ds *, const void *data, size_t n, size_t offset);

/* The contents as a C string (never NULL). */
const char *ds_cstr(const struct ds *);
/* Returns the contents, which the caller must free(), and reinitializes
 * 'ds'. */
char *ds_steal_cstr(struct ds *);
/* Removes trailing white space. */
void ds_chomp(struct ds *);
int ds_last(const struct ds *);

#endif /* VSWITCH_DS_H */
