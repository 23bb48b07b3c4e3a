/* SPDX-License-Identifier: Apache-2.0 */
/* port-notify: rtnetlink link and ovs_vport notifications (see
 * port-notify.h). */

#include "port-notify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include "vswitch/buf.h"
#include "vswitch/coverage.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(port_notify);
COVERAGE_DEFINE(port_notify_event);
COVERAGE_DEFINE(port_notify_overflow);

/* Receive buffer: one datagram of notifications.  The kernel's link
 * messages are a few KiB with all their attributes. */
#define PN_RECV_SIZE (64 * 1024)
/* Socket receive buffer: a burst of link changes (a namespace torn down
 * takes its devices with it). */
#define PN_RCVBUF (1024 * 1024)

struct port_notifier {
    struct mnl_socket *route; /* RTNLGRP_LINK. */
    struct mnl_socket *vport; /* ovs_vport group, or NULL. */
    uint16_t vport_family;    /* Its family id while 'vport'. */
    uint8_t *rbuf;            /* PN_RECV_SIZE bytes. */
};

static struct mnl_socket *
open_socket(int bus, unsigned int groups)
{
    struct mnl_socket *s = mnl_socket_open2(bus, SOCK_NONBLOCK | SOCK_CLOEXEC);
    int size = PN_RCVBUF;

    if (!s) {
        return NULL;
    }
    if (setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVBUFFORCE, &size,
                   sizeof size)) {
        setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVBUF, &size,
                   sizeof size);
    }
    if (mnl_socket_bind(s, groups, MNL_SOCKET_AUTOPID) < 0) {
        int error = errno;

        mnl_socket_close(s);
        errno = error;
        return NULL;
    }
    return s;
}

struct port_notifier *
port_notifier_create(void)
{
    struct port_notifier *pn;
    struct mnl_socket *route = open_socket(NETLINK_ROUTE, RTMGRP_LINK);

    if (!route) {
        return NULL;
    }
    pn = xzalloc(sizeof *pn);
    pn->route = route;
    pn->rbuf = xmalloc(PN_RECV_SIZE);
    port_notifier_try_vport(pn);
    return pn;
}

void
port_notifier_destroy(struct port_notifier *pn)
{
    if (!pn) {
        return;
    }
    mnl_socket_close(pn->route);
    if (pn->vport) {
        mnl_socket_close(pn->vport);
    }
    free(pn->rbuf);
    free(pn);
}

/* The ovs_vport family's id and the id of its multicast group, asked of
 * the generic netlink controller on a blocking socket of its own. */
static int
resolve_vport_group(uint16_t *familyp, uint32_t *groupp)
{
    struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);
    struct buf req = BUF_EMPTY_INITIALIZER;
    uint8_t *rbuf = NULL;
    int error = ENOENT;
    bool found = false;
    ssize_t n;

    if (!s) {
        return errno;
    }
    if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
        error = errno;
        goto out;
    }
    dpnl_put_getfamily(&req, 1, OVS_VPORT_FAMILY);
    if (mnl_socket_sendto(s, req.data, req.size) < 0) {
        error = errno;
        goto out;
    }
    rbuf = xmalloc(PN_RECV_SIZE);
    /* The family, then the ack (or an error for an unknown family). */
    for (int i = 0; i < 2; i++) {
        const struct nlmsghdr *nlh;
        size_t len;

        n = mnl_socket_recvfrom(s, rbuf, PN_RECV_SIZE);
        if (n < 0) {
            error = errno;
            goto out;
        }
        len = (size_t) n;
        for (nlh = (const void *) rbuf; dpnl_msg_ok(nlh, len);
             nlh = dpnl_msg_next(nlh, &len)) {
            const char *extack;
            int err;

            if (!dpnl_parse_error(nlh, &err, &extack)) {
                error = found ? 0 : err ? err : ENOENT;
                goto out;
            }
            if (!dpnl_parse_family(nlh, familyp)
                && !dpnl_parse_mcast_group(nlh, OVS_VPORT_MCGROUP, groupp)) {
                found = true;
            }
        }
    }
    error = found ? 0 : ENOENT;
out:
    free(rbuf);
    buf_uninit(&req);
    mnl_socket_close(s);
    return error;
}

bool
port_notifier_try_vport(struct port_notifier *pn)
{
    uint32_t group;
    uint16_t family;

    if (pn->vport || resolve_vport_group(&family, &group)) {
        return false;
    }
    pn->vport = open_socket(NETLINK_GENERIC, 0);
    if (!pn->vport) {
        return false;
    }
    if (mnl_socket_setsockopt(pn->vport, NETLINK_ADD_MEMBERSHIP, &group,
                              sizeof group)) {
        VLOG_WARN("cannot join the %s multicast group: %s", OVS_VPORT_MCGROUP,
                  vs_strerror(errno));
        mnl_socket_close(pn->vport);
        pn->vport = NULL;
        return false;
    }
    pn->vport_family = family;
    VLOG_INFO("listening to %s port notifications (family %u, group %u)",
              OVS_VPORT_FAMILY, family, group);
    return true;
}

int
port_notifier_route_fd(const struct port_notifier *pn)
{
    return pn ? mnl_socket_get_fd(pn->route) : -1;
}

int
port_notifier_vport_fd(const struct port_notifier *pn)
{
    return pn && pn->vport ? mnl_socket_get_fd(pn->vport) : -1;
}

/* Drains 's'; true if the kernel dropped some ('*gone' if the socket
 * is dead). */
static bool
drain(struct port_notifier *pn, struct mnl_socket *s, bool route,
      port_notifier_cb *cb, void *aux, bool *gone)
{
    bool lost = false;

    for (;;) {
        ssize_t n = mnl_socket_recvfrom(s, pn->rbuf, PN_RECV_SIZE);
        const struct nlmsghdr *nlh;
        size_t len;

        if (n < 0) {
            if (errno == ENOBUFS) {
                COVERAGE_INC(port_notify_overflow);
                lost = true;
                continue;
            }
            if (errno != EAGAIN && errno != EINTR) {
                *gone = true;
            }
            return lost;
        }
        if (n == 0) {
            return lost;
        }
        len = (size_t) n;
        for (nlh = (const void *) pn->rbuf; dpnl_msg_ok(nlh, len);
             nlh = dpnl_msg_next(nlh, &len)) {
            struct dpnl_port_event ev;
            int error =
                route ? dpnl_parse_link_event(nlh, &ev)
                      : dpnl_parse_vport_event(nlh, pn->vport_family, &ev);

            if (!error) {
                COVERAGE_INC(port_notify_event);
                cb(&ev, aux);
            }
        }
    }
}

bool
port_notifier_run(struct port_notifier *pn, port_notifier_cb *cb, void *aux)
{
    bool gone = false, lost;

    lost = drain(pn, pn->route, true, cb, aux, &gone);
    gone = false;
    if (pn->vport) {
        lost |= drain(pn, pn->vport, false, cb, aux, &gone);
        if (gone) {
            mnl_socket_close(pn->vport);
            pn->vport = NULL;
            lost = true;
        }
    }
    return lost;
}
