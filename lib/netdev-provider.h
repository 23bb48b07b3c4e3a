/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_NETDEV_PROVIDER_H
#define VSWITCH_NETDEV_PROVIDER_H 1

/*
 * netdev-provider: what a netdev type implements (private to lib/).
 *
 * A provider allocates its own struct with 'struct netdev' as its first
 * member (and likewise for 'struct netdev_rxq'), and fills in the class's
 * functions.  Functions left NULL fall back to the Linux link queries of
 * netdev-linux.c by device name (get_*, set_up) or to EOPNOTSUPP.
 */

#include "vswitch/netdev.h"

struct netdev_class;

struct netdev {
    const struct netdev_class *class; /* Type. */
    char *name;                       /* Device name. */
    bool vnet;                        /* Frames carry virtio-net headers. */
    uint64_t tx_dropped;              /* Software drops (atomic). */
};

struct netdev_rxq {
    struct netdev *netdev; /* Device this queue receives from. */
};

struct netdev_class {
    const char *type;

    int (*open)(const char *name, struct netdev **);
    void (*close)(struct netdev *);

    int (*get_ifindex)(const struct netdev *, int *);
    int (*get_mtu)(const struct netdev *, int *);
    int (*get_etheraddr)(const struct netdev *, uint8_t mac[6]);
    int (*get_carrier)(const struct netdev *, bool *);
    int (*get_stats)(const struct netdev *, struct netdev_stats *);
    int (*set_up)(struct netdev *, bool up);

    int (*rxq_open)(struct netdev *, struct netdev_rxq **);
    void (*rxq_close)(struct netdev_rxq *);
    int (*rxq_fd)(const struct netdev_rxq *);
    int (*rxq_recv)(struct netdev_rxq *, struct netdev_batch *);
    int (*send)(struct netdev *, const struct netdev_frame *, unsigned int n);
};

extern const struct netdev_class netdev_afpacket_class;
extern const struct netdev_class netdev_tap_class;
extern const struct netdev_class netdev_internal_class;
extern const struct netdev_class netdev_dummy_class;

/* Initializes the generic part of a provider's netdev. */
void netdev_init__(struct netdev *, const struct netdev_class *,
                   const char *name);
void netdev_uninit__(struct netdev *);

/* Linux link queries and changes by device name (rtnetlink via libnl). */
int netdev_linux_get_ifindex(const char *name, int *ifindex);
int netdev_linux_get_mtu(const char *name, int *mtu);
int netdev_linux_get_etheraddr(const char *name, uint8_t mac[6]);
int netdev_linux_get_carrier(const char *name, bool *carrier);
int netdev_linux_get_stats(const char *name, struct netdev_stats *);
int netdev_linux_set_up(const char *name, bool up);

/* Completes a checksum that the sender left to the hardware
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM) in 'frame', in place.  Returns 0 or
 * EINVAL if the offsets fall outside the frame. */
int netdev_complete_csum(uint8_t *frame, size_t size,
                         const struct virtio_net_hdr *);

/* Re-inserts an 802.1Q tag that the kernel took out of a received frame:
 * the frame at '*data' must have 4 bytes of headroom; '*data' and '*size'
 * are updated. */
void netdev_reinsert_vlan(uint8_t **data, uint32_t *size, uint16_t tpid,
                          uint16_t tci);

#endif /* VSWITCH_NETDEV_PROVIDER_H */
