/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/buf.h"

#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t headroom, size_t capacity)
{
    b->allocated = headroom + capacity;
    b->base = b->allocated ? xmalloc(b->allocated) : NULL;
    b->data = b->base ? b->base + headroom : NULL;
    b->size = 0;
}

struct buf *
buf_new(size_t headroom, size_t capacity)
{
    struct buf *b = xmalloc(sizeof *b);

    buf_init(b, headroom, capacity);
    return b;
}

struct buf *
buf_clone_data(const void *data, size_t size, size_t headroom)
{
    struct buf *b = buf_new(headroom, size);

    buf_put(b, data, size);
    return b;
}

void
buf_uninit(struct buf *b)
{
    if (b) {
        free(b->base);
        b->base = b->data = NULL;
        b->allocated = b->size = 0;
    }
}

void
buf_delete(struct buf *b)
{
    if (b) {
        buf_uninit(b);
        free(b);
    }
}

void
buf_clear(struct buf *b)
{
    b->size = 0;
}

/* Reallocates so that there are exactly 'headroom' bytes before the data
 * and 'tailroom' after it. */
static void
resize(struct buf *b, size_t headroom, size_t tailroom)
{
    size_t allocated = headroom + b->size + tailroom;
    uint8_t *base = xmalloc(allocated);

    if (b->size) {
        memcpy(base + headroom, b->data, b->size);
    }
    free(b->base);
    b->base = base;
    b->data = base + headroom;
    b->allocated = allocated;
}

void
buf_prealloc_tailroom(struct buf *b, size_t n)
{
    if (n > buf_tailroom(b)) {
        size_t grow = VS_MAX(n, b->allocated);

        resize(b, buf_headroom(b), buf_tailroom(b) + VS_MAX(grow, 64));
    }
}

void
buf_prealloc_headroom(struct buf *b, size_t n)
{
    if (n > buf_headroom(b)) {
        resize(b, VS_MAX(n, 64), buf_tailroom(b));
    }
}

void *
buf_put_uninit(struct buf *b, size_t n)
{
    void *p;

    buf_prealloc_tailroom(b, n);
    p = buf_tail(b);
    b->size += n;
    return p;
}

void *
buf_put_zeros(struct buf *b, size_t n)
{
    return memset(buf_put_uninit(b, n), 0, n);
}

void *
buf_put(struct buf *b, const void *data, size_t n)
{
    void *p = buf_put_uninit(b, n);

    if (n) {
        memcpy(p, data, n);
    }
    return p;
}

void *
buf_push_uninit(struct buf *b, size_t n)
{
    buf_prealloc_headroom(b, n);
    b->data -= n;
    b->size += n;
    return b->data;
}

void *
buf_push(struct buf *b, const void *data, size_t n)
{
    void *p = buf_push_uninit(b, n);

    if (n) {
        memcpy(p, data, n);
    }
    return p;
}

void *
buf_pull(struct buf *b, size_t n)
{
    void *p = b->data;

    if (n > b->size) {
        vs_abort("buf_pull of %zu bytes from %zu", n, b->size);
    }
    b->data += n;
    b->size -= n;
    return p;
}

void *
buf_try_pull(struct buf *b, size_t n)
{
    return n <= b->size ? buf_pull(b, n) : NULL;
}

void
buf_trim(struct buf *b, size_t n)
{
    b->size = n <= b->size ? b->size - n : 0;
}

void
buf_shift_to_headroom(struct buf *b, size_t headroom)
{
    if (!b->base || headroom + b->size > b->allocated) {
        resize(b, headroom, 0);
        return;
    }
    memmove(b->base + headroom, b->data, b->size);
    b->data = b->base + headroom;
}
