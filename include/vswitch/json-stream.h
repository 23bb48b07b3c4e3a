/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_JSON_STREAM_H
#define VSWITCH_JSON_STREAM_H 1

/*
 * json-stream: split a byte stream into JSON texts.
 *
 * JSON-RPC 1.0 as OVSDB and unixctl use it puts JSON texts one after another
 * on a stream socket with nothing in between.  A json_stream accumulates
 * received bytes and hands back each complete top-level value (an object or
 * an array) as a jansson json_t.
 *
 * Algorithm: a resumable scanner tracks nesting depth and string/escape state
 * across reads, so every byte is examined once however the stream is cut; a
 * complete text is then parsed by jansson in one call.  Texts larger than
 * 'max_size' are refused (the peer is disconnected by the caller), which
 * bounds the memory a peer can make us hold.
 *
 * Errors are sticky: once the stream is malformed, framing is lost and
 * every later call returns the same error.
 *
 * Thread-safety: none; one stream per connection.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "vswitch/buf.h"

struct json_stream {
    struct buf buf;  /* Bytes received, not yet returned. */
    size_t scan;     /* Bytes of 'buf' already scanned. */
    size_t start;    /* Offset of the current text's first byte. */
    int depth;       /* Nesting depth at 'scan'. */
    bool in_string;  /* 'scan' is inside a string. */
    bool escape;     /* The previous byte was a backslash in a string. */
    bool started;    /* A text has begun (its first byte was seen). */
    size_t max_size; /* Largest text accepted. */
    char *error;     /* Sticky error message, or NULL. */
};

void json_stream_init(struct json_stream *, size_t max_size);
void json_stream_destroy(struct json_stream *);

/* Appends 'size' received bytes. */
void json_stream_feed(struct json_stream *, const void *data, size_t size);

/* Extracts the next complete text.  Returns 0 and sets '*json' (owned by the
 * caller) if one is complete; EAGAIN if more bytes are needed; EPROTO (and an
 * error message in json_stream_error()) if the stream is malformed or a text
 * is too large. */
int json_stream_next(struct json_stream *, json_t **json);

const char *json_stream_error(const struct json_stream *);

/* Bytes held that do not yet form a complete text. */
size_t json_stream_pending(const struct json_stream *);

/* Serializes 'json' compactly into a newly allocated string. */
char *json_to_string_compact(const json_t *);

#endif /* VSWITCH_JSON_STREAM_H */
