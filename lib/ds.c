/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ds.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

void
ds_destroy(struct ds *ds)
{
    if (ds) {
        free(ds->string);
        ds_init(ds);
    }
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_truncate(struct ds *ds, size_t new_length)
{
    if (ds->length > new_length) {
        ds->length = new_length;
        ds->string[new_length] = '\0';
    }
}

void
ds_reserve(struct ds *ds, size_t min_length)
{
    if (min_length > ds->allocated || !ds->string) {
        size_t want = ds->allocated * 2;

        if (want < min_length) {
            want = min_length;
        }
        if (want < 15) {
            want = 15;
        }
        ds->string = xrealloc(ds->string, want + 1);
        ds->allocated = want;
        ds->string[ds->length] = '\0';
    }
}

char *
ds_put_uninit(struct ds *ds, size_t n)
{
    char *p;

    ds_reserve(ds, ds->length + n);
    p = &ds->string[ds->length];
    ds->length += n;
    ds->string[ds->length] = '\0';
    return p;
}

void
ds_put_char(struct ds *ds, char c)
{
    *ds_put_uninit(ds, 1) = c;
}

void
ds_put_char_multiple(struct ds *ds, char c, size_t n)
{
    memset(ds_put_uninit(ds, n), c, n);
}

void
ds_put_buffer(struct ds *ds, const char *s, size_t n)
{
    memcpy(ds_put_uninit(ds, n), s, n);
}

void
ds_put_cstr(struct ds *ds, const char *s)
{
    ds_put_buffer(ds, s, strlen(s));
}

void
ds_put_format_valist(struct ds *ds, const char *fmt, va_list args_)
{
    size_t avail;
    va_list args;
    int needed;

    ds_reserve(ds, ds->length + 64);
    avail = ds->allocated - ds->length + 1;
    va_copy(args, args_);
    needed = vsnprintf(&ds->string[ds->length], avail, fmt, args);
    va_end(args);
    if (needed < 0) {
        vs_abort("vsnprintf failed");
    }
    if ((size_t) needed < avail) {
        ds->length += needed;
        return;
    }
    ds_reserve(ds, ds->length + needed);
    va_copy(args, args_);
    vsnprintf(&ds->string[ds->length], needed + 1, fmt, args);
    va_end(args);
    ds->length += needed;
}

void
ds_put_format(struct ds *ds, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    ds_put_format_valist(ds, fmt, args);
    va_end(args);
}

void
ds_put_hex(struct ds *ds, const void *data_, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *data = data_;
    char *p = ds_put_uninit(ds, n * 2);

    for (size_t i = 0; i < n; i++) {
        *p++ = digits[data[i] >> 4];
        *p++ = digits[data[i] & 15];
    }
}

void
ds_put_hex_dump(struct ds *ds, const void *data_, size_t n, size_t offset)
{
    const uint8_t *data = data_;

    for (size_t line = 0; line < n; line += 16) {
        size_t end = line + 16 < n ? line + 16 : n;

        ds_put_format(ds, "%08zx ", offset + line);
        for (size_t i = line; i < line + 16; i++) {
            if (i < end) {
                ds_put_format(ds, " %02x", data[i]);
            } else {
                ds_put_cstr(ds, "   ");
            }
        }
        ds_put_cstr(ds, "  |");
        for (size_t i = line; i < end; i++) {
            ds_put_char(ds, isprint(data[i]) ? data[i] : '.');
        }
        ds_put_cstr(ds, "|\n");
    }
}

const char *
ds_cstr(const struct ds *ds)
{
    return ds->string ? ds->string : "";
}

char *
ds_steal_cstr(struct ds *ds)
{
    char *s = ds->string ? ds->string : xstrdup("");

    ds_init(ds);
    return s;
}

void
ds_chomp(struct ds *ds)
{
    while (ds->length > 0
           && isspace((unsigned char) ds->string[ds->length - 1])) {
        ds->string[--ds->length] = '\0';
    }
}

int
ds_last(const struct ds *ds)
{
    return ds->length ? (unsigned char) ds->string[ds->length - 1] : EOF;
}
