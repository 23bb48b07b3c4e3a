/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ofp-table.h"

#include <arpa/inet.h>
#include <string.h>
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

#define OFPFW10_ALL ((1u << 22) - 1) /* Every OpenFlow 1.0 wildcard. */

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    v = htonl(v);
    memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
    put32(p, v >> 32);
    put32(p + 4, v);
}

void
ofp_table_stats_put(struct ofp_mp_reply *r, const struct ofp_table_stats *ts)
{
    uint8_t *p;

    if (r->version == OFP10_VERSION) {
        p = ofp_mp_reply_put(r, 64);
        p[0] = ts->table_id;
        memcpy(p + 4, ts->name, strnlen(ts->name, 31));
        put32(p + 36, OFPFW10_ALL);
        put32(p + 40, ts->max_entries);
        put32(p + 44, ts->active_count);
        put64(p + 48, ts->lookup_count);
        put64(p + 56, ts->matched_count);
    } else {
        p = ofp_mp_reply_put(r, 24);
        p[0] = ts->table_id;
        put32(p + 4, ts->active_count);
        put64(p + 8, ts->lookup_count);
        put64(p + 16, ts->matched_count);
    }
}

/* The size of a property with 'payload' bytes, padded to 8. */
static size_t
prop_size(size_t payload)
{
    return ROUND_UP(4 + payload, 8);
}

static uint8_t *
put_prop(uint8_t *p, uint16_t type, size_t payload)
{
    put16(p, type);
    put16(p + 2, 4 + payload);
    return p + 4;
}

static uint8_t *
put_ids16(uint8_t *p, uint16_t type, const uint16_t *ids, size_t n)
{
    uint8_t *q = put_prop(p, type, 4 * n);

    for (size_t i = 0; i < n; i++) {
        put16(q + 4 * i, ids[i]);
        put16(q + 4 * i + 2, 4);
    }
    return p + prop_size(4 * n);
}

static uint8_t *
put_oxms(uint8_t *p, uint16_t type, const uint32_t *oxms, size_t n)
{
    uint8_t *q = put_prop(p, type, 4 * n);

    for (size_t i = 0; i < n; i++) {
        put32(q + 4 * i, oxms[i]);
    }
    return p + prop_size(4 * n);
}

void
ofp_table_features_put(struct ofp_mp_reply *r, uint8_t table_id,
                       const char *name, uint32_t max_entries,
                       const struct ofp_table_caps *caps)
{
    size_t n_next =
        table_id + 1 < caps->n_tables ? caps->n_tables - table_id - 1 : 0;
    size_t size = 64 + prop_size(4 * caps->n_instructions) + prop_size(n_next)
                  + 2 * prop_size(4 * caps->n_actions)
                  + prop_size(4 * caps->n_match)
                  + prop_size(4 * caps->n_wildcards)
                  + 2 * prop_size(4 * caps->n_setfield);
    uint8_t *p = ofp_mp_reply_put(r, size), *q;

    put16(p, size);
    p[2] = table_id;
    memcpy(p + 8, name, strnlen(name, 31));
    put64(p + 40, caps->metadata_match);
    put64(p + 48, caps->metadata_write);
    put32(p + 56, 0); /* config */
    put32(p + 60, max_entries);
    q = p + 64;
    /* The last table cannot goto_table anywhere; list what applies. */
    q = put_ids16(q, OFPTFPT_INSTRUCTIONS, caps->instructions,
                  caps->n_instructions);
    {
        uint8_t *t = put_prop(q, OFPTFPT_NEXT_TABLES, n_next);

        for (size_t i = 0; i < n_next; i++) {
            t[i] = table_id + 1 + i;
        }
        q += prop_size(n_next);
    }
    q = put_ids16(q, OFPTFPT_WRITE_ACTIONS, caps->actions, caps->n_actions);
    q = put_ids16(q, OFPTFPT_APPLY_ACTIONS, caps->actions, caps->n_actions);
    q = put_oxms(q, OFPTFPT_MATCH, caps->match, caps->n_match);
    q = put_oxms(q, OFPTFPT_WILDCARDS, caps->wildcards, caps->n_wildcards);
    q = put_oxms(q, OFPTFPT_WRITE_SETFIELD, caps->setfield, caps->n_setfield);
    q = put_oxms(q, OFPTFPT_APPLY_SETFIELD, caps->setfield, caps->n_setfield);
    if ((size_t) (q - p) != size) {
        vs_abort("table features: wrote %zu of %zu bytes", (size_t) (q - p),
                 size);
    }
}

static const uint16_t instructions[] = {
    OFPIT_GOTO_TABLE,    OFPIT_WRITE_METADATA, OFPIT_WRITE_ACTIONS,
    OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS,
};

static const uint16_t actions[] = {
    OFPAT13_OUTPUT, OFPAT13_PUSH_VLAN,  OFPAT13_POP_VLAN,   OFPAT13_SET_QUEUE,
    OFPAT13_GROUP,  OFPAT13_SET_NW_TTL, OFPAT13_DEC_NW_TTL, OFPAT13_SET_FIELD,
};

#define M(F, LEN) OXM_HEADER(OFPXMT_##F, LEN)
#define NX(F, LEN) OXM_HEADER_CLASS(OFPXMC_NXM_1, NXM_NX_##F, LEN)
static const uint32_t match_fields[] = {
    M(IN_PORT, 4),         M(METADATA, 8),      M(ETH_DST, 6),
    M(ETH_SRC, 6),         M(ETH_TYPE, 2),      M(VLAN_VID, 2),
    M(VLAN_PCP, 1),        M(IP_DSCP, 1),       M(IP_ECN, 1),
    M(IP_PROTO, 1),        M(IPV4_SRC, 4),      M(IPV4_DST, 4),
    M(TCP_SRC, 2),         M(TCP_DST, 2),       M(UDP_SRC, 2),
    M(UDP_DST, 2),         M(SCTP_SRC, 2),      M(SCTP_DST, 2),
    M(ICMPV4_TYPE, 1),     M(ICMPV4_CODE, 1),   M(ARP_OP, 2),
    M(ARP_SPA, 4),         M(ARP_TPA, 4),       M(ARP_SHA, 6),
    M(ARP_THA, 6),         M(IPV6_SRC, 16),     M(IPV6_DST, 16),
    M(IPV6_FLABEL, 4),     M(ICMPV6_TYPE, 1),   M(ICMPV6_CODE, 1),
    M(IPV6_ND_TARGET, 16), M(IPV6_ND_SLL, 6),   M(IPV6_ND_TLL, 6),
    M(TUNNEL_ID, 8),       NX(TUN_IPV4_SRC, 4), NX(TUN_IPV4_DST, 4),
};

/* set_field can write everything it can match except the input port,
 * metadata (write_metadata does that) and the ICMPv6 ND fields. */
static const uint32_t setfield_fields[] = {
    M(ETH_DST, 6),     M(ETH_SRC, 6),       M(VLAN_VID, 2),
    M(VLAN_PCP, 1),    M(IP_DSCP, 1),       M(IP_ECN, 1),
    M(IPV4_SRC, 4),    M(IPV4_DST, 4),      M(TCP_SRC, 2),
    M(TCP_DST, 2),     M(UDP_SRC, 2),       M(UDP_DST, 2),
    M(SCTP_SRC, 2),    M(SCTP_DST, 2),      M(ICMPV4_TYPE, 1),
    M(ICMPV4_CODE, 1), M(ARP_OP, 2),        M(ARP_SPA, 4),
    M(ARP_TPA, 4),     M(ARP_SHA, 6),       M(ARP_THA, 6),
    M(IPV6_SRC, 16),   M(IPV6_DST, 16),     M(IPV6_FLABEL, 4),
    M(TUNNEL_ID, 8),   NX(TUN_IPV4_SRC, 4), NX(TUN_IPV4_DST, 4),
};
#undef NX
#undef M

const struct ofp_table_caps ofp_vswitch_table_caps = {
    .instructions = instructions,
    .n_instructions = ARRAY_SIZE(instructions),
    .actions = actions,
    .n_actions = ARRAY_SIZE(actions),
    .match = match_fields,
    .n_match = ARRAY_SIZE(match_fields),
    .wildcards = match_fields,
    .n_wildcards = ARRAY_SIZE(match_fields),
    .setfield = setfield_fields,
    .n_setfield = ARRAY_SIZE(setfield_fields),
    .n_tables = 254,
    .metadata_match = UINT64_MAX,
    .metadata_write = UINT64_MAX,
};
