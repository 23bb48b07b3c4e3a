/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_PORT_NOTIFY_H
#define VSWITCH_PORT_NOTIFY_H 1

/*
 * port-notify: what changed about network devices and datapath ports,
 * as the kernel announces it, so that vswitchd reacts at once instead of
 * at its next periodic check.
 *
 * Two netlink sockets, both nonblocking: an rtnetlink socket in the
 * RTNLGRP_LINK group (devices appearing, going, up/down, carrier, MTU,
 * MAC) and, while a datapath module is loaded, a generic netlink socket
 * in the ovs_vport family's multicast group (ports that anyone — us,
 * ovs-dpctl, another daemon — adds to or removes from a datapath).
 * Messages are parsed by lib/dpif-netlink-msg.c (bounded, fuzzed) and
 * handed to a callback one by one.
 *
 * Notifications are hints: a full receive queue loses some (ENOBUFS);
 * port_notifier_run() then says so and the caller re-reads everything,
 * which it must be able to do anyway.
 *
 * Thread-safety: one thread per notifier.
 */

#include <stdbool.h>
#include <stdint.h>
#include "lib/dpif-netlink-msg.h"

struct port_notifier;

/* A notifier with its rtnetlink socket, and the ovs_vport subscription if
 * a datapath module is loaded now.  NULL (errno set) if rtnetlink cannot
 * be opened. */
struct port_notifier *port_notifier_create(void);
void port_notifier_destroy(struct port_notifier *);

/* Subscribes to the ovs_vport group if not yet and a module is loaded:
 * true if it did now (the caller adds port_notifier_vport_fd() to its
 * loop). */
bool port_notifier_try_vport(struct port_notifier *);

/* Descriptors to wait on (readable); -1 if there is none. */
int port_notifier_route_fd(const struct port_notifier *);
int port_notifier_vport_fd(const struct port_notifier *);

typedef void port_notifier_cb(const struct dpnl_port_event *, void *aux);

/* Reads what is queued on both sockets and calls 'cb' for every event.
 * Returns true if the kernel dropped notifications since the last call
 * (also if the vport subscription ended: the module went away). */
bool port_notifier_run(struct port_notifier *, port_notifier_cb *cb,
                       void *aux);

#endif /* VSWITCH_PORT_NOTIFY_H */
