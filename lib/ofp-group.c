/* SPDX-License-Identifier: Apache-2.0 */
/* ofp-group: GROUP_MOD and group multipart replies; PORT_MOD, TABLE_MOD,
 * ROLE and async configuration messages. */
#include "vswitch/ofp-group.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

void
ofp_group_mod_uninit(struct ofp_group_mod_req *gm)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        ofpacts_uninit(&gm->buckets[i].actions);
    }
    free(gm->buckets);
    gm->buckets = NULL;
    gm->n_buckets = 0;
}

/* Decodes the buckets in 'p'..'p+size' into 'gm'. */
static enum ofperr
pull_buckets(const uint8_t *p, size_t size, struct ofp_group_mod_req *gm)
{
    size_t allocated = 0;

    while (size > 0) {
        struct of_bucket *b;
        uint32_t watch;
        size_t len;
        enum ofperr e;

        if (size < 16) {
            return OFPERR_BAD_BUCKET;
        }
        len = ofp_get_be(p, 2);
        if (len < 16 || len % 8 || len > size) {
            return OFPERR_BAD_BUCKET;
        }
        if (gm->n_buckets >= allocated) {
            allocated = allocated ? 2 * allocated : 4;
            gm->buckets =
                xrealloc(gm->buckets, allocated * sizeof *gm->buckets);
        }
        b = &gm->buckets[gm->n_buckets++];
        memset(b, 0, sizeof *b);
        ofpacts_init(&b->actions);
        b->weight = ofp_get_be(p + 2, 2);
        watch = ofp_get_be(p + 4, 4);
        if (watch == 0xffffffffu) {
            b->watch_port = OFPP_NONE;
        } else if (ofp_port_from_ofp13(watch, &b->watch_port)) {
            return OFPERR_BAD_WATCH;
        }
        b->watch_group = ofp_get_be(p + 8, 4);
        e = ofpacts_decode13_actions(p + 16, len - 16, &b->actions);
        if (e) {
            return e;
        }
        p += len;
        size -= len;
    }
    return 0;
}

enum ofperr
ofp_group_mod_decode(const void *msg, size_t size,
                     struct ofp_group_mod_req *gm)
{
    const uint8_t *p = msg;

    memset(gm, 0, sizeof *gm);
    if (p[0] != OFP13_VERSION || size < 16) {
        return OFPERR_BAD_LEN;
    }
    gm->command = ofp_get_be(p + 8, 2);
    gm->type = p[10];
    gm->group_id = ofp_get_be(p + 12, 4);
    if (gm->command > OFPGC_DELETE) {
        return OFPERR_BAD_GROUP_COMMAND;
    }
    if (gm->command != OFPGC_DELETE) {
        if (gm->type > OFPGT_FF) {
            return OFPERR_BAD_GROUP_TYPE;
        }
        if (gm->group_id > OFPG_MAX) {
            return OFPERR_INVALID_GROUP;
        }
    }
    return pull_buckets(p + 16, size - 16, gm);
}

static void
put_buckets(struct buf *b, const struct of_bucket *buckets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t start = b->size;
        uint8_t *p = buf_put_zeros(b, 16);

        ofp_put_be(p + 2, 2, buckets[i].weight);
        ofp_put_be(p + 4, 4,
                   buckets[i].watch_port == OFPP_NONE
                       ? 0xffffffffu
                       : ofp_port_to_ofp13(buckets[i].watch_port));
        ofp_put_be(p + 8, 4, buckets[i].watch_group);
        ofpacts_encode13_actions(&buckets[i].actions, b);
        ofp_put_be(b->data + start, 2, b->size - start);
    }
}

void
ofp_group_mod_encode(const struct ofp_group_mod_req *gm, uint32_t xid,
                     struct buf *b)
{
    size_t start = b->size;
    uint8_t *p = ofp_start_msg(b, OFP13_VERSION, OFPT13_GROUP_MOD, xid, 8);

    ofp_put_be(p + 8, 2, gm->command);
    p[10] = gm->type;
    ofp_put_be(p + 12, 4, gm->group_id);
    put_buckets(b, gm->buckets, gm->n_buckets);
    ofp_finish_msg(b, start);
}

enum ofperr
ofp_group_stats_request_decode(const void *msg, size_t size,
                               uint32_t *group_id)
{
    const uint8_t *p = msg;

    if (size != 24) {
        return OFPERR_BAD_LEN;
    }
    *group_id = ofp_get_be(p + 16, 4);
    return 0;
}

void
ofp_group_stats_request_encode(uint8_t mp_type, uint32_t group_id,
                               uint32_t xid, struct buf *b)
{
    size_t start = b->size;
    uint8_t *p =
        ofp_start_msg(b, OFP13_VERSION, OFPT13_MULTIPART_REQUEST, xid, 8);

    ofp_put_be(p + 8, 2, mp_type);
    if (mp_type == OFPMP_GROUP) {
        p = buf_put_zeros(b, 8);
        ofp_put_be(p, 4, group_id);
    }
    ofp_finish_msg(b, start);
}

void
ofp_group_stats_put(struct ofp_mp_reply *r, const struct ofp_group_stats *gs)
{
    size_t len = 40 + 16 * gs->n_buckets;
    uint8_t *p = ofp_mp_reply_put(r, len);

    ofp_put_be(p, 2, len);
    ofp_put_be(p + 4, 4, gs->group_id);
    ofp_put_be(p + 8, 4, gs->ref_count);
    ofp_put_be(p + 16, 8, gs->packet_count);
    ofp_put_be(p + 24, 8, gs->byte_count);
    ofp_put_be(p + 32, 4, gs->duration_sec);
    ofp_put_be(p + 36, 4, gs->duration_nsec);
    for (size_t i = 0; i < gs->n_buckets; i++) {
        ofp_put_be(p + 40 + 16 * i, 8, gs->bucket_packets[i]);
        ofp_put_be(p + 48 + 16 * i, 8, gs->bucket_bytes[i]);
    }
}

void
ofp_group_desc_put(struct ofp_mp_reply *r, const struct of_group *g)
{
    struct buf tmp;
    uint8_t *p;

    buf_init(&tmp, 0, 128);
    p = buf_put_zeros(&tmp, 8);
    p[2] = g->type;
    ofp_put_be(p + 4, 4, g->id);
    put_buckets(&tmp, g->buckets, g->n_buckets);
    ofp_put_be(tmp.data, 2, tmp.size);
    memcpy(ofp_mp_reply_put(r, tmp.size), tmp.data, tmp.size);
    buf_uninit(&tmp);
}

enum ofperr
ofp_group_desc_pull(const uint8_t **pp, size_t *sizep,
                    struct ofp_group_mod_req *gm)
{
    const uint8_t *p = *pp;
    size_t len;
    enum ofperr e;

    memset(gm, 0, sizeof *gm);
    if (*sizep < 8) {
        return OFPERR_BAD_LEN;
    }
    len = ofp_get_be(p, 2);
    if (len < 8 || len > *sizep) {
        return OFPERR_BAD_LEN;
    }
    gm->command = OFPGC_ADD;
    gm->type = p[2];
    gm->group_id = ofp_get_be(p + 4, 4);
    e = pull_buckets(p + 8, len - 8, gm);
    if (!e) {
        *pp = p + len;
        *sizep -= len;
    }
    return e;
}

void
ofp_group_features_put(struct ofp_mp_reply *r,
                       const struct ofp_group_features *gf)
{
    uint8_t *p = ofp_mp_reply_put(r, 40);

    ofp_put_be(p, 4, gf->types);
    ofp_put_be(p + 4, 4, gf->capabilities);
    for (int i = 0; i < 4; i++) {
        ofp_put_be(p + 8 + 4 * i, 4, gf->max_groups[i]);
        ofp_put_be(p + 24 + 4 * i, 4, gf->actions[i]);
    }
}

#define GROUP_ACTIONS                                                         \
    ((1u << OFPAT13_OUTPUT) | (1u << OFPAT13_PUSH_VLAN)                       \
     | (1u << OFPAT13_POP_VLAN) | (1u << OFPAT13_SET_QUEUE)                   \
     | (1u << OFPAT13_GROUP) | (1u << OFPAT13_SET_NW_TTL)                     \
     | (1u << OFPAT13_DEC_NW_TTL) | (1u << OFPAT13_SET_FIELD))

const struct ofp_group_features ofp_vswitch_group_features = {
    .types = (1 << OFPGT_ALL) | (1 << OFPGT_SELECT) | (1 << OFPGT_INDIRECT)
             | (1 << OFPGT_FF),
    .capabilities = OFPGFC_SELECT_WEIGHT | OFPGFC_SELECT_LIVENESS
                    | OFPGFC_CHAINING | OFPGFC_CHAINING_CHECKS,
    .max_groups = {65535, 65535, 65535, 65535},
    .actions = {GROUP_ACTIONS, GROUP_ACTIONS, GROUP_ACTIONS, GROUP_ACTIONS},
};

/* ---------------------------------------------------------------------- */
/* PORT_MOD. */

#define OFPPC_KNOWN                                                           \
    (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | OFPPC_NO_PACKET_IN)

enum ofperr
ofp_port_mod_decode(const void *msg, size_t size, struct ofp_port_mod *pm)
{
    const uint8_t *p = msg;

    memset(pm, 0, sizeof *pm);
    if (p[0] == OFP10_VERSION) {
        if (size != 32) {
            return OFPERR_BAD_LEN;
        }
        pm->port_no = ofp_get_be(p + 8, 2);
        memcpy(pm->hw_addr, p + 10, 6);
        pm->config = ofp_get_be(p + 16, 4);
        pm->mask = ofp_get_be(p + 20, 4);
        pm->advertise = ofp_get_be(p + 24, 4);
    } else {
        if (size != 40) {
            return OFPERR_BAD_LEN;
        }
        if (ofp_port_from_ofp13(ofp_get_be(p + 8, 4), &pm->port_no)) {
            return OFPERR_PORT_MOD_BAD_PORT;
        }
        memcpy(pm->hw_addr, p + 16, 6);
        pm->config = ofp_get_be(p + 24, 4);
        pm->mask = ofp_get_be(p + 28, 4);
        pm->advertise = ofp_get_be(p + 32, 4);
        if ((pm->config | pm->mask) & ~OFPPC_KNOWN) {
            return OFPERR_PORT_MOD_BAD_CONFIG;
        }
    }
    if (pm->port_no == 0
        || (pm->port_no >= OFPP_MAX && pm->port_no != OFPP_LOCAL)) {
        return OFPERR_PORT_MOD_BAD_PORT;
    }
    return 0;
}

void
ofp_port_mod_encode(const struct ofp_port_mod *pm, uint8_t version,
                    uint32_t xid, struct buf *b)
{
    uint8_t *p;

    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT10_PORT_MOD, xid, 24);
        ofp_put_be(p + 8, 2, pm->port_no);
        memcpy(p + 10, pm->hw_addr, 6);
        ofp_put_be(p + 16, 4, pm->config);
        ofp_put_be(p + 20, 4, pm->mask);
        ofp_put_be(p + 24, 4, pm->advertise);
    } else {
        p = ofp_start_msg(b, version, OFPT13_PORT_MOD, xid, 32);
        ofp_put_be(p + 8, 4, ofp_port_to_ofp13(pm->port_no));
        memcpy(p + 16, pm->hw_addr, 6);
        ofp_put_be(p + 24, 4, pm->config);
        ofp_put_be(p + 28, 4, pm->mask);
        ofp_put_be(p + 32, 4, pm->advertise);
    }
}

/* ---------------------------------------------------------------------- */
/* TABLE_MOD, ROLE, async. */

enum ofperr
ofp_table_mod_decode(const void *msg, size_t size, uint8_t *table_id,
                     uint32_t *config)
{
    const uint8_t *p = msg;

    if (size != 16) {
        return OFPERR_BAD_LEN;
    }
    *table_id = p[8];
    *config = ofp_get_be(p + 12, 4);
    if (*table_id >= 254 && *table_id != 0xff) {
        return OFPERR_TABLE_MOD_BAD_TABLE;
    }
    if (*config & ~OFPTC13_DEPRECATED_MASK) {
        return OFPERR_TABLE_MOD_BAD_CONFIG;
    }
    return 0;
}

void
ofp_table_mod_encode(uint8_t table_id, uint32_t config, uint32_t xid,
                     struct buf *b)
{
    uint8_t *p = ofp_start_msg(b, OFP13_VERSION, OFPT13_TABLE_MOD, xid, 8);

    p[8] = table_id;
    ofp_put_be(p + 12, 4, config);
}

enum ofperr
ofp_role_decode(const void *msg, size_t size, uint32_t *role,
                uint64_t *generation_id)
{
    const uint8_t *p = msg;

    if (size != 24) {
        return OFPERR_BAD_LEN;
    }
    *role = ofp_get_be(p + 8, 4);
    *generation_id = ofp_get_be(p + 16, 8);
    if (*role > OFPCR_ROLE_SLAVE) {
        return OFPERR_BAD_ROLE;
    }
    return 0;
}

void
ofp_role_encode(uint8_t raw_type, uint32_t role, uint64_t generation_id,
                uint32_t xid, struct buf *b)
{
    uint8_t *p = ofp_start_msg(b, OFP13_VERSION, raw_type, xid, 16);

    ofp_put_be(p + 8, 4, role);
    ofp_put_be(p + 16, 8, generation_id);
}

const struct ofp_async_config ofp_async_default = {
    .packet_in_mask = {0x7, 0},
    .port_status_mask = {0x7, 0x7},
    .flow_removed_mask = {0xf, 0},
};

enum ofperr
ofp_async_decode(const void *msg, size_t size, struct ofp_async_config *ac)
{
    const uint8_t *p = msg;

    if (size != 32) {
        return OFPERR_BAD_LEN;
    }
    for (int i = 0; i < 2; i++) {
        ac->packet_in_mask[i] = ofp_get_be(p + 8 + 4 * i, 4);
        ac->port_status_mask[i] = ofp_get_be(p + 16 + 4 * i, 4);
        ac->flow_removed_mask[i] = ofp_get_be(p + 24 + 4 * i, 4);
    }
    return 0;
}

void
ofp_async_encode(uint8_t raw_type, const struct ofp_async_config *ac,
                 uint32_t xid, struct buf *b)
{
    uint8_t *p = ofp_start_msg(b, OFP13_VERSION, raw_type, xid, 24);

    for (int i = 0; i < 2; i++) {
        ofp_put_be(p + 8 + 4 * i, 4, ac->packet_in_mask[i]);
        ofp_put_be(p + 16 + 4 * i, 4, ac->port_status_mask[i]);
        ofp_put_be(p + 24 + 4 * i, 4, ac->flow_removed_mask[i]);
    }
}

/* ---------------------------------------------------------------------- */
/* Text. */

static const char *const group_type_names[] = {"all", "select", "indirect",
                                               "ff"};

/* Parses one bucket's text 'b' (modified) into a new bucket of 'gm'. */
static int
parse_bucket(struct ofp_group_mod_req *gm, char *b, char **errorp)
{
    struct of_bucket *bk;
    char *acts = NULL;
    int error;

    gm->buckets =
        xrealloc(gm->buckets, (gm->n_buckets + 1) * sizeof *gm->buckets);
    bk = &gm->buckets[gm->n_buckets++];
    memset(bk, 0, sizeof *bk);
    ofpacts_init(&bk->actions);
    bk->weight = gm->type == OFPGT_SELECT ? 1 : 0;
    bk->watch_port = OFPP_NONE;
    bk->watch_group = OFPG_ANY;
    while (*b) {
        char *comma = strchr(b, ',');
        char *sep = strpbrk(b, ":=");
        size_t klen = sep ? (size_t) (sep - b) : 0;
        uint64_t v;

        if (comma && sep > comma) {
            sep = NULL;
        }
        if (sep && klen == 7 && !strncmp(b, "actions", 7) && *sep == '=') {
            acts = sep + 1;
            break;
        }
        if (!sep
            || !((klen == 6 && !strncmp(b, "weight", 6))
                 || (klen == 10 && !strncmp(b, "watch_port", 10))
                 || (klen == 11 && !strncmp(b, "watch_group", 11)))) {
            acts = b;
            break;
        }
        if (comma) {
            *comma = '\0';
        }
        if (b[6] == ':' || b[6] == '=') {
            if (!ofp_parse_uint(sep + 1, UINT16_MAX, &v)) {
                return ofp_text_error(errorp, "%s: bad weight", sep + 1);
            }
            bk->weight = v;
        } else if (klen == 10) {
            if (!ofp_port_from_string(sep + 1, &bk->watch_port)) {
                return ofp_text_error(errorp, "%s: bad watch_port", sep + 1);
            }
        } else {
            if (!ofp_parse_uint(sep + 1, UINT32_MAX, &v)) {
                return ofp_text_error(errorp, "%s: bad watch_group", sep + 1);
            }
            bk->watch_group = v;
        }
        b = comma ? comma + 1 : b + strlen(b);
    }
    error = ofpacts_parse(acts ? acts : "", NULL, &bk->actions, errorp);
    return error;
}

int
ofp_group_mod_parse(struct ofp_group_mod_req *gm, const char *text,
                    int command, char **errorp)
{
    char *s = xstrdup(text), *head = s, *next;
    char empty[1] = "";
    bool have_id = false;
    int error = 0;

    memset(gm, 0, sizeof *gm);
    gm->command = command;
    gm->group_id = OFPG_ALL;
    /* The head runs to the first "bucket=". */
    next = strstr(s, "bucket=");
    if (next == s) {
        head = empty;
    } else if (next) {
        next[-1] = '\0';
    }
    for (char *save = NULL, *tok = strtok_r(head, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        uint64_t v;

        if (!eq) {
            error = ofp_text_error(errorp, "%s: expected KEY=VALUE", tok);
            goto out;
        }
        *eq = '\0';
        if (!strcmp(tok, "group_id")) {
            if (!strcmp(eq + 1, "all")) {
                v = OFPG_ALL;
            } else if (!ofp_parse_uint(eq + 1, OFPG_MAX, &v)) {
                error = ofp_text_error(errorp, "%s: bad group_id", eq + 1);
                goto out;
            }
            gm->group_id = v;
            have_id = true;
        } else if (!strcmp(tok, "type")) {
            size_t i;

            for (i = 0; i < ARRAY_SIZE(group_type_names); i++) {
                if (!strcmp(eq + 1, group_type_names[i])) {
                    break;
                }
            }
            if (i == ARRAY_SIZE(group_type_names)
                && strcmp(eq + 1, "fast_failover")) {
                error = ofp_text_error(errorp, "%s: bad group type", eq + 1);
                goto out;
            }
            gm->type = i < ARRAY_SIZE(group_type_names) ? i : OFPGT_FF;
        } else {
            error = ofp_text_error(errorp, "%s: unknown group keyword", tok);
            goto out;
        }
    }
    if (!have_id && command != OFPGC_DELETE) {
        error = ofp_text_error(errorp, "%s", "must specify a group_id");
        goto out;
    }
    while (next) {
        char *b = next + strlen("bucket="), *end = strstr(b, ",bucket=");

        if (end) {
            *end = '\0';
            next = end + 1;
        } else {
            next = NULL;
        }
        error = parse_bucket(gm, b, errorp);
        if (error) {
            goto out;
        }
    }
out:
    free(s);
    if (error) {
        ofp_group_mod_uninit(gm);
    }
    return error;
}

void
ofp_group_format(uint32_t id, uint8_t type, const struct of_bucket *buckets,
                 size_t n, struct ds *ds)
{
    char buf[16];

    ds_put_format(ds, "group_id=%" PRIu32 ",type=%s", id,
                  type < ARRAY_SIZE(group_type_names) ? group_type_names[type]
                                                      : "unknown");
    for (size_t i = 0; i < n; i++) {
        const struct of_bucket *b = &buckets[i];

        ds_put_cstr(ds, ",bucket=");
        if (type == OFPGT_SELECT && b->weight != 1) {
            ds_put_format(ds, "weight:%u,", b->weight);
        }
        if (b->watch_port != OFPP_NONE) {
            ds_put_format(ds, "watch_port:%s,",
                          ofp_port_to_string(b->watch_port, buf));
        }
        if (b->watch_group != OFPG_ANY) {
            ds_put_format(ds, "watch_group:%" PRIu32 ",", b->watch_group);
        }
        ds_put_cstr(ds, "actions=");
        ofpacts_format(&b->actions, OFP13_VERSION, ds);
    }
}
