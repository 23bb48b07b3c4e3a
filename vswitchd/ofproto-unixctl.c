/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-unixctl: the slow path's introspection commands, for
 * vswitch-appctl (and Debian's ovs-appctl, which speaks the same unixctl
 * protocol):
 *
 *   ofproto/trace [BR] FLOW [-generate]   the pipeline's account of FLOW
 *   fdb/show BR                           the bridge's MAC table
 *   fdb/flush [BR]                        empties it (all bridges)
 *   upcall/show                           megaflows, revalidator, limits
 *   dpif/dump-flows [-m] BR               the bridge's megaflows
 *   ofproto/list-tunnels [BR]             tunnel ports: "vx1 7/6" (OpenFlow
 *                                         number / shared datapath port)
 *                                         and their options
 *
 * FLOW is ovs-ofctl match text ("in_port=1,dl_src=...,dl_dst=...,icmp";
 * in_port is an OpenFlow number, LOCAL allowed) or a datapath key as
 * ovs-dpctl prints it ("in_port(1),eth(...),eth_type(0x0800),...";
 * in_port is a datapath number).  A trace translates under a snapshot of
 * the bridge built on the main loop; it installs nothing and sends
 * nothing.  -generate makes it behave as if the packet had arrived: NORMAL
 * learns the source address (the only side effect), rule counters are
 * left alone.
 *
 * Thread-safety: the callbacks run on the main loop's thread, which owns
 * the ofprotos.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mac-learning.h"
#include "ofproto.h"
#include "tunnel.h"
#include "upcall.h"
#include "vswitch/buf.h"
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/match.h"
#include "vswitch/odp.h"
#include "vswitch/ofp-port.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "xlate.h"

/* The bridge 'name' with a datapath, or NULL after replying an error. */
static struct ofproto *
find_bridge(struct unixctl_conn *conn, const char *name)
{
    struct ofproto *ofp = ofproto_lookup(name);

    if (!ofp || !ofproto_dpif(ofp)) {
        char *msg = xasprintf("%s: no such bridge (with a datapath)\n", name);

        unixctl_command_reply_error(conn, msg);
        free(msg);
        return NULL;
    }
    return ofp;
}

/* Parses trace FLOW text into 'flow' (in_port: datapath number).
 * Returns NULL or an error message (caller frees). */
static char *
parse_trace_flow(const struct xbridge *xb, const char *text, struct flow *flow)
{
    char *error = NULL;

    if (strchr(text, '(')) {
        struct buf key;

        buf_init(&key, 0, 256);
        if (odp_key_parse(text, &key, NULL, &error)
            || odp_key_to_flow(key.data, key.size, NULL, 0, flow, NULL,
                               &error)) {
            buf_uninit(&key);
            return error ? error : xstrdup("bad datapath key");
        }
        buf_uninit(&key);
        if (!xbridge_port_by_dp(xb, flow->in_port)) {
            return xasprintf("datapath port %" PRIu32 " is not on %s",
                             flow->in_port, xb->name);
        }
    } else {
        const struct xport *xp;
        struct match m;

        if (match_parse(&m, text, &error)) {
            return error;
        }
        if (!m.wc.in_port) {
            return xstrdup("the flow needs an in_port");
        }
        *flow = m.flow;
        xp = xbridge_port_by_ofp(xb, (uint16_t) flow->in_port);
        if (flow->in_port > UINT16_MAX || !xp) {
            return xasprintf("in_port %" PRIu32 ": no such port on %s",
                             flow->in_port, xb->name);
        }
        flow->in_port = xp->dp_port;
        for (int i = 0; i < FLOW_MAX_VLAN; i++) {
            if (flow->vlans[i].tci & htons(VLAN_CFI)) {
                flow->vlans[i].tpid = htons(ETH_TYPE_VLAN);
            }
        }
    }
    return NULL;
}

static void
cmd_trace(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    const char *br_name = NULL, *flow_text = NULL;
    struct ds out = DS_EMPTY_INITIALIZER;
    bool generate = false;
    struct ofproto *ofp;
    struct xbridge *xb;
    struct xlate_in xin;
    char *error;
    int err;

    (void) aux;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-generate")) {
            generate = true;
        } else if (!flow_text && !br_name && ofproto_lookup(argv[i])) {
            br_name = argv[i];
        } else if (!flow_text) {
            flow_text = argv[i];
        } else {
            unixctl_command_reply_error(conn, "usage: ofproto/trace [BR] "
                                              "FLOW [-generate]\n");
            return;
        }
    }
    if (!br_name) {
        struct ofproto **v;

        if (ofproto_list(&v) != 1) {
            unixctl_command_reply_error(conn, "name the bridge: "
                                              "ofproto/trace BR FLOW\n");
            return;
        }
        br_name = ofproto_name(v[0]);
    }
    if (!flow_text) {
        unixctl_command_reply_error(conn, "ofproto/trace: FLOW missing\n");
        return;
    }
    ofp = find_bridge(conn, br_name);
    if (!ofp) {
        return;
    }

    vrcu_thread_init();
    xb = ofproto_xbridge(ofp);
    memset(&xin, 0, sizeof xin);
    error = parse_trace_flow(xb, flow_text, &xin.flow);
    if (error) {
        ds_put_format(&out, "%s\n", error);
        unixctl_command_reply_error(conn, ds_cstr(&out));
        goto out;
    }
    xin.br = xb;
    xin.version = of_tables_version(xb->tables);
    xin.may_learn = generate;
    xin.now = vs_time_msec();

    ds_put_format(&out, "Flow: %s%s", flow_text,
                  generate ? " (-generate: learning on)" : "");
    ds_put_cstr(&out, "\n\n");
    vrcu_read_lock();
    err = xlate_trace_flow(&xin, &out);
    vrcu_read_unlock();
    if (err) {
        ds_put_format(&out, "translation failed: %s\n", vs_strerror(err));
        unixctl_command_reply_error(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
out:
    free(error);
    ofproto_xbridge_free(xb);
    ds_destroy(&out);
}

static void
cmd_fdb_show(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct ofproto *ofp = find_bridge(conn, argv[1]);
    struct ds out = DS_EMPTY_INITIALIZER;

    (void) argc;
    (void) aux;
    if (ofp) {
        mac_learning_format(ofproto_mac_learning(ofp), vs_time_msec(), &out);
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    ds_destroy(&out);
}

static void
fdb_flush(struct ofproto *ofp)
{
    mac_learning_flush(ofproto_mac_learning(ofp));
    udpif_revalidate(ofproto_udpif(ofp));
}

static void
cmd_fdb_flush(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    (void) aux;
    if (argc > 1) {
        struct ofproto *ofp = find_bridge(conn, argv[1]);

        if (!ofp) {
            return;
        }
        fdb_flush(ofp);
    } else {
        struct ofproto **v;
        size_t n = ofproto_list(&v);

        for (size_t i = 0; i < n; i++) {
            if (ofproto_dpif(v[i])) {
                fdb_flush(v[i]);
            }
        }
    }
    unixctl_command_reply(conn, "table successfully flushed\n");
}

static int
compare_by_name(const void *a_, const void *b_)
{
    struct ofproto *const *a = a_, *const *b = b_;

    return strcmp(ofproto_name(*a), ofproto_name(*b));
}

static void
cmd_upcall_show(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    struct ofproto **all, **v;
    size_t n = ofproto_list(&all);

    (void) argc;
    (void) argv;
    (void) aux;
    v = xmemdup(all, (n ? n : 1) * sizeof *v);
    qsort(v, n, sizeof *v, compare_by_name);
    for (size_t i = 0; i < n; i++) {
        struct udpif *udpif = ofproto_udpif(v[i]);
        long long limit = ofproto_get_flow_limit(v[i]);
        struct dpif_dp_stats st;

        if (!udpif) {
            continue;
        }
        if (out.length) {
            ds_put_char(&out, '\n');
        }
        udpif_show(udpif, &out);
        if (limit > 0) {
            ds_put_format(&out, "  flow limit    : %lld\n", limit);
        } else {
            ds_put_cstr(&out, "  flow limit    : (datapath default)\n");
        }
        memset(&st, 0, sizeof st);
        dpif_get_stats(ofproto_dpif(v[i]), &st);
        ds_put_format(&out,
                      "  dp drops      : upcall-lost %" PRIu64
                      " bad-frame %" PRIu64 " too-big %" PRIu64
                      " tx-failed %" PRIu64 " recirc-loop %" PRIu64
                      " tnl-no-md %" PRIu64 " tnl-too-big %" PRIu64 "\n",
                      st.n_lost, st.n_bad_frame, st.n_too_big, st.n_tx_failed,
                      st.n_recirc_loop, st.n_tnl_no_md, st.n_tnl_too_big);
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
    free(v);
}

static void
cmd_dump_flows(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    const char *args[4];
    const char *br = NULL;
    struct ofproto *ofp;
    int n_args = 0;

    (void) aux;
    args[n_args++] = "dump-flows";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") || !strcmp(argv[i], "--more")) {
            args[n_args++] = "-m";
        } else if (!br) {
            br = argv[i];
        }
    }
    if (!br) {
        unixctl_command_reply_error(conn, "usage: dpif/dump-flows [-m] BR\n");
        goto out;
    }
    ofp = find_bridge(conn, br);
    if (!ofp) {
        goto out;
    }
    args[n_args++] = dpif_full_name(ofproto_dpif(ofp));
    if (dpctl_run(n_args, args, &out)) {
        ds_put_char(&out, '\n');
        unixctl_command_reply_error(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
out:
    ds_destroy(&out);
}

static void
put_tnl_ip(struct ds *s, const char *name, bool flow, vs_be32 ip,
           const struct in6_addr *ip6)
{
    char text[INET6_ADDRSTRLEN];

    if (flow) {
        ds_put_format(s, ", %s=flow", name);
    } else if (ip) {
        inet_ntop(AF_INET, &ip, text, sizeof text);
        ds_put_format(s, ", %s=%s", name, text);
    } else if (ip6 && !IN6_IS_ADDR_UNSPECIFIED(ip6)) {
        inet_ntop(AF_INET6, ip6, text, sizeof text);
        ds_put_format(s, ", %s=%s", name, text);
    }
}

static void
put_tnl_key(struct ds *s, const char *name, bool flow, uint32_t key)
{
    if (flow) {
        ds_put_format(s, ", %s=flow", name);
    } else if (key) {
        ds_put_format(s, ", %s=%" PRIu32, name, key);
    }
}

/* One line per tunnel port of bridge 'ofp' into 's'. */
static void
list_tunnels(const struct ofproto *ofp, struct ds *s)
{
    const struct tnl_table *t = ofproto_tunnels(ofp);

    ds_put_format(s, "%s:\n", ofproto_name(ofp));
    for (size_t i = 0; t && i < t->n_ports; i++) {
        const struct tnl_port *p = &t->ports[i];
        const struct tnl_cfg *c = &p->cfg;

        ds_put_format(s, "  %s %u/%" PRIu32 ": (vxlan: dst_port=%u", p->name,
                      p->ofp_port, p->dp_port, c->dst_port);
        put_tnl_ip(s, "remote_ip", c->remote_flow, c->remote_ip,
                   c->ipv6 ? &c->remote_ip6 : NULL);
        put_tnl_ip(s, "local_ip", c->local_flow, c->local_ip,
                   c->ipv6 ? &c->local_ip6 : NULL);
        if (c->in_key_flow == c->out_key_flow && c->in_key == c->out_key) {
            put_tnl_key(s, "key", c->in_key_flow, c->in_key);
        } else {
            put_tnl_key(s, "in_key", c->in_key_flow, c->in_key);
            put_tnl_key(s, "out_key", c->out_key_flow, c->out_key);
        }
        if (c->tos_inherit) {
            ds_put_cstr(s, ", tos=inherit");
        } else if (c->tos) {
            ds_put_format(s, ", tos=%u", c->tos);
        }
        if (c->ttl_inherit) {
            ds_put_cstr(s, ", ttl=inherit");
        } else if (c->ttl != TNL_DEFAULT_TTL) {
            ds_put_format(s, ", ttl=%u", c->ttl);
        }
        if (!c->df) {
            ds_put_cstr(s, ", df_default=false");
        }
        if (c->csum) {
            ds_put_cstr(s, ", csum=true");
        }
        ds_put_cstr(s, ")\n");
    }
}

static void
cmd_list_tunnels(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    (void) aux;
    if (argc > 1) {
        const struct ofproto *ofp = find_bridge(conn, argv[1]);

        if (ofp) {
            list_tunnels(ofp, &out);
            unixctl_command_reply(conn, ds_cstr(&out));
        }
    } else {
        struct ofproto **v;
        size_t n = ofproto_list(&v);

        for (size_t i = 0; i < n; i++) {
            list_tunnels(v[i], &out);
        }
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    ds_destroy(&out);
}

void
ofproto_unixctl_register_slow_path(void)
{
    unixctl_command_register("ofproto/list-tunnels", "[BR]", 0, 1,
                             cmd_list_tunnels, NULL);
    unixctl_command_register("ofproto/trace", "[BR] FLOW [-generate]", 1, 3,
                             cmd_trace, NULL);
    unixctl_command_register("fdb/show", "BR", 1, 1, cmd_fdb_show, NULL);
    unixctl_command_register("fdb/flush", "[BR]", 0, 1, cmd_fdb_flush, NULL);
    unixctl_command_register("upcall/show", "", 0, 0, cmd_upcall_show, NULL);
    unixctl_command_register("dpif/dump-flows", "[-m] BR", 1, 2,
                             cmd_dump_flows, NULL);
}
