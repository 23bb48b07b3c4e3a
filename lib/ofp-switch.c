/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ofp-switch.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

static uint64_t
htonll_(uint64_t v)
{
    return ((uint64_t) htonl(v) << 32) | htonl(v >> 32);
}

void
ofp_features_reply_encode(struct buf *b, uint8_t version, uint32_t xid,
                          const struct ofp_switch_features *f,
                          const struct ofp_port_desc *ports, size_t n_ports)
{
    size_t start = b->size;

    if (version == OFP10_VERSION) {
        struct ofp10_switch_features *sf;

        sf = ofp_start_msg(b, version, OFPT_FEATURES_REPLY, xid,
                           sizeof *sf - sizeof sf->header);
        sf->datapath_id = htonll_(f->datapath_id);
        sf->n_buffers = htonl(f->n_buffers);
        sf->n_tables = f->n_tables;
        sf->capabilities = htonl(f->capabilities);
        sf->actions = htonl(f->actions10);
        for (size_t i = 0; i < n_ports; i++) {
            ofp_port_desc_encode(b, &ports[i], version);
        }
    } else {
        struct ofp13_switch_features *sf;

        sf = ofp_start_msg(b, version, OFPT_FEATURES_REPLY, xid,
                           sizeof *sf - sizeof sf->header);
        sf->datapath_id = htonll_(f->datapath_id);
        sf->n_buffers = htonl(f->n_buffers);
        sf->n_tables = f->n_tables;
        sf->capabilities = htonl(f->capabilities);
    }
    ofp_finish_msg(b, start);
}

void
ofp_port_status_encode(struct buf *b, uint8_t version, uint8_t reason,
                       const struct ofp_port_desc *pd)
{
    size_t start = b->size;
    uint8_t *body = ofp_start_msg(b, version, OFPT_PORT_STATUS, 0, 8);

    body[8] = reason; /* Then 7 bytes of padding. */
    ofp_port_desc_encode(b, pd, version);
    ofp_finish_msg(b, start);
}

void
ofp_get_config_reply_encode(struct buf *b, uint8_t version, uint32_t xid,
                            const struct ofp_switch_config *sc)
{
    uint8_t *p = ofp_start_msg(b, version, OFPT_GET_CONFIG_REPLY, xid, 4);

    p[8] = sc->flags >> 8;
    p[9] = sc->flags;
    p[10] = sc->miss_send_len >> 8;
    p[11] = sc->miss_send_len;
}

enum ofperr
ofp_switch_config_decode(const void *msg, size_t size,
                         struct ofp_switch_config *sc)
{
    const uint8_t *p = msg;

    if (size != 12) {
        return OFPERR_BAD_LEN;
    }
    sc->flags = (p[8] << 8) | p[9];
    sc->miss_send_len = (p[10] << 8) | p[11];
    if (sc->flags & ~OFPC_FRAG_MASK) {
        return OFPERR_SWITCH_CONFIG_BAD_FLAGS;
    }
    return 0;
}

static bool
mp_is_vendor10(const struct ofp_mp_reply *r)
{
    return r->version == OFP10_VERSION && r->mp_type == OFPMP_EXPERIMENTER;
}

/* Each part's header: the stats or multipart header and, for 1.0 vendor
 * stats, the vendor id, subtype and padding. */
static size_t
mp_header_size(const struct ofp_mp_reply *r)
{
    return r->version != OFP10_VERSION ? sizeof(struct ofp13_multipart_msg)
           : mp_is_vendor10(r)         ? NX_STATS_HEADER_SIZE
                                       : sizeof(struct ofp10_stats_msg);
}

static struct ofp_mp_part *
new_part(struct ofp_mp_reply *r)
{
    struct ofp_mp_part *part = xmalloc(sizeof *part);
    uint8_t *p;

    buf_init(&part->buf, 0, 1024);
    p = ofp_start_msg(&part->buf, r->version,
                      r->version == OFP10_VERSION ? OFPT10_STATS_REPLY
                                                  : OFPT13_MULTIPART_REPLY,
                      ntohl(r->xid), mp_header_size(r) - 8);
    p[8] = r->mp_type >> 8;
    p[9] = r->mp_type;
    if (mp_is_vendor10(r)) {
        ofp_put_be(p + 12, 4, r->vendor);
        ofp_put_be(p + 16, 4, r->subtype);
    }
    vs_list_push_back(&r->msgs, &part->node);
    return part;
}

void
ofp_mp_reply_init(struct ofp_mp_reply *r, const void *request)
{
    const uint8_t *p = request;

    vs_list_init(&r->msgs);
    r->version = p[0];
    memcpy(&r->xid, p + 4, 4);
    r->mp_type = (p[8] << 8) | p[9];
    r->max_size = UINT16_MAX;
    r->vendor = r->subtype = 0;
    if (mp_is_vendor10(r)) {
        /* The request was checked to hold them (ofp_decode_type()). */
        r->vendor = ofp_get_be(p + 12, 4);
        r->subtype = ofp_get_be(p + 16, 4);
    }
    new_part(r);
}

void *
ofp_mp_reply_put(struct ofp_mp_reply *r, size_t size)
{
    struct ofp_mp_part *part =
        CONTAINER_OF(vs_list_back(&r->msgs), struct ofp_mp_part, node);

    if (part->buf.size + size > r->max_size
        && part->buf.size > mp_header_size(r)) {
        part = new_part(r);
    }
    return buf_put_zeros(&part->buf, size);
}

void
ofp_mp_reply_finish(struct ofp_mp_reply *r)
{
    struct ofp_mp_part *part;

    LIST_FOR_EACH (part, node, &r->msgs) {
        ofp_finish_msg(&part->buf, 0);
        if (part->node.next != &r->msgs) {
            part->buf.data[11] |= OFPMPF_MORE;
        }
    }
}

struct buf *
ofp_mp_reply_pop(struct ofp_mp_reply *r)
{
    struct ofp_mp_part *part;
    struct buf *b;

    if (vs_list_is_empty(&r->msgs)) {
        return NULL;
    }
    part = CONTAINER_OF(vs_list_pop_front(&r->msgs), struct ofp_mp_part, node);
    b = xmalloc(sizeof *b);
    *b = part->buf;
    free(part);
    return b;
}

void
ofp_mp_reply_destroy(struct ofp_mp_reply *r)
{
    struct buf *b;

    while ((b = ofp_mp_reply_pop(r))) {
        buf_delete(b);
    }
}

void
ofp_desc_reply_put(struct ofp_mp_reply *r, const struct ofp_desc *d)
{
    static const size_t sizes[5] = {256, 256, 256, 32, 256};
    const char *strs[5] = {d->mfr_desc, d->hw_desc, d->sw_desc, d->serial_num,
                           d->dp_desc};
    uint8_t *p = ofp_mp_reply_put(r, 1056);

    for (size_t i = 0; i < 5; i++) {
        if (strs[i]) {
            strncpy((char *) p, strs[i], sizes[i] - 1);
        }
        p += sizes[i];
    }
}
