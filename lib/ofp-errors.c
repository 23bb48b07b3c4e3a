/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ofp-errors.h"

#include <arpa/inet.h>
#include <string.h>
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

struct ofperr_info {
    const char *name; /* Name without prefix. */
    int t10, c10;     /* OpenFlow 1.0 type and code, or -1. */
    int t13, c13;     /* OpenFlow 1.3 type and code. */
};

static const struct ofperr_info infos[] = {
#define OFPERR_INFO(NAME, T10, C10, T13, C13) {#NAME, T10, C10, T13, C13},
    OFPERR_LIST(OFPERR_INFO)
#undef OFPERR_INFO
};

_Static_assert(ARRAY_SIZE(infos) == OFPERR__LAST - OFPERR_BASE,
               "one info per error");

bool
ofperr_is_valid(int e)
{
    return e >= OFPERR_BASE && e < OFPERR__LAST;
}

static const struct ofperr_info *
info(enum ofperr e)
{
    return ofperr_is_valid(e) ? &infos[e - OFPERR_BASE] : NULL;
}

const char *
ofperr_name(enum ofperr e)
{
    const struct ofperr_info *i = info(e);

    return i ? i->name : "<unknown error>";
}

bool
ofperr_has_code(enum ofperr e, uint8_t version)
{
    const struct ofperr_info *i = info(e);

    return i && (version != OFP10_VERSION || i->t10 >= 0);
}

bool
ofperr_get_code(enum ofperr e, uint8_t version, uint16_t *type, uint16_t *code)
{
    const struct ofperr_info *i = info(e);

    if (!i) {
        *type = 1; /* BAD_REQUEST/EPERM: "not allowed" is the safest. */
        *code = 5;
        return false;
    }
    if (version == OFP10_VERSION) {
        if (i->t10 < 0) {
            *type = 1; /* No 1.0 equivalent: BAD_REQUEST/EPERM. */
            *code = 5;
            return false;
        }
        *type = i->t10;
        *code = i->c10;
        return true;
    }
    *type = i->t13;
    *code = i->c13;
    return true;
}

enum ofperr
ofperr_decode(uint8_t version, uint16_t type, uint16_t code)
{
    for (size_t k = 0; k < ARRAY_SIZE(infos); k++) {
        const struct ofperr_info *i = &infos[k];
        bool match = version == OFP10_VERSION
                         ? i->t10 == type && i->c10 == code
                         : i->t13 == type && i->c13 == code;

        if (match) {
            return OFPERR_BASE + k;
        }
    }
    return OFPERR_NONE;
}

enum ofperr
ofperr_decode_msg(const void *msg_, size_t size)
{
    const uint8_t *p = msg_;
    uint16_t type, code;

    if (size < sizeof(struct ofp_error_msg) || p[1] != OFPT_ERROR) {
        return OFPERR_NONE;
    }
    type = ofp_get_be(p + 8, 2);
    code = ofp_get_be(p + 10, 2);
    if (p[0] == OFP10_VERSION && type == NXET_VENDOR) {
        if (size < sizeof(struct ofp_error_msg) + 8
            || ofp_get_be(p + 12, 4) != NX_VENDOR_ID) {
            return OFPERR_NONE;
        }
        type = NX10(ofp_get_be(p + 16, 2));
        code = ofp_get_be(p + 18, 2);
    }
    return ofperr_decode(p[0], type, code);
}

void
ofperr_encode(struct buf *out, enum ofperr e, uint8_t version, uint32_t xid,
              const void *request, size_t size)
{
    struct ofp_error_msg *msg;
    uint16_t type, code;
    size_t n = request ? VS_MIN(size, 64) : 0;
    size_t vendor = 0;

    ofperr_get_code(e, version, &type, &code);
    if (version == OFP10_VERSION && (type & NX10(0))) {
        vendor = 8;
    }
    msg = buf_put_zeros(out, sizeof *msg);
    msg->header.version = version;
    msg->header.type = OFPT_ERROR;
    msg->header.length = htons(sizeof *msg + vendor + n);
    msg->header.xid = htonl(xid);
    if (vendor) {
        uint8_t *v = buf_put_uninit(out, vendor);

        msg = (struct ofp_error_msg *) (v - sizeof *msg);
        msg->type = htons(NXET_VENDOR);
        msg->code = 0;
        ofp_put_be(v, 4, NX_VENDOR_ID);
        ofp_put_be(v + 4, 2, type & ~NX10(0));
        ofp_put_be(v + 6, 2, code);
    } else {
        msg->type = htons(type);
        msg->code = htons(code);
    }
    if (n) {
        buf_put(out, request, n);
    }
}
