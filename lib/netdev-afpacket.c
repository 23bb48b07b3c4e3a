/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev type "system": an existing kernel interface, through AF_PACKET.
 *
 * Receive uses a TPACKET_V2 ring of 2 KiB slots: the kernel copies each
 * frame into the ring in the softirq that delivers it (on the sender's
 * CPU), wakes the reader per frame (V2, unlike V3, has no block timer that
 * would delay sparse traffic), and the reader takes bursts of up to
 * NETDEV_MAX_BURST frames without a system call or a per-frame queue lock.
 * A frame too big for a slot — a GSO super-segment — arrives marked
 * TP_STATUS_COPY (PACKET_COPY_THRESH) and whole on the socket's queue,
 * where recvmsg() takes it into buffers preallocated per queue.  Without a
 * ring (VSWITCH_AFPACKET_RING=0, or an old kernel) receive uses recvmmsg()
 * into those buffers: one system call per burst.  V3 rings are not used:
 * they wake the reader only when a block is retired (full, or after at
 * least one jiffy).  docs/userspace-datapath.md discusses the trade-off.
 *
 * Offloads: PACKET_VNET_HDR makes the kernel hand us GSO super-segments and
 * partially checksummed frames with a virtio-net header, and take them back
 * the same way on send, so TCP crosses the switch with segmentation and
 * checksums left to the edges.
 *
 * VLANs: the kernel strips the outer tag of received frames into metadata;
 * PACKET_AUXDATA returns it and we put it back in the headroom.
 */
#include "netdev-provider.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_afpacket);
COVERAGE_DEFINE(afpacket_rx_truncated);
COVERAGE_DEFINE(afpacket_tx_gso_dropped);
COVERAGE_DEFINE(afpacket_tx_error);

#define RX_BUF_SIZE (65536 + 256) /* Largest GSO frame plus slack. */
#define RX_SLOT_SIZE (NETDEV_FRAME_HEADROOM + RX_BUF_SIZE)
/* Receive ring: 2 KiB slots (a 1500-byte frame with its headers and
 * headroom), 64 KiB blocks, 2048 slots (4 MiB) per port. */
#define RING_FRAME_SIZE 2048
#define RING_BLOCK_SIZE 65536
#define RING_BLOCK_NR 64

struct afpacket {
    struct netdev up;
    int fd;                /* AF_PACKET socket bound to the device. */
    int ifindex;           /* Bound device. */
    uint64_t socket_drops; /* Accumulated PACKET_STATISTICS drops. */
};

struct afpacket_rxq {
    struct netdev_rxq up;
    uint8_t *ring;                                /* RX ring or NULL. */
    size_t ring_size;                             /* Bytes mapped. */
    unsigned int frame_nr;                        /* Ring slots. */
    unsigned int head;                            /* Next slot to read. */
    struct tpacket2_hdr *held[NETDEV_MAX_BURST];  /* Slots lent out. */
    unsigned int n_held;                          /* Entries in 'held'. */
    uint8_t *bufs;                                /* BURST slots. */
    struct virtio_net_hdr vnet[NETDEV_MAX_BURST]; /* Received headers. */
    struct mmsghdr msgs[NETDEV_MAX_BURST];        /* recvmmsg() vector. */
    struct iovec iovs[NETDEV_MAX_BURST][2];       /* vnet hdr, frame. */
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
    } cmsgs[NETDEV_MAX_BURST]; /* PACKET_AUXDATA. */
};

static struct afpacket *
afpacket_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct afpacket, up);
}

static int
afpacket_open(const char *name, struct netdev **netdevp)
{
    struct packet_mreq mreq = {.mr_type = PACKET_MR_PROMISC};
    struct sockaddr_ll sll = {.sll_family = AF_PACKET};
    struct afpacket *dev;
    int one = 1, rcvbuf = 4 * 1024 * 1024;
    int fd, ifindex, error;

    error = netdev_linux_get_ifindex(name, &ifindex);
    if (error) {
        return error;
    }
    /* Protocol 0: nothing arrives before bind(). */
    fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    dev = xzalloc(sizeof *dev);
    netdev_init__(&dev->up, &netdev_afpacket_class, name);
    dev->fd = fd;
    dev->ifindex = ifindex;
    dev->up.vnet =
        !setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one);
    if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0) {
        error = errno;
        goto err_close;
    }
    /* Our own transmissions must not come back to us (Linux 4.20+). */
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one)
        < 0) {
        VLOG_WARN("%s: PACKET_IGNORE_OUTGOING: %s", name, vs_strerror(errno));
    }
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf)
        < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        error = errno;
        goto err_close;
    }
    mreq.mr_ifindex = ifindex;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq)
        < 0) {
        error = errno;
        goto err_close;
    }
    *netdevp = &dev->up;
    return 0;

err_close:
    VLOG_WARN("%s: cannot set up AF_PACKET socket: %s", name,
              vs_strerror(error));
    close(fd);
    netdev_uninit__(&dev->up);
    free(dev);
    return error;
}

static void
afpacket_close(struct netdev *netdev)
{
    struct afpacket *dev = afpacket_cast(netdev);

    close(dev->fd);
    netdev_uninit__(netdev);
    free(dev);
}

static int
afpacket_get_ifindex(const struct netdev *netdev, int *ifindex)
{
    *ifindex = afpacket_cast(netdev)->ifindex;
    return 0;
}

static int
afpacket_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct afpacket *dev = afpacket_cast(netdev);
    struct tpacket_stats st;
    socklen_t len = sizeof st;
    int error;

    error = netdev_linux_get_stats(netdev->name, stats);
    /* Reading the socket statistics resets them: accumulate. */
    if (!getsockopt(dev->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len)) {
        __atomic_add_fetch(&dev->socket_drops, st.tp_drops, __ATOMIC_RELAXED);
    }
    stats->rx_dropped += __atomic_load_n(&dev->socket_drops, __ATOMIC_RELAXED);
    return error;
}

/* Sets up a TPACKET_V2 receive ring on 'dev''s socket (see the file
 * comment).  Returns 0 or errno (the caller then keeps recvmmsg()). */
static int
ring_setup(struct afpacket *dev, struct afpacket_rxq *rxq)
{
    struct tpacket_req req = {
        .tp_block_size = RING_BLOCK_SIZE,
        .tp_block_nr = RING_BLOCK_NR,
        .tp_frame_size = RING_FRAME_SIZE,
        .tp_frame_nr = RING_BLOCK_NR * (RING_BLOCK_SIZE / RING_FRAME_SIZE),
    };
    int version = TPACKET_V2, reserve = NETDEV_FRAME_HEADROOM;
    int thresh = 1;
    const char *env = getenv("VSWITCH_AFPACKET_RING");
    void *ring;

    if (env && !strcmp(env, "0")) {
        return EOPNOTSUPP;
    }
    if (setsockopt(dev->fd, SOL_PACKET, PACKET_VERSION, &version,
                   sizeof version)
        || setsockopt(dev->fd, SOL_PACKET, PACKET_RESERVE, &reserve,
                      sizeof reserve)
        || setsockopt(dev->fd, SOL_PACKET, PACKET_COPY_THRESH, &thresh,
                      sizeof thresh)
        || setsockopt(dev->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req)) {
        return errno;
    }
    ring = mmap(NULL, (size_t) RING_BLOCK_SIZE * RING_BLOCK_NR,
                PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, 0);
    if (ring == MAP_FAILED) {
        int error = errno;
        struct tpacket_req none = {0};

        setsockopt(dev->fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none);
        return error;
    }
    rxq->ring = ring;
    rxq->ring_size = (size_t) RING_BLOCK_SIZE * RING_BLOCK_NR;
    rxq->frame_nr = req.tp_frame_nr;
    return 0;
}

static int
afpacket_rxq_open(struct netdev *netdev, struct netdev_rxq **rxqp)
{
    struct afpacket_rxq *rxq = xzalloc(sizeof *rxq);
    int error;

    rxq->up.netdev = netdev;
    rxq->bufs = xmalloc((size_t) NETDEV_MAX_BURST * RX_SLOT_SIZE);
    error = ring_setup(afpacket_cast(netdev), rxq);
    if (error && error != EOPNOTSUPP) {
        VLOG_INFO("%s: no receive ring (%s): using recvmmsg", netdev->name,
                  vs_strerror(error));
    }
    *rxqp = &rxq->up;
    return 0;
}

static void
afpacket_rxq_close(struct netdev_rxq *rxq_)
{
    struct afpacket_rxq *rxq = CONTAINER_OF(rxq_, struct afpacket_rxq, up);

    if (rxq->ring) {
        munmap(rxq->ring, rxq->ring_size);
    }
    free(rxq->bufs);
    free(rxq);
}

static int
afpacket_rxq_fd(const struct netdev_rxq *rxq)
{
    return afpacket_cast(rxq->netdev)->fd;
}

/* Fills 'f' from message 'i' of the last recvmmsg().  Returns false if
 * the message is unusable (truncated). */
static bool
msg_to_frame(struct afpacket_rxq *rxq, bool vnet, int i,
             struct netdev_frame *f)
{
    struct msghdr *mh = &rxq->msgs[i].msg_hdr;
    uint32_t len = rxq->msgs[i].msg_len;
    struct cmsghdr *cm;

    if (mh->msg_flags & MSG_TRUNC) {
        COVERAGE_INC(afpacket_rx_truncated);
        return false;
    }
    if (vnet) {
        if (len < sizeof(struct virtio_net_hdr)) {
            return false;
        }
        len -= sizeof(struct virtio_net_hdr);
    }
    f->data = rxq->bufs + (size_t) i * RX_SLOT_SIZE + NETDEV_FRAME_HEADROOM;
    f->size = len;
    f->has_vnet = vnet;
    if (vnet) {
        f->vnet = rxq->vnet[i];
    }
    for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
        const struct tpacket_auxdata *aux;

        if (cm->cmsg_level != SOL_PACKET || cm->cmsg_type != PACKET_AUXDATA
            || cm->cmsg_len < CMSG_LEN(sizeof *aux)) {
            continue;
        }
        aux = (const void *) CMSG_DATA(cm);
        if ((aux->tp_status & TP_STATUS_VLAN_VALID) && f->size >= 12) {
            uint16_t tpid = aux->tp_status & TP_STATUS_VLAN_TPID_VALID
                                ? aux->tp_vlan_tpid
                                : ETH_P_8021Q;

            netdev_reinsert_vlan(&f->data, &f->size, tpid, aux->tp_vlan_tci);
            if (f->has_vnet && (f->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
                f->vnet.csum_start += 4;
            }
        }
    }
    return true;
}

/* Prepares message slot 'i' for a receive. */
static void
prepare_msg(struct afpacket_rxq *rxq, bool vnet, int i)
{
    struct msghdr *mh = &rxq->msgs[i].msg_hdr;
    uint8_t *slot = rxq->bufs + (size_t) i * RX_SLOT_SIZE;
    int k = 0;

    if (vnet) {
        rxq->iovs[i][k].iov_base = &rxq->vnet[i];
        rxq->iovs[i][k++].iov_len = sizeof rxq->vnet[i];
    }
    rxq->iovs[i][k].iov_base = slot + NETDEV_FRAME_HEADROOM;
    rxq->iovs[i][k++].iov_len = RX_BUF_SIZE;
    memset(mh, 0, sizeof *mh);
    mh->msg_iov = rxq->iovs[i];
    mh->msg_iovlen = k;
    mh->msg_control = rxq->cmsgs[i].buf;
    mh->msg_controllen = sizeof rxq->cmsgs[i].buf;
}

/* Ring receive: frames that fit a slot are lent out of the ring until the
 * next receive; a frame too big for a slot (a GSO super-segment) is marked
 * TP_STATUS_COPY and also queued whole on the socket, where recvmsg()
 * takes it into buffer slot 'count'. */
static int
ring_recv(struct afpacket *dev, struct afpacket_rxq *rxq,
          struct netdev_batch *batch)
{
    bool vnet = dev->up.vnet;

    for (unsigned int i = 0; i < rxq->n_held; i++) {
        __atomic_store_n(&rxq->held[i]->tp_status, TP_STATUS_KERNEL,
                         __ATOMIC_RELEASE);
    }
    rxq->n_held = 0;
    while (batch->count < NETDEV_MAX_BURST) {
        struct tpacket2_hdr *h =
            (struct tpacket2_hdr *) (void *) (rxq->ring
                                              + (size_t) rxq->head
                                                    * RING_FRAME_SIZE);
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        struct netdev_frame *f = &batch->frames[batch->count];
        bool keep = false;

        if (!(status & TP_STATUS_USER)) {
            break;
        }
        rxq->head = (rxq->head + 1) % rxq->frame_nr;
        if (status & TP_STATUS_COPY) {
            /* This and the following COPY slots: one recvmmsg() for all
             * of their whole frames, in order. */
            unsigned int first = batch->count, k = 1;
            int n;

            while (first + k < NETDEV_MAX_BURST) {
                struct tpacket2_hdr *nh =
                    (struct tpacket2_hdr
                         *) (void *) (rxq->ring
                                      + (size_t) ((rxq->head + k - 1)
                                                  % rxq->frame_nr)
                                            * RING_FRAME_SIZE);
                uint32_t ns =
                    __atomic_load_n(&nh->tp_status, __ATOMIC_ACQUIRE);

                if ((ns & (TP_STATUS_USER | TP_STATUS_COPY))
                    != (TP_STATUS_USER | TP_STATUS_COPY)) {
                    break;
                }
                k++;
            }
            for (unsigned int i = 0; i < k; i++) {
                prepare_msg(rxq, vnet, first + i);
            }
            do {
                n = recvmmsg(dev->fd, &rxq->msgs[first], k, MSG_DONTWAIT,
                             NULL);
            } while (n < 0 && errno == EINTR);
            for (int i = 0; i < n; i++) {
                if (msg_to_frame(rxq, vnet, first + i,
                                 &batch->frames[batch->count])) {
                    batch->count++;
                }
            }
            /* Give back the slots after the first (this one is given back
             * below). */
            for (unsigned int i = 1; i < k; i++) {
                struct tpacket2_hdr *nh =
                    (struct tpacket2_hdr *) (void *) (rxq->ring
                                                      + (size_t) rxq->head
                                                            * RING_FRAME_SIZE);

                __atomic_store_n(&nh->tp_status, TP_STATUS_KERNEL,
                                 __ATOMIC_RELEASE);
                rxq->head = (rxq->head + 1) % rxq->frame_nr;
            }
        } else if (h->tp_snaplen < h->tp_len
                   || (vnet && h->tp_mac < sizeof(struct virtio_net_hdr))) {
            COVERAGE_INC(afpacket_rx_truncated);
        } else {
            f->data = (uint8_t *) h + h->tp_mac;
            f->size = h->tp_snaplen;
            f->has_vnet = vnet;
            if (vnet) {
                memcpy(&f->vnet, f->data - sizeof f->vnet, sizeof f->vnet);
            }
            if ((status & TP_STATUS_VLAN_VALID) && f->size >= 12) {
                uint16_t tpid = status & TP_STATUS_VLAN_TPID_VALID
                                    ? h->tp_vlan_tpid
                                    : ETH_P_8021Q;

                netdev_reinsert_vlan(&f->data, &f->size, tpid, h->tp_vlan_tci);
                if (f->has_vnet
                    && (f->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
                    f->vnet.csum_start += 4;
                }
            }
            batch->count++;
            keep = true;
        }
        if (keep) {
            rxq->held[rxq->n_held++] = h;
        } else {
            __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL,
                             __ATOMIC_RELEASE);
        }
    }
    if (!batch->count) {
        /* Woken with nothing in the ring: a pending socket error (the
         * device went away) must be read, or poll() reports it forever. */
        int error = 0;
        socklen_t len = sizeof error;

        if (!getsockopt(dev->fd, SOL_SOCKET, SO_ERROR, &error, &len)
            && error) {
            return error;
        }
        return EAGAIN;
    }
    return 0;
}

static int
afpacket_rxq_recv(struct netdev_rxq *rxq_, struct netdev_batch *batch)
{
    struct afpacket_rxq *rxq = CONTAINER_OF(rxq_, struct afpacket_rxq, up);
    struct afpacket *dev = afpacket_cast(rxq_->netdev);
    bool vnet = dev->up.vnet;
    int n;

    if (rxq->ring) {
        return ring_recv(dev, rxq, batch);
    }
    for (int i = 0; i < NETDEV_MAX_BURST; i++) {
        prepare_msg(rxq, vnet, i);
    }
    do {
        n = recvmmsg(dev->fd, rxq->msgs, NETDEV_MAX_BURST, MSG_DONTWAIT, NULL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    for (int i = 0; i < n; i++) {
        if (msg_to_frame(rxq, vnet, i, &batch->frames[batch->count])) {
            batch->count++;
        }
    }
    return batch->count ? 0 : EAGAIN;
}

/* A private copy of 'f' with its partial checksum completed, for a device
 * that cannot take the virtio-net header.  Returns NULL if 'f' cannot be
 * sent there (a GSO super-segment). */
static uint8_t *
resolve_offloads(const struct netdev_frame *f)
{
    uint8_t *copy;

    if (f->vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        COVERAGE_INC(afpacket_tx_gso_dropped);
        return NULL;
    }
    copy = xmemdup(f->data, f->size);
    if (netdev_complete_csum(copy, f->size, &f->vnet)) {
        free(copy);
        return NULL;
    }
    return copy;
}

static int
afpacket_send(struct netdev *netdev, const struct netdev_frame *frames,
              unsigned int n)
{
    static const struct virtio_net_hdr no_offload;
    struct afpacket *dev = afpacket_cast(netdev);
    struct mmsghdr msgs[NETDEV_MAX_BURST];
    struct iovec iovs[NETDEV_MAX_BURST][2];
    uint8_t *copies[NETDEV_MAX_BURST];
    int first_error = 0;

    while (n > 0) {
        unsigned int burst = VS_MIN(n, NETDEV_MAX_BURST), m = 0, done = 0;

        for (unsigned int i = 0; i < burst; i++) {
            const struct netdev_frame *f = &frames[i];
            uint8_t *data = f->data;
            int k = 0;

            copies[m] = NULL;
            if (!netdev->vnet && f->has_vnet
                && (f->vnet.flags || f->vnet.gso_type)) {
                data = copies[m] = resolve_offloads(f);
                if (!data) {
                    __atomic_add_fetch(&netdev->tx_dropped, 1,
                                       __ATOMIC_RELAXED);
                    continue;
                }
            }
            if (netdev->vnet) {
                iovs[m][k].iov_base =
                    (void *) (f->has_vnet ? &f->vnet : &no_offload);
                iovs[m][k++].iov_len = sizeof(struct virtio_net_hdr);
            }
            iovs[m][k].iov_base = data;
            iovs[m][k++].iov_len = f->size;
            memset(&msgs[m], 0, sizeof msgs[m]);
            msgs[m].msg_hdr.msg_iov = iovs[m];
            msgs[m].msg_hdr.msg_iovlen = k;
            m++;
        }
        while (done < m) {
            int sent = sendmmsg(dev->fd, msgs + done, m - done, MSG_DONTWAIT);

            if (sent < 0) {
                if (errno == EINTR) {
                    continue;
                }
                /* The frame at 'done' failed: count it, go on. */
                if (!first_error) {
                    first_error = errno == EWOULDBLOCK ? ENOBUFS : errno;
                }
                COVERAGE_INC(afpacket_tx_error);
                __atomic_add_fetch(&netdev->tx_dropped, 1, __ATOMIC_RELAXED);
                sent = 1;
            }
            done += sent;
        }
        for (unsigned int i = 0; i < m; i++) {
            free(copies[i]);
        }
        frames += burst;
        n -= burst;
    }
    return first_error;
}

const struct netdev_class netdev_afpacket_class = {
    .type = "system",
    .open = afpacket_open,
    .close = afpacket_close,
    .get_ifindex = afpacket_get_ifindex,
    .get_stats = afpacket_get_stats,
    .rxq_open = afpacket_rxq_open,
    .rxq_close = afpacket_rxq_close,
    .rxq_fd = afpacket_rxq_fd,
    .rxq_recv = afpacket_rxq_recv,
    .send = afpacket_send,
};
