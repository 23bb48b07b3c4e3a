/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev type "dummy": an in-memory device for tests without privileges.
 *
 * netdev_dummy_receive() queues a frame as if it had arrived; the rx queue's
 * eventfd becomes readable while frames wait.  Frames sent on the device are
 * queued for netdev_dummy_pop_sent().  Both queues are bounded
 * (DUMMY_MAX_QUEUE frames); overflow is counted as a drop.
 *
 * Thread-safety: one mutex protects the registry and every device's queues,
 * so injection (from the main thread) and reception (from a datapath
 * thread) may race freely.
 */
#include "netdev-provider.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "vswitch/list.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"

#define DUMMY_MAX_QUEUE 1024
#define DUMMY_MAX_FRAME (65536 + 256)

struct dummy_pkt {
    struct vs_list node; /* In a queue. */
    size_t size;         /* Bytes in 'data'. */
    uint8_t data[];      /* The frame. */
};

struct dummy {
    struct netdev up;
    struct vs_list node;       /* In 'dummies'. */
    struct vs_list rx;         /* Injected frames not yet received. */
    size_t n_rx;               /* Frames in 'rx'. */
    struct vs_list sent;       /* Frames sent, not yet popped. */
    size_t n_sent;             /* Frames in 'sent'. */
    int efd;                   /* eventfd: readable while 'rx' is not empty. */
    bool up_;                  /* Administrative state. */
    uint8_t mac[6];            /* Made-up address. */
    struct netdev_stats stats; /* Counters. */
};

struct dummy_rxq {
    struct netdev_rxq up;
    uint8_t *bufs; /* BURST slots of headroom + DUMMY_MAX_FRAME. */
};

static struct vs_mutex dummy_mutex = VS_MUTEX_INITIALIZER;
static struct vs_list
    dummies VS_GUARDED_BY(dummy_mutex) = VS_LIST_INITIALIZER(&dummies);

static struct dummy *
dummy_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct dummy, up);
}

static struct dummy *
find_dummy(const char *name) VS_REQUIRES(dummy_mutex)
{
    struct dummy *d;

    LIST_FOR_EACH (d, node, &dummies) {
        if (!strcmp(d->up.name, name)) {
            return d;
        }
    }
    return NULL;
}

static void
free_queue(struct vs_list *q)
{
    struct dummy_pkt *p;

    LIST_FOR_EACH_POP (p, node, q) {
        free(p);
    }
}

static int
dummy_open(const char *name, struct netdev **netdevp)
{
    struct dummy *d;
    uint32_t h = 0;

    vs_mutex_lock(&dummy_mutex);
    if (find_dummy(name)) {
        vs_mutex_unlock(&dummy_mutex);
        return EBUSY;
    }
    d = xzalloc(sizeof *d);
    netdev_init__(&d->up, &netdev_dummy_class, name);
    vs_list_init(&d->rx);
    vs_list_init(&d->sent);
    d->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    d->up_ = true;
    for (const char *p = name; *p; p++) {
        h = h * 31 + (uint8_t) *p;
    }
    d->mac[0] = 0xaa; /* Locally administered, unicast. */
    d->mac[1] = 0x55;
    memcpy(&d->mac[2], &h, 4);
    vs_list_push_back(&dummies, &d->node);
    vs_mutex_unlock(&dummy_mutex);
    *netdevp = &d->up;
    return 0;
}

static void
dummy_close(struct netdev *netdev)
{
    struct dummy *d = dummy_cast(netdev);

    vs_mutex_lock(&dummy_mutex);
    vs_list_remove(&d->node);
    vs_mutex_unlock(&dummy_mutex);
    free_queue(&d->rx);
    free_queue(&d->sent);
    close(d->efd);
    netdev_uninit__(netdev);
    free(d);
}

static int
dummy_get_ifindex(const struct netdev *netdev, int *ifindex)
{
    return ENODEV;
}

static int
dummy_get_mtu(const struct netdev *netdev, int *mtu)
{
    *mtu = 1500;
    return 0;
}

static int
dummy_get_etheraddr(const struct netdev *netdev, uint8_t mac[6])
{
    memcpy(mac, dummy_cast(netdev)->mac, 6);
    return 0;
}

static int
dummy_get_carrier(const struct netdev *netdev, bool *carrier)
{
    vs_mutex_lock(&dummy_mutex);
    *carrier = dummy_cast(netdev)->up_;
    vs_mutex_unlock(&dummy_mutex);
    return 0;
}

static int
dummy_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    vs_mutex_lock(&dummy_mutex);
    *stats = dummy_cast(netdev)->stats;
    vs_mutex_unlock(&dummy_mutex);
    return 0;
}

static int
dummy_set_up(struct netdev *netdev, bool up)
{
    vs_mutex_lock(&dummy_mutex);
    dummy_cast(netdev)->up_ = up;
    vs_mutex_unlock(&dummy_mutex);
    return 0;
}

static int
dummy_rxq_open(struct netdev *netdev, struct netdev_rxq **rxqp)
{
    struct dummy_rxq *rxq = xzalloc(sizeof *rxq);

    rxq->up.netdev = netdev;
    rxq->bufs = xmalloc((size_t) NETDEV_MAX_BURST
                        * (NETDEV_FRAME_HEADROOM + DUMMY_MAX_FRAME));
    *rxqp = &rxq->up;
    return 0;
}

static void
dummy_rxq_close(struct netdev_rxq *rxq_)
{
    struct dummy_rxq *rxq = CONTAINER_OF(rxq_, struct dummy_rxq, up);

    free(rxq->bufs);
    free(rxq);
}

static int
dummy_rxq_fd(const struct netdev_rxq *rxq)
{
    return dummy_cast(rxq->netdev)->efd;
}

static int
dummy_rxq_recv(struct netdev_rxq *rxq_, struct netdev_batch *batch)
{
    struct dummy_rxq *rxq = CONTAINER_OF(rxq_, struct dummy_rxq, up);
    struct dummy *d = dummy_cast(rxq_->netdev);
    uint64_t drain;

    vs_mutex_lock(&dummy_mutex);
    while (batch->count < NETDEV_MAX_BURST && !vs_list_is_empty(&d->rx)) {
        struct dummy_pkt *p =
            CONTAINER_OF(vs_list_pop_front(&d->rx), struct dummy_pkt, node);
        struct netdev_frame *f = &batch->frames[batch->count];

        f->data =
            rxq->bufs
            + (size_t) batch->count * (NETDEV_FRAME_HEADROOM + DUMMY_MAX_FRAME)
            + NETDEV_FRAME_HEADROOM;
        memcpy(f->data, p->data, p->size);
        f->size = p->size;
        f->has_vnet = false;
        d->n_rx--;
        d->stats.rx_packets++;
        d->stats.rx_bytes += p->size;
        batch->count++;
        free(p);
    }
    if (vs_list_is_empty(&d->rx)) {
        if (read(d->efd, &drain, sizeof drain) < 0) {
            /* Already drained. */
        }
    }
    vs_mutex_unlock(&dummy_mutex);
    return batch->count ? 0 : EAGAIN;
}

static struct dummy_pkt *
new_pkt(const void *data, size_t size)
{
    struct dummy_pkt *p = xmalloc(sizeof *p + size);

    p->size = size;
    memcpy(p->data, data, size);
    return p;
}

static int
dummy_send(struct netdev *netdev, const struct netdev_frame *frames,
           unsigned int n)
{
    struct dummy *d = dummy_cast(netdev);
    int error = 0;

    vs_mutex_lock(&dummy_mutex);
    for (unsigned int i = 0; i < n; i++) {
        struct dummy_pkt *p;

        if (d->n_sent >= DUMMY_MAX_QUEUE) {
            d->stats.tx_dropped++;
            error = ENOBUFS;
            continue;
        }
        p = new_pkt(frames[i].data, frames[i].size);
        if (frames[i].has_vnet) {
            netdev_complete_csum(p->data, p->size, &frames[i].vnet);
        }
        vs_list_push_back(&d->sent, &p->node);
        d->n_sent++;
        d->stats.tx_packets++;
        d->stats.tx_bytes += frames[i].size;
    }
    vs_mutex_unlock(&dummy_mutex);
    return error;
}

int
netdev_dummy_receive(const char *name, const void *frame, size_t size)
{
    uint64_t one = 1;
    struct dummy *d;
    int error = 0;

    if (size > DUMMY_MAX_FRAME) {
        return EMSGSIZE;
    }
    vs_mutex_lock(&dummy_mutex);
    d = find_dummy(name);
    if (!d) {
        error = ENODEV;
    } else if (d->n_rx >= DUMMY_MAX_QUEUE) {
        d->stats.rx_dropped++;
        error = ENOBUFS;
    } else {
        vs_list_push_back(&d->rx, &new_pkt(frame, size)->node);
        d->n_rx++;
        if (write(d->efd, &one, sizeof one) < 0) {
            /* Counter saturated: still readable. */
        }
    }
    vs_mutex_unlock(&dummy_mutex);
    return error;
}

int
netdev_dummy_pop_sent(const char *name, uint8_t **framep, size_t *sizep)
{
    struct dummy *d;
    int error = 0;

    *framep = NULL;
    *sizep = 0;
    vs_mutex_lock(&dummy_mutex);
    d = find_dummy(name);
    if (!d) {
        error = ENODEV;
    } else if (vs_list_is_empty(&d->sent)) {
        error = EAGAIN;
    } else {
        struct dummy_pkt *p =
            CONTAINER_OF(vs_list_pop_front(&d->sent), struct dummy_pkt, node);

        d->n_sent--;
        *framep = xmemdup(p->data, p->size);
        *sizep = p->size;
        free(p);
    }
    vs_mutex_unlock(&dummy_mutex);
    return error;
}

const struct netdev_class netdev_dummy_class = {
    .type = "dummy",
    .open = dummy_open,
    .close = dummy_close,
    .get_ifindex = dummy_get_ifindex,
    .get_mtu = dummy_get_mtu,
    .get_etheraddr = dummy_get_etheraddr,
    .get_carrier = dummy_get_carrier,
    .get_stats = dummy_get_stats,
    .set_up = dummy_set_up,
    .rxq_open = dummy_rxq_open,
    .rxq_close = dummy_rxq_close,
    .rxq_fd = dummy_rxq_fd,
    .rxq_recv = dummy_rxq_recv,
    .send = dummy_send,
};
