/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-output: where a packet goes.  Output to a port (and the reserved
 * ports IN_PORT, TABLE, NORMAL, FLOOD, ALL, CONTROLLER, LOCAL), the
 * userspace() action that carries a packet to the controllers, and groups.
 *
 * Port state (live, no_fwd, no_flood, no_packet_in) is read from the
 * xbridge snapshot and is not part of the megaflow: a port change makes
 * the owner publish a new snapshot and revalidate.  Select groups hash a
 * fixed set of fields (Ethernet addresses and type, IP addresses and
 * protocol, L4 ports), which therefore all become part of the mask.
 *
 * Output to a tunnel port (tunnel.h) is set(tunnel(...)) with the outer
 * headers its options give, then output() to the tunnels' shared
 * datapath port.  What the options take from the packet ("flow" keys and
 * addresses from the tunnel fields, "inherit" ToS and TTL from the inner
 * IP header) joins the mask.  The tunnel metadata is written before every
 * tunnel output and is read by tunnel ports only: an output to an
 * ordinary port sends the inner frame as it is, whatever tunnel the
 * packet came from or was last given.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <linux/openvswitch.h>
#include <string.h>
#include "tunnel.h"
#include "vswitch/coverage.h"
#include "vswitch/odp.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-port.h"
#include "vswitch/oftable.h"
#include "xlate-private.h"

COVERAGE_DEFINE(xlate_output_no_fwd);
COVERAGE_DEFINE(xlate_output_down);
COVERAGE_DEFINE(xlate_output_unknown_port);
COVERAGE_DEFINE(xlate_output_in_port);
COVERAGE_DEFINE(xlate_no_packet_in);
COVERAGE_DEFINE(xlate_unknown_group);
COVERAGE_DEFINE(xlate_tunnel_no_dst);

/* Emits set(tunnel(...)) for output to tunnel 't'; false (nothing
 * emitted) if it has no destination: remote_ip=flow and no tun_dst. */
static bool
put_tunnel(struct xlate_ctx *ctx, const struct tnl_port *t)
{
    const struct tnl_cfg *c = &t->cfg;
    struct flow_tnl *wc = &ctx->xout->wc.tunnel;
    struct buf *odp = &ctx->xout->odp_actions;
    uint16_t dl_type = ntohs(ctx->flow.dl_type);
    bool ip = dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6;
    struct flow_tnl tnl;
    size_t set_ofs, tnl_ofs;

    memset(&tnl, 0, sizeof tnl);
    if (c->remote_flow) {
        wc->ip_dst = UINT32_MAX;
        tnl.ip_dst = ctx->flow.tunnel.ip_dst;
        if (!tnl.ip_dst) {
            memset(&wc->ipv6_dst, 0xff, sizeof wc->ipv6_dst);
            tnl.ipv6_dst = ctx->flow.tunnel.ipv6_dst;
        }
    } else if (c->ipv6) {
        tnl.ipv6_dst = c->remote_ip6;
    } else {
        tnl.ip_dst = c->remote_ip;
    }
    if (!tnl.ip_dst && IN6_IS_ADDR_UNSPECIFIED(&tnl.ipv6_dst)) {
        COVERAGE_INC(xlate_tunnel_no_dst);
        xlate_trace(ctx, "output:%u: tunnel %s has no tun_dst -> skipped",
                    t->ofp_port, t->name);
        return false;
    }
    /* The source is of the destination's family. */
    if (tnl.ip_dst) {
        if (c->local_flow) {
            wc->ip_src = UINT32_MAX;
            tnl.ip_src = ctx->flow.tunnel.ip_src;
        } else {
            tnl.ip_src = c->local_ip;
        }
    } else if (c->local_flow) {
        memset(&wc->ipv6_src, 0xff, sizeof wc->ipv6_src);
        tnl.ipv6_src = ctx->flow.tunnel.ipv6_src;
    } else if (c->ipv6) {
        tnl.ipv6_src = c->local_ip6;
    }
    if (c->out_key_flow) {
        wc->tun_id = UINT64_MAX;
        wc->flags |= FLOW_TNL_F_KEY;
        tnl.tun_id = ctx->flow.tunnel.tun_id;
    } else {
        tnl.tun_id = htobe64(c->out_key);
    }
    /* IPv6 has no DF bit, and its UDP must carry a checksum (receivers
     * drop a zero one unless told otherwise). */
    if (tnl.ip_dst) {
        tnl.flags = FLOW_TNL_F_KEY | (c->df ? FLOW_TNL_F_DONT_FRAGMENT : 0)
                    | (c->csum ? FLOW_TNL_F_CSUM : 0);
    } else {
        tnl.flags = FLOW_TNL_F_KEY | FLOW_TNL_F_CSUM;
    }
    if (c->ttl_inherit || c->tos_inherit) {
        ctx->xout->wc.dl_type = 0xffff;
    }
    tnl.ip_ttl = c->ttl;
    if (c->ttl_inherit) {
        if (ip) {
            ctx->xout->wc.nw_ttl = 0xff;
            tnl.ip_ttl = ctx->flow.nw_ttl;
        } else {
            tnl.ip_ttl = TNL_DEFAULT_TTL;
        }
    }
    tnl.ip_tos = c->tos;
    if (c->tos_inherit) {
        if (ip) {
            ctx->xout->wc.nw_tos = 0xff;
            tnl.ip_tos = ctx->flow.nw_tos;
        } else {
            tnl.ip_tos = 0;
        }
    }
    tnl.tp_dst = htons(c->dst_port);

    set_ofs = xlate_nl_nest_start(odp, OVS_ACTION_ATTR_SET);
    tnl_ofs = xlate_nl_nest_start(odp, OVS_KEY_ATTR_TUNNEL);
    odp_put_tunnel(odp, &tnl, &tnl, false);
    xlate_nl_nest_end(odp, tnl_ofs);
    xlate_nl_nest_end(odp, set_ofs);
    return true;
}

void
xlate_output_xport(struct xlate_ctx *ctx, const struct xport *xp)
{
    uint32_t port = xp->dp_port;
    const struct tnl_port *tnl;

    if (xp->no_fwd) {
        COVERAGE_INC(xlate_output_no_fwd);
        xlate_trace(ctx, "output:%u is no_fwd -> skipped", xp->ofp_port);
        return;
    }
    if (!xp->live) {
        COVERAGE_INC(xlate_output_down);
        xlate_trace(ctx, "output:%u is down -> skipped", xp->ofp_port);
        return;
    }
    xlate_commit(ctx);
    tnl = xlate_xport_tnl(ctx, xp);
    if (tnl && !put_tunnel(ctx, tnl)) {
        return;
    }
    xlate_nl_put(&ctx->xout->odp_actions, OVS_ACTION_ATTR_OUTPUT, &port,
                 sizeof port);
}

/* FLOOD ('flood') or ALL: every port but the input port. */
static void
output_all(struct xlate_ctx *ctx, bool flood)
{
    for (size_t i = 0; i < ctx->br->n_ports; i++) {
        const struct xport *xp = &ctx->br->ports[i];

        if (xp == ctx->in_xport || (flood && xp->no_flood)) {
            continue;
        }
        xlate_output_xport(ctx, xp);
    }
}

/* Runs the pipeline from table 0 on the packet as it is now (PACKET_OUT's
 * output:TABLE). */
static void
output_table(struct xlate_ctx *ctx)
{
    struct ofpacts saved = ctx->action_set;

    ofpacts_init(&ctx->action_set);
    ctx->depth++;
    xlate_table(ctx, 0);
    ctx->depth--;
    ofpacts_uninit(&ctx->action_set);
    ctx->action_set = saved;
}

void
xlate_output(struct xlate_ctx *ctx, uint16_t port, uint16_t max_len)
{
    const struct xport *xp;

    switch (port) {
    case OFPP_IN_PORT:
        if (ctx->in_xport) {
            xlate_output_xport(ctx, ctx->in_xport);
        }
        return;
    case OFPP_TABLE:
        output_table(ctx);
        return;
    case OFPP_NORMAL:
        xlate_normal(ctx);
        return;
    case OFPP_FLOOD:
    case OFPP_ALL:
        output_all(ctx, port == OFPP_FLOOD);
        return;
    case OFPP_CONTROLLER:
        xlate_controller(ctx, ctx->miss_rule ? OFPR_NO_MATCH : OFPR_ACTION,
                         max_len);
        return;
    case OFPP_NONE:
        return;
    default:
        break;
    }
    xp = xbridge_port_by_ofp(ctx->br, port);
    if (!xp) {
        COVERAGE_INC(xlate_output_unknown_port);
        xlate_trace(ctx, "output:%u: no such port -> skipped", port);
    } else if (xp == ctx->in_xport) {
        /* OpenFlow sends to the input port only through IN_PORT. */
        COVERAGE_INC(xlate_output_in_port);
        xlate_trace(ctx, "output:%u is the input port -> skipped", port);
    } else {
        xlate_output_xport(ctx, xp);
    }
}

void
xlate_controller(struct xlate_ctx *ctx, uint8_t reason, uint16_t max_len)
{
    struct xlate_ctrl_cookie cookie;
    struct buf *odp = &ctx->xout->odp_actions;
    uint32_t pid =
        ctx->in_xport ? ctx->in_xport->upcall_pid : ctx->br->upcall_pid;
    size_t ofs;

    if (ctx->in_xport && ctx->in_xport->no_packet_in) {
        COVERAGE_INC(xlate_no_packet_in);
        xlate_trace(ctx, "controller: in_port is no_packet_in -> skipped");
        return;
    }
    memset(&cookie, 0, sizeof cookie);
    cookie.type = XLATE_COOKIE_CONTROLLER;
    cookie.reason = reason;
    cookie.table_id = ctx->table_id;
    cookie.max_len = max_len;
    cookie.in_port = ctx->in_xport ? ctx->in_xport->ofp_port : OFPP_CONTROLLER;
    cookie.cookie = ctx->rule_cookie;
    cookie.metadata = ctx->flow.metadata;
    cookie.tun_id = be64toh(ctx->flow.tunnel.tun_id);
    cookie.tun_src = ctx->flow.tunnel.ip_src;
    cookie.tun_dst = ctx->flow.tunnel.ip_dst;
    if (cookie.tun_dst) {
        /* The packet-in reports them: the megaflow must match them. */
        ctx->xout->wc.tunnel.tun_id = UINT64_MAX;
        ctx->xout->wc.tunnel.ip_src = UINT32_MAX;
        ctx->xout->wc.tunnel.ip_dst = UINT32_MAX;
        ctx->xout->wc.tunnel.flags |= FLOW_TNL_F_KEY;
    }

    xlate_commit(ctx);
    ofs = xlate_nl_nest_start(odp, OVS_ACTION_ATTR_USERSPACE);
    xlate_nl_put(odp, OVS_USERSPACE_ATTR_PID, &pid, sizeof pid);
    xlate_nl_put(odp, OVS_USERSPACE_ATTR_USERDATA, &cookie, sizeof cookie);
    xlate_nl_nest_end(odp, ofs);
}

static bool
port_live(uint16_t ofp_port, void *ctx_)
{
    struct xlate_ctx *ctx = ctx_;
    const struct xport *xp = xbridge_port_by_ofp(ctx->br, ofp_port);

    return xp && xp->live;
}

/* The hash a select group picks its bucket by; the fields it reads join
 * the mask. */
static uint32_t
select_hash(struct xlate_ctx *ctx)
{
    struct flow mask;

    flow_zero(&mask);
    memset(&mask.dl_dst, 0xff, sizeof mask.dl_dst);
    memset(&mask.dl_src, 0xff, sizeof mask.dl_src);
    mask.dl_type = 0xffff;
    mask.nw_src = mask.nw_dst = UINT32_MAX;
    memset(&mask.ipv6_src, 0xff, sizeof mask.ipv6_src);
    memset(&mask.ipv6_dst, 0xff, sizeof mask.ipv6_dst);
    mask.nw_proto = 0xff;
    mask.tp_src = mask.tp_dst = 0xffff;
    flow_or(&ctx->xout->wc, &mask);
    return (uint32_t) flow_hash_masked(&ctx->flow, &mask, 0);
}

/* Runs one bucket's actions on a copy of the packet's state. */
static void
run_bucket(struct xlate_ctx *ctx, const struct of_group *g, int i)
{
    struct flow saved = ctx->flow;

    if (!xlate_budget_take(ctx)) {
        return;
    }
    xlate_trace(ctx, "group %u bucket %d", g->id, i);
    ctx->depth++;
    xlate_actions_list(ctx, g->buckets[i].actions.a, g->buckets[i].actions.n,
                       true);
    ctx->depth--;
    ctx->flow = saved;
}

void
xlate_group(struct xlate_ctx *ctx, uint32_t group_id)
{
    const struct of_group *g = of_tables_group(ctx->br->tables, group_id);
    struct xlate_out *xout = ctx->xout;
    int bucket = -1;
    size_t i;

    /* Remembered even when missing: adding the group must re-check. */
    for (i = 0; i < xout->n_groups && xout->groups[i] != group_id; i++) {
        continue;
    }
    if (i == xout->n_groups) {
        if (i < XLATE_MAX_GROUPS_SEEN) {
            xout->groups[xout->n_groups++] = group_id;
        } else {
            xout->groups_overflow = true;
        }
    }

    if (!g) {
        COVERAGE_INC(xlate_unknown_group);
        xlate_trace(ctx, "group %u: no such group -> drop", group_id);
        return;
    }
    if (g->type == OFPGT_ALL) {
        for (i = 0; i < g->n_buckets && !ctx->exit; i++) {
            run_bucket(ctx, g, i);
        }
    } else {
        uint32_t hash = g->type == OFPGT_SELECT ? select_hash(ctx) : 0;

        bucket =
            of_group_pick_bucket(ctx->br->tables, g, hash, port_live, ctx);
        if (bucket >= 0) {
            run_bucket(ctx, g, bucket);
        } else {
            xlate_trace(ctx, "group %u: no live bucket -> drop", group_id);
        }
    }
    if (ctx->xin->credit_stats) {
        of_group_credit((struct of_group *) g, bucket, ctx->xin->packet_size);
    }
}
