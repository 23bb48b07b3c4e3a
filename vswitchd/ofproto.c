/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto: one bridge as an OpenFlow switch (see ofproto.h).
 *
 * The message handlers here are the only OpenFlow switch logic in the
 * tree: vswitchd runs one ofproto per bridge and the test switch
 * tests/helpers/ofp-flowd runs one without ports.
 */
#include "ofproto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "dp-probe.h"
#include "mac-learning.h"
#include "tunnel.h"
#include "upcall.h"
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-table.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/oftable.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ofproto);
COVERAGE_DEFINE(ofproto_flow_mod);
COVERAGE_DEFINE(ofproto_packet_out);
COVERAGE_DEFINE(ofproto_packet_out_no_path);
COVERAGE_DEFINE(ofproto_packet_in);
COVERAGE_DEFINE(ofproto_packet_in_stale);

#define EXPIRE_INTERVAL_MS 250
#define TRUNKS_SIZE 512          /* 4096 bits. */
#define OFPPC_NO_FLOOD (1u << 4) /* 1.0 only; kept in 1.3 as OVS does. */
#define OFPPC_SUPPORTED                                                       \
    (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FLOOD | OFPPC_NO_FWD          \
     | OFPPC_NO_PACKET_IN)

struct ofport {
    struct ofproto_port p; /* As the bridge described it (own trunks). */
    uint32_t config;       /* OFPPC_*, from PORT_MOD. */
    long long created_ms;  /* For PORT_STATS durations. */
};

struct ofproto {
    char *name;              /* The bridge's name. */
    bool no_nxm;             /* Refuse Nicira's flow messages (tests). */
    uint64_t serial;         /* Unique, for packet-ins posted late. */
    struct evloop *loop;     /* The main loop. */
    struct dpif *dpif;       /* NULL: no datapath. */
    struct udpif *udpif;     /* NULL: no packet path. */
    struct connmgr *connmgr; /* Connections. */
    struct of_tables tables; /* Flow tables and groups. */
    struct mac_learning *ml; /* NORMAL's table (with a datapath). */
    uint64_t dpid;           /* datapath_id. */
    bool fail_secure;        /* fail_mode=secure. */
    uint32_t upcall_pid;     /* Datapath PID of port 0 at the last
                              * publish (new handlers: publish again). */
    struct ofport *ports;    /* Sorted by OpenFlow number. */
    size_t n_ports;
    struct evloop_timer *expire; /* Flow expiry. */
    FILE *log;                   /* Test switches' message log. */
    char *dp_desc;               /* DESC's dp_desc, NULL: the name. */
    void (*status_cb)(void *);   /* Connections changed. */
    void *status_aux;
    long long flow_limit;        /* Datapath megaflow limit, 0: default. */
    struct dp_features features; /* What the datapath can do. */
    struct tnl_table *tnl;       /* Tunnel ports (NULL: none); each
                                  * xbridge gets a copy. */
};

static struct ofproto **all;
static size_t n_all;
static uint64_t next_serial = 1;

static void ofproto_publish(struct ofproto *);

/* ---- Ports. */

static struct ofport *
find_port(const struct ofproto *ofp, uint16_t ofp_port)
{
    for (size_t i = 0; i < ofp->n_ports; i++) {
        if (ofp->ports[i].p.ofp_port == ofp_port) {
            return &ofp->ports[i];
        }
    }
    return NULL;
}

static void
port_to_desc(const struct ofport *port, struct ofp_port_desc *pd)
{
    memset(pd, 0, sizeof *pd);
    pd->port_no = port->p.ofp_port;
    memcpy(pd->hw_addr, port->p.mac, 6);
    memcpy(pd->name, port->p.name, sizeof pd->name);
    pd->name[sizeof pd->name - 1] = '\0';
    pd->config = port->config;
    pd->state = port->p.link_up ? 0 : OFPPS_LINK_DOWN;
    if (port->p.link_up && !(port->config & OFPPC_PORT_DOWN)) {
        pd->state |= OFPPS_LIVE;
    }
    /* Virtual devices report a nominal 10 Gb/s copper link. */
    pd->curr = OFPPF13_10GB_FD | OFPPF13_COPPER;
    pd->curr_speed = 10000000;
}

static bool
port_desc_equal(const struct ofp_port_desc *a, const struct ofp_port_desc *b)
{
    return a->port_no == b->port_no && !memcmp(a->hw_addr, b->hw_addr, 6)
           && !strcmp(a->name, b->name) && a->config == b->config
           && a->state == b->state && a->curr == b->curr;
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofport *a = a_, *b = b_;

    return (int) a->p.ofp_port - (int) b->p.ofp_port;
}

static void
ofport_uninit(struct ofport *port)
{
    free(port->p.trunks);
}

static bool
trunks_equal(const uint8_t *a, const uint8_t *b)
{
    return (!a && !b) || (a && b && !memcmp(a, b, TRUNKS_SIZE));
}

void
ofproto_set_ports(struct ofproto *ofp, const struct ofproto_port *ports,
                  size_t n)
{
    struct ofport *new = xcalloc(n ? n : 1, sizeof *new);
    bool changed = n != ofp->n_ports;
    long long now = vs_time_msec();

    for (size_t i = 0; i < n; i++) {
        struct ofport *old = find_port(ofp, ports[i].ofp_port);
        struct ofp_port_desc od, nd;

        new[i].p = ports[i];
        new[i].p.trunks = NULL;
        if (ports[i].trunks) {
            new[i].p.trunks = xmemdup(ports[i].trunks, TRUNKS_SIZE);
        }
        if (old && !strcmp(old->p.name, ports[i].name)) {
            new[i].config = old->config;
            new[i].created_ms = old->created_ms;
            port_to_desc(old, &od);
            port_to_desc(&new[i], &nd);
            if (!port_desc_equal(&od, &nd)) {
                connmgr_send_port_status(ofp->connmgr, OFPPR_MODIFY, &nd);
                changed = true;
            }
            changed |= old->p.dp_port != new[i].p.dp_port
                       || old->p.vlan_mode != new[i].p.vlan_mode
                       || old->p.tag != new[i].p.tag
                       || !trunks_equal(old->p.trunks, new[i].p.trunks);
        } else {
            if (old) { /* Same number, another device: delete, add. */
                port_to_desc(old, &od);
                connmgr_send_port_status(ofp->connmgr, OFPPR_DELETE, &od);
            }
            new[i].created_ms = now;
            port_to_desc(&new[i], &nd);
            connmgr_send_port_status(ofp->connmgr, OFPPR_ADD, &nd);
            changed = true;
        }
    }
    for (size_t i = 0; i < ofp->n_ports; i++) {
        bool kept = false;

        for (size_t j = 0; j < n && !kept; j++) {
            kept = ports[j].ofp_port == ofp->ports[i].p.ofp_port;
        }
        if (!kept) {
            struct ofp_port_desc od;

            port_to_desc(&ofp->ports[i], &od);
            connmgr_send_port_status(ofp->connmgr, OFPPR_DELETE, &od);
            if (ofp->ml) {
                mac_learning_flush_port(ofp->ml, od.port_no);
            }
            changed = true;
        }
        ofport_uninit(&ofp->ports[i]);
    }
    free(ofp->ports);
    ofp->ports = new;
    ofp->n_ports = n;
    qsort(ofp->ports, n, sizeof *ofp->ports, compare_ports);
    if (changed) {
        ofproto_publish(ofp);
    }
}

/* ---- The packet path's view. */

static void
free_xbridge(struct xbridge *xb)
{
    if (xb) {
        for (size_t i = 0; i < xb->n_ports; i++) {
            free((void *) xb->ports[i].trunks);
        }
        free(xb->ports);
        free(xb->name);
        tnl_table_destroy(xb->tnl);
        free(xb);
    }
}

static struct xbridge *
build_xbridge(struct ofproto *ofp)
{
    struct xbridge *xb = xzalloc(sizeof *xb);

    xb->name = xstrdup(ofp->name);
    xb->tables = &ofp->tables;
    xb->ml = ofp->ml;
    xb->ports = xcalloc(ofp->n_ports ? ofp->n_ports : 1, sizeof *xb->ports);
    xb->n_ports = ofp->n_ports;
    for (size_t i = 0; i < ofp->n_ports; i++) {
        const struct ofport *port = &ofp->ports[i];
        struct xport *xp = &xb->ports[i];

        xp->ofp_port = port->p.ofp_port;
        xp->dp_port = port->p.dp_port;
        memcpy(xp->name, port->p.name, sizeof xp->name);
        xp->live = port->p.link_up && !(port->config & OFPPC_PORT_DOWN);
        xp->no_flood = port->config & OFPPC_NO_FLOOD;
        xp->no_fwd = port->config & OFPPC_NO_FWD;
        xp->no_packet_in = port->config & OFPPC_NO_PACKET_IN;
        xp->no_recv = port->config & OFPPC_NO_RECV;
        xp->upcall_pid =
            ofp->dpif ? dpif_port_get_pid(ofp->dpif, xp->dp_port) : 0;
        xp->vlan_mode = port->p.vlan_mode;
        xp->tag = port->p.tag;
        xp->trunks =
            port->p.trunks ? xmemdup(port->p.trunks, TRUNKS_SIZE) : NULL;
    }
    /* Fail-open: controllers are configured and none is connected. */
    xb->normal_only = !ofp->fail_secure && connmgr_n_controllers(ofp->connmgr)
                      && !connmgr_has_controller(ofp->connmgr);
    xb->miss_to_controller = connmgr_has_of10_controller(ofp->connmgr);
    xb->features = ofp->features;
    xb->tnl = tnl_table_clone(ofp->tnl);
    xb->upcall_pid = ofp->dpif ? dpif_port_get_pid(ofp->dpif, 0) : 0;
    ofp->upcall_pid = xb->upcall_pid;
    return xb;
}

static void
ofproto_publish(struct ofproto *ofp)
{
    if (ofp->udpif) {
        udpif_set_xbridge(ofp->udpif, build_xbridge(ofp), free_xbridge);
        udpif_revalidate(ofp->udpif);
    }
}

static void
ofproto_revalidate(struct ofproto *ofp)
{
    if (ofp->udpif) {
        udpif_revalidate(ofp->udpif);
    }
}

void
ofproto_hold_revalidation(struct ofproto *ofp, bool hold)
{
    if (ofp->udpif) {
        udpif_hold(ofp->udpif, hold);
    }
}

void
ofproto_set_dp_features(struct ofproto *ofp, const struct dp_features *f)
{
    if (memcmp(&ofp->features, f, sizeof *f)) {
        ofp->features = *f;
        ofproto_publish(ofp);
    }
}

bool
ofproto_set_tunnels(struct ofproto *ofp, struct tnl_table *tnl)
{
    if (tnl && !tnl->n_ports) {
        tnl_table_destroy(tnl);
        tnl = NULL;
    }
    if (tnl_table_equal(ofp->tnl, tnl)) {
        tnl_table_destroy(tnl);
        return false;
    }
    tnl_table_destroy(ofp->tnl);
    ofp->tnl = tnl;
    ofproto_publish(ofp);
    return true;
}

const struct tnl_table *
ofproto_tunnels(const struct ofproto *ofp)
{
    return ofp->tnl;
}

void
ofproto_set_n_handlers(struct ofproto *ofp, size_t n)
{
    if (ofp->udpif) {
        udpif_set_n_handlers(ofp->udpif,
                             n ? n : udpif_default_n_handlers(ofp->udpif));
        if (dpif_port_get_pid(ofp->dpif, 0) != ofp->upcall_pid) {
            /* New handler sockets: userspace() actions name them. */
            ofproto_publish(ofp);
        }
    }
}

/* Only table 'table_id' changed (OFPTT_ALL: every table). */
static void
ofproto_revalidate_table(struct ofproto *ofp, uint8_t table_id)
{
    uint8_t set[32] = {0};

    if (!ofp->udpif || table_id == OFPTT_ALL) {
        ofproto_revalidate(ofp);
        return;
    }
    set[table_id / 8] = 1u << (table_id % 8);
    udpif_revalidate_tables(ofp->udpif, set);
}

/* Only group 'group_id' changed.  A delete also deletes the flows that
 * use the group, and a megaflow may have passed such a flow without
 * reaching the group (an action set cleared later): everything. */
static void
ofproto_revalidate_group(struct ofproto *ofp, uint32_t group_id,
                         uint16_t command)
{
    if (!ofp->udpif || group_id == OFPG_ALL || command == OFPGC_DELETE) {
        ofproto_revalidate(ofp);
        return;
    }
    udpif_revalidate_groups(ofp->udpif, &group_id, 1);
}

void
ofproto_connections_changed(struct ofproto *ofp)
{
    ofproto_publish(ofp);
    if (ofp->status_cb) {
        ofp->status_cb(ofp->status_aux);
    }
}

void
ofproto_set_status_cb(struct ofproto *ofp, void (*cb)(void *), void *aux)
{
    ofp->status_cb = cb;
    ofp->status_aux = aux;
}

/* ---- Packet-ins, from handler threads to the main loop. */

struct pin_item {
    uint64_t serial;                 /* Of the ofproto it is for. */
    struct xlate_ctrl_cookie cookie; /* Why and how much. */
    size_t size;                     /* Bytes in 'packet'. */
    uint8_t packet[];                /* The frame. */
};

static struct ofproto *
find_by_serial(uint64_t serial)
{
    for (size_t i = 0; i < n_all; i++) {
        if (all[i]->serial == serial) {
            return all[i];
        }
    }
    return NULL;
}

static void
deliver_packet_in(void *item_)
{
    struct pin_item *item = item_;
    struct ofproto *ofp = find_by_serial(item->serial);

    if (ofp) {
        struct ofp_packet_in pin = {
            .packet = item->packet,
            .packet_len = item->size,
            .total_len = item->size > 0xffff ? 0xffff : item->size,
            .buffer_id = OFP_NO_BUFFER,
            .in_port = item->cookie.in_port,
            .reason = item->cookie.reason,
            .table_id = item->cookie.table_id,
            .cookie = item->cookie.cookie,
            .metadata = item->cookie.metadata,
            .tun_id = item->cookie.tun_id,
            .tun_src = item->cookie.tun_src,
            .tun_dst = item->cookie.tun_dst,
        };

        COVERAGE_INC(ofproto_packet_in);
        connmgr_send_packet_in(ofp->connmgr, &pin, item->cookie.max_len);
    } else {
        COVERAGE_INC(ofproto_packet_in_stale);
    }
    free(item);
}

/* Called by a handler thread: copies and posts (evloop_post() is
 * thread-safe; 'serial' never changes). */
static void
packet_in_cb(void *ofp_, const struct upcall_packet_in *upin)
{
    const struct ofproto *ofp = ofp_;
    struct pin_item *item = xmalloc(sizeof *item + upin->size);

    item->serial = ofp->serial;
    item->cookie = *upin->cookie;
    item->size = upin->size;
    memcpy(item->packet, upin->packet, upin->size);
    evloop_post(ofp->loop, deliver_packet_in, item);
}

/* ---- Flow expiry. */

static void
send_removed(struct ofproto *ofp, struct of_flow_removed_list *removed)
{
    for (size_t i = 0; i < removed->n; i++) {
        connmgr_send_flow_removed(ofp->connmgr, &removed->v[i]);
    }
}

static void
expire_timer(void *ofp_)
{
    struct ofproto *ofp = ofp_;
    struct of_flow_removed_list removed = {NULL, 0, 0};
    uint64_t version = of_tables_version(&ofp->tables);

    of_tables_expire(&ofp->tables, vs_time_msec(), &removed);
    send_removed(ofp, &removed);
    of_flow_removed_list_destroy(&removed);
    if (of_tables_version(&ofp->tables) != version) {
        ofproto_revalidate(ofp);
        of_tables_gc(&ofp->tables);
    }
}

/* ---- Messages. */

static void
send_mp(struct ofconn *c, struct ofp_mp_reply *r)
{
    struct buf *m;

    ofp_mp_reply_finish(r);
    while ((m = ofp_mp_reply_pop(r))) {
        ofconn_send(c, m);
    }
}

static void
log_flow_mod(const struct ofproto *ofp, const struct ofp_flow_mod *fm,
             uint8_t version)
{
    static const char *const names[] = {"add", "modify", "modify_strict",
                                        "delete", "delete_strict"};
    struct ds ds;

    if (!ofp->log) {
        return;
    }
    ds_init(&ds);
    ds_put_format(&ds, "flow_mod: %s table=%u,priority=%u,",
                  fm->command < ARRAY_SIZE(names) ? names[fm->command] : "?",
                  fm->table_id, fm->priority);
    match_format(&fm->match, &ds);
    if (ds_last(&ds) == ',') {
        ds_truncate(&ds, ds.length - 1);
    }
    ds_put_cstr(&ds, " actions=");
    ofpacts_format(&fm->ofpacts, version, &ds);
    fprintf(ofp->log, "%s\n", ds_cstr(&ds));
    fflush(ofp->log);
    ds_destroy(&ds);
}

static enum ofperr
handle_flow_mod(struct ofproto *ofp, struct ofconn *c, const struct buf *msg,
                uint8_t version)
{
    struct of_flow_removed_list removed = {NULL, 0, 0};
    struct ofp_flow_mod fm;
    enum ofperr e;

    COVERAGE_INC(ofproto_flow_mod);
    e = ofp_flow_mod_decode_ext(
        msg->data, msg->size,
        version == OFP10_VERSION && ofconn_flow_mod_table_id(c), &fm);
    if (!e) {
        log_flow_mod(ofp, &fm, version);
        e = of_tables_flow_mod(&ofp->tables, &fm, vs_time_msec(), &removed);
        send_removed(ofp, &removed);
        of_flow_removed_list_destroy(&removed);
        if (!e) {
            ofproto_revalidate_table(ofp, fm.table_id);
            if (fm.buffer_id != OFP_NO_BUFFER) {
                e = OFPERR_BUFFER_UNKNOWN; /* We never buffer. */
            }
        }
        of_tables_gc(&ofp->tables);
    }
    ofp_flow_mod_uninit(&fm);
    return e;
}

static enum ofperr
handle_group_mod(struct ofproto *ofp, const struct buf *msg)
{
    struct of_flow_removed_list removed = {NULL, 0, 0};
    struct ofp_group_mod_req gm;
    enum ofperr e = ofp_group_mod_decode(msg->data, msg->size, &gm);

    if (!e) {
        if (ofp->log) {
            struct ds ds;

            ds_init(&ds);
            ofp_group_format(gm.group_id, gm.type, gm.buckets, gm.n_buckets,
                             &ds);
            fprintf(ofp->log, "group_mod: %u %s\n", gm.command, ds_cstr(&ds));
            fflush(ofp->log);
            ds_destroy(&ds);
        }
        e = of_tables_group_mod(&ofp->tables, &gm, vs_time_msec(), &removed);
        send_removed(ofp, &removed);
        of_flow_removed_list_destroy(&removed);
        if (!e) {
            ofproto_revalidate_group(ofp, gm.group_id, gm.command);
        }
        of_tables_gc(&ofp->tables);
    }
    ofp_group_mod_uninit(&gm);
    return e;
}

static enum ofperr
handle_port_mod(struct ofproto *ofp, const struct buf *msg)
{
    struct ofp_port_mod pm;
    struct ofport *port;
    enum ofperr e = ofp_port_mod_decode(msg->data, msg->size, &pm);
    uint32_t config;

    if (e) {
        return e;
    }
    port = find_port(ofp, pm.port_no);
    if (!port) {
        return OFPERR_PORT_MOD_BAD_PORT;
    }
    if (memcmp(port->p.mac, pm.hw_addr, 6)) {
        return OFPERR_PORT_MOD_BAD_HW_ADDR;
    }
    if (pm.mask & ~OFPPC_SUPPORTED) {
        return OFPERR_PORT_MOD_BAD_CONFIG;
    }
    config = (port->config & ~pm.mask) | (pm.config & pm.mask);
    if (config != port->config) {
        struct ofp_port_desc pd;

        port->config = config;
        port_to_desc(port, &pd);
        connmgr_send_port_status(ofp->connmgr, OFPPR_MODIFY, &pd);
        ofproto_publish(ofp);
    }
    return 0;
}

static enum ofperr
handle_packet_out(struct ofproto *ofp, const struct buf *msg)
{
    struct ofp_packet_out po;
    enum ofperr e;

    COVERAGE_INC(ofproto_packet_out);
    ofpacts_init(&po.ofpacts);
    e = ofp_packet_out_decode(msg->data, msg->size, &po);
    if (e) {
        goto out;
    }
    if (po.buffer_id != OFP_NO_BUFFER) {
        e = OFPERR_BUFFER_UNKNOWN;
        goto out;
    }
    if (po.in_port != OFPP_CONTROLLER && po.in_port != OFPP_NONE
        && !find_port(ofp, po.in_port)) {
        e = OFPERR_BAD_PORT;
        goto out;
    }
    if (ofp->udpif) {
        int error = udpif_packet_out(ofp->udpif, po.packet, po.packet_len,
                                     po.in_port, &po.ofpacts);

        if (error == EINVAL) {
            e = OFPERR_BAD_PORT;
        } else if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

            VLOG_WARN_RL(&rl, "%s: packet-out failed: %s", ofp->name,
                         vs_strerror(error));
        }
    } else {
        COVERAGE_INC(ofproto_packet_out_no_path);
    }
out:
    ofpacts_uninit(&po.ofpacts);
    return e;
}

static void
put_port_stats(struct ofproto *ofp, struct ofp_mp_reply *r,
               const struct ofport *port, long long now)
{
    struct ofp_port_stats ps;
    struct dpif_port_stats st;

    memset(&ps, 0, sizeof ps);
    ps.port_no = port->p.ofp_port;
    if (ofp->dpif && !dpif_port_get_stats(ofp->dpif, port->p.dp_port, &st)) {
        ps.rx_packets = st.rx_packets;
        ps.rx_bytes = st.rx_bytes;
        ps.rx_dropped = st.rx_dropped;
        ps.rx_errors = st.rx_errors;
        ps.tx_packets = st.tx_packets;
        ps.tx_bytes = st.tx_bytes;
        ps.tx_dropped = st.tx_dropped;
        ps.tx_errors = st.tx_errors;
    }
    ps.duration_sec = (now - port->created_ms) / 1000;
    ps.duration_nsec = (now - port->created_ms) % 1000 * 1000000;
    ofp_port_stats_put(r, &ps);
}

/* One port structure is one body element of a PORT_DESC reply. */
static void
put_port_desc(struct ofp_mp_reply *r, const struct ofport *port,
              uint8_t version)
{
    struct ofp_port_desc pd;
    struct buf tmp;

    port_to_desc(port, &pd);
    buf_init(&tmp, 0, OFP13_PORT_SIZE);
    ofp_port_desc_encode(&tmp, &pd, version);
    memcpy(ofp_mp_reply_put(r, tmp.size), tmp.data, tmp.size);
    buf_uninit(&tmp);
}

static enum ofperr
handle_flow_stats(struct ofproto *ofp, struct ofconn *c, const struct buf *msg)
{
    struct ofp_flow_stats_request req;
    struct ofp_mp_reply r;
    long long now = vs_time_msec();
    enum ofperr e;

    e = ofp_flow_stats_request_decode(msg->data, msg->size, &req);
    if (e) {
        return e;
    }
    ofp_mp_reply_init(&r, msg->data);
    if (req.aggregate) {
        struct ofp_aggregate_stats as;

        of_tables_aggregate(&ofp->tables, &req, &as);
        ofp_aggregate_reply_put(&r, &as);
    } else {
        size_t n;
        const struct of_rule **v = of_tables_select(&ofp->tables, &req, &n);

        for (size_t i = 0; i < n && !e; i++) {
            struct ofp_flow_stats fs;

            of_rule_to_flow_stats(v[i], now, &fs);
            e = ofp_flow_stats_put(&r, &fs);
            ofpacts_uninit(&fs.ofpacts);
        }
        free(v);
    }
    if (e) {
        ofp_mp_reply_destroy(&r);
        return e;
    }
    send_mp(c, &r);
    return 0;
}

static enum ofperr
handle_group_stats(struct ofproto *ofp, struct ofconn *c,
                   const struct buf *msg)
{
    const struct of_group *g;
    struct ofp_mp_reply r;
    long long now = vs_time_msec();
    uint32_t id;
    enum ofperr e = ofp_group_stats_request_decode(msg->data, msg->size, &id);

    if (e) {
        return e;
    }
    ofp_mp_reply_init(&r, msg->data);
    HMAP_FOR_EACH (g, node, &ofp->tables.groups) {
        uint64_t *pk, *by;
        struct ofp_group_stats gs;

        if (id != 0xfffffffc /* OFPG_ALL */ && id != g->id) {
            continue;
        }
        pk = xcalloc(g->n_buckets + 1, sizeof *pk);
        by = xcalloc(g->n_buckets + 1, sizeof *by);
        for (size_t i = 0; i < g->n_buckets; i++) {
            pk[i] = g->buckets[i].packet_count;
            by[i] = g->buckets[i].byte_count;
        }
        gs = (struct ofp_group_stats){
            .group_id = g->id,
            .packet_count = g->packet_count,
            .byte_count = g->byte_count,
            .duration_sec = (now - g->created_ms) / 1000,
            .duration_nsec = (now - g->created_ms) % 1000 * 1000000,
            .n_buckets = g->n_buckets,
            .bucket_packets = pk,
            .bucket_bytes = by,
        };
        ofp_group_stats_put(&r, &gs);
        free(pk);
        free(by);
    }
    send_mp(c, &r);
    return 0;
}

/* A Nicira vendor message of OpenFlow 1.0. */
static enum ofperr
handle_nx_msg(struct ofproto *ofp, struct ofconn *c, const struct buf *msg)
{
    const uint8_t *p = msg->data;
    uint32_t format;

    if (ofp->no_nxm || msg->size < NX_HEADER_SIZE
        || ofp_get_be(p + 8, 4) != NX_VENDOR_ID) {
        return OFPERR_BAD_EXPERIMENTER;
    }
    switch (ofp_get_be(p + 12, 4)) {
    case NXT_SET_FLOW_FORMAT:
        if (msg->size != NX_HEADER_SIZE + 4) {
            return OFPERR_BAD_LEN;
        }
        format = ofp_get_be(p + 16, 4);
        if (format != NXFF_OPENFLOW10 && format != NXFF_NXM) {
            return OFPERR_BAD_REQUEST_EPERM; /* What Open vSwitch says. */
        }
        ofconn_set_flow_format(c, format);
        return 0;
    case NXT_FLOW_MOD_TABLE_ID:
        if (msg->size != NX_HEADER_SIZE + 8) {
            return OFPERR_BAD_LEN;
        }
        ofconn_set_flow_mod_table_id(c, p[16] != 0);
        return 0;
    case NXT_FLOW_MOD:
        return handle_flow_mod(ofp, c, msg, OFP10_VERSION);
    default:
        /* NXT_SET_PACKET_IN_FORMAT and the rest: unknown, the caller falls
         * back (ovs-ofctl monitor does). */
        return OFPERR_BAD_EXPERIMENTER;
    }
}

static void
send_features(struct ofproto *ofp, struct ofconn *c, uint8_t version,
              uint32_t xid)
{
    struct ofp_port_desc *pds = xcalloc(ofp->n_ports + 1, sizeof *pds);
    struct ofp_switch_features f = {
        .datapath_id = ofp->dpid,
        .n_buffers = 0,
        .n_tables = OFP_N_TABLES,
        .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS
                        | (version == OFP13_VERSION ? OFPC13_GROUP_STATS : 0),
        .actions10 = 0x7ff, /* OUTPUT .. SET_TP_DST; no ENQUEUE. */
    };
    struct buf *out;

    for (size_t i = 0; i < ofp->n_ports; i++) {
        port_to_desc(&ofp->ports[i], &pds[i]);
    }
    out = buf_new(0, 32 + 64 * ofp->n_ports);
    ofp_features_reply_encode(out, version, xid, &f, pds, ofp->n_ports);
    free(pds);
    ofconn_send(c, out);
}

enum ofperr
ofproto_handle_msg(struct ofproto *ofp, struct ofconn *c,
                   const struct buf *msg, enum ofptype type)
{
    const uint8_t *p = msg->data;
    uint8_t version = p[0];
    uint32_t xid = ntohl(((const struct ofp_header *) p)->xid);
    long long now = vs_time_msec();
    struct ofp_mp_reply r;
    struct buf *out;
    enum ofperr e = 0;

    switch (type) {
    case OFPTYPE_EXPERIMENTER:
        e = version == OFP10_VERSION ? handle_nx_msg(ofp, c, msg)
                                     : OFPERR_BAD_EXPERIMENTER;
        break;
    case OFPTYPE_EXPERIMENTER_STATS_REQUEST:
        /* Nicira's NXST_FLOW and NXST_AGGREGATE (NXM matches) in 1.0. */
        if (version == OFP10_VERSION && !ofp->no_nxm
            && msg->size >= NX_STATS_HEADER_SIZE
            && ofp_get_be(p + 12, 4) == NX_VENDOR_ID
            && (ofp_get_be(p + 16, 4) == NXST_FLOW
                || ofp_get_be(p + 16, 4) == NXST_AGGREGATE)) {
            e = handle_flow_stats(ofp, c, msg);
        } else {
            e = OFPERR_BAD_EXPERIMENTER;
        }
        break;
    case OFPTYPE_BARRIER_REQUEST:
        /* Every request before it is done: they are handled in order and
         * synchronously. */
        out = buf_new(0, 16);
        ofp_start_msg(out, version,
                      version == OFP10_VERSION ? OFPT10_BARRIER_REPLY
                                               : OFPT13_BARRIER_REPLY,
                      xid, 0);
        ofconn_send(c, out);
        break;
    case OFPTYPE_FEATURES_REQUEST:
        send_features(ofp, c, version, xid);
        break;
    case OFPTYPE_DESC_REQUEST: {
        struct ofp_desc d = {"vswitch", "vswitch userspace datapath",
                             VSWITCH_VERSION, "None",
                             ofp->dp_desc ? ofp->dp_desc : ofp->name};

        ofp_mp_reply_init(&r, p);
        ofp_desc_reply_put(&r, &d);
        send_mp(c, &r);
        break;
    }
    case OFPTYPE_PORT_STATS_REQUEST: {
        uint16_t port_no;

        e = ofp_port_stats_request_decode(p, msg->size, &port_no);
        if (e) {
            break;
        }
        if (port_no != OFPP_NONE && !find_port(ofp, port_no)) {
            e = OFPERR_BAD_PORT;
            break;
        }
        ofp_mp_reply_init(&r, p);
        for (size_t i = 0; i < ofp->n_ports; i++) {
            if (port_no == OFPP_NONE || port_no == ofp->ports[i].p.ofp_port) {
                put_port_stats(ofp, &r, &ofp->ports[i], now);
            }
        }
        send_mp(c, &r);
        break;
    }
    case OFPTYPE_PORT_DESC_REQUEST:
        ofp_mp_reply_init(&r, p);
        for (size_t i = 0; i < ofp->n_ports; i++) {
            put_port_desc(&r, &ofp->ports[i], version);
        }
        send_mp(c, &r);
        break;
    case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_TABLE_FEATURES_REQUEST:
        ofp_mp_reply_init(&r, p);
        for (int t = 0; t < OFP_N_TABLES; t++) {
            struct ofp_table_stats ts;

            of_tables_table_stats(&ofp->tables, t, &ts);
            if (type == OFPTYPE_TABLE_STATS_REQUEST) {
                ofp_table_stats_put(&r, &ts);
            } else {
                ofp_table_features_put(&r, t, ts.name, ts.max_entries,
                                       &ofp_vswitch_table_caps);
            }
        }
        send_mp(c, &r);
        break;
    case OFPTYPE_QUEUE_STATS_REQUEST:
        ofp_mp_reply_init(&r, p); /* No queues. */
        send_mp(c, &r);
        break;
    case OFPTYPE_FLOW_MOD:
        e = handle_flow_mod(ofp, c, msg, version);
        break;
    case OFPTYPE_GROUP_MOD:
        e = handle_group_mod(ofp, msg);
        break;
    case OFPTYPE_PORT_MOD:
        e = handle_port_mod(ofp, msg);
        break;
    case OFPTYPE_TABLE_MOD: {
        uint8_t table_id;
        uint32_t config;

        /* The only bits 1.3 defines are deprecated; nothing to store. */
        e = ofp_table_mod_decode(p, msg->size, &table_id, &config);
        break;
    }
    case OFPTYPE_PACKET_OUT:
        e = handle_packet_out(ofp, msg);
        break;
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_REQUEST:
        e = handle_flow_stats(ofp, c, msg);
        break;
    case OFPTYPE_GROUP_STATS_REQUEST:
        e = handle_group_stats(ofp, c, msg);
        break;
    case OFPTYPE_GROUP_DESC_REQUEST: {
        const struct of_group *g;

        ofp_mp_reply_init(&r, p);
        HMAP_FOR_EACH (g, node, &ofp->tables.groups) {
            ofp_group_desc_put(&r, g);
        }
        send_mp(c, &r);
        break;
    }
    case OFPTYPE_GROUP_FEATURES_REQUEST:
        ofp_mp_reply_init(&r, p);
        ofp_group_features_put(&r, &ofp_vswitch_group_features);
        send_mp(c, &r);
        break;
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_REQUEST:
    case OFPTYPE_METER_FEATURES_REQUEST:
        e = OFPERR_BAD_MULTIPART;
        break;
    default:
        e = OFPERR_BAD_TYPE;
        break;
    }
    if (e && ofp->log) {
        fprintf(ofp->log, "error: %s\n", ofperr_name(e));
        fflush(ofp->log);
    }
    return e;
}

/* ---- Life cycle. */

struct ofproto *
ofproto_create(const char *name, struct evloop *loop, struct dpif *dpif)
{
    static const struct udpif_callbacks cbs = {.packet_in = packet_in_cb};
    struct ofproto *ofp = xzalloc(sizeof *ofp);

    ofp->name = xstrdup(name);
    ofp->serial = next_serial++;
    ofp->loop = loop;
    ofp->dpif = dpif;
    of_tables_init(&ofp->tables);
    dp_features_init_all(&ofp->features);
    ofp->connmgr = connmgr_create(ofp, loop);
    if (loop) {
        ofp->expire = evloop_add_timer(loop, EXPIRE_INTERVAL_MS,
                                       EXPIRE_INTERVAL_MS, expire_timer, ofp);
    }
    all = xrealloc(all, (n_all + 1) * sizeof *all);
    all[n_all++] = ofp;
    if (dpif) {
        ofp->ml = mac_learning_create(MAC_DEFAULT_IDLE_TIME, MAC_DEFAULT_MAX);
        ofp->udpif = udpif_create(dpif, &cbs, ofp);
        if (!strcmp(dpif_type(dpif), "system")) {
            /* A kernel datapath may hold a previous run's megaflows:
             * nothing translates until the owner has given us ports and
             * flows (ofproto_hold_revalidation(ofp, false)). */
            udpif_hold(ofp->udpif, true);
        }
        ofproto_publish(ofp);
    }
    return ofp;
}

void
ofproto_destroy(struct ofproto *ofp)
{
    if (!ofp) {
        return;
    }
    for (size_t i = 0; i < n_all; i++) {
        if (all[i] == ofp) {
            all[i] = all[--n_all];
            break;
        }
    }
    if (ofp->udpif) {
        udpif_destroy(ofp->udpif); /* Joins the handlers. */
    }
    connmgr_destroy(ofp->connmgr);
    evloop_cancel_timer(ofp->expire);
    for (size_t i = 0; i < ofp->n_ports; i++) {
        ofport_uninit(&ofp->ports[i]);
    }
    free(ofp->ports);
    of_tables_destroy(&ofp->tables);
    mac_learning_destroy(ofp->ml);
    tnl_table_destroy(ofp->tnl);
    free(ofp->name);
    free(ofp->dp_desc);
    free(ofp);
}

const char *
ofproto_name(const struct ofproto *ofp)
{
    return ofp->name;
}

struct connmgr *
ofproto_connmgr(struct ofproto *ofp)
{
    return ofp->connmgr;
}

void
ofproto_set_datapath_id(struct ofproto *ofp, uint64_t dpid)
{
    ofp->dpid = dpid;
}

uint64_t
ofproto_get_datapath_id(const struct ofproto *ofp)
{
    return ofp->dpid;
}

void
ofproto_set_fail_secure(struct ofproto *ofp, bool secure)
{
    if (ofp->fail_secure != secure) {
        ofp->fail_secure = secure;
        ofproto_publish(ofp);
    }
}

void
ofproto_set_dp_desc(struct ofproto *ofp, const char *desc)
{
    free(ofp->dp_desc);
    ofp->dp_desc = xstrdup(desc);
}

int
ofproto_flow_mod_text(struct ofproto *ofp, const char *text, int command)
{
    struct ofp_flow_mod fm;
    char *error = NULL;
    enum ofperr e;

    if (ofp_flow_mod_parse(&fm, text, command, &error)) {
        VLOG_ERR("%s: %s", text, error);
        free(error);
        return EINVAL;
    }
    e = of_tables_flow_mod(&ofp->tables, &fm, vs_time_msec(), NULL);
    ofp_flow_mod_uninit(&fm);
    if (e) {
        VLOG_ERR("%s: %s", text, ofperr_name(e));
        return EINVAL;
    }
    ofproto_revalidate(ofp);
    return 0;
}

void
ofproto_set_log(struct ofproto *ofp, FILE *log)
{
    ofp->log = log;
}

void
ofproto_set_nxm(struct ofproto *ofp, bool enable)
{
    ofp->no_nxm = !enable;
}

struct ofproto *
ofproto_lookup(const char *name)
{
    for (size_t i = 0; i < n_all; i++) {
        if (!strcmp(all[i]->name, name)) {
            return all[i];
        }
    }
    return NULL;
}

struct dpif *
ofproto_dpif(const struct ofproto *ofp)
{
    return ofp->dpif;
}

struct udpif *
ofproto_udpif(const struct ofproto *ofp)
{
    return ofp->udpif;
}

struct mac_learning *
ofproto_mac_learning(const struct ofproto *ofp)
{
    return ofp->ml;
}

struct xbridge *
ofproto_xbridge(struct ofproto *ofp)
{
    return build_xbridge(ofp);
}

void
ofproto_xbridge_free(struct xbridge *xb)
{
    free_xbridge(xb);
}

void
ofproto_set_max_idle(struct ofproto *ofp, long long ms)
{
    if (ofp->udpif) {
        udpif_set_max_idle(ofp->udpif, ms);
    }
}

void
ofproto_set_flow_limit(struct ofproto *ofp, long long limit)
{
    struct dpif_config cfg = {.flow_limit = limit};

    if (limit <= 0 || limit == ofp->flow_limit || !ofp->dpif) {
        return;
    }
    if (!dpif_set_config(ofp->dpif, &cfg)) {
        ofp->flow_limit = limit;
    }
}

long long
ofproto_get_flow_limit(const struct ofproto *ofp)
{
    return ofp->flow_limit;
}

size_t
ofproto_list(struct ofproto ***vp)
{
    *vp = all;
    return n_all;
}

static int
compare_names(const void *a_, const void *b_)
{
    const struct ofproto *const *a = a_, *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static void
unixctl_list(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct ofproto **v = xmemdup(all, (n_all ? n_all : 1) * sizeof *v);
    struct ds ds = DS_EMPTY_INITIALIZER;

    (void) argc;
    (void) argv;
    (void) aux;
    qsort(v, n_all, sizeof *v, compare_names);
    for (size_t i = 0; i < n_all; i++) {
        ds_put_format(&ds, "%s\n", v[i]->name);
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
    free(v);
}

void
ofproto_unixctl_register(void)
{
    unixctl_command_register("ofproto/list", "", 0, 0, unixctl_list, NULL);
    ofproto_unixctl_register_slow_path();
}
