/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate: the entry point and the OpenFlow pipeline walk (see xlate.h and
 * xlate-private.h for how translation is split across files).
 *
 * A translation starts at table 0 (or with a PACKET_OUT's actions), looks
 * the flow up, runs the rule's apply-actions, merges its write_actions
 * into the action set, applies write_metadata and follows goto_table
 * without recursion (goto only goes forward, so the loop ends).  A
 * pipeline that ends without goto_table executes its action set; one that
 * ends in a miss sends to the controller or drops, as the bridge says.
 *
 * Budget: every table lookup and every group bucket costs one unit of
 * XLATE_MAX_RESUBMITS, and output:TABLE and groups nest at most
 * XLATE_MAX_DEPTH deep; the actions are capped at XLATE_MAX_ACTIONS_SIZE
 * bytes.  Past any of them the translation stops and its actions become a
 * drop (the mask collected so far stays: every packet inside it takes the
 * same path to the same cut).
 */
#include "xlate.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <string.h>
#include "mac-learning.h"
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/match.h"
#include "vswitch/odp.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"
#include "vswitch/vlog.h"
#include "tunnel.h"
#include "xlate-private.h"

VLOG_DEFINE_THIS_MODULE(xlate);

COVERAGE_DEFINE(xlate_budget_exceeded);
COVERAGE_DEFINE(xlate_no_recv);
COVERAGE_DEFINE(xlate_table_miss_drop);
COVERAGE_DEFINE(xlate_bad_in_port);
COVERAGE_DEFINE(xlate_tunnel_no_port);

const struct xport *
xbridge_port_by_ofp(const struct xbridge *br, uint16_t ofp_port)
{
    size_t lo = 0, hi = br->n_ports;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t p = br->ports[mid].ofp_port;

        if (p == ofp_port) {
            return &br->ports[mid];
        } else if (p < ofp_port) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

const struct xport *
xbridge_port_by_dp(const struct xbridge *br, uint32_t dp_port)
{
    for (size_t i = 0; i < br->n_ports; i++) {
        if (br->ports[i].dp_port == dp_port) {
            return &br->ports[i];
        }
    }
    return NULL;
}

uint32_t
xlate_ofp_to_dp(const struct xbridge *br, uint16_t ofp_port)
{
    const struct xport *xp = xbridge_port_by_ofp(br, ofp_port);

    return xp ? xp->dp_port : UINT32_MAX;
}

const struct tnl_port *
xlate_xport_tnl(const struct xlate_ctx *ctx, const struct xport *xp)
{
    return xp ? tnl_table_find(ctx->br->tnl, xp->ofp_port) : NULL;
}

/* Forgets the tables, groups and rules a translation read. */
static void
clear_reads(struct xlate_out *xout, uint64_t version)
{
    memset(xout->tables_read, 0, sizeof xout->tables_read);
    xout->n_groups = 0;
    xout->groups_overflow = false;
    xout->n_rules = 0;
    xout->rules_overflow = false;
    xout->used_normal = false;
    xout->version = version;
}

void
xlate_out_init(struct xlate_out *xout)
{
    buf_init(&xout->odp_actions, 0, 256);
    flow_zero(&xout->wc);
    xout->slow = false;
    xout->budget_exceeded = false;
    xout->trace = NULL;
    clear_reads(xout, 0);
}

void
xlate_out_uninit(struct xlate_out *xout)
{
    if (xout) {
        buf_uninit(&xout->odp_actions);
    }
}

/* Netlink attributes into a buf: header, payload, padding to 4 bytes. */
void
xlate_nl_put(struct buf *b, uint16_t type, const void *data, size_t size)
{
    struct nlattr nla = {.nla_len = NLA_HDRLEN + size, .nla_type = type};

    buf_put(b, &nla, sizeof nla);
    if (size) {
        buf_put(b, data, size);
    }
    buf_put_zeros(b, NLA_ALIGN(size) - size);
}

size_t
xlate_nl_nest_start(struct buf *b, uint16_t type)
{
    size_t ofs = b->size;

    xlate_nl_put(b, type, NULL, 0);
    return ofs;
}

void
xlate_nl_nest_end(struct buf *b, size_t ofs)
{
    struct nlattr *nla = buf_at(b, ofs, sizeof *nla);

    nla->nla_len = b->size - ofs;
}

void
xlate_trace(struct xlate_ctx *ctx, const char *fmt, ...)
{
    va_list args;

    if (!ctx->xout->trace) {
        return;
    }
    ds_put_char_multiple(ctx->xout->trace, ' ', 4 * ctx->depth);
    va_start(args, fmt);
    ds_put_format_valist(ctx->xout->trace, fmt, args);
    va_end(args);
    ds_put_char(ctx->xout->trace, '\n');
}

/* Takes one unit of the resubmit budget; false (and the translation
 * stops) when it or the depth is exhausted. */
bool
xlate_budget_take(struct xlate_ctx *ctx)
{
    if (ctx->exit) {
        return false;
    }
    if (++ctx->n_resubmits > XLATE_MAX_RESUBMITS
        || ctx->depth > XLATE_MAX_DEPTH
        || ctx->xout->odp_actions.size > XLATE_MAX_ACTIONS_SIZE) {
        ctx->exit = true;
        return false;
    }
    return true;
}

/* Whether 'a' and 'b' occupy the same slot of an action set. */
static bool
same_set_slot(const struct ofpact *a, const struct ofpact *b)
{
    if (a->type == OFPACT_ENQUEUE || a->type == OFPACT_OUTPUT) {
        return b->type == OFPACT_ENQUEUE || b->type == OFPACT_OUTPUT;
    }
    if (a->type != b->type) {
        return false;
    }
    return a->type != OFPACT_SET_FIELD || a->field == b->field;
}

static void
action_set_write(struct ofpacts *set, const struct ofpact *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t j;

        for (j = 0; j < set->n; j++) {
            if (same_set_slot(&set->a[j], &a[i])) {
                break;
            }
        }
        if (j == set->n) {
            ofpacts_put(set, a[i].type);
        }
        set->a[j] = a[i];
    }
}

/* Runs the action set in the order OpenFlow 1.3 prescribes: pop, push,
 * dec_ttl, the sets, queue, then the group or else the output. */
static void
action_set_execute(struct xlate_ctx *ctx)
{
    static const uint8_t order[] = {
        OFPACT_POP_VLAN,   OFPACT_PUSH_VLAN, OFPACT_DEC_NW_TTL,
        OFPACT_SET_NW_TTL, OFPACT_SET_FIELD, OFPACT_SET_QUEUE,
    };
    struct ofpacts set = ctx->action_set;
    struct ofpacts ordered;
    bool has_group = false;

    if (!set.n) {
        return;
    }
    ofpacts_init(&ordered);
    for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
        for (size_t i = 0; i < set.n; i++) {
            if (set.a[i].type == order[k]) {
                *ofpacts_put(&ordered, set.a[i].type) = set.a[i];
            }
        }
    }
    for (size_t i = 0; i < set.n; i++) {
        if (set.a[i].type == OFPACT_GROUP) {
            *ofpacts_put(&ordered, OFPACT_GROUP) = set.a[i];
            has_group = true;
        }
    }
    for (size_t i = 0; !has_group && i < set.n; i++) {
        if (set.a[i].type == OFPACT_OUTPUT
            || set.a[i].type == OFPACT_ENQUEUE) {
            *ofpacts_put(&ordered, set.a[i].type) = set.a[i];
        }
    }
    xlate_trace(ctx, "action set: %zu actions", ordered.n);
    xlate_actions_list(ctx, ordered.a, ordered.n, true);
    ofpacts_uninit(&ordered);
}

int
xlate_actions_list(struct xlate_ctx *ctx, const struct ofpact *a, size_t n,
                   bool in_action_set)
{
    int goto_table = XLATE_LIST_END;

    for (size_t i = 0; i < n && !ctx->exit; i++) {
        const struct ofpact *act = &a[i];

        switch ((enum ofpact_type) act->type) {
        case OFPACT_OUTPUT:
        case OFPACT_ENQUEUE:
            xlate_output(ctx, act->port, act->max_len);
            break;
        case OFPACT_SET_QUEUE:
            break;
        case OFPACT_GROUP:
            xlate_group(ctx, act->id);
            break;
        case OFPACT_SET_FIELD:
            xlate_set_field(ctx, act);
            break;
        case OFPACT_PUSH_VLAN:
            xlate_push_vlan(ctx, act->id);
            break;
        case OFPACT_POP_VLAN:
            xlate_pop_vlan(ctx);
            break;
        case OFPACT_DEC_NW_TTL:
            if (!xlate_dec_ttl(ctx)) {
                return XLATE_LIST_DROPPED;
            }
            break;
        case OFPACT_SET_NW_TTL:
            xlate_set_ttl(ctx, act->id);
            break;
        case OFPACT_CLEAR_ACTIONS:
            ofpacts_clear(&ctx->action_set);
            break;
        case OFPACT_WRITE_ACTIONS:
            if (act->n_nested > n - i - 1) {
                return XLATE_LIST_DROPPED;
            }
            action_set_write(&ctx->action_set, act + 1, act->n_nested);
            i += act->n_nested;
            break;
        case OFPACT_WRITE_METADATA:
            ctx->flow.metadata = (ctx->flow.metadata & ~act->metadata_mask)
                                 | (act->metadata & act->metadata_mask);
            break;
        case OFPACT_GOTO_TABLE:
            if (!in_action_set) {
                goto_table = act->table;
            }
            break;
        }
    }
    return goto_table;
}

static bool
xlate_match_is_catchall(const struct of_rule *rule)
{
    return rule->cr.map == 0;
}

static void
trace_rule(struct xlate_ctx *ctx, uint8_t table_id, const struct of_rule *rule,
           const struct ofpacts *acts)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ds a = DS_EMPTY_INITIALIZER;
    struct match m;

    cls_rule_get_match(&rule->cr, &m);
    match_format(&m, &s);
    ofpacts_format(acts, OFP13_VERSION, &a);
    xlate_trace(
        ctx, "table %u: priority=%u%s%s, cookie=0x%" PRIx64 " -> actions=%s",
        table_id, rule->cr.priority, ds_cstr(&s)[0] ? "," : "", ds_cstr(&s),
        rule->cookie, ds_cstr(&a));
    ds_destroy(&s);
    ds_destroy(&a);
}

/* Runs the pipeline from 'table_id': lookups, instructions, goto_table,
 * and at its end the action set or the miss behaviour. */
void
xlate_table(struct xlate_ctx *ctx, uint8_t table_id)
{
    const struct xlate_in *xin = ctx->xin;

    for (;;) {
        const struct of_rule *rule;
        const struct ofpacts *acts;
        int next;

        if (!xlate_budget_take(ctx)) {
            return;
        }
        ctx->xout->tables_read[table_id / 8] |= 1u << (table_id % 8);
        rule = of_tables_lookup(ctx->br->tables, xin->version, table_id,
                                &ctx->flow, &ctx->xout->wc);
        ctx->table_id = table_id;
        if (!rule) {
            if (ctx->br->miss_to_controller) {
                xlate_trace(ctx, "table %u: no match -> controller", table_id);
                ctx->rule_cookie = UINT64_MAX;
                xlate_controller(ctx, OFPR_NO_MATCH, UINT16_MAX);
            } else {
                xlate_trace(ctx, "table %u: no match -> drop", table_id);
                COVERAGE_INC(xlate_table_miss_drop);
            }
            return;
        }
        if (xin->credit_stats) {
            of_rule_credit(rule, xin->n_packets ? xin->n_packets : 1,
                           xin->packet_size, xin->now);
        }
        if (ctx->xout->n_rules < XLATE_MAX_RULES_SEEN) {
            ctx->xout->rules[ctx->xout->n_rules++] = rule;
        } else {
            ctx->xout->rules_overflow = true;
        }
        acts = of_rule_actions(rule);
        if (ctx->xout->trace) {
            trace_rule(ctx, table_id, rule, acts);
        }
        ctx->rule_cookie = rule->cookie;
        ctx->miss_rule = !rule->cr.priority && xlate_match_is_catchall(rule);
        next = xlate_actions_list(ctx, acts->a, acts->n, false);
        if (next == XLATE_LIST_DROPPED || ctx->exit) {
            return;
        }
        if (next <= table_id) {
            break;
        }
        table_id = next;
    }
    action_set_execute(ctx);
}

void
xlate_megaflow_key(const struct flow *flow, const struct flow *wc,
                   struct buf *key, struct buf *mask)
{
    struct flow m = *wc, masked;

    odp_mask_normalize(flow, &m);
    flow_and(&masked, flow, &m);
    odp_key_from_flow(key, &masked);
    odp_mask_from_flow(mask, &masked, &m);
}

void
xlate_megaflow_format(const struct flow *flow, const struct flow *wc,
                      struct ds *s)
{
    struct buf key, mask;

    buf_init(&key, 0, 256);
    buf_init(&mask, 0, 256);
    xlate_megaflow_key(flow, wc, &key, &mask);
    odp_key_format(key.data, key.size, mask.data, mask.size, s);
    buf_uninit(&key);
    buf_uninit(&mask);
}

int
xlate_trace_flow(const struct xlate_in *xin, struct ds *s)
{
    struct xlate_out xout;
    int error;

    xlate_out_init(&xout);
    xout.trace = s;
    error = xlate_actions(xin, &xout);
    if (!error) {
        ds_put_cstr(s, "\nMegaflow: ");
        xlate_megaflow_format(&xin->flow, &xout.wc, s);
        ds_put_cstr(s, "\nDatapath actions: ");
        odp_actions_format(xout.odp_actions.data, xout.odp_actions.size, s);
        ds_put_char(s, '\n');
    }
    xlate_out_uninit(&xout);
    return error;
}

int
xlate_actions(const struct xlate_in *xin, struct xlate_out *xout)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct xbridge *br = xin->br;
    struct xlate_ctx ctx;

    buf_clear(&xout->odp_actions);
    flow_zero(&xout->wc);
    xout->slow = false;
    xout->budget_exceeded = false;
    xout->wc.in_port = UINT32_MAX;
    clear_reads(xout, xin->version);

    memset(&ctx, 0, sizeof ctx);
    ctx.xin = xin;
    ctx.xout = xout;
    ctx.br = br;
    ctx.flow = xin->flow;
    ctx.base = xin->flow;
    ofpacts_init(&ctx.action_set);

    vrcu_read_lock();
    if (tnl_table_has_dp_port(br->tnl, xin->flow.in_port)) {
        /* A tunnels' shared port: the outer headers say which tunnel. */
        ctx.in_tnl = tnl_table_demux(br->tnl, xin->flow.in_port,
                                     &xin->flow.tunnel, &xout->wc.tunnel);
        /* The megaflow's key has a tunnel attribute only if it has the
         * outer destination: match it, as the local address it is. */
        if (!xin->flow.tunnel.ip_dst
            && !IN6_IS_ADDR_UNSPECIFIED(&xin->flow.tunnel.ipv6_dst)) {
            memset(&xout->wc.tunnel.ipv6_dst, 0xff,
                   sizeof xout->wc.tunnel.ipv6_dst);
        } else {
            xout->wc.tunnel.ip_dst = UINT32_MAX;
        }
        ctx.in_xport =
            ctx.in_tnl ? xbridge_port_by_ofp(br, ctx.in_tnl->ofp_port) : NULL;
        if (!ctx.in_xport && xin->ofpacts) {
            /* A PACKET_OUT "from" a tunnel port comes without the outer
             * header that would say which: it runs as the controller's. */
            ctx.in_tnl = NULL;
            ctx.flow.in_port = OFPP_CONTROLLER;
        } else if (!ctx.in_xport) {
            char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

            COVERAGE_INC(xlate_tunnel_no_port);
            if (xout->trace && !xin->flow.tunnel.ip_dst
                && !IN6_IS_ADDR_UNSPECIFIED(&xin->flow.tunnel.ipv6_dst)) {
                inet_ntop(AF_INET6, &xin->flow.tunnel.ipv6_src, src,
                          sizeof src);
                inet_ntop(AF_INET6, &xin->flow.tunnel.ipv6_dst, dst,
                          sizeof dst);
            } else if (xout->trace) {
                inet_ntop(AF_INET, &xin->flow.tunnel.ip_src, src, sizeof src);
                inet_ntop(AF_INET, &xin->flow.tunnel.ip_dst, dst, sizeof dst);
            }
            if (xout->trace) {
                ds_put_format(xout->trace,
                              "bridge(\"%s\")\ntunnel from %s to %s, key "
                              "%" PRIu64 " on datapath port %" PRIu32
                              ": no tunnel port -> drop\n",
                              br->name, src, dst,
                              be64toh(xin->flow.tunnel.tun_id),
                              xin->flow.in_port);
            }
            goto out;
        } else {
            ctx.flow.in_port = ctx.in_xport->ofp_port;
        }
    } else {
        ctx.in_xport = xbridge_port_by_dp(br, xin->flow.in_port);
        if (ctx.in_xport) {
            ctx.flow.in_port = ctx.in_xport->ofp_port;
        } else if (xin->ofpacts && xin->flow.in_port == UINT32_MAX) {
            ctx.flow.in_port = OFPP_CONTROLLER;
        } else {
            COVERAGE_INC(xlate_bad_in_port);
            vrcu_read_unlock();
            return EINVAL;
        }
    }
    if (xout->trace) {
        ds_put_format(xout->trace, "bridge(\"%s\")\n", br->name);
        if (ctx.in_tnl) {
            xlate_trace(&ctx, "tunnel: received on %s (ofport %u)",
                        ctx.in_tnl->name, ctx.in_tnl->ofp_port);
        }
    }
    if (ctx.in_xport && ctx.in_xport->no_recv && !xin->ofpacts) {
        COVERAGE_INC(xlate_no_recv);
        xlate_trace(&ctx, "in_port %u is no_recv -> drop",
                    ctx.in_xport->ofp_port);
        goto out;
    }

    if (xin->ofpacts) {
        xlate_actions_list(&ctx, xin->ofpacts->a, xin->ofpacts->n, true);
    } else if (br->normal_only) {
        xlate_trace(&ctx, "standalone: NORMAL");
        xlate_normal(&ctx);
    } else {
        xlate_table(&ctx, 0);
    }

    if (ctx.exit) {
        buf_clear(&xout->odp_actions);
        xout->budget_exceeded = true;
        COVERAGE_INC(xlate_budget_exceeded);
        VLOG_WARN_RL(&rl,
                     "%s: translation budget exceeded after %d lookups "
                     "(a looping pipeline?): dropping",
                     br->name, ctx.n_resubmits);
        xlate_trace(&ctx, "budget exceeded -> drop");
    }

out:
    vrcu_read_unlock();
    xout->wc.in_port = UINT32_MAX;
    ofpacts_uninit(&ctx.action_set);
    return 0;
}
