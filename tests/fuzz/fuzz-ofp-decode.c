/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes the body decoders a controller's bytes reach after
 * classification: FLOW_MOD (OXM and 1.0 matches, actions, instructions),
 * PACKET_OUT, GROUP_MOD, flow stats requests and replies, FLOW_REMOVED,
 * PACKET_IN, PORT_MOD, TABLE_MOD, ROLE, SET_ASYNC, and Nicira's NXM
 * messages of 1.0 (NXT_FLOW_MOD with and without the table id extension,
 * NXT_FLOW_REMOVED, NXST_FLOW and NXST_AGGREGATE requests).  Whatever
 * decodes must re-encode and decode again to the same thing; errors must
 * be valid ofperr values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-match.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_error(enum ofperr e)
{
    if (e && !ofperr_is_valid(e)) {
        abort();
    }
}

static void
flow_mod(const uint8_t *msg, size_t size)
{
    struct ofp_flow_mod fm, back;
    enum ofperr e = ofp_flow_mod_decode(msg, size, &fm);
    struct ds ds;

    check_error(e);
    if (!e) {
        struct buf b;

        ds_init(&ds);
        match_format(&fm.match, &ds);
        ofpacts_format(&fm.ofpacts, msg[0], &ds);
        ds_destroy(&ds);
        buf_init(&b, 0, 128);
        if (!ofp_flow_mod_encode(&fm, msg[0], 1, &b)) {
            if (ofp_flow_mod_decode(b.data, b.size, &back)) {
                abort();
            }
            if (!match_equal(&fm.match, &back.match)
                || (msg[0] == OFP13_VERSION
                    && !ofpacts_equal(&fm.ofpacts, &back.ofpacts))) {
                abort();
            }
            ofp_flow_mod_uninit(&back);
        }
        buf_uninit(&b);
    }
    ofp_flow_mod_uninit(&fm);
}

/* An NXM match survives encoding and decoding. */
static void
nxm_round_trip(const struct match *m, uint64_t cookie, uint64_t cookie_mask)
{
    uint64_t c, cm;
    struct match back;
    struct buf b;
    size_t len;

    buf_init(&b, 0, 128);
    len = nxm_put_match(&b, m, cookie, cookie_mask);
    if (nxm_decode_fields(b.data, len, &back, &c, &cm)
        || !match_equal(m, &back) || c != (cookie & cookie_mask)
        || cm != cookie_mask) {
        abort();
    }
    buf_uninit(&b);
}

/* A Nicira vendor message of 1.0 (its header checked by the caller). */
static void
nx_msg(const uint8_t *msg, size_t size)
{
    uint32_t subtype = ofp_get_be(msg + 12, 4);

    if (subtype == NXT_FLOW_MOD) {
        struct ofp_flow_mod fm;
        /* The xid's low bit says whether the table id extension is on. */
        enum ofperr e = ofp_flow_mod_decode_ext(msg, size, msg[7] & 1, &fm);

        check_error(e);
        if (!e) {
            nxm_round_trip(&fm.match, fm.cookie, fm.cookie_mask);
        }
        ofp_flow_mod_uninit(&fm);
    } else if (subtype == NXT_FLOW_REMOVED) {
        struct ofp_flow_removed fr, back;
        enum ofperr e = ofp_flow_removed_decode(msg, size, &fr);

        check_error(e);
        if (!e) {
            struct buf b;

            buf_init(&b, 0, 128);
            ofp_nx_flow_removed_encode(&fr, &b);
            if (ofp_flow_removed_decode(b.data, b.size, &back)
                || !match_equal(&fr.match, &back.match)
                || fr.cookie != back.cookie) {
                abort();
            }
            buf_uninit(&b);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly sized copy, so ASan sees any read past the end. */
    uint8_t *msg = malloc(size ? size : 1);
    enum ofptype type;

    memcpy(msg, data, size);
    if (ofp_decode_type(msg, size, &type)) {
        /* Still feed the raw bytes to the match and action decoders, which
         * must bound themselves. */
        struct ofpacts a;
        struct match m;
        size_t len;

        ofpacts_init(&a);
        check_error(ofp13_match_decode(msg, size, &m, &len));
        check_error(ofpacts_decode13_instructions(msg, size, &a));
        ofpacts_clear(&a);
        check_error(ofpacts_decode10(msg, size, NULL, &a));
        ofpacts_uninit(&a);
        {
            uint64_t cookie, cookie_mask;

            check_error(
                nxm_decode_fields(msg, size, &m, &cookie, &cookie_mask));
        }
        free(msg);
        return 0;
    }
    switch (type) {
    case OFPTYPE_FLOW_MOD:
        flow_mod(msg, size);
        break;
    case OFPTYPE_EXPERIMENTER:
        if (msg[0] == OFP10_VERSION && size >= NX_HEADER_SIZE
            && ofp_get_be(msg + 8, 4) == NX_VENDOR_ID) {
            nx_msg(msg, size);
        }
        break;
    case OFPTYPE_EXPERIMENTER_STATS_REQUEST: {
        struct ofp_flow_stats_request r, back;
        enum ofperr e = ofp_flow_stats_request_decode(msg, size, &r);

        check_error(e);
        if (!e && r.nx) {
            struct buf b;

            nxm_round_trip(&r.match, r.cookie, r.cookie_mask);
            buf_init(&b, 0, 128);
            ofp_flow_stats_request_encode(&r, OFP10_VERSION, 1, &b);
            if (ofp_flow_stats_request_decode(b.data, b.size, &back)
                || !back.nx || back.aggregate != r.aggregate
                || !match_equal(&r.match, &back.match)) {
                abort();
            }
            buf_uninit(&b);
        }
        break;
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out po;

        ofpacts_init(&po.ofpacts);
        check_error(ofp_packet_out_decode(msg, size, &po));
        ofpacts_uninit(&po.ofpacts);
        break;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod_req gm;

        check_error(ofp_group_mod_decode(msg, size, &gm));
        ofp_group_mod_uninit(&gm);
        break;
    }
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_REQUEST: {
        struct ofp_flow_stats_request r;

        check_error(ofp_flow_stats_request_decode(msg, size, &r));
        break;
    }
    case OFPTYPE_FLOW_STATS_REPLY: {
        size_t hdr = msg[0] == OFP10_VERSION ? 12 : 16;
        const uint8_t *p = msg + hdr;
        size_t left = size - hdr;
        struct ofp_flow_stats fs;
        enum ofperr e = 0;

        ofpacts_init(&fs.ofpacts);
        while (left && !e) {
            e = ofp_flow_stats_pull(&p, &left, msg[0], &fs);
            check_error(e);
        }
        ofpacts_uninit(&fs.ofpacts);
        break;
    }
    case OFPTYPE_FLOW_REMOVED: {
        struct ofp_flow_removed fr;

        check_error(ofp_flow_removed_decode(msg, size, &fr));
        break;
    }
    case OFPTYPE_PACKET_IN: {
        struct ofp_packet_in pin;

        check_error(ofp_packet_in_decode(msg, size, &pin));
        break;
    }
    case OFPTYPE_PORT_MOD: {
        struct ofp_port_mod pm;

        check_error(ofp_port_mod_decode(msg, size, &pm));
        break;
    }
    case OFPTYPE_TABLE_MOD: {
        uint8_t table;
        uint32_t config;

        check_error(ofp_table_mod_decode(msg, size, &table, &config));
        break;
    }
    case OFPTYPE_ROLE_REQUEST:
    case OFPTYPE_ROLE_REPLY: {
        uint32_t role;
        uint64_t gen;

        check_error(ofp_role_decode(msg, size, &role, &gen));
        break;
    }
    case OFPTYPE_SET_ASYNC:
    case OFPTYPE_GET_ASYNC_REPLY: {
        struct ofp_async_config ac;

        check_error(ofp_async_decode(msg, size, &ac));
        break;
    }
    default:
        break;
    }
    free(msg);
    return 0;
}
