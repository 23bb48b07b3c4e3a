/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connmgr: OpenFlow connections of one switch (see connmgr.h).
 *
 * Endpoints are what the configuration names (a controller target or a
 * service listener); connections (ofconns) are the live sessions, each
 * belonging to one endpoint or, in tests, to none.  A connection that
 * fails is only marked dead where it fails (a send may fail in the middle
 * of broadcasting an asynchronous message) and reaped at the end of the
 * event that noticed it (after the connection's own event handler
 * returns, if it is inside one), so no list is ever changed under an
 * iterator and no handler sees its connection freed.
 */
#include "connmgr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ofproto.h"
#include "vswitch/coverage.h"
#include "vswitch/evloop.h"
#include "vswitch/list.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/reconnect.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(connmgr);
COVERAGE_DEFINE(connmgr_probe_sent);
COVERAGE_DEFINE(connmgr_probe_timeout);
COVERAGE_DEFINE(connmgr_conn_dropped);

#define CONNMGR_TICK_MS 200
#define DEFAULT_PROBE_MS 5000
#define DEFAULT_MAX_BACKOFF_MS 8000
#define DEFAULT_MISS_SEND_LEN 128
#define LISTEN_RETRY_MS 5000 /* A passive endpoint that failed to listen. */
/* Bytes queued for one peer before it is dropped as not reading: room for
 * a dump of ~150,000 flows, which ofproto builds whole before sending. */
#define CONN_MAX_BACKLOG (16 * 1024 * 1024)

struct endpoint {
    struct vs_list node;       /* In connmgr.endpoints. */
    char *target;              /* As configured. */
    bool passive;              /* ptcp:/punix: (or a service listener). */
    bool service;              /* Management socket: service connections. */
    int max_backoff;           /* ms. */
    int probe;                 /* Inactivity probe, ms; 0: never. */
    int listen_fd;             /* Passive: the listening socket, or -1. */
    struct evloop_fd *lh;      /* Passive: its handle. */
    struct reconnect rc;       /* Active: when to (re)connect. */
    struct ofconn *active;     /* Active: the current connection, or NULL. */
    size_t n_up;               /* Connections that negotiated a version. */
    long long connected_at;    /* Last time one came up, -1: never. */
    long long disconnected_at; /* Last time one went down, -1: never. */
    char *last_error;          /* malloc'd, NULL: none. */
    bool seen;                 /* Mark for connmgr_set_controllers(). */
    long long next_listen;     /* Passive: when to retry a failed listen. */
    struct connmgr *mgr;       /* Owner. */
};

struct ofconn {
    struct vs_list node;           /* In connmgr.conns. */
    struct connmgr *mgr;           /* Owner. */
    struct endpoint *ep;           /* NULL for test connections. */
    struct vconn *vc;              /* NULL for test connections. */
    struct evloop_fd *h;           /* Socket handle, NULL if none. */
    bool service;                  /* Service connection. */
    bool async_asked;              /* A service connection asked for async
                                  * messages (SET_ASYNC, miss_send_len). */
    bool up;                       /* Version negotiated (counted). */
    bool dead;                     /* Failed; reap soon. */
    int error;                     /* Why it died. */
    uint32_t role;                 /* OFPCR_ROLE_EQUAL/MASTER/SLAVE. */
    struct ofp_async_config async; /* SET_ASYNC, defaults from the spec. */
    uint16_t miss_send_len;        /* From SET_CONFIG. */
    long long last_rx;             /* Last time the peer sent something. */
    bool probing;                  /* ECHO_REQUEST out, no reply yet. */
    uint32_t flow_format;          /* NXFF_* (NXT_SET_FLOW_FORMAT, 1.0). */
    bool flow_mod_table_id;        /* NXT_FLOW_MOD_TABLE_ID enabled. */
};

struct connmgr {
    struct ofproto *ofproto;   /* Owner. */
    struct evloop *loop;       /* Its loop (NULL in unit tests). */
    struct evloop_timer *tick; /* Probes and reconnects. */
    struct vs_list endpoints;  /* struct endpoint. */
    struct vs_list conns;      /* struct ofconn. */
    uint32_t versions;         /* Offered in HELLO. */
    bool have_generation;      /* A master/slave request was seen. */
    uint64_t generation;       /* Its generation id. */
    uint16_t frag_flags;       /* SET_CONFIG flags (switch-wide). */
    bool reaping;              /* Inside connmgr_reap(). */
    int busy;                  /* Inside a connection's event: reaping
                                * waits until it returns. */
};

static void connmgr_reap(struct connmgr *);
static void conn_event(int fd, uint32_t events, void *ofconn_);

/* ---- Connections. */

static struct ofconn *
ofconn_create(struct connmgr *mgr, struct endpoint *ep, struct vconn *vc,
              bool service)
{
    struct ofconn *c = xzalloc(sizeof *c);

    c->mgr = mgr;
    c->ep = ep;
    c->vc = vc;
    if (vc) {
        vconn_set_max_backlog(vc, CONN_MAX_BACKLOG);
    }
    c->service = service;
    c->role = OFPCR_ROLE_EQUAL;
    c->async = ofp_async_default;
    c->miss_send_len = service ? 0 : DEFAULT_MISS_SEND_LEN;
    c->last_rx = vs_time_msec();
    vs_list_push_back(&mgr->conns, &c->node);
    if (vc && mgr->loop) {
        vconn_run(vc);
        c->h = evloop_add_fd(mgr->loop, vconn_fd(vc), vconn_events(vc),
                             conn_event, c);
    }
    return c;
}

static void
ofconn_set_dead(struct ofconn *c, int error)
{
    if (!c->dead) {
        c->dead = true;
        c->error = error;
    }
}

/* Frees 'c'.  Returns whether the set of live controllers changed. */
static bool
ofconn_destroy(struct ofconn *c)
{
    struct endpoint *ep = c->ep;
    bool changed = c->up && !c->service;

    vs_list_remove(&c->node);
    if (ep) {
        if (c->up) {
            ep->n_up--;
            ep->disconnected_at = vs_time_msec();
        }
        if (c->error && c->error != EOF) {
            free(ep->last_error);
            ep->last_error = xstrdup(vs_strerror(c->error));
        }
        if (ep->active == c) {
            ep->active = NULL;
            if (c->up) {
                reconnect_disconnected(&ep->rc, vs_time_msec(), c->error);
            } else {
                reconnect_connect_failed(&ep->rc, vs_time_msec(),
                                         c->error ? c->error : ETIMEDOUT);
            }
        }
    }
    if (c->error && c->error != EOF) {
        VLOG_INFO("%s: connection dropped (%s)",
                  c->vc ? vconn_name(c->vc) : "test", vs_strerror(c->error));
        COVERAGE_INC(connmgr_conn_dropped);
    }
    evloop_del_fd(c->h);
    vconn_close(c->vc);
    free(c);
    return changed;
}

uint8_t
ofconn_version(const struct ofconn *c)
{
    return c->vc ? vconn_version(c->vc) : OFP13_VERSION;
}

uint32_t
ofconn_flow_format(const struct ofconn *c)
{
    return c->flow_format;
}

void
ofconn_set_flow_format(struct ofconn *c, uint32_t format)
{
    c->flow_format = format;
}

bool
ofconn_flow_mod_table_id(const struct ofconn *c)
{
    return c->flow_mod_table_id;
}

void
ofconn_set_flow_mod_table_id(struct ofconn *c, bool enable)
{
    c->flow_mod_table_id = enable;
}

uint16_t
ofconn_miss_send_len(const struct ofconn *c)
{
    return c->miss_send_len;
}

uint32_t
ofconn_role(const struct ofconn *c)
{
    return c->role;
}

void
ofconn_send(struct ofconn *c, struct buf *msg)
{
    int error;

    if (!c->vc || c->dead) {
        buf_delete(msg);
        return;
    }
    error = vconn_send(c->vc, msg);
    if (!error) {
        error = vconn_run(c->vc);
    }
    if (error) {
        ofconn_set_dead(c, error);
    } else if (c->h) {
        evloop_mod_fd(c->h, vconn_events(c->vc));
    }
}

static void
send_error(struct ofconn *c, enum ofperr e, const struct buf *msg)
{
    const struct ofp_header *oh = (const void *) msg->data;
    struct buf *out = buf_new(0, 128);
    uint8_t version = ofconn_version(c);

    ofperr_encode(out, e, version ? version : oh->version, ntohl(oh->xid),
                  msg->data, msg->size);
    ofconn_send(c, out);
}

struct ofconn *
connmgr_add_ofconn(struct connmgr *mgr, struct vconn *vc, bool service)
{
    return ofconn_create(mgr, NULL, vc, service);
}

void
connmgr_remove_ofconn(struct connmgr *mgr, struct ofconn *c)
{
    (void) mgr;
    ofconn_destroy(c);
}

/* ---- Roles and asynchronous messages. */

enum ofperr
connmgr_set_role(struct connmgr *mgr, struct ofconn *c, uint32_t role,
                 uint64_t generation_id, uint32_t *rolep)
{
    if (role > OFPCR_ROLE_SLAVE) {
        return OFPERR_BAD_ROLE;
    }
    if (role == OFPCR_ROLE_MASTER || role == OFPCR_ROLE_SLAVE) {
        if (mgr->have_generation
            && (int64_t) (generation_id - mgr->generation) < 0) {
            return OFPERR_ROLE_STALE;
        }
        mgr->have_generation = true;
        mgr->generation = generation_id;
    }
    if (role == OFPCR_ROLE_MASTER) {
        struct ofconn *other;

        LIST_FOR_EACH (other, node, &mgr->conns) {
            if (other != c && other->role == OFPCR_ROLE_MASTER) {
                other->role = OFPCR_ROLE_SLAVE;
            }
        }
    }
    if (role != OFPCR_ROLE_NOCHANGE) {
        c->role = role;
    }
    *rolep = c->role;
    return 0;
}

bool
ofconn_wants_async(const struct ofconn *c, enum ofconn_async_type type,
                   unsigned int reason)
{
    int half = c->role == OFPCR_ROLE_SLAVE;
    uint32_t mask;

    if (c->dead || (c->vc && !vconn_version(c->vc))
        || (c->service && !c->async_asked) || reason >= 32) {
        return false;
    }
    switch (type) {
    case OFCONN_ASYNC_PACKET_IN:
        mask = c->async.packet_in_mask[half];
        break;
    case OFCONN_ASYNC_PORT_STATUS:
        mask = c->async.port_status_mask[half];
        break;
    case OFCONN_ASYNC_FLOW_REMOVED:
        mask = c->async.flow_removed_mask[half];
        break;
    default:
        return false;
    }
    return (mask >> reason) & 1;
}

void
connmgr_send_flow_removed(struct connmgr *mgr,
                          const struct ofp_flow_removed *fr)
{
    struct ofconn *c;

    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (ofconn_wants_async(c, OFCONN_ASYNC_FLOW_REMOVED, fr->reason)) {
            struct buf *out = buf_new(0, 128);

            if (ofconn_version(c) == OFP10_VERSION
                && c->flow_format == NXFF_NXM) {
                ofp_nx_flow_removed_encode(fr, out);
            } else {
                ofp_flow_removed_encode(fr, ofconn_version(c), out);
            }
            ofconn_send(c, out);
        }
    }
    connmgr_reap(mgr);
}

void
connmgr_send_port_status(struct connmgr *mgr, uint8_t reason,
                         const struct ofp_port_desc *pd)
{
    struct ofconn *c;

    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (ofconn_wants_async(c, OFCONN_ASYNC_PORT_STATUS, reason)) {
            struct buf *out = buf_new(0, 96);

            ofp_port_status_encode(out, ofconn_version(c), reason, pd);
            ofconn_send(c, out);
        }
    }
    connmgr_reap(mgr);
}

void
connmgr_send_packet_in(struct connmgr *mgr, const struct ofp_packet_in *pin,
                       uint16_t max_len)
{
    struct ofconn *c;

    /* We never buffer: the whole frame goes out, as an unbuffered
     * PACKET_IN must carry it ('max_len' and miss_send_len only decide
     * whether a connection gets the packet at all, 0 meaning no). */
    LIST_FOR_EACH (c, node, &mgr->conns) {
        uint16_t len =
            pin->reason == OFPR_NO_MATCH ? c->miss_send_len : max_len;

        if (len
            && ofconn_wants_async(c, OFCONN_ASYNC_PACKET_IN, pin->reason)) {
            struct buf *out = buf_new(0, 64 + pin->packet_len);

            ofp_packet_in_encode(pin, ofconn_version(c), 0, out);
            ofconn_send(c, out);
        }
    }
    connmgr_reap(mgr);
}

/* ---- Messages. */

/* Whether 'msg' of 'type' changes the switch (refused to a slave).  A 1.0
 * Nicira NXT_FLOW_MOD does. */
static bool
is_write(enum ofptype type, const struct buf *msg)
{
    const uint8_t *p = msg->data;

    if (type == OFPTYPE_EXPERIMENTER) {
        return p[0] == OFP10_VERSION && msg->size >= NX_HEADER_SIZE
               && ofp_get_be(p + 8, 4) == NX_VENDOR_ID
               && ofp_get_be(p + 12, 4) == NXT_FLOW_MOD;
    }
    return type == OFPTYPE_FLOW_MOD || type == OFPTYPE_GROUP_MOD
           || type == OFPTYPE_PORT_MOD || type == OFPTYPE_TABLE_MOD
           || type == OFPTYPE_PACKET_OUT || type == OFPTYPE_METER_MOD;
}

static enum ofperr
handle_conn_msg(struct connmgr *mgr, struct ofconn *c, const struct buf *msg,
                enum ofptype type)
{
    const struct ofp_header *oh = (const void *) msg->data;
    uint8_t version = oh->version;
    struct ofp_switch_config sc;
    struct ofp_async_config ac;
    struct buf *out;
    uint64_t gen;
    uint32_t role;
    enum ofperr e;

    switch (type) {
    case OFPTYPE_ROLE_REQUEST:
        e = ofp_role_decode(msg->data, msg->size, &role, &gen);
        if (!e) {
            e = connmgr_set_role(mgr, c, role, gen, &role);
        }
        if (e) {
            return e;
        }
        out = buf_new(0, 32);
        ofp_role_encode(OFPT13_ROLE_REPLY, role,
                        mgr->have_generation ? mgr->generation : gen,
                        ntohl(oh->xid), out);
        ofconn_send(c, out);
        return 0;
    case OFPTYPE_GET_ASYNC_REQUEST:
        out = buf_new(0, 40);
        ofp_async_encode(OFPT13_GET_ASYNC_REPLY, &c->async, ntohl(oh->xid),
                         out);
        ofconn_send(c, out);
        return 0;
    case OFPTYPE_SET_ASYNC:
        e = ofp_async_decode(msg->data, msg->size, &ac);
        if (!e) {
            c->async = ac;
            c->async_asked = true;
        }
        return e;
    case OFPTYPE_SET_CONFIG:
        e = ofp_switch_config_decode(msg->data, msg->size, &sc);
        if (!e) {
            mgr->frag_flags = sc.flags & OFPC_FRAG_MASK;
            c->miss_send_len = sc.miss_send_len;
            if (c->service && sc.miss_send_len) {
                c->async_asked = true;
            }
        }
        return e;
    case OFPTYPE_GET_CONFIG_REQUEST:
        sc.flags = mgr->frag_flags;
        sc.miss_send_len = c->miss_send_len;
        out = buf_new(0, 16);
        ofp_get_config_reply_encode(out, version, ntohl(oh->xid), &sc);
        ofconn_send(c, out);
        return 0;
    case OFPTYPE_HELLO:
    case OFPTYPE_ECHO_REPLY:
    case OFPTYPE_ECHO_REQUEST:
    case OFPTYPE_ERROR:
        return 0;
    default:
        if (c->role == OFPCR_ROLE_SLAVE && is_write(type, msg)) {
            return OFPERR_IS_SLAVE;
        }
        return mgr->ofproto ? ofproto_handle_msg(mgr->ofproto, c, msg, type)
                            : OFPERR_BAD_TYPE;
    }
}

enum ofperr
connmgr_handle_msg(struct connmgr *mgr, struct ofconn *c,
                   const struct buf *msg)
{
    enum ofptype type;
    enum ofperr e = ofp_decode_type(msg->data, msg->size, &type);

    if (!e) {
        e = handle_conn_msg(mgr, c, msg, type);
    }
    if (e) {
        send_error(c, e, msg);
    }
    return e;
}

/* ---- Sockets. */

/* Counts 'c' as up once its version is negotiated.  Returns whether that
 * changed the set of controllers. */
static bool
ofconn_check_up(struct ofconn *c)
{
    struct endpoint *ep = c->ep;

    if (c->up || !c->vc || !vconn_version(c->vc)) {
        return false;
    }
    c->up = true;
    if (ep) {
        ep->n_up++;
        ep->connected_at = vs_time_msec();
        free(ep->last_error);
        ep->last_error = NULL;
        if (ep->active == c) {
            reconnect_connected(&ep->rc, vs_time_msec());
        }
        VLOG(c->service ? VLL_DBG : VLL_INFO,
             "%s: connected (OpenFlow 0x%02x)", vconn_name(c->vc),
             vconn_version(c->vc));
    }
    return !c->service;
}

static void
conn_event(int fd, uint32_t events, void *c_)
{
    struct ofconn *c = c_;
    struct connmgr *mgr = c->mgr;
    struct buf *msg;
    int error;

    (void) fd;
    mgr->busy++;
    if (events & EPOLLIN) {
        c->last_rx = vs_time_msec();
        c->probing = false;
    }
    error = vconn_run(c->vc);
    while (!error && !c->dead && !(error = vconn_recv(c->vc, &msg))) {
        if (ofconn_check_up(c) && mgr->ofproto) {
            ofproto_connections_changed(mgr->ofproto);
        }
        connmgr_handle_msg(mgr, c, msg);
        buf_delete(msg);
    }
    if (!c->dead && ofconn_check_up(c) && mgr->ofproto) {
        ofproto_connections_changed(mgr->ofproto);
    }
    if (!c->dead) {
        int e2 = vconn_run(c->vc);

        if (error == EAGAIN) {
            error = e2;
        }
    }
    if (error && error != EAGAIN) {
        ofconn_set_dead(c, error);
    } else if (!c->dead) {
        evloop_mod_fd(c->h, vconn_events(c->vc));
    }
    mgr->busy--;
    connmgr_reap(mgr);
}

static void
connmgr_reap(struct connmgr *mgr)
{
    struct ofconn *c, *next;
    bool changed = false;

    if (mgr->reaping || mgr->busy) {
        return;
    }
    mgr->reaping = true;
    LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        if (c->dead) {
            changed |= ofconn_destroy(c);
        }
    }
    mgr->reaping = false;
    if (changed && mgr->ofproto) {
        ofproto_connections_changed(mgr->ofproto);
    }
}

static void
accept_event(int fd, uint32_t events, void *ep_)
{
    struct endpoint *ep = ep_;
    struct connmgr *mgr = ep->mgr;
    int cfd;

    (void) events;
    while (!pstream_accept(fd, &cfd)) {
        struct vconn *vc = vconn_from_fd(cfd, ep->target, mgr->versions);

        ofconn_create(mgr, ep, vc, ep->service);
    }
}

static struct endpoint *
endpoint_create(struct connmgr *mgr, const char *target, bool passive,
                bool service)
{
    struct endpoint *ep = xzalloc(sizeof *ep);

    ep->mgr = mgr;
    ep->target = xstrdup(target);
    ep->passive = passive;
    ep->service = service;
    ep->listen_fd = -1;
    ep->connected_at = -1;
    ep->disconnected_at = -1;
    ep->probe = DEFAULT_PROBE_MS;
    ep->max_backoff = DEFAULT_MAX_BACKOFF_MS;
    reconnect_init(&ep->rc, vs_time_msec());
    vs_list_push_back(&mgr->endpoints, &ep->node);
    return ep;
}

static int
endpoint_listen(struct connmgr *mgr, struct endpoint *ep)
{
    int error = pstream_open(ep->target, OFP_TCP_PORT, &ep->listen_fd);

    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        ep->listen_fd = -1;
        free(ep->last_error);
        ep->last_error = xstrdup(vs_strerror(error));
        VLOG_WARN_RL(&rl, "%s: cannot listen: %s (retrying every %d s)",
                     ep->target, vs_strerror(error), LISTEN_RETRY_MS / 1000);
        return error;
    }
    if (mgr->loop) {
        ep->lh =
            evloop_add_fd(mgr->loop, ep->listen_fd, EPOLLIN, accept_event, ep);
    }
    return 0;
}

static bool
endpoint_destroy(struct connmgr *mgr, struct endpoint *ep)
{
    struct ofconn *c, *next;
    bool changed = false;

    LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        if (c->ep == ep) {
            changed |= ofconn_destroy(c);
        }
    }
    if (ep->listen_fd >= 0) {
        evloop_del_fd(ep->lh);
        close(ep->listen_fd);
        if (!strncmp(ep->target, "punix:", 6)) {
            unlink(ep->target + 6);
        }
    }
    vs_list_remove(&ep->node);
    free(ep->target);
    free(ep->last_error);
    free(ep);
    return changed;
}

/* Active endpoints: connect when reconnect says so. */
static void
endpoint_run(struct connmgr *mgr, struct endpoint *ep, long long now)
{
    struct vconn *vc;
    int error;

    if (ep->passive) {
        if (ep->listen_fd < 0 && now >= ep->next_listen) {
            ep->next_listen = now + LISTEN_RETRY_MS;
            endpoint_listen(mgr, ep);
        }
        return;
    }
    switch (reconnect_run(&ep->rc, now)) {
    case RECONNECT_CONNECT:
        error = vconn_open(ep->target, mgr->versions, &vc);
        if (error) {
            free(ep->last_error);
            ep->last_error = xstrdup(vs_strerror(error));
            reconnect_connect_failed(&ep->rc, now, error);
        } else {
            reconnect_connecting(&ep->rc, now);
            ep->active = ofconn_create(mgr, ep, vc, false);
        }
        break;
    case RECONNECT_DISCONNECT:
        if (ep->active) {
            ofconn_set_dead(ep->active, ETIMEDOUT);
        }
        break;
    case RECONNECT_PROBE:
    case RECONNECT_NOTHING:
    default:
        break;
    }
}

/* Inactivity probes, for every connection. */
static void
ofconn_probe(struct ofconn *c, long long now)
{
    int probe = c->ep ? c->ep->probe : DEFAULT_PROBE_MS;

    if (c->dead || !c->vc || !vconn_version(c->vc) || probe <= 0) {
        return;
    }
    if (!c->probing && now - c->last_rx >= probe) {
        struct buf *out = buf_new(0, 8);

        ofp_start_msg(out, vconn_version(c->vc), OFPT_ECHO_REQUEST, 0, 0);
        c->probing = true;
        COVERAGE_INC(connmgr_probe_sent);
        ofconn_send(c, out);
    } else if (c->probing && now - c->last_rx >= 2LL * probe) {
        VLOG_INFO("%s: no response to inactivity probe after %d s, "
                  "disconnecting",
                  vconn_name(c->vc), 2 * probe / 1000);
        COVERAGE_INC(connmgr_probe_timeout);
        ofconn_set_dead(c, ETIMEDOUT);
    }
}

static void
tick(void *mgr_)
{
    struct connmgr *mgr = mgr_;
    long long now = vs_time_msec();
    struct endpoint *ep;
    struct ofconn *c;

    LIST_FOR_EACH (c, node, &mgr->conns) {
        ofconn_probe(c, now);
        if (!c->dead && c->vc && !vconn_version(c->vc) && c->ep
            && !c->ep->passive && now - c->last_rx > 10000) {
            ofconn_set_dead(c, ETIMEDOUT); /* Stuck connecting. */
        }
    }
    connmgr_reap(mgr);
    LIST_FOR_EACH (ep, node, &mgr->endpoints) {
        endpoint_run(mgr, ep, now);
    }
    connmgr_reap(mgr);
}

/* ---- Configuration. */

struct connmgr *
connmgr_create(struct ofproto *ofproto, struct evloop *loop)
{
    struct connmgr *mgr = xzalloc(sizeof *mgr);

    mgr->ofproto = ofproto;
    mgr->loop = loop;
    mgr->versions = OFP_SUPPORTED_VERSIONS;
    vs_list_init(&mgr->endpoints);
    vs_list_init(&mgr->conns);
    if (loop) {
        mgr->tick = evloop_add_timer(loop, CONNMGR_TICK_MS, CONNMGR_TICK_MS,
                                     tick, mgr);
    }
    return mgr;
}

void
connmgr_destroy(struct connmgr *mgr)
{
    struct endpoint *ep, *next_ep;
    struct ofconn *c, *next;

    if (!mgr) {
        return;
    }
    LIST_FOR_EACH_SAFE (ep, next_ep, node, &mgr->endpoints) {
        endpoint_destroy(mgr, ep);
    }
    LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        ofconn_destroy(c);
    }
    evloop_cancel_timer(mgr->tick);
    free(mgr);
}

void
connmgr_set_versions(struct connmgr *mgr, uint32_t versions)
{
    versions &= OFP_SUPPORTED_VERSIONS;
    mgr->versions = versions ? versions : OFP_SUPPORTED_VERSIONS;
}

static struct endpoint *
find_endpoint(const struct connmgr *mgr, const char *target)
{
    struct endpoint *ep;

    LIST_FOR_EACH (ep, node, &mgr->endpoints) {
        if (!strcmp(ep->target, target)) {
            return ep;
        }
    }
    return NULL;
}

void
connmgr_set_controllers(struct connmgr *mgr,
                        const struct connmgr_controller *ctls, size_t n)
{
    struct endpoint *ep, *next;
    bool changed = false;

    LIST_FOR_EACH (ep, node, &mgr->endpoints) {
        ep->seen = ep->service;
    }
    for (size_t i = 0; i < n; i++) {
        const struct connmgr_controller *ctl = &ctls[i];
        int probe =
            ctl->inactivity_probe ? ctl->inactivity_probe : DEFAULT_PROBE_MS;
        int backoff =
            ctl->max_backoff > 0 ? ctl->max_backoff : DEFAULT_MAX_BACKOFF_MS;
        bool passive = stream_name_is_passive(ctl->target);

        if (probe < 0) {
            probe = 0;
        }
        ep = find_endpoint(mgr, ctl->target);
        if (ep && ep->service) {
            continue;
        }
        if (!ep) {
            if (!passive && !stream_name_is_active(ctl->target)) {
                VLOG_WARN("%s: not a valid controller target", ctl->target);
                continue;
            }
            VLOG_INFO("controller %s added", ctl->target);
            changed = true;
            ep = endpoint_create(mgr, ctl->target, passive, false);
            if (passive) {
                ep->next_listen = vs_time_msec() + LISTEN_RETRY_MS;
                endpoint_listen(mgr, ep);
            } else {
                reconnect_set_probe_interval(&ep->rc, 0);
                reconnect_set_backoff(&ep->rc, 1000, backoff);
                reconnect_enable(&ep->rc, vs_time_msec());
                endpoint_run(mgr, ep, vs_time_msec());
            }
        } else if (!passive && ep->max_backoff != backoff) {
            reconnect_set_backoff(&ep->rc, 1000, backoff);
        }
        ep->max_backoff = backoff;
        ep->probe = probe;
        ep->seen = true;
    }
    LIST_FOR_EACH_SAFE (ep, next, node, &mgr->endpoints) {
        if (!ep->seen) {
            VLOG_INFO("controller %s removed", ep->target);
            endpoint_destroy(mgr, ep);
            changed = true;
        }
    }
    if (changed && mgr->ofproto) {
        ofproto_connections_changed(mgr->ofproto);
    }
}

int
connmgr_add_service(struct connmgr *mgr, const char *name, uint16_t *portp)
{
    struct endpoint *ep = endpoint_create(mgr, name, true, true);
    int error = endpoint_listen(mgr, ep);

    if (error) {
        endpoint_destroy(mgr, ep);
        return error;
    }
    if (portp) {
        *portp = pstream_get_port(ep->listen_fd);
    }
    return 0;
}

static const char *
role_name(uint32_t role)
{
    return role == OFPCR_ROLE_MASTER  ? "master"
           : role == OFPCR_ROLE_SLAVE ? "slave"
                                      : "other";
}

bool
connmgr_get_status(const struct connmgr *mgr, const char *target,
                   struct connmgr_status *st)
{
    struct endpoint *ep = find_endpoint(mgr, target);
    long long now = vs_time_msec();
    struct ofconn *c;

    if (!ep) {
        return false;
    }
    st->is_connected = ep->n_up > 0;
    st->role = "other";
    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->ep == ep && c->up) {
            st->role = role_name(c->role);
            break;
        }
    }
    if (ep->passive) {
        st->state = ep->listen_fd < 0 ? "VOID"
                    : ep->n_up        ? "ACTIVE"
                                      : "LISTENING";
    } else {
        st->state = reconnect_state_name(ep->rc.state);
    }
    st->sec_since_connect =
        ep->connected_at < 0 ? -1 : (now - ep->connected_at) / 1000;
    st->sec_since_disconnect =
        ep->disconnected_at < 0 ? -1 : (now - ep->disconnected_at) / 1000;
    st->last_error = ep->last_error;
    return true;
}

bool
connmgr_has_controller(const struct connmgr *mgr)
{
    const struct ofconn *c;

    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->up && !c->service && !c->dead) {
            return true;
        }
    }
    return false;
}

bool
connmgr_has_of10_controller(const struct connmgr *mgr)
{
    const struct ofconn *c;

    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->up && !c->service && !c->dead
            && ofconn_version(c) == OFP10_VERSION) {
            return true;
        }
    }
    return false;
}

size_t
connmgr_n_controllers(const struct connmgr *mgr)
{
    const struct endpoint *ep;
    size_t n = 0;

    LIST_FOR_EACH (ep, node, &mgr->endpoints) {
        n += !ep->service;
    }
    return n;
}

size_t
connmgr_n_connections(const struct connmgr *mgr)
{
    return vs_list_size(&mgr->conns);
}
