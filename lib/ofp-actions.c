/* SPDX-License-Identifier: Apache-2.0 */
/* ofp-actions: actions and instructions of OpenFlow 1.0 and 1.3. */
#include "vswitch/ofp-actions.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

/* OpenFlow 1.0 action types. */
enum {
    OFPAT10_OUTPUT = 0,
    OFPAT10_SET_VLAN_VID = 1,
    OFPAT10_SET_VLAN_PCP = 2,
    OFPAT10_STRIP_VLAN = 3,
    OFPAT10_SET_DL_SRC = 4,
    OFPAT10_SET_DL_DST = 5,
    OFPAT10_SET_NW_SRC = 6,
    OFPAT10_SET_NW_DST = 7,
    OFPAT10_SET_NW_TOS = 8,
    OFPAT10_SET_TP_SRC = 9,
    OFPAT10_SET_TP_DST = 10,
    OFPAT10_ENQUEUE = 11,
    OFPAT10_VENDOR = 0xffff,
};

void
ofpacts_init(struct ofpacts *o)
{
    o->a = NULL;
    o->n = o->allocated = 0;
}

void
ofpacts_uninit(struct ofpacts *o)
{
    free(o->a);
    ofpacts_init(o);
}

void
ofpacts_clear(struct ofpacts *o)
{
    o->n = 0;
}

void
ofpacts_copy(struct ofpacts *dst, const struct ofpacts *src)
{
    dst->a = src->n ? xmemdup(src->a, src->n * sizeof *src->a) : NULL;
    dst->n = dst->allocated = src->n;
}

bool
ofpacts_equal(const struct ofpacts *a, const struct ofpacts *b)
{
    return a->n == b->n && (!a->n || !memcmp(a->a, b->a, a->n * sizeof *a->a));
}

struct ofpact *
ofpacts_put(struct ofpacts *o, enum ofpact_type type)
{
    struct ofpact *a;

    if (o->n >= o->allocated) {
        o->allocated = o->allocated ? 2 * o->allocated : 4;
        o->a = xrealloc(o->a, o->allocated * sizeof *o->a);
    }
    a = &o->a[o->n++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

bool
ofpacts_output_to_port(const struct ofpacts *o, uint16_t port)
{
    if (port == OFPP_NONE) {
        return true;
    }
    for (size_t i = 0; i < o->n; i++) {
        if ((o->a[i].type == OFPACT_OUTPUT || o->a[i].type == OFPACT_ENQUEUE)
            && o->a[i].port == port) {
            return true;
        }
    }
    return false;
}

bool
ofpacts_output_to_group(const struct ofpacts *o, uint32_t group)
{
    if (group == OFPG_ANY) {
        return true;
    }
    for (size_t i = 0; i < o->n; i++) {
        if (o->a[i].type == OFPACT_GROUP && o->a[i].id == group) {
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------------- */
/* Wire helpers. */

static uint8_t *
put_action(struct buf *b, uint16_t type, uint16_t len)
{
    uint8_t *p = buf_put_zeros(b, len);

    ofp_put_be(p, 2, type);
    ofp_put_be(p + 2, 2, len);
    return p;
}

static bool
valid_output_port(uint16_t port)
{
    return port && port != OFPP_NONE
           && (port < OFPP_MAX || port >= OFPP_IN_PORT);
}

static void
set_field_uint(struct ofpact *a, unsigned int id, uint64_t v)
{
    a->field = oxm_field_get(id);
    a->legacy = true;
    ofp_put_be(a->value, a->field->len, v);
}

/* The OXM field set_tp_src/dst rewrites for 'match'. */
static unsigned int
tp_field(const struct match *m, bool dst)
{
    uint8_t proto = m && m->wc.nw_proto == 0xff ? m->flow.nw_proto : 6;

    if (proto == 17) {
        return dst ? OFPXMT_UDP_DST : OFPXMT_UDP_SRC;
    } else if (proto == 132) {
        return dst ? OFPXMT_SCTP_DST : OFPXMT_SCTP_SRC;
    }
    return dst ? OFPXMT_TCP_DST : OFPXMT_TCP_SRC;
}

/* ---------------------------------------------------------------------- */
/* Nicira extension actions: tunnel metadata. */

static bool
is_tunnel_field(const struct oxm_field *f)
{
    return f->id == OFPXMT_TUNNEL_ID || f->id == OXM_ID_TUN_IPV4_SRC
           || f->id == OXM_ID_TUN_IPV4_DST;
}

/* The NXM header reg_load names tunnel field 'f' with. */
static uint32_t
tunnel_nxm_header(const struct oxm_field *f)
{
    if (f->id == OFPXMT_TUNNEL_ID) {
        return OXM_HEADER_CLASS(OFPXMC_NXM_1, NXM_NX_TUN_ID, 8);
    }
    return oxm_field_header(f, f->len);
}

/* The NXM name of tunnel field 'f' ("NXM_NX_TUN_ID"). */
static const char *
tunnel_nxm_name(const struct oxm_field *f)
{
    return f->id == OFPXMT_TUNNEL_ID ? "NXM_NX_TUN_ID" : f->name13;
}

/* The tunnel field whose NXM header (or ovs-ofctl or NXM name, if 'name'
 * is nonnull) is 'h', NULL if none. */
static const struct oxm_field *
tunnel_field_lookup(uint32_t h, const char *name)
{
    static const unsigned int ids[] = {
        OFPXMT_TUNNEL_ID,
        OXM_ID_TUN_IPV4_SRC,
        OXM_ID_TUN_IPV4_DST,
    };

    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        const struct oxm_field *f = oxm_field_get(ids[i]);

        if (name ? !strcmp(name, f->name) || !strcmp(name, tunnel_nxm_name(f))
                 : tunnel_nxm_header(f) == h) {
            return f;
        }
    }
    if (name && !strcmp(name, "tunnel_id")) {
        return oxm_field_get(OFPXMT_TUNNEL_ID);
    }
    return NULL;
}

/* Decodes the vendor (1.0) or experimenter (1.3, 'of13') action at 'p',
 * 'len' bytes (a multiple of 8, at least 8).  set_tunnel from a 1.3 peer
 * is a plain set_field: 1.3 sends it as one. */
static enum ofperr
decode_nx_action(const uint8_t *p, uint16_t len, bool of13,
                 struct ofpacts *out)
{
    const struct oxm_field *f;
    struct ofpact *a;
    uint64_t v;

    if (ofp_get_be(p + 4, 4) != NX_VENDOR_ID) {
        return OFPERR_BAD_ACTION_EXPERIMENTER;
    }
    if (len < 16) {
        return OFPERR_BAD_ACTION_LEN;
    }
    switch (ofp_get_be(p + 8, 2)) {
    case NXAST_SET_TUNNEL:
        if (len != 16) {
            return OFPERR_BAD_ACTION_LEN;
        }
        a = ofpacts_put(out, OFPACT_SET_FIELD);
        a->field = oxm_field_get(OFPXMT_TUNNEL_ID);
        a->raw = of13 ? OFPACT_RAW_DEFAULT : OFPACT_RAW_SET_TUNNEL;
        ofp_put_be(a->value, 8, ofp_get_be(p + 12, 4));
        return 0;
    case NXAST_SET_TUNNEL64:
        if (len != 24) {
            return OFPERR_BAD_ACTION_LEN;
        }
        a = ofpacts_put(out, OFPACT_SET_FIELD);
        a->field = oxm_field_get(OFPXMT_TUNNEL_ID);
        a->raw = of13 ? OFPACT_RAW_DEFAULT : OFPACT_RAW_SET_TUNNEL64;
        memcpy(a->value, p + 16, 8);
        return 0;
    case NXAST_REG_LOAD:
        if (len != 24) {
            return OFPERR_BAD_ACTION_LEN;
        }
        f = tunnel_field_lookup(ofp_get_be(p + 12, 4), NULL);
        if (!f) {
            return OFPERR_BAD_SET_TYPE;
        }
        v = ofp_get_be(p + 16, 8);
        /* ofs_nbits: offset 0 and the whole field, nothing above it. */
        if (ofp_get_be(p + 10, 2) != f->len * 8u - 1
            || (f->len < 8 && v >> (8 * f->len))) {
            return OFPERR_BAD_ACTION_ARGUMENT;
        }
        a = ofpacts_put(out, OFPACT_SET_FIELD);
        a->field = f;
        a->raw = OFPACT_RAW_REG_LOAD;
        ofp_put_be(a->value, f->len, v);
        return 0;
    }
    return OFPERR_BAD_ACTION_EXP_TYPE;
}

/* Appends set_field 'a' of a tunnel field as the Nicira action it came as
 * (reg_load for a plain set_field): what 1.0 can say of it, and what 1.3
 * says of set_tunnel and load. */
static void
encode_nx_set_field(const struct ofpact *a, struct buf *b)
{
    uint64_t v = ofp_get_be(a->value, a->field->len);
    uint8_t *p;

    if (a->raw == OFPACT_RAW_SET_TUNNEL && v <= UINT32_MAX) {
        p = put_action(b, OFPAT10_VENDOR, 16);
        ofp_put_be(p + 4, 4, NX_VENDOR_ID);
        ofp_put_be(p + 8, 2, NXAST_SET_TUNNEL);
        ofp_put_be(p + 12, 4, v);
    } else if (a->raw == OFPACT_RAW_SET_TUNNEL
               || a->raw == OFPACT_RAW_SET_TUNNEL64) {
        p = put_action(b, OFPAT10_VENDOR, 24);
        ofp_put_be(p + 4, 4, NX_VENDOR_ID);
        ofp_put_be(p + 8, 2, NXAST_SET_TUNNEL64);
        ofp_put_be(p + 16, 8, v);
    } else {
        p = put_action(b, OFPAT10_VENDOR, 24);
        ofp_put_be(p + 4, 4, NX_VENDOR_ID);
        ofp_put_be(p + 8, 2, NXAST_REG_LOAD);
        ofp_put_be(p + 10, 2, a->field->len * 8u - 1);
        ofp_put_be(p + 12, 4, tunnel_nxm_header(a->field));
        ofp_put_be(p + 16, 8, v);
    }
}

/* ---------------------------------------------------------------------- */
/* OpenFlow 1.0. */

enum ofperr
ofpacts_decode10(const uint8_t *p, size_t size, const struct match *m,
                 struct ofpacts *out)
{
    while (size > 0) {
        uint16_t type, len;
        struct ofpact *a;

        if (size < 8) {
            return OFPERR_BAD_ACTION_LEN;
        }
        type = ofp_get_be(p, 2);
        len = ofp_get_be(p + 2, 2);
        if (len < 8 || len % 8 || len > size) {
            return OFPERR_BAD_ACTION_LEN;
        }
        switch (type) {
        case OFPAT10_OUTPUT:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_OUTPUT);
            a->port = ofp_get_be(p + 4, 2);
            a->max_len = ofp_get_be(p + 6, 2);
            if (!valid_output_port(a->port)) {
                return OFPERR_BAD_OUT_PORT;
            }
            break;
        case OFPAT10_SET_VLAN_VID:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            if (ofp_get_be(p + 4, 2) > VLAN_VID_MASK) {
                return OFPERR_BAD_ACTION_ARGUMENT;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            set_field_uint(a, OFPXMT_VLAN_VID,
                           ofp_get_be(p + 4, 2) | VLAN_CFI);
            break;
        case OFPAT10_SET_VLAN_PCP:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            if (p[4] > 7) {
                return OFPERR_BAD_ACTION_ARGUMENT;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            set_field_uint(a, OFPXMT_VLAN_PCP, p[4]);
            break;
        case OFPAT10_STRIP_VLAN:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            ofpacts_put(out, OFPACT_POP_VLAN);
            break;
        case OFPAT10_SET_DL_SRC:
        case OFPAT10_SET_DL_DST:
            if (len != 16) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            a->field = oxm_field_get(
                type == OFPAT10_SET_DL_SRC ? OFPXMT_ETH_SRC : OFPXMT_ETH_DST);
            a->legacy = true;
            memcpy(a->value, p + 4, 6);
            break;
        case OFPAT10_SET_NW_SRC:
        case OFPAT10_SET_NW_DST:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            a->field =
                oxm_field_get(type == OFPAT10_SET_NW_SRC ? OFPXMT_IPV4_SRC
                                                         : OFPXMT_IPV4_DST);
            a->legacy = true;
            memcpy(a->value, p + 4, 4);
            break;
        case OFPAT10_SET_NW_TOS:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            if (p[4] & ~IP_DSCP_MASK) {
                return OFPERR_BAD_ACTION_ARGUMENT;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            set_field_uint(a, OFPXMT_IP_DSCP, p[4] >> 2);
            break;
        case OFPAT10_SET_TP_SRC:
        case OFPAT10_SET_TP_DST:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_SET_FIELD);
            set_field_uint(a, tp_field(m, type == OFPAT10_SET_TP_DST),
                           ofp_get_be(p + 4, 2));
            break;
        case OFPAT10_ENQUEUE:
            if (len != 16) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_ENQUEUE);
            a->port = ofp_get_be(p + 4, 2);
            a->id = ofp_get_be(p + 12, 4);
            if (!valid_output_port(a->port) || a->port == OFPP_FLOOD
                || a->port == OFPP_ALL || a->port == OFPP_CONTROLLER
                || a->port == OFPP_TABLE || a->port == OFPP_NORMAL) {
                return OFPERR_BAD_OUT_PORT;
            }
            break;
        case OFPAT10_VENDOR: {
            enum ofperr e = decode_nx_action(p, len, false, out);

            if (e) {
                return e;
            }
            break;
        }
        default:
            return OFPERR_BAD_ACTION_TYPE;
        }
        p += len;
        size -= len;
    }
    return 0;
}

static enum ofperr
encode10_one(const struct ofpact *a, struct buf *b)
{
    uint8_t *p;

    switch ((enum ofpact_type) a->type) {
    case OFPACT_OUTPUT:
        p = put_action(b, OFPAT10_OUTPUT, 8);
        ofp_put_be(p + 4, 2, a->port);
        ofp_put_be(p + 6, 2, a->max_len);
        return 0;
    case OFPACT_ENQUEUE:
        p = put_action(b, OFPAT10_ENQUEUE, 16);
        ofp_put_be(p + 4, 2, a->port);
        ofp_put_be(p + 12, 4, a->id);
        return 0;
    case OFPACT_POP_VLAN:
        put_action(b, OFPAT10_STRIP_VLAN, 8);
        return 0;
    case OFPACT_SET_FIELD: {
        uint64_t v = ofp_get_be(a->value, a->field->len);

        if (is_tunnel_field(a->field)) {
            encode_nx_set_field(a, b);
            return 0;
        }
        switch (a->field->id) {
        case OFPXMT_VLAN_VID:
            p = put_action(b, OFPAT10_SET_VLAN_VID, 8);
            ofp_put_be(p + 4, 2, v & VLAN_VID_MASK);
            return 0;
        case OFPXMT_VLAN_PCP:
            p = put_action(b, OFPAT10_SET_VLAN_PCP, 8);
            p[4] = v;
            return 0;
        case OFPXMT_ETH_SRC:
        case OFPXMT_ETH_DST:
            p = put_action(b,
                           a->field->id == OFPXMT_ETH_SRC ? OFPAT10_SET_DL_SRC
                                                          : OFPAT10_SET_DL_DST,
                           16);
            memcpy(p + 4, a->value, 6);
            return 0;
        case OFPXMT_IPV4_SRC:
        case OFPXMT_IPV4_DST:
            p = put_action(b,
                           a->field->id == OFPXMT_IPV4_SRC
                               ? OFPAT10_SET_NW_SRC
                               : OFPAT10_SET_NW_DST,
                           8);
            memcpy(p + 4, a->value, 4);
            return 0;
        case OFPXMT_IP_DSCP:
            p = put_action(b, OFPAT10_SET_NW_TOS, 8);
            p[4] = v << 2;
            return 0;
        case OFPXMT_TCP_SRC:
        case OFPXMT_UDP_SRC:
        case OFPXMT_SCTP_SRC:
            p = put_action(b, OFPAT10_SET_TP_SRC, 8);
            ofp_put_be(p + 4, 2, v);
            return 0;
        case OFPXMT_TCP_DST:
        case OFPXMT_UDP_DST:
        case OFPXMT_SCTP_DST:
            p = put_action(b, OFPAT10_SET_TP_DST, 8);
            ofp_put_be(p + 4, 2, v);
            return 0;
        }
        return OFPERR_BAD_SET_TYPE;
    }
    case OFPACT_SET_QUEUE:
    case OFPACT_GROUP:
    case OFPACT_PUSH_VLAN:
    case OFPACT_DEC_NW_TTL:
    case OFPACT_SET_NW_TTL:
        return OFPERR_BAD_ACTION_TYPE;
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_GOTO_TABLE:
        return OFPERR_UNSUP_INST;
    }
    return OFPERR_BAD_ACTION_TYPE;
}

enum ofperr
ofpacts_encode10(const struct ofpacts *o, struct buf *b)
{
    for (size_t i = 0; i < o->n; i++) {
        enum ofperr e = encode10_one(&o->a[i], b);

        if (e) {
            return e;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* OpenFlow 1.3. */

static bool
read_only_field(const struct oxm_field *f)
{
    /* As Open vSwitch, which refuses set_field to the 32-bit OXM in_port
     * (BAD_SET_ARGUMENT). */
    return f->id == OFPXMT_ETH_TYPE || f->id == OFPXMT_IP_PROTO
           || f->id == OFPXMT_IN_PHY_PORT || f->id == OFPXMT_IN_PORT;
}

static enum ofperr
decode_set_field(const uint8_t *p, uint16_t len, struct ofpacts *out)
{
    const struct oxm_field *f;
    uint32_t h;
    struct ofpact *a;

    if (len < 8) {
        return OFPERR_BAD_ACTION_LEN;
    }
    h = ofp_get_be(p + 4, 4);
    if (!(f = oxm_field_lookup(OXM_CLASS(h), OXM_FIELD(h)))) {
        return OFPERR_BAD_SET_TYPE;
    }
    if (OXM_HASMASK(h)) {
        return OFPERR_BAD_SET_ARGUMENT;
    }
    if (OXM_LENGTH(h) != f->len || ROUND_UP(4 + 4 + f->len, 8) != len) {
        return OFPERR_BAD_SET_LEN;
    }
    if (read_only_field(f) || oxm_field_check(f, p + 8, NULL)) {
        return OFPERR_BAD_SET_ARGUMENT;
    }
    a = ofpacts_put(out, OFPACT_SET_FIELD);
    a->field = f;
    memcpy(a->value, p + 8, f->len);
    return 0;
}

enum ofperr
ofpacts_decode13_actions(const uint8_t *p, size_t size, struct ofpacts *out)
{
    while (size > 0) {
        uint16_t type, len;
        struct ofpact *a;
        enum ofperr e;

        if (size < 8) {
            return OFPERR_BAD_ACTION_LEN;
        }
        type = ofp_get_be(p, 2);
        len = ofp_get_be(p + 2, 2);
        if (len < 8 || len % 8 || len > size) {
            return OFPERR_BAD_ACTION_LEN;
        }
        switch (type) {
        case OFPAT13_OUTPUT: {
            uint32_t port = ofp_get_be(p + 4, 4);

            if (len != 16) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_OUTPUT);
            if (ofp_port_from_ofp13(port, &a->port)
                || !valid_output_port(a->port)) {
                return OFPERR_BAD_OUT_PORT;
            }
            a->max_len = ofp_get_be(p + 8, 2);
            break;
        }
        case OFPAT13_PUSH_VLAN:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_PUSH_VLAN);
            a->id = ofp_get_be(p + 4, 2);
            if (a->id != ETH_TYPE_VLAN && a->id != ETH_TYPE_VLAN_8021AD) {
                return OFPERR_BAD_ACTION_ARGUMENT;
            }
            break;
        case OFPAT13_POP_VLAN:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            ofpacts_put(out, OFPACT_POP_VLAN);
            break;
        case OFPAT13_SET_QUEUE:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            ofpacts_put(out, OFPACT_SET_QUEUE)->id = ofp_get_be(p + 4, 4);
            break;
        case OFPAT13_GROUP:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            a = ofpacts_put(out, OFPACT_GROUP);
            a->id = ofp_get_be(p + 4, 4);
            if (a->id > OFPG_MAX) {
                return OFPERR_BAD_OUT_GROUP;
            }
            break;
        case OFPAT13_SET_NW_TTL:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            ofpacts_put(out, OFPACT_SET_NW_TTL)->id = p[4];
            break;
        case OFPAT13_DEC_NW_TTL:
            if (len != 8) {
                return OFPERR_BAD_ACTION_LEN;
            }
            ofpacts_put(out, OFPACT_DEC_NW_TTL);
            break;
        case OFPAT13_SET_FIELD:
            e = decode_set_field(p, len, out);
            if (e) {
                return e;
            }
            break;
        case OFPAT13_EXPERIMENTER:
            e = decode_nx_action(p, len, true, out);
            if (e) {
                return e;
            }
            break;
        default:
            return OFPERR_BAD_ACTION_TYPE;
        }
        p += len;
        size -= len;
    }
    return 0;
}

enum ofperr
ofpacts_decode13_instructions(const uint8_t *p, size_t size,
                              struct ofpacts *out)
{
    /* Decoded per type, then laid out in execution order. */
    struct ofpacts apply, write;
    bool seen[8] = {false};
    bool clear = false;
    bool has_meta = false, has_goto = false;
    uint64_t meta = 0, meta_mask = 0;
    uint8_t table = 0;
    enum ofperr e = 0;

    ofpacts_init(&apply);
    ofpacts_init(&write);
    while (size > 0 && !e) {
        uint16_t type, len;

        if (size < 4) {
            e = OFPERR_BAD_INST_LEN;
            break;
        }
        type = ofp_get_be(p, 2);
        len = ofp_get_be(p + 2, 2);
        if (type == 0xffff) {
            e = OFPERR_BAD_INST_EXPERIMENTER;
            break;
        }
        if (type == 0 || type > OFPIT_METER) {
            e = OFPERR_UNKNOWN_INST;
            break;
        }
        if (len < 8 || len % 8 || len > size) {
            e = OFPERR_BAD_INST_LEN;
            break;
        }
        if (seen[type]) {
            e = OFPERR_UNSUP_INST;
            break;
        }
        seen[type] = true;
        switch (type) {
        case OFPIT_GOTO_TABLE:
            if (len != 8) {
                e = OFPERR_BAD_INST_LEN;
                break;
            }
            table = p[4];
            has_goto = true;
            break;
        case OFPIT_WRITE_METADATA:
            if (len != 24) {
                e = OFPERR_BAD_INST_LEN;
                break;
            }
            meta = ofp_get_be(p + 8, 8);
            meta_mask = ofp_get_be(p + 16, 8);
            has_meta = true;
            break;
        case OFPIT_WRITE_ACTIONS:
            e = ofpacts_decode13_actions(p + 8, len - 8, &write);
            break;
        case OFPIT_APPLY_ACTIONS:
            e = ofpacts_decode13_actions(p + 8, len - 8, &apply);
            break;
        case OFPIT_CLEAR_ACTIONS:
            if (len != 8) {
                e = OFPERR_BAD_INST_LEN;
            }
            clear = true;
            break;
        case OFPIT_METER:
            e = OFPERR_UNSUP_INST;
            break;
        }
        p += len;
        size -= len;
    }
    if (!e) {
        for (size_t i = 0; i < apply.n; i++) {
            *ofpacts_put(out, 0) = apply.a[i];
        }
        if (clear) {
            ofpacts_put(out, OFPACT_CLEAR_ACTIONS);
        }
        if (seen[OFPIT_WRITE_ACTIONS]) {
            ofpacts_put(out, OFPACT_WRITE_ACTIONS)->n_nested = write.n;
            for (size_t i = 0; i < write.n; i++) {
                *ofpacts_put(out, 0) = write.a[i];
            }
        }
        if (has_meta) {
            struct ofpact *a = ofpacts_put(out, OFPACT_WRITE_METADATA);

            a->metadata = meta & meta_mask;
            a->metadata_mask = meta_mask;
        }
        if (has_goto) {
            ofpacts_put(out, OFPACT_GOTO_TABLE)->table = table;
        }
    }
    ofpacts_uninit(&apply);
    ofpacts_uninit(&write);
    return e;
}

static enum ofperr
encode13_one(const struct ofpact *a, struct buf *b)
{
    uint8_t *p;

    switch ((enum ofpact_type) a->type) {
    case OFPACT_OUTPUT:
        p = put_action(b, OFPAT13_OUTPUT, 16);
        ofp_put_be(p + 4, 4, ofp_port_to_ofp13(a->port));
        ofp_put_be(p + 8, 2, a->max_len);
        return 0;
    case OFPACT_ENQUEUE:
        p = put_action(b, OFPAT13_SET_QUEUE, 8);
        ofp_put_be(p + 4, 4, a->id);
        p = put_action(b, OFPAT13_OUTPUT, 16);
        ofp_put_be(p + 4, 4, ofp_port_to_ofp13(a->port));
        return 0;
    case OFPACT_SET_QUEUE:
        p = put_action(b, OFPAT13_SET_QUEUE, 8);
        ofp_put_be(p + 4, 4, a->id);
        return 0;
    case OFPACT_GROUP:
        p = put_action(b, OFPAT13_GROUP, 8);
        ofp_put_be(p + 4, 4, a->id);
        return 0;
    case OFPACT_SET_FIELD: {
        uint16_t len = ROUND_UP(8 + a->field->len, 8);

        if (a->raw == OFPACT_RAW_REG_LOAD) {
            /* set_tunnel goes out as set_field (as Open vSwitch sends it
             * from 1.2 on); load stays load. */
            encode_nx_set_field(a, b);
            return 0;
        }
        if (a->legacy && !a->flow_has_vlan
            && (a->field->id == OFPXMT_VLAN_VID
                || a->field->id == OFPXMT_VLAN_PCP)) {
            p = put_action(b, OFPAT13_PUSH_VLAN, 8);
            ofp_put_be(p + 4, 2, ETH_TYPE_VLAN);
        }
        p = put_action(b, OFPAT13_SET_FIELD, len);
        ofp_put_be(p + 4, 4, oxm_field_header(a->field, a->field->len));
        memcpy(p + 8, a->value, a->field->len);
        return 0;
    }
    case OFPACT_PUSH_VLAN:
        p = put_action(b, OFPAT13_PUSH_VLAN, 8);
        ofp_put_be(p + 4, 2, a->id);
        return 0;
    case OFPACT_POP_VLAN:
        put_action(b, OFPAT13_POP_VLAN, 8);
        return 0;
    case OFPACT_DEC_NW_TTL:
        put_action(b, OFPAT13_DEC_NW_TTL, 8);
        return 0;
    case OFPACT_SET_NW_TTL:
        p = put_action(b, OFPAT13_SET_NW_TTL, 8);
        p[4] = a->id;
        return 0;
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_GOTO_TABLE:
        return OFPERR_UNSUP_INST;
    }
    return OFPERR_BAD_ACTION_TYPE;
}

static bool
is_instruction(const struct ofpact *a)
{
    return a->type >= OFPACT_CLEAR_ACTIONS;
}

enum ofperr
ofpacts_encode13_actions(const struct ofpacts *o, struct buf *b)
{
    for (size_t i = 0; i < o->n; i++) {
        enum ofperr e;

        if (is_instruction(&o->a[i])) {
            return OFPERR_UNSUP_INST;
        }
        e = encode13_one(&o->a[i], b);
        if (e) {
            return e;
        }
    }
    return 0;
}

static void
finish_inst(struct buf *b, size_t start)
{
    ofp_put_be(b->data + start + 2, 2, b->size - start);
}

enum ofperr
ofpacts_encode13_instructions(const struct ofpacts *o, struct buf *b)
{
    size_t i = 0;
    enum ofperr e;

    if (o->n && !is_instruction(&o->a[0])) {
        size_t start = b->size;
        uint8_t *p = buf_put_zeros(b, 8);

        ofp_put_be(p, 2, OFPIT_APPLY_ACTIONS);
        for (; i < o->n && !is_instruction(&o->a[i]); i++) {
            e = encode13_one(&o->a[i], b);
            if (e) {
                return e;
            }
        }
        finish_inst(b, start);
    }
    for (; i < o->n; i++) {
        const struct ofpact *a = &o->a[i];
        size_t start = b->size;
        uint8_t *p = buf_put_zeros(b, 8);

        switch (a->type) {
        case OFPACT_CLEAR_ACTIONS:
            ofp_put_be(p, 2, OFPIT_CLEAR_ACTIONS);
            break;
        case OFPACT_WRITE_ACTIONS:
            ofp_put_be(p, 2, OFPIT_WRITE_ACTIONS);
            for (size_t j = 0; j < a->n_nested; j++) {
                e = encode13_one(&o->a[i + 1 + j], b);
                if (e) {
                    return e;
                }
            }
            i += a->n_nested;
            break;
        case OFPACT_WRITE_METADATA:
            ofp_put_be(p, 2, OFPIT_WRITE_METADATA);
            p = buf_put_zeros(b, 16);
            ofp_put_be(p, 8, a->metadata);
            ofp_put_be(p + 8, 8, a->metadata_mask);
            break;
        case OFPACT_GOTO_TABLE:
            ofp_put_be(p, 2, OFPIT_GOTO_TABLE);
            p[4] = a->table;
            break;
        default:
            return OFPERR_UNSUPPORTED_ORDER;
        }
        finish_inst(b, start);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Consistency. */

enum ofperr
ofpacts_check(struct ofpacts *o, const struct match *match, uint8_t table_id,
              uint8_t n_tables)
{
    struct match m = *match;

    for (size_t i = 0; i < o->n; i++) {
        struct ofpact *a = &o->a[i];

        switch (a->type) {
        case OFPACT_PUSH_VLAN:
            m.wc.vlans[0].tci |= htons(VLAN_CFI);
            m.flow.vlans[0].tci |= htons(VLAN_CFI);
            break;
        case OFPACT_POP_VLAN:
            m.wc.vlans[0].tci = 0xffff;
            m.flow.vlans[0].tci = 0;
            break;
        case OFPACT_SET_FIELD:
            a->flow_has_vlan = (m.wc.vlans[0].tci & htons(VLAN_CFI))
                               && (m.flow.vlans[0].tci & htons(VLAN_CFI));
            if (a->legacy) {
                if (a->field->id == OFPXMT_VLAN_VID
                    || a->field->id == OFPXMT_VLAN_PCP) {
                    /* A tag is pushed if there was none. */
                    m.wc.vlans[0].tci |= htons(VLAN_CFI);
                    m.flow.vlans[0].tci |= htons(VLAN_CFI);
                }
                break;
            }
            if (!oxm_field_prereqs_ok(a->field, &m)
                || (a->field->id == OFPXMT_VLAN_VID && !a->flow_has_vlan)) {
                return OFPERR_MATCH_INCONSISTENT;
            }
            break;
        case OFPACT_DEC_NW_TTL:
        case OFPACT_SET_NW_TTL:
            if (!((m.wc.dl_type == 0xffff)
                  && (m.flow.dl_type == htons(ETH_TYPE_IP)
                      || m.flow.dl_type == htons(ETH_TYPE_IPV6)))) {
                return OFPERR_MATCH_INCONSISTENT;
            }
            break;
        case OFPACT_GOTO_TABLE:
            if (a->table >= n_tables
                || (table_id != 0xff && a->table <= table_id)) {
                return OFPERR_BAD_INST_TABLE_ID;
            }
            break;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Text. */

int
ofp_text_error(char **errorp, const char *fmt, const char *arg)
{
    if (errorp) {
        *errorp = xasprintf(fmt, arg);
    }
    return EINVAL;
}

bool
ofp_parse_uint(const char *s, uint64_t max, uint64_t *v)
{
    char *end;

    if (!*s || *s == '-') {
        return false;
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && !*end && *v <= max;
}

static bool
parse_port(const char *s, uint16_t *port)
{
    if (!strcmp(s, "in_port")) {
        *port = OFPP_IN_PORT;
        return true;
    }
    return ofp_port_from_string(s, port) && valid_output_port(*port);
}

static bool
parse_mac(const char *s, uint8_t *ea)
{
    unsigned int b[6];
    char extra;

    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &extra)
        != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 255) {
            return false;
        }
        ea[i] = b[i];
    }
    return true;
}

static bool
is_ipv4_field(const struct oxm_field *f)
{
    return f->id == OFPXMT_IPV4_SRC || f->id == OFPXMT_IPV4_DST
           || f->id == OFPXMT_ARP_SPA || f->id == OFPXMT_ARP_TPA
           || f->id == OXM_ID_TUN_IPV4_SRC || f->id == OXM_ID_TUN_IPV4_DST;
}

static bool
is_hex_field(const struct oxm_field *f)
{
    return f->id == OFPXMT_METADATA || f->id == OFPXMT_TUNNEL_ID
           || f->id == OFPXMT_IPV6_FLABEL;
}

static bool
parse_field_value(const struct oxm_field *f, const char *s, uint8_t *value)
{
    uint64_t v;

    if (f->len == 6) {
        return parse_mac(s, value);
    } else if (f->len == 16) {
        return inet_pton(AF_INET6, s, value) == 1;
    } else if (is_ipv4_field(f)) {
        return inet_pton(AF_INET, s, value) == 1;
    } else if (f->id == OFPXMT_IN_PORT) {
        uint16_t port;

        if (!ofp_port_from_string(s, &port)) {
            return false;
        }
        ofp_put_be(value, 4, ofp_port_to_ofp13(port));
        return true;
    }
    if (!ofp_parse_uint(
            s, f->len >= 8 ? UINT64_MAX : (1ull << (8 * f->len)) - 1, &v)) {
        return false;
    }
    ofp_put_be(value, f->len, v);
    return !oxm_field_check(f, value, NULL);
}

static void
format_field_value(const struct oxm_field *f, const uint8_t *value,
                   struct ds *ds)
{
    char buf[INET6_ADDRSTRLEN];

    if (f->len == 6) {
        ds_put_format(ds, "%02x:%02x:%02x:%02x:%02x:%02x", value[0], value[1],
                      value[2], value[3], value[4], value[5]);
    } else if (f->len == 16) {
        ds_put_cstr(ds, inet_ntop(AF_INET6, value, buf, sizeof buf));
    } else if (is_ipv4_field(f)) {
        ds_put_cstr(ds, inet_ntop(AF_INET, value, buf, sizeof buf));
    } else if (f->id == OFPXMT_IN_PORT) {
        uint16_t port = 0;

        ofp_port_from_ofp13(ofp_get_be(value, 4), &port);
        ds_put_cstr(ds, ofp_port_to_string(port, buf));
    } else if (is_hex_field(f)) {
        ds_put_format(ds, "0x%" PRIx64, ofp_get_be(value, f->len));
    } else {
        ds_put_format(ds, "%" PRIu64, ofp_get_be(value, f->len));
    }
}

/* Splits 's' at top-level commas (not inside parentheses). */
static char *
next_token(char **sp)
{
    char *s = *sp, *start;
    int depth = 0;

    while (*s == ' ' || *s == ',') {
        s++;
    }
    if (!*s) {
        return NULL;
    }
    start = s;
    for (; *s; s++) {
        if (*s == '(') {
            depth++;
        } else if (*s == ')') {
            depth--;
        } else if (*s == ',' && !depth) {
            break;
        }
    }
    if (*s) {
        *s++ = '\0';
    }
    *sp = s;
    return start;
}

static int parse_list(char *s, const struct match *, struct ofpacts *,
                      bool nested, char **errorp);

static int
parse_set_field(char *arg, struct ofpacts *o, char **errorp)
{
    char *arrow = strstr(arg, "->");
    const struct oxm_field *f;
    struct ofpact *a;

    if (!arrow) {
        return ofp_text_error(errorp, "%s: set_field needs VALUE->FIELD", arg);
    }
    *arrow = '\0';
    f = oxm_field_by_name(arrow + 2);
    if (!f) {
        return ofp_text_error(errorp, "%s: unknown field for set_field",
                              arrow + 2);
    }
    if (read_only_field(f)) {
        return ofp_text_error(errorp, "%s is read-only", f->name);
    }
    a = ofpacts_put(o, OFPACT_SET_FIELD);
    a->field = f;
    if (!parse_field_value(f, arg, a->value)) {
        return ofp_text_error(errorp, "%s: bad value for set_field", arg);
    }
    return 0;
}

/* load:VALUE->FIELD[] for a whole tunnel field (NXM_NX_TUN_ID,
 * NXM_NX_TUN_IPV4_SRC, NXM_NX_TUN_IPV4_DST or their ovs-ofctl names),
 * optionally spelled FIELD[0..N-1]. */
static int
parse_load(char *arg, struct ofpacts *o, char **errorp)
{
    char *arrow = arg ? strstr(arg, "->") : NULL;
    const struct oxm_field *f;
    char *bracket, whole[16];
    struct ofpact *a;
    uint64_t v;

    if (!arrow) {
        return ofp_text_error(errorp, "%s: load needs VALUE->FIELD[]",
                              arg ? arg : "");
    }
    *arrow = '\0';
    bracket = strchr(arrow + 2, '[');
    if (!bracket) {
        return ofp_text_error(errorp, "%s: load needs FIELD[]", arrow + 2);
    }
    *bracket = '\0';
    f = tunnel_field_lookup(0, arrow + 2);
    if (!f) {
        return ofp_text_error(errorp, "%s: load supports only tunnel fields",
                              arrow + 2);
    }
    snprintf(whole, sizeof whole, "0..%u]", f->len * 8u - 1);
    if (strcmp(bracket + 1, "]") && strcmp(bracket + 1, whole)) {
        return ofp_text_error(errorp,
                              "%s: load of part of a field is not "
                              "supported",
                              arrow + 2);
    }
    if (!ofp_parse_uint(
            arg, f->len >= 8 ? UINT64_MAX : (1ull << (8 * f->len)) - 1, &v)) {
        return ofp_text_error(errorp, "%s: bad value for load", arg);
    }
    a = ofpacts_put(o, OFPACT_SET_FIELD);
    a->field = f;
    a->raw = OFPACT_RAW_REG_LOAD;
    ofp_put_be(a->value, f->len, v);
    return 0;
}

static int
parse_one(char *tok, const struct match *m, struct ofpacts *o, bool nested,
          char **errorp)
{
    char *arg = NULL, *colon = strchr(tok, ':'), *paren = strchr(tok, '(');
    uint64_t v;
    uint16_t port;
    struct ofpact *a;

    if (paren && (!colon || paren < colon)) {
        size_t n = strlen(paren);

        if (paren[n - 1] != ')') {
            return ofp_text_error(errorp, "%s: missing )", tok);
        }
        paren[n - 1] = '\0';
        *paren = '\0';
        arg = paren + 1;
    } else if (colon) {
        *colon = '\0';
        arg = colon + 1;
    }

    if (!strcmp(tok, "output")) {
        if (!arg || !parse_port(arg, &port)) {
            return ofp_text_error(errorp, "%s: bad output port",
                                  arg ? arg : "");
        }
        a = ofpacts_put(o, OFPACT_OUTPUT);
        a->port = port;
        if (port == OFPP_CONTROLLER) {
            a->max_len = UINT16_MAX;
        }
    } else if (!strcasecmp(tok, "CONTROLLER") || !strcmp(tok, "controller")) {
        a = ofpacts_put(o, OFPACT_OUTPUT);
        a->port = OFPP_CONTROLLER;
        a->max_len = UINT16_MAX;
        if (arg) {
            const char *s = arg;

            if (!strncmp(s, "max_len=", 8)) {
                s += 8;
            }
            if (!ofp_parse_uint(s, UINT16_MAX, &v)) {
                return ofp_text_error(errorp, "%s: bad controller max_len",
                                      arg);
            }
            a->max_len = v;
        }
    } else if (!arg && parse_port(tok, &port)) {
        a = ofpacts_put(o, OFPACT_OUTPUT);
        a->port = port;
        if (port == OFPP_CONTROLLER) {
            a->max_len = UINT16_MAX;
        }
    } else if (!strcmp(tok, "set_tunnel") || !strcmp(tok, "set_tunnel64")) {
        bool is64 = tok[10] != '\0';

        if (!arg || !ofp_parse_uint(arg, UINT64_MAX, &v)) {
            return ofp_text_error(errorp, "%s: bad tunnel id", arg ? arg : "");
        }
        a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->field = oxm_field_get(OFPXMT_TUNNEL_ID);
        /* As ovs-ofctl: the 64-bit action when the id needs it. */
        a->raw = is64 || v > UINT32_MAX ? OFPACT_RAW_SET_TUNNEL64
                                        : OFPACT_RAW_SET_TUNNEL;
        ofp_put_be(a->value, 8, v);
    } else if (!strcmp(tok, "load")) {
        return parse_load(arg, o, errorp);
    } else if (!strcmp(tok, "enqueue")) {
        char *q = arg ? strpbrk(arg, ":,") : NULL;

        if (!q) {
            return ofp_text_error(errorp, "%s: enqueue needs PORT:QUEUE",
                                  arg ? arg : "");
        }
        *q = '\0';
        a = ofpacts_put(o, OFPACT_ENQUEUE);
        if (!parse_port(arg, &a->port)
            || !ofp_parse_uint(q + 1, UINT32_MAX, &v)) {
            return ofp_text_error(errorp, "%s: bad enqueue", arg);
        }
        a->id = v;
    } else if (!strcmp(tok, "set_queue") || !strcmp(tok, "group")
               || !strcmp(tok, "mod_nw_ttl") || !strcmp(tok, "goto_table")
               || !strcmp(tok, "push_vlan") || !strcmp(tok, "mod_vlan_vid")
               || !strcmp(tok, "mod_vlan_pcp") || !strcmp(tok, "mod_nw_tos")
               || !strcmp(tok, "mod_tp_src") || !strcmp(tok, "mod_tp_dst")) {
        static const struct {
            const char *name;
            uint64_t max;
        } limits[] = {
            {"set_queue", UINT32_MAX},  {"group", OFPG_MAX},
            {"mod_nw_ttl", 255},        {"goto_table", 253},
            {"push_vlan", UINT16_MAX},  {"mod_vlan_vid", VLAN_VID_MASK},
            {"mod_vlan_pcp", 7},        {"mod_nw_tos", 255},
            {"mod_tp_src", UINT16_MAX}, {"mod_tp_dst", UINT16_MAX},
        };
        uint64_t max = 0;

        for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
            if (!strcmp(tok, limits[i].name)) {
                max = limits[i].max;
            }
        }
        if (!arg || !ofp_parse_uint(arg, max, &v)) {
            return ofp_text_error(errorp, "%s: bad argument", tok);
        }
        if (!strcmp(tok, "set_queue")) {
            ofpacts_put(o, OFPACT_SET_QUEUE)->id = v;
        } else if (!strcmp(tok, "group")) {
            ofpacts_put(o, OFPACT_GROUP)->id = v;
        } else if (!strcmp(tok, "mod_nw_ttl")) {
            ofpacts_put(o, OFPACT_SET_NW_TTL)->id = v;
        } else if (!strcmp(tok, "goto_table")) {
            if (nested) {
                return ofp_text_error(errorp, "%s not allowed here", tok);
            }
            ofpacts_put(o, OFPACT_GOTO_TABLE)->table = v;
        } else if (!strcmp(tok, "push_vlan")) {
            if (v != ETH_TYPE_VLAN && v != ETH_TYPE_VLAN_8021AD) {
                return ofp_text_error(errorp, "%s: bad push_vlan ethertype",
                                      arg);
            }
            ofpacts_put(o, OFPACT_PUSH_VLAN)->id = v;
        } else if (!strcmp(tok, "mod_vlan_vid")) {
            set_field_uint(ofpacts_put(o, OFPACT_SET_FIELD), OFPXMT_VLAN_VID,
                           v | VLAN_CFI);
        } else if (!strcmp(tok, "mod_vlan_pcp")) {
            set_field_uint(ofpacts_put(o, OFPACT_SET_FIELD), OFPXMT_VLAN_PCP,
                           v);
        } else if (!strcmp(tok, "mod_nw_tos")) {
            if (v & ~IP_DSCP_MASK) {
                return ofp_text_error(errorp, "%s: mod_nw_tos takes DSCP bits",
                                      arg);
            }
            set_field_uint(ofpacts_put(o, OFPACT_SET_FIELD), OFPXMT_IP_DSCP,
                           v >> 2);
        } else {
            set_field_uint(ofpacts_put(o, OFPACT_SET_FIELD),
                           tp_field(m, !strcmp(tok, "mod_tp_dst")), v);
        }
    } else if (!strcmp(tok, "mod_dl_src") || !strcmp(tok, "mod_dl_dst")) {
        a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->field = oxm_field_get(!strcmp(tok, "mod_dl_src") ? OFPXMT_ETH_SRC
                                                            : OFPXMT_ETH_DST);
        a->legacy = true;
        if (!arg || !parse_mac(arg, a->value)) {
            return ofp_text_error(errorp, "%s: bad Ethernet address",
                                  arg ? arg : "");
        }
    } else if (!strcmp(tok, "mod_nw_src") || !strcmp(tok, "mod_nw_dst")) {
        a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->field = oxm_field_get(!strcmp(tok, "mod_nw_src") ? OFPXMT_IPV4_SRC
                                                            : OFPXMT_IPV4_DST);
        a->legacy = true;
        if (!arg || inet_pton(AF_INET, arg, a->value) != 1) {
            return ofp_text_error(errorp, "%s: bad IPv4 address",
                                  arg ? arg : "");
        }
    } else if (!strcmp(tok, "set_field")) {
        if (!arg) {
            return ofp_text_error(errorp, "%s: missing argument", tok);
        }
        return parse_set_field(arg, o, errorp);
    } else if (!strcmp(tok, "strip_vlan") || !strcmp(tok, "pop_vlan")) {
        ofpacts_put(o, OFPACT_POP_VLAN);
    } else if (!strcmp(tok, "dec_ttl")) {
        ofpacts_put(o, OFPACT_DEC_NW_TTL);
    } else if (!strcmp(tok, "clear_actions") && !nested) {
        ofpacts_put(o, OFPACT_CLEAR_ACTIONS);
    } else if (!strcmp(tok, "write_actions") && !nested) {
        size_t idx = o->n;
        int error;

        ofpacts_put(o, OFPACT_WRITE_ACTIONS);
        error = parse_list(arg ? arg : "", m, o, true, errorp);
        if (error) {
            return error;
        }
        o->a[idx].n_nested = o->n - idx - 1;
    } else if (!strcmp(tok, "write_metadata") && !nested) {
        char *slash = arg ? strchr(arg, '/') : NULL;
        uint64_t mask = UINT64_MAX;

        if (slash) {
            *slash = '\0';
            if (!ofp_parse_uint(slash + 1, UINT64_MAX, &mask)) {
                return ofp_text_error(errorp, "%s: bad mask", slash + 1);
            }
        }
        if (!arg || !ofp_parse_uint(arg, UINT64_MAX, &v)) {
            return ofp_text_error(errorp, "%s: bad metadata", arg ? arg : "");
        }
        a = ofpacts_put(o, OFPACT_WRITE_METADATA);
        a->metadata = v & mask;
        a->metadata_mask = mask;
    } else {
        return ofp_text_error(errorp, "%s: unknown action", tok);
    }
    return 0;
}

static int
parse_list(char *s, const struct match *m, struct ofpacts *o, bool nested,
           char **errorp)
{
    char *tok;

    while ((tok = next_token(&s))) {
        int error;

        if (!strcmp(tok, "drop")) {
            continue;
        }
        error = parse_one(tok, m, o, nested, errorp);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Execution-order rank of an entry, for checking the instruction order
 * ovs-ofctl insists on. */
static int
rank(const struct ofpact *a)
{
    switch (a->type) {
    case OFPACT_CLEAR_ACTIONS:
        return 1;
    case OFPACT_WRITE_ACTIONS:
        return 2;
    case OFPACT_WRITE_METADATA:
        return 3;
    case OFPACT_GOTO_TABLE:
        return 4;
    }
    return 0;
}

int
ofpacts_parse(const char *text, const struct match *m, struct ofpacts *o,
              char **errorp)
{
    char *s = xstrdup(text);
    int error = parse_list(s, m, o, false, errorp);
    int last = 0;

    free(s);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < o->n; i++) {
        int r = rank(&o->a[i]);

        if (r < last) {
            return ofp_text_error(errorp, "%s",
                                  "invalid instruction ordering");
        }
        if (r > 0 && r == last) {
            return ofp_text_error(errorp, "%s", "instruction given twice");
        }
        last = r;
        if (o->a[i].type == OFPACT_WRITE_ACTIONS) {
            i += o->a[i].n_nested;
        }
    }
    return 0;
}

static void
format_one(const struct ofpact *a, uint8_t version, struct ds *ds)
{
    char buf[16];

    switch ((enum ofpact_type) a->type) {
    case OFPACT_OUTPUT:
        if (a->port == OFPP_CONTROLLER) {
            ds_put_format(ds, "CONTROLLER:%u", a->max_len);
        } else if (a->port < OFPP_MAX) {
            ds_put_format(ds, "output:%u", a->port);
        } else {
            ds_put_cstr(ds, ofp_port_to_string(a->port, buf));
        }
        break;
    case OFPACT_ENQUEUE:
        ds_put_format(ds, "enqueue:%s:%" PRIu32,
                      ofp_port_to_string(a->port, buf), a->id);
        break;
    case OFPACT_SET_QUEUE:
        ds_put_format(ds, "set_queue:%" PRIu32, a->id);
        break;
    case OFPACT_GROUP:
        ds_put_format(ds, "group:%" PRIu32, a->id);
        break;
    case OFPACT_SET_FIELD: {
        uint64_t v = ofp_get_be(a->value, a->field->len);

        if (a->raw == OFPACT_RAW_SET_TUNNEL
            || a->raw == OFPACT_RAW_SET_TUNNEL64) {
            ds_put_format(ds, "set_tunnel%s:0x%" PRIx64,
                          a->raw == OFPACT_RAW_SET_TUNNEL64 || v > UINT32_MAX
                              ? "64"
                              : "",
                          v);
            return;
        }
        if (a->raw == OFPACT_RAW_REG_LOAD
            || (version == OFP10_VERSION && is_tunnel_field(a->field))) {
            ds_put_format(ds, "load:0x%" PRIx64 "->%s[]", v,
                          tunnel_nxm_name(a->field));
            return;
        }
        if (version == OFP10_VERSION) {
            switch (a->field->id) {
            case OFPXMT_VLAN_VID:
                ds_put_format(ds, "mod_vlan_vid:%u",
                              (unsigned) (v & VLAN_VID_MASK));
                return;
            case OFPXMT_VLAN_PCP:
                ds_put_format(ds, "mod_vlan_pcp:%u", (unsigned) v);
                return;
            case OFPXMT_ETH_SRC:
            case OFPXMT_ETH_DST:
                ds_put_format(ds, "mod_dl_%s:",
                              a->field->id == OFPXMT_ETH_SRC ? "src" : "dst");
                format_field_value(a->field, a->value, ds);
                return;
            case OFPXMT_IPV4_SRC:
            case OFPXMT_IPV4_DST:
                ds_put_format(ds, "mod_nw_%s:",
                              a->field->id == OFPXMT_IPV4_SRC ? "src" : "dst");
                format_field_value(a->field, a->value, ds);
                return;
            case OFPXMT_IP_DSCP:
                ds_put_format(ds, "mod_nw_tos:%u", (unsigned) (v << 2));
                return;
            case OFPXMT_TCP_SRC:
            case OFPXMT_UDP_SRC:
            case OFPXMT_SCTP_SRC:
                ds_put_format(ds, "mod_tp_src:%u", (unsigned) v);
                return;
            case OFPXMT_TCP_DST:
            case OFPXMT_UDP_DST:
            case OFPXMT_SCTP_DST:
                ds_put_format(ds, "mod_tp_dst:%u", (unsigned) v);
                return;
            }
        }
        ds_put_cstr(ds, "set_field:");
        format_field_value(a->field, a->value, ds);
        ds_put_format(ds, "->%s", a->field->name);
        break;
    }
    case OFPACT_PUSH_VLAN:
        ds_put_format(ds, "push_vlan:0x%04" PRIx32, a->id);
        break;
    case OFPACT_POP_VLAN:
        ds_put_cstr(ds, version == OFP10_VERSION ? "strip_vlan" : "pop_vlan");
        break;
    case OFPACT_DEC_NW_TTL:
        ds_put_cstr(ds, "dec_ttl");
        break;
    case OFPACT_SET_NW_TTL:
        ds_put_format(ds, "mod_nw_ttl:%" PRIu32, a->id);
        break;
    case OFPACT_CLEAR_ACTIONS:
        ds_put_cstr(ds, "clear_actions");
        break;
    case OFPACT_WRITE_ACTIONS:
        ds_put_cstr(ds, "write_actions(");
        break;
    case OFPACT_WRITE_METADATA:
        ds_put_format(ds, "write_metadata:0x%" PRIx64, a->metadata);
        if (a->metadata_mask != UINT64_MAX) {
            ds_put_format(ds, "/0x%" PRIx64, a->metadata_mask);
        }
        break;
    case OFPACT_GOTO_TABLE:
        ds_put_format(ds, "goto_table:%u", a->table);
        break;
    }
}

void
ofpacts_format(const struct ofpacts *o, uint8_t version, struct ds *ds)
{
    if (!o->n) {
        ds_put_cstr(ds, "drop");
        return;
    }
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->a[i];

        if (i) {
            ds_put_char(ds, ',');
        }
        format_one(a, version, ds);
        if (a->type == OFPACT_WRITE_ACTIONS) {
            for (size_t j = 0; j < a->n_nested; j++) {
                if (j) {
                    ds_put_char(ds, ',');
                }
                format_one(&o->a[i + 1 + j], version, ds);
            }
            ds_put_char(ds, ')');
            i += a->n_nested;
        }
    }
}
