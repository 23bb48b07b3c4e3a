/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_OFPROTO_H
#define VSWITCHD_OFPROTO_H 1

/*
 * ofproto: one bridge as an OpenFlow switch.
 *
 * An ofproto owns the bridge's flow tables and groups (oftable.h), the
 * OpenFlow view of its ports (number, name, MAC, config and state bits,
 * features, counters read from the datapath), its datapath_id and its
 * switch configuration, and a connection manager (connmgr.h) for the
 * controllers and the management socket.  It answers every message the
 * codec decodes: switch features and configuration, flow, group, port and
 * table modifications, the multipart statistics and descriptions, barrier
 * and packet-out; connmgr answers the per-connection ones (role, async
 * configuration) and refuses writes from slaves before they get here.
 *
 * fail_mode: 'standalone' (default) falls back to NORMAL for every packet
 * while controllers are configured and none is connected (fail-open);
 * 'secure' keeps the tables as they are.  The bridge layer adds
 * "priority=0,actions=NORMAL" to a standalone bridge without controllers
 * and takes it away again when that ends, as Open vSwitch does.
 *
 * Towards the packet path an ofproto publishes a 'struct xbridge'
 * snapshot (xlate.h) through its udpif (upcall.h) whenever ports, their
 * configuration, the tunnel ports, the fail mode or the set of connected
 * controllers change,
 * and asks for revalidation after every change to the tables.  Packet-ins
 * come from the udpif's handler threads; they are copied and posted to the
 * main loop, where they are encoded once per connection that wants them.
 *
 * Flow expiry runs on a timer of the main loop; expired and deleted flows
 * flagged send_flow_rem become FLOW_REMOVED messages to the connections
 * whose async configuration asks for them.  ofproto_set_ports() compares
 * the new port list with the old one and announces each addition, removal
 * and change as a PORT_STATUS.
 *
 * An ofproto without a datapath ('dpif' NULL) is a switch with tables and
 * no packet path: tests/helpers/ofp-flowd is one.
 *
 * Thread-safety: everything runs on the thread of the event loop given to
 * ofproto_create(), except the packet-in callback the udpif calls.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-msgs.h"
#include "xlate.h"

struct connmgr;
struct dpif;
struct evloop;
struct ofconn;

/* A port as the bridge layer describes it to ofproto_set_ports(). */
struct ofproto_port {
    uint16_t ofp_port;              /* OpenFlow number (OFPP_LOCAL...). */
    uint32_t dp_port;               /* Datapath number. */
    char name[16];                  /* Interface name, NUL-terminated. */
    uint8_t mac[6];                 /* Its Ethernet address. */
    bool link_up;                   /* Carrier. */
    enum xport_vlan_mode vlan_mode; /* From Port.vlan_mode/tag/trunks. */
    int tag;                        /* Port.tag, -1 if none. */
    uint8_t *trunks;                /* 512-byte bitmap (owned by the
                                     * caller; copied), NULL: all. */
};

/* Creates the switch 'name' on 'loop'.  'dpif' may be NULL (no datapath:
 * no packet path, no port counters). */
struct ofproto *ofproto_create(const char *name, struct evloop *loop,
                               struct dpif *dpif);
void ofproto_destroy(struct ofproto *);

const char *ofproto_name(const struct ofproto *);
struct connmgr *ofproto_connmgr(struct ofproto *);
void ofproto_set_datapath_id(struct ofproto *, uint64_t dpid);
uint64_t ofproto_get_datapath_id(const struct ofproto *);
/* fail_mode=secure ('secure' true) or standalone. */
void ofproto_set_fail_secure(struct ofproto *, bool secure);
/* Handler threads of the bridge's slow path; 0: one per CPU but one. */
void ofproto_set_n_handlers(struct ofproto *, size_t n);
/* See udpif_hold().  An ofproto on a "system" datapath starts held. */
void ofproto_hold_revalidation(struct ofproto *, bool hold);
struct dp_features;
/* What the datapath can do (dp-probe.h), for translation. */
void ofproto_set_dp_features(struct ofproto *, const struct dp_features *);
/* Replaces the port list (the array is copied).  Sends PORT_STATUS for
 * every difference and republishes the packet path's view. */
void ofproto_set_ports(struct ofproto *, const struct ofproto_port *,
                       size_t n);
struct tnl_table;
/* Replaces the bridge's tunnel ports (tunnel.h) with 'tnl' (taken; NULL or
 * empty: none).  If they differ from the current ones, republishes the
 * packet path's view with them, which revalidates the megaflows.  Returns
 * whether they differed. */
bool ofproto_set_tunnels(struct ofproto *, struct tnl_table *tnl);
/* The DESC reply's dp_desc (default: the switch's name). */
void ofproto_set_dp_desc(struct ofproto *, const char *);
/* Applies the flow 'text' (ovs-ofctl syntax) as a FLOW_MOD with
 * 'command' (OFPFC_*) would, without FLOW_REMOVED messages.  Returns 0 or
 * EINVAL (logged). */
int ofproto_flow_mod_text(struct ofproto *, const char *text, int command);
/* Where to print one line per FLOW_MOD, GROUP_MOD and refused request
 * (NULL: nowhere).  For test switches. */
void ofproto_set_log(struct ofproto *, FILE *);
/* Whether OpenFlow 1.0 connections may use Nicira's NXM flow format
 * (NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD_TABLE_ID, NXT_FLOW_MOD, NXST_FLOW,
 * NXST_AGGREGATE; the default) or get BAD_VENDOR for them, as a plain 1.0
 * switch does (for test switches). */
void ofproto_set_nxm(struct ofproto *, bool enable);

/* Handles 'msg' (one whole message classified as 'type') from 'ofconn',
 * sending any replies on it.  Returns 0 or the error to report. */
enum ofperr ofproto_handle_msg(struct ofproto *, struct ofconn *,
                               const struct buf *msg, enum ofptype type);

/* connmgr's report that the controllers connected, or their versions,
 * changed: republishes the packet path's view (normal_only,
 * miss_to_controller) and lets the owner write the status back. */
void ofproto_connections_changed(struct ofproto *);
/* Called (on the main loop) whenever ofproto_connections_changed() ran,
 * so the bridge layer can write Controller status back. */
void ofproto_set_status_cb(struct ofproto *, void (*cb)(void *), void *aux);

/* For the introspection commands (ofproto-unixctl.c). */
struct dpif;
struct mac_learning;
struct udpif;
/* The switch called 'name', or NULL. */
struct ofproto *ofproto_lookup(const char *name);
/* Its datapath, packet path and MAC table (NULL without a datapath). */
struct dpif *ofproto_dpif(const struct ofproto *);
struct udpif *ofproto_udpif(const struct ofproto *);
struct mac_learning *ofproto_mac_learning(const struct ofproto *);
/* Its tunnel ports as last set (NULL: none), valid until the next
 * ofproto_set_tunnels(); main loop only. */
const struct tnl_table *ofproto_tunnels(const struct ofproto *);
/* A snapshot of the bridge as the packet path sees it, built now on the
 * main loop's thread (for traces); free it with ofproto_xbridge_free(). */
struct xbridge *ofproto_xbridge(struct ofproto *);
void ofproto_xbridge_free(struct xbridge *);
/* Megaflows unhit for 'ms' go (Open_vSwitch other_config:max-idle,
 * <= 0: the default).  No-op without a datapath. */
void ofproto_set_max_idle(struct ofproto *, long long ms);
/* The datapath's megaflow limit (Open_vSwitch other_config:flow-limit),
 * as upcall/show reports it.  <= 0 changes nothing: a limit once set
 * stays until the datapath is made again (the default is the
 * datapath's). */
void ofproto_set_flow_limit(struct ofproto *, long long limit);
long long ofproto_get_flow_limit(const struct ofproto *);

/* Every ofproto, for ofproto/list. */
size_t ofproto_list(struct ofproto ***vp);
/* Registers the unixctl command ofproto/list (the switches' names, one a
 * line, sorted). */
void ofproto_unixctl_register(void);
/* Registers ofproto/trace, fdb/show, fdb/flush, upcall/show and
 * dpif/dump-flows (ofproto-unixctl.c); ofproto_unixctl_register() calls
 * it. */
void ofproto_unixctl_register_slow_path(void);

#endif /* VSWITCHD_OFPROTO_H */
