/* SPDX-License-Identifier: Apache-2.0 */
/* Linux link queries for netdevs, over rtnetlink with libnl-route. */
#include "netdev-provider.h"

#include <errno.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <string.h>
#include "vswitch/thread.h"
#include "vswitch/util.h"

static struct vs_mutex nl_mutex = VS_MUTEX_INITIALIZER;
static struct nl_sock *nl_sock VS_GUARDED_BY(nl_mutex);

static int
nl_to_errno(int nlerr)
{
    switch (-nlerr) {
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV:
        return ENODEV;
    case NLE_PERM:
        return EPERM;
    case NLE_NOMEM:
        return ENOMEM;
    case NLE_INVAL:
        return EINVAL;
    case NLE_BUSY:
        return EBUSY;
    default:
        return EIO;
    }
}

/* Looks 'name' up; on success the caller owns '*linkp' (rtnl_link_put()). */
static int
get_link(const char *name, struct rtnl_link **linkp) VS_REQUIRES(nl_mutex)
{
    int err;

    if (!nl_sock) {
        nl_sock = nl_socket_alloc();
        if (!nl_sock) {
            return ENOMEM;
        }
        err = nl_connect(nl_sock, NETLINK_ROUTE);
        if (err < 0) {
            nl_socket_free(nl_sock);
            nl_sock = NULL;
            return nl_to_errno(err);
        }
    }
    err = rtnl_link_get_kernel(nl_sock, 0, name, linkp);
    return err < 0 ? nl_to_errno(err) : 0;
}

int
netdev_linux_get_ifindex(const char *name, int *ifindex)
{
    struct rtnl_link *link;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        *ifindex = rtnl_link_get_ifindex(link);
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}

int
netdev_linux_get_mtu(const char *name, int *mtu)
{
    struct rtnl_link *link;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        *mtu = rtnl_link_get_mtu(link);
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}

int
netdev_linux_get_etheraddr(const char *name, uint8_t mac[6])
{
    struct rtnl_link *link;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        struct nl_addr *addr = rtnl_link_get_addr(link);

        if (addr && nl_addr_get_len(addr) == 6) {
            memcpy(mac, nl_addr_get_binary_addr(addr), 6);
        } else {
            error = EOPNOTSUPP;
        }
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}

int
netdev_linux_get_carrier(const char *name, bool *carrier)
{
    struct rtnl_link *link;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        *carrier = rtnl_link_get_carrier(link) != 0;
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}

int
netdev_linux_get_stats(const char *name, struct netdev_stats *s)
{
    struct rtnl_link *link;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        s->rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
        s->rx_bytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
        s->rx_dropped = rtnl_link_get_stat(link, RTNL_LINK_RX_DROPPED);
        s->rx_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_ERRORS);
        s->tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
        s->tx_bytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
        s->tx_dropped = rtnl_link_get_stat(link, RTNL_LINK_TX_DROPPED);
        s->tx_errors = rtnl_link_get_stat(link, RTNL_LINK_TX_ERRORS);
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}

int
netdev_linux_set_up(const char *name, bool up)
{
    struct rtnl_link *link, *change;
    int error;

    vs_mutex_lock(&nl_mutex);
    error = get_link(name, &link);
    if (!error) {
        change = rtnl_link_alloc();
        if (up) {
            rtnl_link_set_flags(change, IFF_UP);
        } else {
            rtnl_link_unset_flags(change, IFF_UP);
        }
        error = rtnl_link_change(nl_sock, link, change, 0);
        error = error < 0 ? nl_to_errno(error) : 0;
        rtnl_link_put(change);
        rtnl_link_put(link);
    }
    vs_mutex_unlock(&nl_mutex);
    return error;
}
