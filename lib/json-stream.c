/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/json-stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/util.h"

void
json_stream_init(struct json_stream *s, size_t max_size)
{
    memset(s, 0, sizeof *s);
    buf_init(&s->buf, 0, 4096);
    s->max_size = max_size;
}

void
json_stream_destroy(struct json_stream *s)
{
    if (s) {
        buf_uninit(&s->buf);
        free(s->error);
        s->error = NULL;
    }
}

void
json_stream_feed(struct json_stream *s, const void *data, size_t size)
{
    if (!s->error) {
        buf_put(&s->buf, data, size);
    }
}

static int
fail(struct json_stream *s, char *msg)
{
    s->error = msg;
    return EPROTO;
}

static bool
is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drops everything before offset 'n' (already returned or white space). */
static void
consume(struct json_stream *s, size_t n)
{
    buf_pull(&s->buf, n);
    s->scan -= n;
    s->start = 0;
    if (!s->buf.size) {
        buf_shift_to_headroom(&s->buf, 0);
    }
}

int
json_stream_next(struct json_stream *s, json_t **jsonp)
{
    const uint8_t *p = s->buf.data;

    *jsonp = NULL;
    if (s->error) {
        return EPROTO;
    }
    for (; s->scan < s->buf.size; s->scan++) {
        uint8_t c = p[s->scan];

        if (!s->started) {
            if (is_ws(c)) {
                continue;
            }
            if (c != '{' && c != '[') {
                return fail(s, xasprintf("JSON text must start with '{' or "
                                         "'[', not byte 0x%02x",
                                         c));
            }
            s->started = true;
            s->start = s->scan;
            s->depth = 1;
            continue;
        }
        if (s->scan - s->start >= s->max_size) {
            return fail(
                s, xasprintf("JSON text longer than %zu bytes", s->max_size));
        }
        if (s->in_string) {
            if (s->escape) {
                s->escape = false;
            } else if (c == '\\') {
                s->escape = true;
            } else if (c == '"') {
                s->in_string = false;
            }
            continue;
        }
        if (c == '"') {
            s->in_string = true;
        } else if (c == '{' || c == '[') {
            if (++s->depth > 1000) {
                return fail(s, xstrdup("JSON nested more than 1000 deep"));
            }
        } else if (c == '}' || c == ']') {
            if (--s->depth == 0) {
                size_t len = s->scan + 1 - s->start;
                json_error_t jerr;
                json_t *json;

                json = json_loadb((const char *) p + s->start, len,
                                  JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY
                                      | JSON_ALLOW_NUL,
                                  &jerr);
                s->started = false;
                s->scan++;
                consume(s, s->scan);
                if (!json) {
                    return fail(s,
                                xasprintf("invalid JSON: %s (line %d, "
                                          "column %d)",
                                          jerr.text, jerr.line, jerr.column));
                }
                *jsonp = json;
                return 0;
            }
        }
    }
    if (!s->started && s->scan) {
        consume(s, s->scan); /* Only white space so far. */
    }
    return EAGAIN;
}

const char *
json_stream_error(const struct json_stream *s)
{
    return s->error;
}

size_t
json_stream_pending(const struct json_stream *s)
{
    return s->buf.size;
}

char *
json_to_string_compact(const json_t *json)
{
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);

    if (!s) {
        vs_abort("json_dumps failed");
    }
    return s;
}
