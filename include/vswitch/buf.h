/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_BUF_H
#define VSWITCH_BUF_H 1

/*
 * buf: a growable byte buffer with headroom.
 *
 * Layout of the allocation:
 *
 *     base          data              data + size         base + allocated
 *     |<-headroom-->|<------size------>|<-----tailroom----->|
 *
 * Appending (buf_put*) uses tailroom and pushing (buf_push*) uses headroom,
 * so a message or a packet can gain headers in front (encapsulation) without
 * moving its payload when enough headroom was reserved.  Either end grows by
 * reallocation when it runs out, which moves 'data': pointers into the
 * buffer are invalid after any call that may grow it.
 *
 * buf_at() is the bounds-checked way to read a region: it returns NULL
 * instead of reading past the end.
 *
 * Allocation failure aborts (slow path).  Not thread-safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/util.h"

struct buf {
    uint8_t *base;    /* Start of the allocation (NULL if none). */
    size_t allocated; /* Bytes allocated at 'base'. */
    uint8_t *data;    /* Start of the data. */
    size_t size;      /* Bytes of data. */
};

#define BUF_EMPTY_INITIALIZER                                                 \
    {                                                                         \
        NULL, 0, NULL, 0                                                      \
    }

/* Initializes 'b' empty with room for 'headroom' + 'capacity' bytes. */
void buf_init(struct buf *b, size_t headroom, size_t capacity);
struct buf *buf_new(size_t headroom, size_t capacity);
/* A new buffer holding a copy of 'data', with 'headroom'. */
struct buf *buf_clone_data(const void *data, size_t size, size_t headroom);
void buf_uninit(struct buf *b);
void buf_delete(struct buf *b);
void buf_clear(struct buf *b);

static inline size_t
buf_headroom(const struct buf *b)
{
    return b->data ? (size_t) (b->data - b->base) : 0;
}

static inline size_t
buf_tailroom(const struct buf *b)
{
    return b->base ? b->allocated - buf_headroom(b) - b->size : 0;
}

static inline void *
buf_tail(const struct buf *b)
{
    return b->data + b->size;
}

/* Ensures at least 'n' bytes of tailroom (headroom). */
void buf_prealloc_tailroom(struct buf *b, size_t n);
void buf_prealloc_headroom(struct buf *b, size_t n);

/* Appends 'n' bytes and returns a pointer to them. */
void *buf_put_uninit(struct buf *b, size_t n);
void *buf_put_zeros(struct buf *b, size_t n);
void *buf_put(struct buf *b, const void *data, size_t n);

/* Prepends 'n' bytes and returns a pointer to them (the new start). */
void *buf_push_uninit(struct buf *b, size_t n);
void *buf_push(struct buf *b, const void *data, size_t n);

/* Removes 'n' bytes from the front ('n' <= size) and returns a pointer to
 * them, still valid until the next call that may grow the buffer. */
void *buf_pull(struct buf *b, size_t n);
/* Like buf_pull() but returns NULL and changes nothing if fewer than 'n'
 * bytes are present. */
void *buf_try_pull(struct buf *b, size_t n);
/* Removes 'n' bytes from the end. */
void buf_trim(struct buf *b, size_t n);

/* A pointer to 'size' bytes at 'offset', or NULL if they are not all there. */
static inline void *
buf_at(const struct buf *b, size_t offset, size_t size)
{
    return offset <= b->size && size <= b->size - offset ? b->data + offset
                                                         : NULL;
}

/* Moves the data so that it starts exactly 'headroom' bytes into the
 * allocation (used to compact after many pulls). */
void buf_shift_to_headroom(struct buf *b, size_t headroom);

#endif /* VSWITCH_BUF_H */
