/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_NETDEV_H
#define VSWITCH_NETDEV_H 1

/*
 * netdev: network devices as the userspace datapath sees them.
 *
 * A netdev is a port's way in and out of the switch.  Types:
 *
 *   "system"   an existing kernel interface (NIC, veth, a VM's tap that
 *              QEMU owns), read and written through an AF_PACKET socket with
 *              a TPACKET_V2 receive ring, in promiscuous mode;
 *   "tap"      a tap device that we create (or attach to) and whose file
 *              descriptor we own: the kernel side is a netdev of that name;
 *   "internal" a tap named after the bridge, brought up: the host stack's
 *              way into the bridge (libvirt reads its MTU);
 *   "dummy"    in-memory, for tests without root: frames are injected with
 *              netdev_dummy_receive() and what was sent is queued for
 *              netdev_dummy_pop_sent().
 *
 * Frames: receive fills a 'struct netdev_batch' with up to NETDEV_MAX_BURST
 * frames that point into the device's own memory (the AF_PACKET ring, the
 * tap's buffers): no copy and no allocation per packet.  They stay valid
 * until the next netdev_rxq_recv() on the same queue.  Each frame starts at
 * its Ethernet header; a VLAN tag that the kernel took out of the frame (it
 * does so for AF_PACKET) has been put back, so the bytes are what was on the
 * wire.  There is headroom of at least NETDEV_FRAME_HEADROOM bytes before
 * every received frame that the caller may use to push headers in place.
 *
 * Offloads: where the device supports it (system and tap), frames carry a
 * virtio-net header ('vnet'): a frame whose checksum the sender left to the
 * hardware has VIRTIO_NET_HDR_F_NEEDS_CSUM, a TCP super-segment has a
 * gso_type and gso_size.  Passing 'vnet' through to netdev_send() on a
 * device that supports it lets large segments cross the switch unsplit and
 * unchecksummed — the kernel or the receiving VM finishes the job.  On a
 * device without support, netdev_send() resolves the checksum in software
 * and drops GSO frames it cannot send (counted in tx_dropped).
 *
 * Errors are positive errno values.  A device that disappears makes
 * receive and send fail with ENODEV/ENXIO; the caller marks the port down.
 *
 * Thread-safety: one thread per rx queue; netdev_send() may be called from
 * several threads at once (AF_PACKET and tap sends are atomic per frame);
 * open/close and the get/set functions are for the main thread.
 */

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETDEV_MAX_BURST 32
#define NETDEV_FRAME_HEADROOM 64

struct netdev;
struct netdev_rxq;

struct netdev_frame {
    uint8_t *data;              /* Ethernet header onward. */
    uint32_t size;              /* Bytes at 'data'. */
    bool has_vnet;              /* 'vnet' is meaningful. */
    struct virtio_net_hdr vnet; /* Checksum/GSO offload state. */
};

struct netdev_batch {
    unsigned int count;                           /* Frames in 'frames'. */
    struct netdev_frame frames[NETDEV_MAX_BURST]; /* The frames. */
};

struct netdev_stats {
    uint64_t rx_packets; /* Frames received. */
    uint64_t rx_bytes;   /* Bytes received. */
    uint64_t rx_dropped; /* Frames the device or socket dropped on receive. */
    uint64_t rx_errors;  /* Receive errors. */
    uint64_t tx_packets; /* Frames sent. */
    uint64_t tx_bytes;   /* Bytes sent. */
    uint64_t tx_dropped; /* Frames dropped on send (full queue, no GSO...). */
    uint64_t tx_errors;  /* Send errors. */
};

/* Opens the device 'name' of 'type' (see above).  Returns 0 and sets
 * '*netdevp', or an errno (ENODEV: no such interface; EINVAL: unknown
 * type). */
int netdev_open(const char *name, const char *type, struct netdev **netdevp);
void netdev_close(struct netdev *);

const char *netdev_get_name(const struct netdev *);
const char *netdev_get_type(const struct netdev *);
/* Whether 'type' names a netdev type we can open. */
bool netdev_type_is_known(const char *type);

/* Kernel properties; ENODEV for types without a kernel device (dummy
 * answers from its own state). */
int netdev_get_ifindex(const struct netdev *, int *ifindex);
int netdev_get_mtu(const struct netdev *, int *mtu);
int netdev_get_etheraddr(const struct netdev *, uint8_t mac[6]);
int netdev_get_carrier(const struct netdev *, bool *carrier);
int netdev_get_stats(const struct netdev *, struct netdev_stats *);
/* Brings the device administratively up or down. */
int netdev_set_up(struct netdev *, bool up);
bool netdev_has_vnet_hdr(const struct netdev *);

/* Receive queue (one per device for now).  The fd becomes readable when
 * frames are waiting. */
int netdev_rxq_open(struct netdev *, struct netdev_rxq **rxqp);
void netdev_rxq_close(struct netdev_rxq *);
int netdev_rxq_fd(const struct netdev_rxq *);
/* Receives up to NETDEV_MAX_BURST frames.  Returns 0 with batch->count > 0,
 * or EAGAIN if none are waiting, or another errno. */
int netdev_rxq_recv(struct netdev_rxq *, struct netdev_batch *batch);

/* Sends the 'n' frames of 'frames'.  Returns 0 if all were handed to the
 * device; otherwise the errno of the first failure (the rest are still
 * tried; failures are counted in tx_dropped/tx_errors). */
int netdev_send(struct netdev *, const struct netdev_frame *frames,
                unsigned int n);

/* Dummy devices. */

/* Injects a frame into the dummy device 'name' as if received.  Returns 0,
 * ENODEV if no such dummy device is open, or ENOBUFS if its queue is
 * full. */
int netdev_dummy_receive(const char *name, const void *frame, size_t size);
/* Pops the oldest frame sent on dummy 'name' into a malloc()ed buffer
 * ('*framep', '*sizep').  Returns 0, ENODEV, or EAGAIN if none is queued. */
int netdev_dummy_pop_sent(const char *name, uint8_t **framep, size_t *sizep);

#endif /* VSWITCH_NETDEV_H */
