/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flowd: a switch with flow tables and no ports, for holding the flow
 * codec and oftable against Debian's ovs-ofctl (add-flow, add-flows,
 * mod-flows, del-flows, dump-flows, dump-aggregate, add-group, dump-groups)
 * before the real agent exists.  It serves the connection layer as
 * ofp-listener does, FEATURES, GET_CONFIG, TABLE stats and features and
 * PORT_DESC (no ports), and FLOW_MOD, GROUP_MOD, FLOW/AGGREGATE stats,
 * GROUP_DESC and GROUP_FEATURES on one oftable, answering errors as the
 * switch must; flows expire on the real clock.  Each FLOW_MOD and GROUP_MOD is logged to stdout as
 * "flow_mod: CMD MATCH actions=..." or "error: NAME".
 *
 * usage: ofp-flowd PASSIVE-NAME     prints "listening PORT" when ready
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-table.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"

struct conn {
    struct vconn *vc;
    struct evloop_fd *h;
};

static struct evloop *loop;
static struct of_tables tables;

static void
send_reply(struct conn *c, struct ofp_mp_reply *r)
{
    struct buf *m;

    ofp_mp_reply_finish(r);
    while ((m = ofp_mp_reply_pop(r))) {
        vconn_send(c->vc, m);
    }
}

static void
log_flow_mod(const struct ofp_flow_mod *fm, uint8_t version)
{
    static const char *const names[] = {"add", "modify", "modify_strict",
                                        "delete", "delete_strict"};
    struct ds ds;

    ds_init(&ds);
    ds_put_format(&ds, "flow_mod: %s table=%u,priority=%u,",
                  names[fm->command], fm->table_id, fm->priority);
    match_format(&fm->match, &ds);
    if (ds_last(&ds) == ',') {
        ds_truncate(&ds, ds.length - 1);
    }
    ds_put_cstr(&ds, " actions=");
    ofpacts_format(&fm->ofpacts, version, &ds);
    printf("%s\n", ds_cstr(&ds));
    fflush(stdout);
    ds_destroy(&ds);
}

static enum ofperr
handle(struct conn *c, const struct buf *msg, enum ofptype type)
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
    case OFPTYPE_EXPERIMENTER_STATS_REQUEST:
        return OFPERR_BAD_EXPERIMENTER;
    case OFPTYPE_BARRIER_REQUEST:
        out = buf_new(0, 16);
        ofp_start_msg(out, version,
                      version == OFP10_VERSION ? OFPT10_BARRIER_REPLY
                                               : OFPT13_BARRIER_REPLY,
                      xid, 0);
        vconn_send(c->vc, out);
        return 0;
    case OFPTYPE_FEATURES_REQUEST: {
        struct ofp_switch_features f = {
            .datapath_id = 0xabc,
            .n_tables = OFP_N_TABLES,
            .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS,
        };

        out = buf_new(0, 64);
        ofp_features_reply_encode(out, version, xid, &f, NULL, 0);
        vconn_send(c->vc, out);
        return 0;
    }
    case OFPTYPE_GET_CONFIG_REQUEST: {
        struct ofp_switch_config sc = {0, 128};

        out = buf_new(0, 16);
        ofp_get_config_reply_encode(out, version, xid, &sc);
        vconn_send(c->vc, out);
        return 0;
    }
    case OFPTYPE_DESC_REQUEST: {
        struct ofp_desc d = {"vswitch", "ofp-flowd", "test", "0",
                             "flow tables, no ports"};

        ofp_mp_reply_init(&r, p);
        ofp_desc_reply_put(&r, &d);
        send_reply(c, &r);
        return 0;
    }
    case OFPTYPE_PORT_STATS_REQUEST: {
        uint16_t port;

        e = ofp_port_stats_request_decode(p, msg->size, &port);
        if (e) {
            break;
        }
        ofp_mp_reply_init(&r, p); /* No ports. */
        send_reply(c, &r);
        return 0;
    }
    case OFPTYPE_PORT_DESC_REQUEST:
        ofp_mp_reply_init(&r, p);
        send_reply(c, &r);
        return 0;
    case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_TABLE_FEATURES_REQUEST:
        ofp_mp_reply_init(&r, p);
        for (int t = 0; t < OFP_N_TABLES; t++) {
            struct ofp_table_stats ts;

            of_tables_table_stats(&tables, t, &ts);
            if (type == OFPTYPE_TABLE_STATS_REQUEST) {
                ofp_table_stats_put(&r, &ts);
            } else {
                ofp_table_features_put(&r, t, ts.name, ts.max_entries,
                                       &ofp_vswitch_table_caps);
            }
        }
        send_reply(c, &r);
        return 0;
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod fm;
        struct of_flow_removed_list removed = {NULL, 0, 0};

        e = ofp_flow_mod_decode(p, msg->size, &fm);
        if (!e) {
            log_flow_mod(&fm, version);
            e = of_tables_flow_mod(&tables, &fm, now, &removed);
            of_flow_removed_list_destroy(&removed);
            of_tables_gc(&tables);
        }
        ofp_flow_mod_uninit(&fm);
        break;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod_req gm;

        e = ofp_group_mod_decode(p, msg->size, &gm);
        if (!e) {
            struct ds ds;

            ds_init(&ds);
            ofp_group_format(gm.group_id, gm.type, gm.buckets, gm.n_buckets,
                             &ds);
            printf("group_mod: %u %s\n", gm.command, ds_cstr(&ds));
            fflush(stdout);
            ds_destroy(&ds);
            e = of_tables_group_mod(&tables, &gm, now, NULL);
            of_tables_gc(&tables);
        }
        ofp_group_mod_uninit(&gm);
        break;
    }
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_REQUEST: {
        struct ofp_flow_stats_request req;

        e = ofp_flow_stats_request_decode(p, msg->size, &req);
        if (e) {
            break;
        }
        ofp_mp_reply_init(&r, p);
        if (req.aggregate) {
            struct ofp_aggregate_stats as;

            of_tables_aggregate(&tables, &req, &as);
            ofp_aggregate_reply_put(&r, &as);
        } else {
            size_t n;
            const struct of_rule **v = of_tables_select(&tables, &req, &n);

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
            break;
        }
        send_reply(c, &r);
        return 0;
    }
    case OFPTYPE_GROUP_DESC_REQUEST: {
        const struct of_group *g;

        ofp_mp_reply_init(&r, p);
        HMAP_FOR_EACH (g, node, &tables.groups) {
            ofp_group_desc_put(&r, g);
        }
        send_reply(c, &r);
        return 0;
    }
    case OFPTYPE_GROUP_FEATURES_REQUEST:
        ofp_mp_reply_init(&r, p);
        ofp_group_features_put(&r, &ofp_vswitch_group_features);
        send_reply(c, &r);
        return 0;
    default:
        return OFPERR_BAD_TYPE;
    }
    if (e) {
        printf("error: %s\n", ofperr_name(e));
        fflush(stdout);
    }
    return e;
}

static void
serve(struct conn *c, struct buf *msg)
{
    struct ofp_header *oh = (void *) msg->data;
    enum ofptype type;
    enum ofperr e = ofp_decode_type(msg->data, msg->size, &type);

    if (!e) {
        e = handle(c, msg, type);
    }
    if (e) {
        struct buf *out = buf_new(0, 128);

        ofperr_encode(out, e, vconn_version(c->vc), ntohl(oh->xid), msg->data,
                      msg->size);
        vconn_send(c->vc, out);
    }
}

static void
conn_event(int fd, uint32_t events, void *c_)
{
    struct conn *c = c_;
    struct buf *msg;
    int error = vconn_run(c->vc);

    (void) fd;
    (void) events;
    while (!error && !(error = vconn_recv(c->vc, &msg))) {
        serve(c, msg);
        buf_delete(msg);
    }
    vconn_run(c->vc);
    if (error && error != EAGAIN) {
        evloop_del_fd(c->h);
        vconn_close(c->vc);
        free(c);
        return;
    }
    evloop_mod_fd(c->h, vconn_events(c->vc));
}

static void
accept_event(int fd, uint32_t events, void *aux)
{
    int cfd;

    (void) events;
    (void) aux;
    while (!pstream_accept(fd, &cfd)) {
        struct conn *c = xzalloc(sizeof *c);

        c->vc = vconn_from_fd(cfd, "client", OFP_SUPPORTED_VERSIONS);
        vconn_run(c->vc);
        c->h = evloop_add_fd(loop, cfd, vconn_events(c->vc), conn_event, c);
    }
}

/* Expires flows on the real clock (FLOW_REMOVED messages are not sent:
 * there is no async configuration here). */
static void
expire_timer(void *aux)
{
    (void) aux;
    of_tables_expire(&tables, vs_time_msec(), NULL);
    of_tables_gc(&tables);
}

static void
on_signal(int signo, void *aux)
{
    (void) signo;
    (void) aux;
    evloop_stop(loop);
}

int
main(int argc, char *argv[])
{
    struct evloop_fd *lh;
    int lfd, error;

    vs_set_program_name(argv[0]);
    if (argc != 2) {
        vs_fatal(2, "usage: ofp-flowd PASSIVE-NAME");
    }
    error = pstream_open(argv[1], OFP_TCP_PORT, &lfd);
    if (error) {
        vs_fatal(1, "%s: %s", argv[1], vs_strerror(error));
    }
    vrcu_thread_init();
    of_tables_init(&tables);
    loop = evloop_create();
    evloop_add_signal(loop, SIGTERM, on_signal, NULL);
    evloop_add_signal(loop, SIGINT, on_signal, NULL);
    lh = evloop_add_fd(loop, lfd, EPOLLIN, accept_event, NULL);
    evloop_add_timer(loop, 100, 100, expire_timer, NULL);
    printf("listening %u\n", pstream_get_port(lfd));
    fflush(stdout);
    evloop_run(loop);
    evloop_del_fd(lh);
    close(lfd);
    evloop_destroy(loop);
    of_tables_destroy(&tables);
    return 0;
}
