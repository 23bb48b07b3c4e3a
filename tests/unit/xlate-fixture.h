/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_TESTS_XLATE_FIXTURE_H
#define VSWITCH_TESTS_XLATE_FIXTURE_H 1

/* A bridge for translation tests: flow tables, a MAC table and ports
 * 1..N_PORTS (datapath numbers equal to OpenFlow numbers) plus LOCAL
 * (datapath port 0), with helpers that add flows and groups from
 * ovs-ofctl text and translate a flow given in match syntax.  Included by
 * test-xlate.c and test-upcall.c (cmocka must be included first). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/match.h"
#include "vswitch/odp.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-port.h"
#include "vswitch/oftable.h"
#include "vswitchd/mac-learning.h"
#include "vswitchd/tunnel.h"
#include "vswitchd/xlate.h"

#define FX_N_PORTS 4
#define FX_UPCALL_PID 77
#define FX_MAX_TUNNELS 8

struct fx {
    struct of_tables tables;                             /* The pipeline. */
    struct xport ports[FX_N_PORTS + 1 + FX_MAX_TUNNELS]; /* 1..4, tunnels
                              * (fx_add_tunnel()), LOCAL; by number. */
    struct xbridge br;                                   /* The snapshot. */
    long long now;                                       /* Test clock, ms. */
    struct tnl_port tunnels[FX_MAX_TUNNELS];             /* In br.tnl. */
    size_t n_tunnels;                                    /* In 'tunnels'. */
};

static inline struct fx *
fx_create(void)
{
    struct fx *fx = calloc(1, sizeof *fx);

    of_tables_init(&fx->tables);
    for (int i = 0; i <= FX_N_PORTS; i++) {
        struct xport *xp = &fx->ports[i];

        xp->ofp_port = i < FX_N_PORTS ? i + 1 : OFPP_LOCAL;
        xp->dp_port = i < FX_N_PORTS ? i + 1 : 0;
        snprintf(xp->name, sizeof xp->name, i < FX_N_PORTS ? "p%d" : "br0",
                 i + 1);
        xp->live = true;
        xp->vlan_mode = XPORT_VLAN_TRUNK;
        xp->tag = -1;
        /* Port N's handler socket: 76 + N (the bridge's own: 177). */
        xp->upcall_pid = FX_UPCALL_PID + i;
    }
    fx->br.name = "br0";
    fx->br.tables = &fx->tables;
    fx->br.ml = mac_learning_create(0, 0);
    fx->br.ports = fx->ports;
    fx->br.n_ports = FX_N_PORTS + 1;
    fx->br.upcall_pid = FX_UPCALL_PID + 100;
    fx->now = 1000000;
    return fx;
}

/* Adds tunnel port 'ofp_port' called 'name' on shared datapath port
 * 'dp_port' with 'n' vxlan options 'keys'/'values' to the snapshot's
 * ports and tunnel table (replaced in place: nothing translates
 * concurrently with a fixture that has tunnels).  Returns its xport. */
static inline struct xport *
fx_add_tunnel(struct fx *fx, uint16_t ofp_port, uint32_t dp_port,
              const char *name, const char *const *keys,
              const char *const *values, size_t n)
{
    struct tnl_port *t = &fx->tunnels[fx->n_tunnels++];
    struct xport *xp;
    char *error = NULL;
    size_t i;

    assert_true(fx->n_tunnels <= FX_MAX_TUNNELS);
    memset(t, 0, sizeof *t);
    t->ofp_port = ofp_port;
    t->dp_port = dp_port;
    snprintf(t->name, sizeof t->name, "%s", name);
    if (!tnl_cfg_parse("vxlan", keys, values, n, &t->cfg, &error)) {
        fail_msg("%s: %s", name, error);
    }
    for (i = 0; i < fx->br.n_ports && fx->ports[i].ofp_port < ofp_port; i++) {
        continue;
    }
    memmove(&fx->ports[i + 1], &fx->ports[i],
            (fx->br.n_ports - i) * sizeof *fx->ports);
    fx->br.n_ports++;
    xp = &fx->ports[i];
    memset(xp, 0, sizeof *xp);
    xp->ofp_port = ofp_port;
    xp->dp_port = dp_port;
    snprintf(xp->name, sizeof xp->name, "%s", name);
    xp->live = true;
    xp->vlan_mode = XPORT_VLAN_TRUNK;
    xp->tag = -1;
    xp->upcall_pid = FX_UPCALL_PID + dp_port;
    tnl_table_destroy(fx->br.tnl);
    fx->br.tnl = tnl_table_create(fx->tunnels, fx->n_tunnels);
    return xp;
}

static inline void
fx_destroy(struct fx *fx)
{
    if (fx) {
        tnl_table_destroy(fx->br.tnl);
        mac_learning_destroy(fx->br.ml);
        of_tables_destroy(&fx->tables);
        free(fx);
    }
}

static inline struct xport *
fx_port(struct fx *fx, uint16_t ofp_port)
{
    return (struct xport *) xbridge_port_by_ofp(&fx->br, ofp_port);
}

static inline void
fx_flow(struct fx *fx, const char *text)
{
    struct ofp_flow_mod fm;
    char *error = NULL;
    enum ofperr e;

    if (ofp_flow_mod_parse(&fm, text, OFPFC_ADD, &error)) {
        fail_msg("%s: %s", text, error);
    }
    e = of_tables_flow_mod(&fx->tables, &fm, 0, NULL);
    ofp_flow_mod_uninit(&fm);
    if (e) {
        fail_msg("%s: %s", text, ofperr_name(e));
    }
}

static inline void
fx_group(struct fx *fx, const char *text)
{
    struct ofp_group_mod_req gm;
    char *error = NULL;
    enum ofperr e;

    if (ofp_group_mod_parse(&gm, text, OFPGC_ADD, &error)) {
        fail_msg("%s: %s", text, error);
    }
    e = of_tables_group_mod(&fx->tables, &gm, 0, NULL);
    ofp_group_mod_uninit(&gm);
    if (e) {
        fail_msg("%s: %s", text, ofperr_name(e));
    }
}

/* A packet's flow from match text ("in_port=1,tcp,nw_dst=10.0.0.1"); VLAN
 * tags get TPID 0x8100. */
static inline void
fx_parse_flow(const char *text, struct flow *flow)
{
    struct match m;
    char *error = NULL;

    if (match_parse(&m, text, &error)) {
        fail_msg("%s: %s", text, error);
    }
    *flow = m.flow;
    for (int i = 0; i < FLOW_MAX_VLAN; i++) {
        if (flow->vlans[i].tci & htons(VLAN_CFI)) {
            flow->vlans[i].tpid = htons(ETH_TYPE_VLAN);
        }
    }
}

/* Translates 'flow' (or, if nonnull, 'ofpacts' for it) through the
 * bridge, learning MACs if 'may_learn'. */
static inline int
fx_xlate(struct fx *fx, const struct flow *flow, const struct ofpacts *ofpacts,
         bool may_learn, struct xlate_out *xout)
{
    struct xlate_in xin;

    memset(&xin, 0, sizeof xin);
    xin.br = &fx->br;
    xin.version = of_tables_version(&fx->tables);
    xin.flow = *flow;
    xin.ofpacts = ofpacts;
    xin.may_learn = may_learn;
    xin.now = fx->now;
    return xlate_actions(&xin, xout);
}

static inline int
fx_xlate_flow(struct fx *fx, const struct flow *flow,
              const struct ofpacts *ofpacts, struct xlate_out *xout)
{
    return fx_xlate(fx, flow, ofpacts, true, xout);
}

/* Translates the flow in 'text'; checks its datapath actions against
 * 'actions' and, if nonnull, its megaflow against 'megaflow'. */
static inline void
fx_check(struct fx *fx, const char *text, const char *actions,
         const char *megaflow)
{
    struct xlate_out xout;
    struct flow flow;
    struct ds a = DS_EMPTY_INITIALIZER, m = DS_EMPTY_INITIALIZER;

    fx_parse_flow(text, &flow);
    xlate_out_init(&xout);
    assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), 0);
    odp_actions_format(xout.odp_actions.data, xout.odp_actions.size, &a);
    xlate_megaflow_format(&flow, &xout.wc, &m);
    if (strcmp(ds_cstr(&a), actions)
        || (megaflow && strcmp(ds_cstr(&m), megaflow))) {
        fail_msg("%s\n  actions  %s\n  expected %s\n  megaflow %s\n"
                 "  expected %s",
                 text, ds_cstr(&a), actions, ds_cstr(&m),
                 megaflow ? megaflow : "(any)");
    }
    ds_destroy(&a);
    ds_destroy(&m);
    xlate_out_uninit(&xout);
}

#endif /* VSWITCH_TESTS_XLATE_FIXTURE_H */
