/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ofp-port.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

enum ofperr
ofp_port_from_ofp13(uint32_t port13, uint16_t *port)
{
    if (port13 < OFPP_MAX) {
        *port = port13;
        return 0;
    }
    if (port13 >= OFPP13_OFFSET + OFPP_IN_PORT) {
        *port = port13 - OFPP13_OFFSET;
        return 0;
    }
    return OFPERR_BAD_PORT;
}

uint32_t
ofp_port_to_ofp13(uint16_t port)
{
    return port >= OFPP_MAX ? OFPP13_OFFSET + port : port;
}

static const struct {
    uint16_t port;
    const char *name;
} reserved[] = {
    {OFPP_IN_PORT, "IN_PORT"}, {OFPP_TABLE, "TABLE"},
    {OFPP_NORMAL, "NORMAL"},   {OFPP_FLOOD, "FLOOD"},
    {OFPP_ALL, "ALL"},         {OFPP_CONTROLLER, "CONTROLLER"},
    {OFPP_LOCAL, "LOCAL"},     {OFPP_NONE, "NONE"},
};

const char *
ofp_port_to_string(uint16_t port, char *buf)
{
    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        if (reserved[i].port == port) {
            strcpy(buf, reserved[i].name);
            return buf;
        }
    }
    snprintf(buf, 16, "%u", port);
    return buf;
}

bool
ofp_port_from_string(const char *s, uint16_t *port)
{
    long long v;

    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        if (!strcasecmp(s, reserved[i].name)) {
            *port = reserved[i].port;
            return true;
        }
    }
    if (!strcasecmp(s, "ANY")) {
        *port = OFPP_NONE;
        return true;
    }
    if (vs_str_to_llong(s, 0, UINT16_MAX, &v)) {
        *port = v;
        return true;
    }
    return false;
}

/* 1.3 feature bits -> 1.0 (the speeds 1.0 knows, and the media bits, which
 * 1.0 numbers four lower). */
static uint32_t
features_to_of10(uint32_t f)
{
    return (f & 0x7f) | ((f >> 4) & (0x1f << 7));
}

static uint32_t
features_from_of10(uint32_t f)
{
    return (f & 0x7f) | ((f & (0x1f << 7)) << 4);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
    v = htonl(v);
    memcpy(p, &v, 4);
}

static uint32_t
get_be32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return ntohl(v);
}

void
ofp_port_desc_encode(struct buf *b, const struct ofp_port_desc *pd,
                     uint8_t version)
{
    uint8_t *p;

    if (version == OFP10_VERSION) {
        p = buf_put_zeros(b, OFP10_PORT_SIZE);
        p[0] = pd->port_no >> 8;
        p[1] = pd->port_no;
        memcpy(p + 2, pd->hw_addr, 6);
        memcpy(p + 8, pd->name, strnlen(pd->name, 15));
        put_be32(p + 24, pd->config);
        put_be32(p + 28, pd->state & OFPPS_LINK_DOWN);
        put_be32(p + 32, features_to_of10(pd->curr));
        put_be32(p + 36, features_to_of10(pd->advertised));
        put_be32(p + 40, features_to_of10(pd->supported));
        put_be32(p + 44, features_to_of10(pd->peer));
    } else {
        p = buf_put_zeros(b, OFP13_PORT_SIZE);
        put_be32(p, ofp_port_to_ofp13(pd->port_no));
        memcpy(p + 8, pd->hw_addr, 6);
        memcpy(p + 16, pd->name, strnlen(pd->name, 15));
        put_be32(p + 32, pd->config);
        put_be32(p + 36, pd->state);
        put_be32(p + 40, pd->curr);
        put_be32(p + 44, pd->advertised);
        put_be32(p + 48, pd->supported);
        put_be32(p + 52, pd->peer);
        put_be32(p + 56, pd->curr_speed);
        put_be32(p + 60, pd->max_speed);
    }
}

enum ofperr
ofp_port_desc_decode(const void *data, size_t size, uint8_t version,
                     struct ofp_port_desc *pd)
{
    const uint8_t *p = data;

    memset(pd, 0, sizeof *pd);
    if (version == OFP10_VERSION) {
        if (size != OFP10_PORT_SIZE) {
            return OFPERR_BAD_LEN;
        }
        pd->port_no = (p[0] << 8) | p[1];
        memcpy(pd->hw_addr, p + 2, 6);
        memcpy(pd->name, p + 8, 15);
        pd->config = get_be32(p + 24);
        pd->state = get_be32(p + 28) & OFPPS_LINK_DOWN;
        pd->curr = features_from_of10(get_be32(p + 32));
        pd->advertised = features_from_of10(get_be32(p + 36));
        pd->supported = features_from_of10(get_be32(p + 40));
        pd->peer = features_from_of10(get_be32(p + 44));
        return 0;
    }
    if (size != OFP13_PORT_SIZE) {
        return OFPERR_BAD_LEN;
    }
    if (ofp_port_from_ofp13(get_be32(p), &pd->port_no)) {
        return OFPERR_BAD_PORT;
    }
    memcpy(pd->hw_addr, p + 8, 6);
    memcpy(pd->name, p + 16, 15);
    pd->config = get_be32(p + 32);
    pd->state = get_be32(p + 36);
    pd->curr = get_be32(p + 40);
    pd->advertised = get_be32(p + 44);
    pd->supported = get_be32(p + 48);
    pd->peer = get_be32(p + 52);
    pd->curr_speed = get_be32(p + 56);
    pd->max_speed = get_be32(p + 60);
    return 0;
}

static void
put_be(uint8_t *p, size_t n, uint64_t v)
{
    for (size_t i = n; i-- > 0;) {
        p[i] = v;
        v >>= 8;
    }
}

enum ofperr
ofp_port_stats_request_decode(const void *msg, size_t size, uint16_t *port)
{
    const uint8_t *p = msg;

    if (p[0] == OFP10_VERSION) {
        if (size != 12 + 8) {
            return OFPERR_BAD_LEN;
        }
        *port = (p[12] << 8) | p[13];
        return 0;
    }
    if (size != 16 + 8) {
        return OFPERR_BAD_LEN;
    }
    {
        uint32_t p13 =
            ((uint32_t) p[16] << 24) | (p[17] << 16) | (p[18] << 8) | p[19];

        if (p13 == 0xffffffffu) {
            *port = OFPP_NONE;
            return 0;
        }
        return ofp_port_from_ofp13(p13, port);
    }
}

void
ofp_port_stats_request_encode(uint8_t version, uint16_t port, uint32_t xid,
                              struct buf *b)
{
    size_t start = b->size;
    uint8_t *p;

    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT10_STATS_REQUEST, xid, 4 + 8);
        p[9] = OFPMP_PORT_STATS;
        put_be(p + 12, 2, port);
    } else {
        p = ofp_start_msg(b, version, OFPT13_MULTIPART_REQUEST, xid, 8 + 8);
        p[9] = OFPMP_PORT_STATS;
        put_be(p + 16, 4,
               port == OFPP_NONE ? 0xffffffffu : ofp_port_to_ofp13(port));
    }
    ofp_finish_msg(b, start);
}

void
ofp_port_stats_put(struct ofp_mp_reply *r, const struct ofp_port_stats *ps)
{
    const uint64_t counters[12] = {
        ps->rx_packets,   ps->tx_packets,  ps->rx_bytes,   ps->tx_bytes,
        ps->rx_dropped,   ps->tx_dropped,  ps->rx_errors,  ps->tx_errors,
        ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err, ps->collisions,
    };
    bool v10 = r->version == OFP10_VERSION;
    uint8_t *p = ofp_mp_reply_put(r, v10 ? 104 : 112);

    if (v10) {
        put_be(p, 2, ps->port_no);
    } else {
        put_be(p, 4, ofp_port_to_ofp13(ps->port_no));
    }
    for (int i = 0; i < 12; i++) {
        put_be(p + 8 + 8 * i, 8, counters[i]);
    }
    if (!v10) {
        put_be(p + 104, 4, ps->duration_sec);
        put_be(p + 108, 4, ps->duration_nsec);
    }
}
