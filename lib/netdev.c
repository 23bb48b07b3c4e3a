/* SPDX-License-Identifier: Apache-2.0 */
#include "netdev-provider.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev);
COVERAGE_DEFINE(netdev_sent_csum_sw);

static const struct netdev_class *const classes[] = {
    &netdev_afpacket_class,
    &netdev_tap_class,
    &netdev_internal_class,
    &netdev_dummy_class,
};

static const struct netdev_class *
find_class(const char *type)
{
    if (!type || !*type) {
        type = "system";
    }
    for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
        if (!strcmp(classes[i]->type, type)) {
            return classes[i];
        }
    }
    return NULL;
}

bool
netdev_type_is_known(const char *type)
{
    return find_class(type) != NULL;
}

void
netdev_init__(struct netdev *netdev, const struct netdev_class *class,
              const char *name)
{
    memset(netdev, 0, sizeof *netdev);
    netdev->class = class;
    netdev->name = xstrdup(name);
}

void
netdev_uninit__(struct netdev *netdev)
{
    free(netdev->name);
}

int
netdev_open(const char *name, const char *type, struct netdev **netdevp)
{
    const struct netdev_class *class = find_class(type);
    int error;

    *netdevp = NULL;
    if (!class) {
        return EINVAL;
    }
    if (!name || !*name || strlen(name) >= 16) {
        return EINVAL; /* IFNAMSIZ */
    }
    error = class->open(name, netdevp);
    if (error) {
        VLOG_DBG("%s: cannot open as %s: %s", name, class->type,
                 vs_strerror(error));
    }
    return error;
}

void
netdev_close(struct netdev *netdev)
{
    if (netdev) {
        netdev->class->close(netdev);
    }
}

const char *
netdev_get_name(const struct netdev *netdev)
{
    return netdev->name;
}

const char *
netdev_get_type(const struct netdev *netdev)
{
    return netdev->class->type;
}

bool
netdev_has_vnet_hdr(const struct netdev *netdev)
{
    return netdev->vnet;
}

int
netdev_get_ifindex(const struct netdev *netdev, int *ifindex)
{
    return netdev->class->get_ifindex
               ? netdev->class->get_ifindex(netdev, ifindex)
               : netdev_linux_get_ifindex(netdev->name, ifindex);
}

int
netdev_get_mtu(const struct netdev *netdev, int *mtu)
{
    return netdev->class->get_mtu ? netdev->class->get_mtu(netdev, mtu)
                                  : netdev_linux_get_mtu(netdev->name, mtu);
}

int
netdev_get_etheraddr(const struct netdev *netdev, uint8_t mac[6])
{
    return netdev->class->get_etheraddr
               ? netdev->class->get_etheraddr(netdev, mac)
               : netdev_linux_get_etheraddr(netdev->name, mac);
}

int
netdev_get_carrier(const struct netdev *netdev, bool *carrier)
{
    return netdev->class->get_carrier
               ? netdev->class->get_carrier(netdev, carrier)
               : netdev_linux_get_carrier(netdev->name, carrier);
}

int
netdev_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    int error;

    memset(stats, 0, sizeof *stats);
    error = netdev->class->get_stats
                ? netdev->class->get_stats(netdev, stats)
                : netdev_linux_get_stats(netdev->name, stats);
    stats->tx_dropped +=
        __atomic_load_n(&netdev->tx_dropped, __ATOMIC_RELAXED);
    return error;
}

int
netdev_set_up(struct netdev *netdev, bool up)
{
    return netdev->class->set_up ? netdev->class->set_up(netdev, up)
                                 : netdev_linux_set_up(netdev->name, up);
}

int
netdev_rxq_open(struct netdev *netdev, struct netdev_rxq **rxqp)
{
    *rxqp = NULL;
    return netdev->class->rxq_open ? netdev->class->rxq_open(netdev, rxqp)
                                   : EOPNOTSUPP;
}

void
netdev_rxq_close(struct netdev_rxq *rxq)
{
    if (rxq) {
        rxq->netdev->class->rxq_close(rxq);
    }
}

int
netdev_rxq_fd(const struct netdev_rxq *rxq)
{
    return rxq->netdev->class->rxq_fd(rxq);
}

int
netdev_rxq_recv(struct netdev_rxq *rxq, struct netdev_batch *batch)
{
    batch->count = 0;
    return rxq->netdev->class->rxq_recv(rxq, batch);
}

int
netdev_send(struct netdev *netdev, const struct netdev_frame *frames,
            unsigned int n)
{
    return netdev->class->send ? netdev->class->send(netdev, frames, n)
                               : EOPNOTSUPP;
}

/* Ones'-complement sum of 'size' bytes at 'data', folded to 16 bits but
 * not inverted. */
static uint32_t
csum_add_bytes(uint32_t sum, const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i + 1 < size; i += 2) {
        sum += (uint32_t) data[i] << 8 | data[i + 1];
    }
    if (i < size) {
        sum += (uint32_t) data[i] << 8;
    }
    return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

int
netdev_complete_csum(uint8_t *frame, size_t size,
                     const struct virtio_net_hdr *vnet)
{
    size_t start = vnet->csum_start, offset = vnet->csum_offset;
    uint16_t csum;

    if (!(vnet->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
        return 0;
    }
    if (start > size || offset + 2 > size - start) {
        return EINVAL;
    }
    /* The field already holds the pseudo-header sum (that is how the stack
     * hands partial checksums over): sum from csum_start to the end. */
    csum = ~csum_fold(csum_add_bytes(0, frame + start, size - start));
    frame[start + offset] = csum >> 8;
    frame[start + offset + 1] = csum;
    COVERAGE_INC(netdev_sent_csum_sw);
    return 0;
}

void
netdev_reinsert_vlan(uint8_t **data, uint32_t *size, uint16_t tpid,
                     uint16_t tci)
{
    uint8_t *p = *data - 4;

    memmove(p, *data, 12); /* Destination and source addresses. */
    p[12] = tpid >> 8;
    p[13] = tpid;
    p[14] = tci >> 8;
    p[15] = tci;
    *data = p;
    *size += 4;
}
