/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ofp-msgs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

static const char *const type_names[] = {
#define OFPTYPE_NAME(NAME) #NAME,
    OFPTYPE_LIST(OFPTYPE_NAME)
#undef OFPTYPE_NAME
};

const char *
ofptype_name(enum ofptype type)
{
    return type < OFPTYPE_N ? type_names[type] : "<unknown>";
}

bool
ofp_version_is_supported(uint8_t version)
{
    return version < 32 && (OFP_SUPPORTED_VERSIONS & OFP_VERSION_BIT(version));
}

static const char *const version_names[] = {
    [OFP10_VERSION] = "OpenFlow10", [OFP11_VERSION] = "OpenFlow11",
    [OFP12_VERSION] = "OpenFlow12", [OFP13_VERSION] = "OpenFlow13",
    [OFP14_VERSION] = "OpenFlow14", [OFP15_VERSION] = "OpenFlow15",
};

const char *
ofp_version_name(uint8_t version)
{
    return version < ARRAY_SIZE(version_names) ? version_names[version] : NULL;
}

uint8_t
ofp_version_from_name(const char *s)
{
    static const char *const short_names[] = {
        [OFP10_VERSION] = "1.0", [OFP11_VERSION] = "1.1",
        [OFP12_VERSION] = "1.2", [OFP13_VERSION] = "1.3",
        [OFP14_VERSION] = "1.4", [OFP15_VERSION] = "1.5",
    };

    for (uint8_t v = OFP10_VERSION; v <= OFP15_VERSION; v++) {
        if (!strcasecmp(s, version_names[v]) || !strcmp(s, short_names[v])) {
            return v;
        }
    }
    return 0;
}

/* Length rule for one raw message type in one version. */
struct len_rule {
    enum ofptype type; /* Classification. */
    uint16_t min;      /* Smallest valid length (0: type not used). */
    bool exact;        /* Length must be exactly 'min'. */
    uint16_t unit;     /* Beyond 'min', length grows in these steps. */
};

#define R(T, MIN, EXACT, UNIT)                                                \
    {                                                                         \
        OFPTYPE_##T, MIN, EXACT, UNIT                                         \
    }

static const struct len_rule of10_rules[] = {
    [OFPT_HELLO] = R(HELLO, 8, false, 1),
    [OFPT_ERROR] = R(ERROR, 12, false, 1),
    [OFPT_ECHO_REQUEST] = R(ECHO_REQUEST, 8, false, 1),
    [OFPT_ECHO_REPLY] = R(ECHO_REPLY, 8, false, 1),
    [OFPT_EXPERIMENTER] = R(EXPERIMENTER, 12, false, 1),
    [OFPT_FEATURES_REQUEST] = R(FEATURES_REQUEST, 8, true, 0),
    [OFPT_FEATURES_REPLY] = R(FEATURES_REPLY, 32, false, 48),
    [OFPT_GET_CONFIG_REQUEST] = R(GET_CONFIG_REQUEST, 8, true, 0),
    [OFPT_GET_CONFIG_REPLY] = R(GET_CONFIG_REPLY, 12, true, 0),
    [OFPT_SET_CONFIG] = R(SET_CONFIG, 12, true, 0),
    [OFPT_PACKET_IN] = R(PACKET_IN, 18, false, 1),
    [OFPT_FLOW_REMOVED] = R(FLOW_REMOVED, 88, true, 0),
    [OFPT_PORT_STATUS] = R(PORT_STATUS, 64, true, 0),
    [OFPT_PACKET_OUT] = R(PACKET_OUT, 16, false, 1),
    [OFPT_FLOW_MOD] = R(FLOW_MOD, 72, false, 8),
    [OFPT10_PORT_MOD] = R(PORT_MOD, 32, true, 0),
    [OFPT10_STATS_REQUEST] = R(DESC_REQUEST, 12, false, 1),
    [OFPT10_STATS_REPLY] = R(DESC_REPLY, 12, false, 1),
    [OFPT10_BARRIER_REQUEST] = R(BARRIER_REQUEST, 8, true, 0),
    [OFPT10_BARRIER_REPLY] = R(BARRIER_REPLY, 8, true, 0),
    [OFPT10_QUEUE_GET_CONFIG_REQUEST] =
        R(QUEUE_GET_CONFIG_REQUEST, 12, true, 0),
    [OFPT10_QUEUE_GET_CONFIG_REPLY] = R(QUEUE_GET_CONFIG_REPLY, 16, false, 8),
};

static const struct len_rule of13_rules[] = {
    [OFPT_HELLO] = R(HELLO, 8, false, 1),
    [OFPT_ERROR] = R(ERROR, 12, false, 1),
    [OFPT_ECHO_REQUEST] = R(ECHO_REQUEST, 8, false, 1),
    [OFPT_ECHO_REPLY] = R(ECHO_REPLY, 8, false, 1),
    [OFPT_EXPERIMENTER] = R(EXPERIMENTER, 16, false, 1),
    [OFPT_FEATURES_REQUEST] = R(FEATURES_REQUEST, 8, true, 0),
    [OFPT_FEATURES_REPLY] = R(FEATURES_REPLY, 32, true, 0),
    [OFPT_GET_CONFIG_REQUEST] = R(GET_CONFIG_REQUEST, 8, true, 0),
    [OFPT_GET_CONFIG_REPLY] = R(GET_CONFIG_REPLY, 12, true, 0),
    [OFPT_SET_CONFIG] = R(SET_CONFIG, 12, true, 0),
    [OFPT_PACKET_IN] = R(PACKET_IN, 34, false, 1),
    [OFPT_FLOW_REMOVED] = R(FLOW_REMOVED, 56, false, 8),
    [OFPT_PORT_STATUS] = R(PORT_STATUS, 80, true, 0),
    [OFPT_PACKET_OUT] = R(PACKET_OUT, 24, false, 1),
    [OFPT_FLOW_MOD] = R(FLOW_MOD, 56, false, 8),
    [OFPT13_GROUP_MOD] = R(GROUP_MOD, 16, false, 8),
    [OFPT13_PORT_MOD] = R(PORT_MOD, 40, true, 0),
    [OFPT13_TABLE_MOD] = R(TABLE_MOD, 16, true, 0),
    [OFPT13_MULTIPART_REQUEST] = R(DESC_REQUEST, 16, false, 1),
    [OFPT13_MULTIPART_REPLY] = R(DESC_REPLY, 16, false, 1),
    [OFPT13_BARRIER_REQUEST] = R(BARRIER_REQUEST, 8, true, 0),
    [OFPT13_BARRIER_REPLY] = R(BARRIER_REPLY, 8, true, 0),
    [OFPT13_QUEUE_GET_CONFIG_REQUEST] =
        R(QUEUE_GET_CONFIG_REQUEST, 16, true, 0),
    [OFPT13_QUEUE_GET_CONFIG_REPLY] = R(QUEUE_GET_CONFIG_REPLY, 16, false, 8),
    [OFPT13_ROLE_REQUEST] = R(ROLE_REQUEST, 24, true, 0),
    [OFPT13_ROLE_REPLY] = R(ROLE_REPLY, 24, true, 0),
    [OFPT13_GET_ASYNC_REQUEST] = R(GET_ASYNC_REQUEST, 8, true, 0),
    [OFPT13_GET_ASYNC_REPLY] = R(GET_ASYNC_REPLY, 32, true, 0),
    [OFPT13_SET_ASYNC] = R(SET_ASYNC, 32, true, 0),
    [OFPT13_METER_MOD] = R(METER_MOD, 16, false, 8),
};

#undef R

/* Stats/multipart body type -> request classification (the reply is the
 * next enum value), and which versions know it. */
static const struct {
    enum ofptype request; /* Request type; reply = request + 1. */
    bool in_of10;         /* Defined in OpenFlow 1.0. */
} mp_types[] = {
    [OFPMP_DESC] = {OFPTYPE_DESC_REQUEST, true},
    [OFPMP_FLOW] = {OFPTYPE_FLOW_STATS_REQUEST, true},
    [OFPMP_AGGREGATE] = {OFPTYPE_AGGREGATE_REQUEST, true},
    [OFPMP_TABLE] = {OFPTYPE_TABLE_STATS_REQUEST, true},
    [OFPMP_PORT_STATS] = {OFPTYPE_PORT_STATS_REQUEST, true},
    [OFPMP_QUEUE] = {OFPTYPE_QUEUE_STATS_REQUEST, true},
    [OFPMP_GROUP] = {OFPTYPE_GROUP_STATS_REQUEST, false},
    [OFPMP_GROUP_DESC] = {OFPTYPE_GROUP_DESC_REQUEST, false},
    [OFPMP_GROUP_FEATURES] = {OFPTYPE_GROUP_FEATURES_REQUEST, false},
    [OFPMP_METER] = {OFPTYPE_METER_STATS_REQUEST, false},
    [OFPMP_METER_CONFIG] = {OFPTYPE_METER_CONFIG_REQUEST, false},
    [OFPMP_METER_FEATURES] = {OFPTYPE_METER_FEATURES_REQUEST, false},
    [OFPMP_TABLE_FEATURES] = {OFPTYPE_TABLE_FEATURES_REQUEST, false},
    /* Open vSwitch defines PORT_DESC (13) for 1.0 too; ovs-ofctl uses it. */
    [OFPMP_PORT_DESC] = {OFPTYPE_PORT_DESC_REQUEST, true},
};

_Static_assert(OFPTYPE_DESC_REPLY == OFPTYPE_DESC_REQUEST + 1, "pairs");
_Static_assert(OFPTYPE_PORT_DESC_REPLY == OFPTYPE_PORT_DESC_REQUEST + 1,
               "pairs");

static enum ofperr
classify_multipart(const uint8_t *msg, size_t size, uint8_t version,
                   bool reply, enum ofptype *type)
{
    uint16_t mp_type = (msg[8] << 8) | msg[9];

    if (mp_type == OFPMP_EXPERIMENTER) {
        size_t min = version == OFP10_VERSION ? 16 : 24;

        if (size < min) {
            return OFPERR_BAD_LEN;
        }
        *type = reply ? OFPTYPE_EXPERIMENTER_STATS_REPLY
                      : OFPTYPE_EXPERIMENTER_STATS_REQUEST;
        return 0;
    }
    if (mp_type >= ARRAY_SIZE(mp_types) || !mp_types[mp_type].request
        || (version == OFP10_VERSION && !mp_types[mp_type].in_of10)) {
        return OFPERR_BAD_MULTIPART;
    }
    *type = mp_types[mp_type].request + reply;
    return 0;
}

enum ofperr
ofp_decode_type(const void *msg_, size_t size, enum ofptype *type)
{
    const uint8_t *msg = msg_;
    const struct len_rule *rules, *rule;
    size_t n_rules, length;
    uint8_t version, raw;

    *type = OFPTYPE_N;
    if (size < sizeof(struct ofp_header)) {
        return OFPERR_BAD_LEN;
    }
    version = msg[0];
    raw = msg[1];
    length = (msg[2] << 8) | msg[3];
    if (length != size) {
        return OFPERR_BAD_LEN;
    }
    if (raw == OFPT_HELLO) {
        *type = OFPTYPE_HELLO; /* Understood in any version. */
        return 0;
    }
    if (version == OFP10_VERSION) {
        rules = of10_rules;
        n_rules = ARRAY_SIZE(of10_rules);
    } else if (version == OFP13_VERSION) {
        rules = of13_rules;
        n_rules = ARRAY_SIZE(of13_rules);
    } else {
        return OFPERR_BAD_VERSION;
    }
    if (raw >= n_rules || !rules[raw].min) {
        return OFPERR_BAD_TYPE;
    }
    rule = &rules[raw];
    if (length < rule->min || (rule->exact && length != rule->min)
        || (rule->unit > 1 && (length - rule->min) % rule->unit)) {
        return OFPERR_BAD_LEN;
    }
    if (rule->type == OFPTYPE_DESC_REQUEST
        || rule->type == OFPTYPE_DESC_REPLY) {
        return classify_multipart(msg, size, version,
                                  rule->type == OFPTYPE_DESC_REPLY, type);
    }
    *type = rule->type;
    return 0;
}

void *
ofp_start_msg(struct buf *b, uint8_t version, uint8_t raw_type, uint32_t xid,
              size_t body_size)
{
    struct ofp_header *oh = buf_put_zeros(b, sizeof *oh + body_size);

    oh->version = version;
    oh->type = raw_type;
    oh->length = htons(sizeof *oh + body_size);
    oh->xid = htonl(xid);
    return oh;
}

int
ofp_finish_msg(struct buf *b, size_t start)
{
    struct ofp_header *oh = buf_at(b, start, sizeof *oh);
    size_t len = b->size - start;

    if (!oh || len > UINT16_MAX) {
        return EMSGSIZE;
    }
    oh->length = htons(len);
    return 0;
}

void
ofp_hello_encode(struct buf *b, uint32_t versions, uint32_t xid)
{
    size_t start = b->size;
    uint8_t highest = 0;

    for (uint8_t v = 1; v < 32; v++) {
        if (versions & OFP_VERSION_BIT(v)) {
            highest = v;
        }
    }
    ofp_start_msg(b, highest, OFPT_HELLO, xid, 0);
    if (highest >= OFP13_VERSION) {
        /* One version-bitmap element: header + one 32-bit word, already a
         * multiple of 8 bytes. */
        struct ofp_hello_elem_header *e = buf_put_zeros(b, sizeof *e + 4);
        uint32_t bitmap = htonl(versions);

        e->type = htons(OFPHET_VERSIONBITMAP);
        e->length = htons(sizeof *e + 4);
        memcpy(e + 1, &bitmap, 4);
    }
    ofp_finish_msg(b, start);
}

enum ofperr
ofp_hello_decode(const void *msg_, size_t size, uint32_t *versions)
{
    const uint8_t *msg = msg_;
    uint8_t version = msg[0];
    size_t ofs = sizeof(struct ofp_header);
    bool have_bitmap = false;

    /* Without a bitmap: every version up to the header's. */
    *versions =
        version >= 31 ? UINT32_MAX - 1 : (OFP_VERSION_BIT(version + 1) - 2);
    if (version < OFP13_VERSION) {
        return 0; /* Elements were defined in 1.3.1; ignore any. */
    }
    while (size - ofs >= sizeof(struct ofp_hello_elem_header)) {
        uint16_t type = (msg[ofs] << 8) | msg[ofs + 1];
        uint16_t len = (msg[ofs + 2] << 8) | msg[ofs + 3];
        size_t padded = ROUND_UP((size_t) len, 8);

        if (len < sizeof(struct ofp_hello_elem_header) || len > size - ofs) {
            return OFPERR_BAD_LEN;
        }
        if (type == OFPHET_VERSIONBITMAP && !have_bitmap) {
            /* Only the first word matters to us: versions 0..31. */
            if (len >= 8) {
                *versions = ((uint32_t) msg[ofs + 4] << 24)
                            | (msg[ofs + 5] << 16) | (msg[ofs + 6] << 8)
                            | msg[ofs + 7];
            } else {
                *versions = 0;
            }
            have_bitmap = true;
        }
        if (padded > size - ofs) {
            break; /* Unpadded last element: tolerate. */
        }
        ofs += padded;
    }
    return 0;
}

uint8_t
ofp_negotiate(uint32_t ours, uint32_t theirs)
{
    uint32_t common = ours & theirs;

    for (int v = 31; v > 0; v--) {
        if (common & OFP_VERSION_BIT(v)) {
            return v;
        }
    }
    return 0;
}

void
ofp_echo_reply_encode(struct buf *b, const void *request, size_t size)
{
    struct ofp_header *oh = buf_put(b, request, size);

    oh->type = OFPT_ECHO_REPLY;
}
