/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev types "tap" and "internal": a tap device whose file descriptor we
 * own.  What the kernel side of the device transmits, we read; what we
 * write, the kernel side receives.
 *
 * The tap is opened with IFF_VNET_HDR and TUNSETOFFLOAD, so the kernel may
 * hand us partially checksummed frames and TCP super-segments (and accepts
 * them from us), exactly as it does with a virtio-net VM.  It is not
 * persistent: closing the netdev removes the device.  An "internal" device
 * is the same, brought up at open: the bridge's own interface.
 */
#include "netdev-provider.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_tap);
COVERAGE_DEFINE(tap_rx_short);
COVERAGE_DEFINE(tap_tx_error);

#define TAP_BUF_SIZE (65536 + 256)
#define TAP_SLOT_SIZE (NETDEV_FRAME_HEADROOM + TAP_BUF_SIZE)

struct tap {
    struct netdev up;
    int fd; /* /dev/net/tun, attached to the device. */
};

struct tap_rxq {
    struct netdev_rxq up;
    uint8_t *bufs;                                /* BURST slots. */
    struct virtio_net_hdr vnet[NETDEV_MAX_BURST]; /* Received headers. */
};

static struct tap *
tap_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct tap, up);
}

static int
tap_open__(const char *name, const struct netdev_class *class,
           struct netdev **netdevp)
{
    struct ifreq ifr;
    struct tap *dev;
    int fd, error, hdr_size = sizeof(struct virtio_net_hdr);

    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error = errno;
        VLOG_WARN("%s: cannot create tap device: %s", name,
                  vs_strerror(error));
        goto err_close;
    }
    if (ioctl(fd, TUNSETVNETHDRSZ, &hdr_size) < 0
        || ioctl(fd, TUNSETOFFLOAD,
                 TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)
               < 0) {
        error = errno;
        VLOG_WARN("%s: cannot enable tap offloads: %s", name,
                  vs_strerror(error));
        goto err_close;
    }
    dev = xzalloc(sizeof *dev);
    netdev_init__(&dev->up, class, name);
    dev->fd = fd;
    dev->up.vnet = true;
    error = netdev_linux_set_up(name, true);
    if (error) {
        VLOG_WARN("%s: cannot bring tap up: %s", name, vs_strerror(error));
    }
    *netdevp = &dev->up;
    return 0;

err_close:
    close(fd);
    return error;
}

static int
tap_open(const char *name, struct netdev **netdevp)
{
    return tap_open__(name, &netdev_tap_class, netdevp);
}

static int
internal_open(const char *name, struct netdev **netdevp)
{
    return tap_open__(name, &netdev_internal_class, netdevp);
}

static void
tap_close(struct netdev *netdev)
{
    struct tap *dev = tap_cast(netdev);

    close(dev->fd);
    netdev_uninit__(netdev);
    free(dev);
}

/* Counters from our side of the tap: the kernel device's own counters see
 * the traffic from the other direction. */
static int
tap_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_stats k;
    int error = netdev_linux_get_stats(netdev->name, &k);

    if (!error) {
        /* The device transmits what we receive, and vice versa. */
        stats->rx_packets = k.tx_packets;
        stats->rx_bytes = k.tx_bytes;
        stats->rx_dropped = k.tx_dropped;
        stats->rx_errors = k.tx_errors;
        stats->tx_packets = k.rx_packets;
        stats->tx_bytes = k.rx_bytes;
        stats->tx_dropped = k.rx_dropped;
        stats->tx_errors = k.rx_errors;
    }
    return error;
}

static int
tap_rxq_open(struct netdev *netdev, struct netdev_rxq **rxqp)
{
    struct tap_rxq *rxq = xzalloc(sizeof *rxq);

    rxq->up.netdev = netdev;
    rxq->bufs = xmalloc((size_t) NETDEV_MAX_BURST * TAP_SLOT_SIZE);
    *rxqp = &rxq->up;
    return 0;
}

static void
tap_rxq_close(struct netdev_rxq *rxq_)
{
    struct tap_rxq *rxq = CONTAINER_OF(rxq_, struct tap_rxq, up);

    free(rxq->bufs);
    free(rxq);
}

static int
tap_rxq_fd(const struct netdev_rxq *rxq)
{
    return tap_cast(rxq->netdev)->fd;
}

static int
tap_rxq_recv(struct netdev_rxq *rxq_, struct netdev_batch *batch)
{
    struct tap_rxq *rxq = CONTAINER_OF(rxq_, struct tap_rxq, up);
    struct tap *dev = tap_cast(rxq_->netdev);
    int error = 0;

    while (batch->count < NETDEV_MAX_BURST) {
        unsigned int i = batch->count;
        uint8_t *data =
            rxq->bufs + (size_t) i * TAP_SLOT_SIZE + NETDEV_FRAME_HEADROOM;
        struct iovec iov[2] = {
            {&rxq->vnet[i], sizeof rxq->vnet[i]},
            {data, TAP_BUF_SIZE},
        };
        ssize_t n = readv(dev->fd, iov, 2);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errno == EWOULDBLOCK ? EAGAIN : errno;
            break;
        }
        if ((size_t) n < sizeof rxq->vnet[i] + 14) {
            COVERAGE_INC(tap_rx_short);
            continue;
        }
        batch->frames[i].data = data;
        batch->frames[i].size = n - sizeof rxq->vnet[i];
        batch->frames[i].has_vnet = true;
        batch->frames[i].vnet = rxq->vnet[i];
        batch->count++;
    }
    return batch->count ? 0 : error;
}

static int
tap_send(struct netdev *netdev, const struct netdev_frame *frames,
         unsigned int n)
{
    static const struct virtio_net_hdr no_offload;
    struct tap *dev = tap_cast(netdev);
    int first_error = 0;

    for (unsigned int i = 0; i < n; i++) {
        const struct netdev_frame *f = &frames[i];
        struct iovec iov[2] = {
            {(void *) (f->has_vnet ? &f->vnet : &no_offload),
             sizeof(struct virtio_net_hdr)},
            {f->data, f->size},
        };
        ssize_t r;

        do {
            r = writev(dev->fd, iov, 2);
        } while (r < 0 && errno == EINTR);
        if (r < 0) {
            if (!first_error) {
                first_error = errno == EWOULDBLOCK ? ENOBUFS : errno;
            }
            COVERAGE_INC(tap_tx_error);
            __atomic_add_fetch(&netdev->tx_dropped, 1, __ATOMIC_RELAXED);
        }
    }
    return first_error;
}

#define TAP_CLASS(TYPE, OPEN)                                                 \
    {                                                                         \
        .type = TYPE, .open = OPEN, .close = tap_close,                       \
        .get_stats = tap_get_stats, .rxq_open = tap_rxq_open,                 \
        .rxq_close = tap_rxq_close, .rxq_fd = tap_rxq_fd,                     \
        .rxq_recv = tap_rxq_recv, .send = tap_send,                           \
    }

const struct netdev_class netdev_tap_class = TAP_CLASS("tap", tap_open);
const struct netdev_class netdev_internal_class =
    TAP_CLASS("internal", internal_open);
