/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_CONNMGR_H
#define VSWITCHD_CONNMGR_H 1

/*
 * connmgr: the OpenFlow connections of one switch (ofproto.h).
 *
 * Three kinds of endpoint:
 *   - active controllers "tcp:IP[:PORT]" (port 6653 by default), connected
 *     and reconnected with exponential backoff up to 'max_backoff'
 *     (reconnect.h);
 *   - passive controllers "ptcp:PORT[:IP]", "punix:PATH", each accepting
 *     any number of connections;
 *   - service listeners (the bridge's management socket RUNDIR/BR.mgmt, a
 *     test switch's socket), whose connections are "service" connections:
 *     they count as no controller and receive asynchronous messages only
 *     after asking for them (a nonzero miss_send_len in SET_CONFIG, or
 *     SET_ASYNC), as ovs-ofctl expects.
 *
 * Every connection has a role.  EQUAL is the start; a ROLE_REQUEST for
 * MASTER or SLAVE carries a generation id, and one older than the newest
 * seen (compared as a signed 64-bit difference) is refused with
 * ROLE_STALE; a new master turns the previous master into a slave.  Slaves
 * get IS_SLAVE for FLOW_MOD, GROUP_MOD, PORT_MOD, TABLE_MOD and
 * PACKET_OUT, and only the asynchronous messages their half of the async
 * configuration asks for (ofp_async_default: port status only).
 *
 * Liveness: a connection idle for 'inactivity_probe' ms gets an
 * ECHO_REQUEST, and is dropped after as long again without traffic.  A
 * peer that stops reading is dropped when its send queue passes the
 * backlog limit (vconn.h); nothing else waits for it.
 *
 * Thread-safety: none; the switch's main loop only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-group.h"

struct evloop;
struct ofproto;
struct ofp_flow_removed;
struct ofp_packet_in;
struct ofp_port_desc;
struct vconn;

/* One Controller row. */
struct connmgr_controller {
    const char *target;   /* "tcp:...", "ptcp:...", "punix:...". */
    int max_backoff;      /* ms, 0: default (8000). */
    int inactivity_probe; /* ms, 0: default (5000); <0: never. */
};

/* What the database's Controller.status and friends say. */
struct connmgr_status {
    bool is_connected;              /* At least one connection is up. */
    const char *role;               /* "master", "slave", "other". */
    const char *state;              /* reconnect state name ("ACTIVE", ...). */
    long long sec_since_connect;    /* -1: never. */
    long long sec_since_disconnect; /* -1: never. */
    const char *last_error;         /* NULL: none. */
};

struct connmgr *connmgr_create(struct ofproto *, struct evloop *);
void connmgr_destroy(struct connmgr *);

/* The versions offered in HELLO (OFP_VERSION_BIT()s), 0: all we speak. */
void connmgr_set_versions(struct connmgr *, uint32_t versions);
/* Replaces the controller set; endpoints whose target and settings did
 * not change keep their connections. */
void connmgr_set_controllers(struct connmgr *,
                             const struct connmgr_controller *, size_t n);
/* Adds a passive service endpoint.  Returns 0 (and the TCP port it got in
 * '*portp' if nonnull) or an errno. */
int connmgr_add_service(struct connmgr *, const char *name, uint16_t *portp);
/* The state of the endpoint with 'target'; false if there is none. */
bool connmgr_get_status(const struct connmgr *, const char *target,
                        struct connmgr_status *);

/* Whether a controller (not a service connection) is connected. */
bool connmgr_has_controller(const struct connmgr *);
/* Whether a connected controller speaks OpenFlow 1.0 (table misses then go
 * to the controller). */
bool connmgr_has_of10_controller(const struct connmgr *);
size_t connmgr_n_connections(const struct connmgr *);
/* Configured controller endpoints (not service listeners). */
size_t connmgr_n_controllers(const struct connmgr *);

/* Asynchronous messages, to every connection that wants them. */
void connmgr_send_flow_removed(struct connmgr *,
                               const struct ofp_flow_removed *);
void connmgr_send_port_status(struct connmgr *, uint8_t reason,
                              const struct ofp_port_desc *);
/* 'pin->packet' is the whole frame; 'max_len' the bytes an output action
 * asked for (0xffff: all; table misses use each connection's
 * miss_send_len). */
void connmgr_send_packet_in(struct connmgr *, const struct ofp_packet_in *,
                            uint16_t max_len);

/* One connection. */
struct ofconn;
uint8_t ofconn_version(const struct ofconn *);
/* Queues 'msg' (taken).  A connection that fails is dropped later. */
void ofconn_send(struct ofconn *, struct buf *msg);
uint16_t ofconn_miss_send_len(const struct ofconn *);
/* The flow format NXT_SET_FLOW_FORMAT chose (NXFF_OPENFLOW10, the default,
 * or NXFF_NXM: flow removals then go out as NXT_FLOW_REMOVED). */
uint32_t ofconn_flow_format(const struct ofconn *);
void ofconn_set_flow_format(struct ofconn *, uint32_t format);
/* Whether NXT_FLOW_MOD_TABLE_ID enabled table ids in 1.0 flow mods. */
bool ofconn_flow_mod_table_id(const struct ofconn *);
void ofconn_set_flow_mod_table_id(struct ofconn *, bool enable);

/* The role machinery, exposed for tests: a connection over 'vconn' (may be
 * NULL: messages are then dropped) that is a service connection if
 * 'service'. */
struct ofconn *connmgr_add_ofconn(struct connmgr *, struct vconn *,
                                  bool service);
void connmgr_remove_ofconn(struct connmgr *, struct ofconn *);
/* Applies a ROLE_REQUEST.  Returns 0 with the role now in effect in
 * '*rolep', or ROLE_STALE / BAD_ROLE. */
enum ofperr connmgr_set_role(struct connmgr *, struct ofconn *, uint32_t role,
                             uint64_t generation_id, uint32_t *rolep);
uint32_t ofconn_role(const struct ofconn *);

enum ofconn_async_type {
    OFCONN_ASYNC_PACKET_IN,
    OFCONN_ASYNC_PORT_STATUS,
    OFCONN_ASYNC_FLOW_REMOVED,
};
/* Whether 'ofconn' wants an asynchronous message of 'type' for 'reason'
 * (OFPR_*, OFPPR_*, OFPRR_*). */
bool ofconn_wants_async(const struct ofconn *, enum ofconn_async_type,
                        unsigned int reason);
/* Handles one received message for 'ofconn' (what the socket code does
 * for each message; tests call it directly).  Returns the error sent back,
 * or 0. */
enum ofperr connmgr_handle_msg(struct connmgr *, struct ofconn *,
                               const struct buf *msg);

#endif /* VSWITCHD_CONNMGR_H */
