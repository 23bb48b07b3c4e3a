/* SPDX-License-Identifier: Apache-2.0 */
/* ofp-flow: FLOW_MOD, FLOW_REMOVED, PACKET_IN/OUT, flow and aggregate
 * stats of OpenFlow 1.0 and 1.3, and the text of flows. */
#include "vswitch/ofp-flow.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-match.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

void
ofp_flow_mod_init(struct ofp_flow_mod *fm)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    fm->priority = OFP_DEFAULT_PRIORITY;
    fm->new_cookie = UINT64_MAX;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_NONE;
    fm->out_group = OFPG_ANY;
    ofpacts_init(&fm->ofpacts);
}

void
ofp_flow_mod_uninit(struct ofp_flow_mod *fm)
{
    ofpacts_uninit(&fm->ofpacts);
}

/* A 1.3 port filter (ANY allowed) in the 16-bit form. */
static enum ofperr
port_filter_from13(uint32_t port13, uint16_t *port)
{
    if (port13 == 0xffffffffu) {
        *port = OFPP_NONE;
        return 0;
    }
    return ofp_port_from_ofp13(port13, port);
}

static uint32_t
port_filter_to13(uint16_t port)
{
    return port == OFPP_NONE ? 0xffffffffu : ofp_port_to_ofp13(port);
}

/* Splits a 1.0 or NXT_FLOW_MOD 'command' field: with the table id
 * extension on, its high byte is the table (0xff: the default); without
 * it, the high byte is ignored. */
static enum ofperr
flow_mod_command10(struct ofp_flow_mod *fm, uint16_t command, bool table_ext)
{
    uint8_t table = OFPTT_ALL;

    if (table_ext) {
        table = command >> 8;
        command &= 0xff;
    }
    fm->command = command & 0xff;
    if (table == OFPTT_ALL) {
        /* No table id: adds go to table 0, the rest act on every table
         * (as Open vSwitch does). */
        fm->table_id = fm->command == OFPFC_ADD ? 0 : OFPTT_ALL;
    } else if (table >= OFP_N_TABLES) {
        return OFPERR_FLOW_MOD_BAD_TABLE_ID;
    } else {
        fm->table_id = table;
    }
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_BAD_COMMAND;
    }
    return 0;
}

/* The part 1.0's FLOW_MOD and NXT_FLOW_MOD share, at 'c': command, idle
 * and hard timeouts, priority, buffer id, out port, and the flags (left in
 * '*flags' for the caller to check). */
static enum ofperr
flow_mod_common10(struct ofp_flow_mod *fm, const uint8_t *c, bool table_ext,
                  uint16_t *flags)
{
    enum ofperr e = flow_mod_command10(fm, ofp_get_be(c, 2), table_ext);

    if (e) {
        return e;
    }
    fm->idle_timeout = ofp_get_be(c + 2, 2);
    fm->hard_timeout = ofp_get_be(c + 4, 2);
    fm->priority = ofp_get_be(c + 6, 2);
    fm->buffer_id = ofp_get_be(c + 8, 4);
    fm->out_port = ofp_get_be(c + 12, 2);
    *flags = ofp_get_be(c + 14, 2);
    fm->modify_may_add = true;
    return 0;
}

/* The body of a NXT_FLOW_MOD (after its 16-byte Nicira header). */
static enum ofperr
nx_flow_mod_decode(const uint8_t *p, size_t size, bool table_ext,
                   struct ofp_flow_mod *fm)
{
    size_t match_len, padded;
    uint64_t cookie, cookie_mask;
    uint16_t flags;
    enum ofperr e;

    if (size < 48 || (size - 48) % 8) {
        return OFPERR_BAD_LEN;
    }
    match_len = ofp_get_be(p + 40, 2);
    padded = ROUND_UP(match_len, 8);
    if (padded > size - 48) {
        return OFPERR_BAD_MATCH_LEN;
    }
    e = flow_mod_common10(fm, p + 24, table_ext, &flags);
    if (e) {
        return e;
    }
    e = nxm_decode_fields(p + 48, match_len, &fm->match, &cookie,
                          &cookie_mask);
    if (e) {
        return e;
    }
    if (fm->command == OFPFC_ADD && cookie_mask) {
        /* A cookie to match says nothing for an add. */
        return OFPERR_NXM_INVALID;
    }
    fm->cookie = cookie;
    fm->cookie_mask = cookie_mask;
    fm->new_cookie = ofp_get_be(p + 16, 8);
    if (fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT) {
        fm->new_cookie = UINT64_MAX;
    }
    if (flags & ~(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP)) {
        return OFPERR_BAD_FLAGS;
    }
    fm->flags = flags;
    return ofpacts_decode10(p + 48 + padded, size - 48 - padded, &fm->match,
                            &fm->ofpacts);
}

enum ofperr
ofp_flow_mod_decode(const void *msg, size_t size, struct ofp_flow_mod *fm)
{
    return ofp_flow_mod_decode_ext(msg, size, false, fm);
}

enum ofperr
ofp_flow_mod_decode_ext(const void *msg, size_t size, bool table_ext,
                        struct ofp_flow_mod *fm)
{
    const uint8_t *p = msg;
    uint8_t version = p[0];
    enum ofperr e;

    ofp_flow_mod_init(fm);
    if (version == OFP10_VERSION && p[1] == OFPT_EXPERIMENTER) {
        if (size < NX_HEADER_SIZE || ofp_get_be(p + 8, 4) != NX_VENDOR_ID
            || ofp_get_be(p + 12, 4) != NXT_FLOW_MOD) {
            return OFPERR_BAD_EXPERIMENTER;
        }
        e = nx_flow_mod_decode(p, size, table_ext, fm);
        if (e) {
            return e;
        }
    } else if (version == OFP10_VERSION) {
        uint16_t flags;

        if (size < 72) {
            return OFPERR_BAD_LEN;
        }
        ofp10_match_decode(p + 8, &fm->match);
        e = flow_mod_common10(fm, p + 56, table_ext, &flags);
        if (e) {
            return e;
        }
        if (fm->command == OFPFC_ADD || fm->command == OFPFC_MODIFY
            || fm->command == OFPFC_MODIFY_STRICT) {
            fm->new_cookie = ofp_get_be(p + 48, 8);
        }
        if (ofp_get_be(p + 8, 4) == 0) {
            fm->priority = UINT16_MAX;
        }
        if (flags & ~(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP)) {
            return OFPERR_BAD_FLAGS;
        }
        fm->flags = flags;
        e = ofpacts_decode10(p + 72, size - 72, &fm->match, &fm->ofpacts);
        if (e) {
            return e;
        }
    } else if (version == OFP13_VERSION) {
        size_t mlen;

        if (size < 56) {
            return OFPERR_BAD_LEN;
        }
        fm->cookie = ofp_get_be(p + 8, 8);
        fm->cookie_mask = ofp_get_be(p + 16, 8);
        fm->table_id = p[24];
        fm->command = p[25];
        fm->idle_timeout = ofp_get_be(p + 26, 2);
        fm->hard_timeout = ofp_get_be(p + 28, 2);
        fm->priority = ofp_get_be(p + 30, 2);
        fm->buffer_id = ofp_get_be(p + 32, 4);
        fm->flags = ofp_get_be(p + 44, 2);
        fm->out_group = ofp_get_be(p + 40, 4);
        if (fm->command > OFPFC_DELETE_STRICT) {
            return OFPERR_BAD_COMMAND;
        }
        if (fm->command == OFPFC_ADD) {
            fm->new_cookie = fm->cookie;
            fm->cookie = fm->cookie_mask = 0;
        }
        if (port_filter_from13(ofp_get_be(p + 36, 4), &fm->out_port)) {
            return OFPERR_BAD_PORT;
        }
        if (fm->table_id == OFPTT_ALL ? fm->command == OFPFC_ADD
                                      : fm->table_id >= OFP_N_TABLES) {
            return OFPERR_FLOW_MOD_BAD_TABLE_ID;
        }
        if (fm->flags & ~0x1f) {
            return OFPERR_BAD_FLAGS;
        }
        e = ofp13_match_decode(p + 48, size - 48, &fm->match, &mlen);
        if (e) {
            return e;
        }
        e = ofpacts_decode13_instructions(p + 48 + mlen, size - 48 - mlen,
                                          &fm->ofpacts);
        if (e) {
            return e;
        }
    } else {
        return OFPERR_BAD_VERSION;
    }
    if (fm->command <= OFPFC_MODIFY_STRICT) {
        if (fm->buffer_id != OFP_NO_BUFFER) {
            return OFPERR_BUFFER_UNKNOWN;
        }
        e = ofpacts_check(&fm->ofpacts, &fm->match, fm->table_id,
                          OFP_N_TABLES);
        if (e) {
            return e;
        }
    }
    return 0;
}

/* Whether 'm' constrains tunnel metadata, which a 1.0 match cannot say
 * (ovs-ofctl needs Nicira's NXM for it). */
static bool
match_has_tunnel(const struct match *m)
{
    static const struct flow_tnl zero;

    return memcmp(&m->wc.tunnel, &zero, sizeof zero) != 0;
}

enum ofperr
ofp_flow_mod_encode(const struct ofp_flow_mod *fm, uint8_t version,
                    uint32_t xid, struct buf *b)
{
    size_t start = b->size;
    uint64_t cookie;
    uint8_t *p;
    enum ofperr e;

    if (version == OFP10_VERSION && match_has_tunnel(&fm->match)) {
        /* Widening it would add or delete flows the text does not say. */
        return OFPERR_BAD_FIELD;
    }
    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT_FLOW_MOD, xid, 64);
        ofp10_match_encode(&fm->match, p + 8);
        cookie = fm->new_cookie != UINT64_MAX ? fm->new_cookie : fm->cookie;
        ofp_put_be(p + 48, 8, cookie);
        ofp_put_be(p + 56, 2, fm->command);
        ofp_put_be(p + 58, 2, fm->idle_timeout);
        ofp_put_be(p + 60, 2, fm->hard_timeout);
        ofp_put_be(p + 62, 2, fm->priority);
        ofp_put_be(p + 64, 4, fm->buffer_id);
        ofp_put_be(p + 68, 2, fm->out_port);
        ofp_put_be(p + 70, 2,
                   fm->flags & (OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP));
        e = ofpacts_encode10(&fm->ofpacts, b);
    } else {
        p = ofp_start_msg(b, version, OFPT_FLOW_MOD, xid, 40);
        if (fm->command == OFPFC_ADD) {
            ofp_put_be(p + 8, 8,
                       fm->new_cookie != UINT64_MAX ? fm->new_cookie : 0);
        } else {
            ofp_put_be(p + 8, 8, fm->cookie);
            ofp_put_be(p + 16, 8, fm->cookie_mask);
        }
        p[24] = fm->table_id;
        p[25] = fm->command;
        ofp_put_be(p + 26, 2, fm->idle_timeout);
        ofp_put_be(p + 28, 2, fm->hard_timeout);
        ofp_put_be(p + 30, 2, fm->priority);
        ofp_put_be(p + 32, 4, fm->buffer_id);
        ofp_put_be(p + 36, 4, port_filter_to13(fm->out_port));
        ofp_put_be(p + 40, 4, fm->out_group);
        ofp_put_be(p + 44, 2, fm->flags);
        ofp13_match_put(b, &fm->match);
        e = ofpacts_encode13_instructions(&fm->ofpacts, b);
    }
    ofp_finish_msg(b, start);
    return e;
}

/* ---------------------------------------------------------------------- */
/* Text. */

static int
text_error(char **errorp, const char *fmt, const char *arg)
{
    if (errorp) {
        *errorp = xasprintf(fmt, arg);
    }
    return EINVAL;
}

static bool
text_uint(const char *s, uint64_t max, uint64_t *v)
{
    char *end;

    if (!*s || *s == '-') {
        return false;
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && !*end && *v <= max;
}

int
ofp_flow_mod_parse(struct ofp_flow_mod *fm, const char *text, int command,
                   char **errorp)
{
    char *s = xstrdup(text), *acts = NULL, *save = NULL, *tok;
    struct ds rest;
    int error = 0;

    ofp_flow_mod_init(fm);
    fm->command = command;
    if (command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT) {
        fm->table_id = OFPTT_ALL;
    }
    ds_init(&rest);
    {
        char *a = strstr(s, "actions=");

        if (a && (a == s || a[-1] == ',' || a[-1] == ' ')) {
            acts = a + 8;
            *a = '\0';
        }
    }
    for (tok = strtok_r(s, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        char *eq = strchr(tok, '=');
        const char *val = eq ? eq + 1 : NULL;
        uint64_t v;

        if (eq) {
            *eq = '\0';
        }
        if (!strcmp(tok, "table") && val) {
            if (!strcmp(val, "ALL") || !strcmp(val, "255")) {
                fm->table_id = OFPTT_ALL;
            } else if (!text_uint(val, OFP_N_TABLES - 1, &v)) {
                error = text_error(errorp, "%s: bad table", val);
                break;
            } else {
                fm->table_id = v;
            }
        } else if (!strcmp(tok, "priority") && val) {
            if (!text_uint(val, UINT16_MAX, &v)) {
                error = text_error(errorp, "%s: bad priority", val);
                break;
            }
            fm->priority = v;
        } else if ((!strcmp(tok, "idle_timeout")
                    || !strcmp(tok, "hard_timeout"))
                   && val) {
            if (!text_uint(val, UINT16_MAX, &v)) {
                error = text_error(errorp, "%s: bad timeout", val);
                break;
            }
            if (tok[0] == 'i') {
                fm->idle_timeout = v;
            } else {
                fm->hard_timeout = v;
            }
        } else if (!strcmp(tok, "cookie") && val) {
            char *slash = strchr(val, '/');
            uint64_t mask = UINT64_MAX;

            if (slash) {
                *slash = '\0';
                if (!strcmp(slash + 1, "-1")) {
                    mask = UINT64_MAX; /* ovs-ofctl's "all bits". */
                } else if (!text_uint(slash + 1, UINT64_MAX, &mask)) {
                    error =
                        text_error(errorp, "%s: bad cookie mask", slash + 1);
                    break;
                }
            }
            if (!text_uint(val, UINT64_MAX, &v)) {
                error = text_error(errorp, "%s: bad cookie", val);
                break;
            }
            if (command == OFPFC_ADD) {
                if (slash) {
                    error = text_error(errorp, "%s",
                                       "cannot set cookie with a mask");
                    break;
                }
                fm->new_cookie = v;
            } else if (slash) {
                fm->cookie = v;
                fm->cookie_mask = mask;
            } else {
                fm->new_cookie = v;
            }
        } else if (!strcmp(tok, "out_port") && val) {
            uint16_t port;

            if (!ofp_port_from_string(val, &port)) {
                error = text_error(errorp, "%s: bad out_port", val);
                break;
            }
            fm->out_port = port;
        } else if (!strcmp(tok, "out_group") && val) {
            if (!text_uint(val, UINT32_MAX, &v)) {
                error = text_error(errorp, "%s: bad out_group", val);
                break;
            }
            fm->out_group = v;
        } else if (!strcmp(tok, "send_flow_rem") && !val) {
            fm->flags |= OFPFF_SEND_FLOW_REM;
        } else if (!strcmp(tok, "check_overlap") && !val) {
            fm->flags |= OFPFF_CHECK_OVERLAP;
        } else if (!strcmp(tok, "reset_counts") && !val) {
            fm->flags |= OFPFF_RESET_COUNTS;
        } else {
            if (rest.length) {
                ds_put_char(&rest, ',');
            }
            ds_put_cstr(&rest, tok);
            if (val) {
                ds_put_format(&rest, "=%s", val);
            }
        }
    }
    if (!error && rest.length) {
        error = match_parse(&fm->match, ds_cstr(&rest), errorp);
    }
    if (!error && acts) {
        error = ofpacts_parse(acts, &fm->match, &fm->ofpacts, errorp);
    } else if (!error && command <= OFPFC_MODIFY_STRICT) {
        error = text_error(errorp, "%s", "must specify an action");
    }
    if (!error && command <= OFPFC_MODIFY_STRICT
        && ofpacts_check(&fm->ofpacts, &fm->match, fm->table_id,
                         OFP_N_TABLES)) {
        error = text_error(errorp, "%s",
                           "actions are invalid with specified match");
    }
    ds_destroy(&rest);
    free(s);
    return error;
}

/* ---------------------------------------------------------------------- */
/* FLOW_REMOVED. */

void
ofp_nx_flow_removed_encode(const struct ofp_flow_removed *fr, struct buf *b)
{
    size_t start = b->size;
    uint8_t *p = ofp_start_msg(b, OFP10_VERSION, OFPT_EXPERIMENTER, 0, 48);
    size_t match_len;

    ofp_put_be(p + 8, 4, NX_VENDOR_ID);
    ofp_put_be(p + 12, 4, NXT_FLOW_REMOVED);
    ofp_put_be(p + 16, 8, fr->cookie);
    ofp_put_be(p + 24, 2, fr->priority);
    p[26] = fr->reason;
    p[27] = fr->table_id + 1; /* 0: unknown. */
    ofp_put_be(p + 28, 4, fr->duration_sec);
    ofp_put_be(p + 32, 4, fr->duration_nsec);
    ofp_put_be(p + 36, 2, fr->idle_timeout);
    ofp_put_be(p + 40, 8, fr->packet_count);
    ofp_put_be(p + 48, 8, fr->byte_count);
    match_len = nxm_put_match(b, &fr->match, 0, 0);
    ofp_put_be(b->data + start + 38, 2, match_len);
    ofp_finish_msg(b, start);
}

void
ofp_flow_removed_encode(const struct ofp_flow_removed *fr, uint8_t version,
                        struct buf *b)
{
    size_t start = b->size;
    uint8_t *p;

    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT_FLOW_REMOVED, 0, 80);
        ofp10_match_encode(&fr->match, p + 8);
        ofp_put_be(p + 48, 8, fr->cookie);
        ofp_put_be(p + 56, 2, fr->priority);
        p[58] = fr->reason;
        ofp_put_be(p + 60, 4, fr->duration_sec);
        ofp_put_be(p + 64, 4, fr->duration_nsec);
        ofp_put_be(p + 68, 2, fr->idle_timeout);
        ofp_put_be(p + 72, 8, fr->packet_count);
        ofp_put_be(p + 80, 8, fr->byte_count);
    } else {
        p = ofp_start_msg(b, version, OFPT_FLOW_REMOVED, 0, 40);
        ofp_put_be(p + 8, 8, fr->cookie);
        ofp_put_be(p + 16, 2, fr->priority);
        p[18] = fr->reason;
        p[19] = fr->table_id;
        ofp_put_be(p + 20, 4, fr->duration_sec);
        ofp_put_be(p + 24, 4, fr->duration_nsec);
        ofp_put_be(p + 28, 2, fr->idle_timeout);
        ofp_put_be(p + 30, 2, fr->hard_timeout);
        ofp_put_be(p + 32, 8, fr->packet_count);
        ofp_put_be(p + 40, 8, fr->byte_count);
        ofp13_match_put(b, &fr->match);
    }
    ofp_finish_msg(b, start);
}

enum ofperr
ofp_flow_removed_decode(const void *msg, size_t size,
                        struct ofp_flow_removed *fr)
{
    const uint8_t *p = msg;

    memset(fr, 0, sizeof *fr);
    if (p[0] == OFP10_VERSION && p[1] == OFPT_EXPERIMENTER) {
        size_t match_len;
        uint64_t cookie, cookie_mask;

        if (size < 56 || ofp_get_be(p + 8, 4) != NX_VENDOR_ID
            || ofp_get_be(p + 12, 4) != NXT_FLOW_REMOVED) {
            return OFPERR_BAD_LEN;
        }
        match_len = ofp_get_be(p + 38, 2);
        if (ROUND_UP(match_len, 8) != size - 56) {
            return OFPERR_BAD_LEN;
        }
        fr->cookie = ofp_get_be(p + 16, 8);
        fr->priority = ofp_get_be(p + 24, 2);
        fr->reason = p[26];
        fr->table_id = p[27] ? p[27] - 1 : 0;
        fr->duration_sec = ofp_get_be(p + 28, 4);
        fr->duration_nsec = ofp_get_be(p + 32, 4);
        fr->idle_timeout = ofp_get_be(p + 36, 2);
        fr->packet_count = ofp_get_be(p + 40, 8);
        fr->byte_count = ofp_get_be(p + 48, 8);
        return nxm_decode_fields(p + 56, match_len, &fr->match, &cookie,
                                 &cookie_mask);
    } else if (p[0] == OFP10_VERSION) {
        if (size != 88) {
            return OFPERR_BAD_LEN;
        }
        ofp10_match_decode(p + 8, &fr->match);
        fr->cookie = ofp_get_be(p + 48, 8);
        fr->priority = ofp_get_be(p + 56, 2);
        fr->reason = p[58];
        fr->duration_sec = ofp_get_be(p + 60, 4);
        fr->duration_nsec = ofp_get_be(p + 64, 4);
        fr->idle_timeout = ofp_get_be(p + 68, 2);
        fr->packet_count = ofp_get_be(p + 72, 8);
        fr->byte_count = ofp_get_be(p + 80, 8);
        return 0;
    } else {
        size_t mlen;

        if (size < 56) {
            return OFPERR_BAD_LEN;
        }
        fr->cookie = ofp_get_be(p + 8, 8);
        fr->priority = ofp_get_be(p + 16, 2);
        fr->reason = p[18];
        fr->table_id = p[19];
        fr->duration_sec = ofp_get_be(p + 20, 4);
        fr->duration_nsec = ofp_get_be(p + 24, 4);
        fr->idle_timeout = ofp_get_be(p + 28, 2);
        fr->hard_timeout = ofp_get_be(p + 30, 2);
        fr->packet_count = ofp_get_be(p + 32, 8);
        fr->byte_count = ofp_get_be(p + 40, 8);
        return ofp13_match_decode(p + 48, size - 48, &fr->match, &mlen);
    }
}

/* ---------------------------------------------------------------------- */
/* PACKET_IN. */

void
ofp_packet_in_encode(const struct ofp_packet_in *pin, uint8_t version,
                     uint32_t xid, struct buf *b)
{
    size_t start = b->size;
    uint8_t *p;

    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT_PACKET_IN, xid, 10);
        ofp_put_be(p + 8, 4, pin->buffer_id);
        ofp_put_be(p + 12, 2, pin->total_len);
        ofp_put_be(p + 14, 2, pin->in_port);
        p[16] = pin->reason;
    } else {
        struct match m;

        p = ofp_start_msg(b, version, OFPT_PACKET_IN, xid, 16);
        ofp_put_be(p + 8, 4, pin->buffer_id);
        ofp_put_be(p + 12, 2, pin->total_len);
        p[14] = pin->reason;
        p[15] = pin->table_id;
        ofp_put_be(p + 16, 8, pin->cookie);
        match_init_catchall(&m);
        m.flow.in_port = pin->in_port;
        m.wc.in_port = UINT32_MAX;
        if (pin->metadata) {
            m.flow.metadata = pin->metadata;
            m.wc.metadata = UINT64_MAX;
        }
        if (pin->tun_id) {
            m.flow.tunnel.tun_id = htobe64(pin->tun_id);
            m.wc.tunnel.tun_id = UINT64_MAX;
        }
        if (pin->tun_src) {
            m.flow.tunnel.ip_src = pin->tun_src;
            m.wc.tunnel.ip_src = UINT32_MAX;
        }
        if (pin->tun_dst) {
            m.flow.tunnel.ip_dst = pin->tun_dst;
            m.wc.tunnel.ip_dst = UINT32_MAX;
        }
        ofp13_match_put(b, &m);
        buf_put_zeros(b, 2);
    }
    buf_put(b, pin->packet, pin->packet_len);
    ofp_finish_msg(b, start);
}

enum ofperr
ofp_packet_in_decode(const void *msg, size_t size, struct ofp_packet_in *pin)
{
    const uint8_t *p = msg;

    memset(pin, 0, sizeof *pin);
    if (p[0] == OFP10_VERSION) {
        if (size < 18) {
            return OFPERR_BAD_LEN;
        }
        pin->buffer_id = ofp_get_be(p + 8, 4);
        pin->total_len = ofp_get_be(p + 12, 2);
        pin->in_port = ofp_get_be(p + 14, 2);
        pin->reason = p[16];
        pin->packet = p + 18;
        pin->packet_len = size - 18;
    } else {
        struct match m;
        size_t mlen;
        enum ofperr e;

        if (size < 24) {
            return OFPERR_BAD_LEN;
        }
        pin->buffer_id = ofp_get_be(p + 8, 4);
        pin->total_len = ofp_get_be(p + 12, 2);
        pin->reason = p[14];
        pin->table_id = p[15];
        pin->cookie = ofp_get_be(p + 16, 8);
        e = ofp13_match_decode(p + 24, size - 24, &m, &mlen);
        if (e) {
            return e;
        }
        if (size < 24 + mlen + 2) {
            return OFPERR_BAD_LEN;
        }
        pin->in_port = m.flow.in_port;
        pin->metadata = m.flow.metadata;
        pin->tun_id = be64toh(m.flow.tunnel.tun_id);
        pin->tun_src = m.flow.tunnel.ip_src;
        pin->tun_dst = m.flow.tunnel.ip_dst;
        pin->packet = p + 24 + mlen + 2;
        pin->packet_len = size - 24 - mlen - 2;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* PACKET_OUT. */

static bool
valid_packet_out_in_port(uint16_t port)
{
    return port < OFPP_MAX || port == OFPP_LOCAL || port == OFPP_CONTROLLER
           || port == OFPP_NONE;
}

enum ofperr
ofp_packet_out_decode(const void *msg, size_t size, struct ofp_packet_out *po)
{
    const uint8_t *p = msg;
    size_t alen, ofs;
    enum ofperr e;

    ofpacts_clear(&po->ofpacts);
    if (p[0] == OFP10_VERSION) {
        if (size < 16) {
            return OFPERR_BAD_LEN;
        }
        po->buffer_id = ofp_get_be(p + 8, 4);
        po->in_port = ofp_get_be(p + 12, 2);
        alen = ofp_get_be(p + 14, 2);
        ofs = 16;
    } else {
        uint32_t port13;

        if (size < 24) {
            return OFPERR_BAD_LEN;
        }
        po->buffer_id = ofp_get_be(p + 8, 4);
        port13 = ofp_get_be(p + 12, 4);
        if (port13 == 0xffffffffu) {
            po->in_port = OFPP_NONE;
        } else if (ofp_port_from_ofp13(port13, &po->in_port)) {
            return OFPERR_BAD_PORT;
        }
        alen = ofp_get_be(p + 16, 2);
        ofs = 24;
    }
    if (alen > size - ofs) {
        return OFPERR_BAD_LEN;
    }
    if (!valid_packet_out_in_port(po->in_port)) {
        return OFPERR_BAD_PORT;
    }
    e = p[0] == OFP10_VERSION
            ? ofpacts_decode10(p + ofs, alen, NULL, &po->ofpacts)
            : ofpacts_decode13_actions(p + ofs, alen, &po->ofpacts);
    if (e) {
        return e;
    }
    if (po->buffer_id != OFP_NO_BUFFER) {
        return OFPERR_BUFFER_UNKNOWN;
    }
    po->packet = p + ofs + alen;
    po->packet_len = size - ofs - alen;
    return 0;
}

enum ofperr
ofp_packet_out_encode(const struct ofp_packet_out *po, uint8_t version,
                      uint32_t xid, struct buf *b)
{
    size_t start = b->size, astart;
    uint8_t *p;
    enum ofperr e;

    if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT_PACKET_OUT, xid, 8);
        ofp_put_be(p + 8, 4, po->buffer_id);
        ofp_put_be(p + 12, 2, po->in_port);
        astart = b->size;
        e = ofpacts_encode10(&po->ofpacts, b);
        ofp_put_be(b->data + start + 14, 2, b->size - astart);
    } else {
        p = ofp_start_msg(b, version, OFPT_PACKET_OUT, xid, 16);
        ofp_put_be(p + 8, 4, po->buffer_id);
        ofp_put_be(p + 12, 4, port_filter_to13(po->in_port));
        astart = b->size;
        e = ofpacts_encode13_actions(&po->ofpacts, b);
        ofp_put_be(b->data + start + 16, 2, b->size - astart);
    }
    if (po->packet_len) {
        buf_put(b, po->packet, po->packet_len);
    }
    ofp_finish_msg(b, start);
    return e;
}

/* ---------------------------------------------------------------------- */
/* Flow and aggregate stats. */

enum ofperr
ofp_flow_stats_request_decode(const void *msg, size_t size,
                              struct ofp_flow_stats_request *r)
{
    const uint8_t *p = msg;

    memset(r, 0, sizeof *r);
    if (p[0] == OFP10_VERSION && ofp_get_be(p + 8, 2) == OFPMP_EXPERIMENTER) {
        size_t match_len;
        uint32_t subtype;

        if (size < NX_STATS_HEADER_SIZE
            || ofp_get_be(p + 12, 4) != NX_VENDOR_ID) {
            return OFPERR_BAD_EXPERIMENTER;
        }
        subtype = ofp_get_be(p + 16, 4);
        if (subtype != NXST_FLOW && subtype != NXST_AGGREGATE) {
            return OFPERR_BAD_EXP_TYPE;
        }
        if (size < NX_STATS_HEADER_SIZE + 8) {
            return OFPERR_BAD_LEN;
        }
        r->nx = true;
        r->aggregate = subtype == NXST_AGGREGATE;
        r->out_port = ofp_get_be(p + 24, 2);
        match_len = ofp_get_be(p + 26, 2);
        r->table_id = p[28];
        r->out_group = OFPG_ANY;
        if (ROUND_UP(match_len, 8) > size - 32) {
            return OFPERR_BAD_MATCH_LEN;
        }
        return nxm_decode_fields(p + 32, match_len, &r->match, &r->cookie,
                                 &r->cookie_mask);
    } else if (p[0] == OFP10_VERSION) {
        if (size != 56) {
            return OFPERR_BAD_LEN;
        }
        r->aggregate = ofp_get_be(p + 8, 2) == OFPMP_AGGREGATE;
        ofp10_match_decode(p + 12, &r->match);
        r->table_id = p[52];
        r->out_port = ofp_get_be(p + 54, 2);
        r->out_group = OFPG_ANY;
        return 0;
    } else {
        size_t mlen;

        if (size < 56) {
            return OFPERR_BAD_LEN;
        }
        r->aggregate = ofp_get_be(p + 8, 2) == OFPMP_AGGREGATE;
        r->table_id = p[16];
        if (port_filter_from13(ofp_get_be(p + 20, 4), &r->out_port)) {
            return OFPERR_BAD_PORT;
        }
        r->out_group = ofp_get_be(p + 24, 4);
        r->cookie = ofp_get_be(p + 32, 8);
        r->cookie_mask = ofp_get_be(p + 40, 8);
        if (r->table_id != OFPTT_ALL && r->table_id >= OFP_N_TABLES) {
            return OFPERR_BAD_TABLE_ID;
        }
        return ofp13_match_decode(p + 48, size - 48, &r->match, &mlen);
    }
}

void
ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *r,
                              uint8_t version, uint32_t xid, struct buf *b)
{
    size_t start = b->size;
    uint16_t type = r->aggregate ? OFPMP_AGGREGATE : OFPMP_FLOW;
    uint8_t *p;

    if (version == OFP10_VERSION && r->nx) {
        size_t match_len;

        p = ofp_start_msg(b, version, OFPT10_STATS_REQUEST, xid, 24);
        ofp_put_be(p + 8, 2, OFPMP_EXPERIMENTER);
        ofp_put_be(p + 12, 4, NX_VENDOR_ID);
        ofp_put_be(p + 16, 4, r->aggregate ? NXST_AGGREGATE : NXST_FLOW);
        ofp_put_be(p + 24, 2, r->out_port);
        p[28] = r->table_id;
        match_len = nxm_put_match(b, &r->match, r->cookie, r->cookie_mask);
        ofp_put_be(b->data + start + 26, 2, match_len);
    } else if (version == OFP10_VERSION) {
        p = ofp_start_msg(b, version, OFPT10_STATS_REQUEST, xid, 48);
        ofp_put_be(p + 8, 2, type);
        ofp10_match_encode(&r->match, p + 12);
        p[52] = r->table_id;
        ofp_put_be(p + 54, 2, r->out_port);
    } else {
        p = ofp_start_msg(b, version, OFPT13_MULTIPART_REQUEST, xid, 40);
        ofp_put_be(p + 8, 2, type);
        p[16] = r->table_id;
        ofp_put_be(p + 20, 4, port_filter_to13(r->out_port));
        ofp_put_be(p + 24, 4, r->out_group);
        ofp_put_be(p + 32, 8, r->cookie);
        ofp_put_be(p + 40, 8, r->cookie_mask);
        ofp13_match_put(b, &r->match);
    }
    ofp_finish_msg(b, start);
}

enum ofperr
ofp_flow_stats_put(struct ofp_mp_reply *r, const struct ofp_flow_stats *fs)
{
    struct buf tmp;
    uint8_t *p;
    enum ofperr e;

    buf_init(&tmp, 0, 256);
    if (r->version == OFP10_VERSION && r->mp_type == OFPMP_EXPERIMENTER) {
        size_t match_len;

        p = buf_put_zeros(&tmp, 48);
        p[2] = fs->table_id;
        ofp_put_be(p + 4, 4, fs->duration_sec);
        ofp_put_be(p + 8, 4, fs->duration_nsec);
        ofp_put_be(p + 12, 2, fs->priority);
        ofp_put_be(p + 14, 2, fs->idle_timeout);
        ofp_put_be(p + 16, 2, fs->hard_timeout);
        /* Ages go out plus one (0: unknown), saturated. */
        ofp_put_be(p + 20, 2, VS_MIN(fs->idle_age + 1u, UINT16_MAX));
        ofp_put_be(p + 22, 2, VS_MIN(fs->hard_age + 1u, UINT16_MAX));
        ofp_put_be(p + 24, 8, fs->cookie);
        ofp_put_be(p + 32, 8, fs->packet_count);
        ofp_put_be(p + 40, 8, fs->byte_count);
        match_len = nxm_put_match(&tmp, &fs->match, 0, 0);
        ofp_put_be(tmp.data + 18, 2, match_len);
        ofpacts_encode10(&fs->ofpacts, &tmp);
        e = 0;
    } else if (r->version == OFP10_VERSION) {
        p = buf_put_zeros(&tmp, 88);
        p[2] = fs->table_id;
        ofp10_match_encode(&fs->match, p + 4);
        ofp_put_be(p + 44, 4, fs->duration_sec);
        ofp_put_be(p + 48, 4, fs->duration_nsec);
        ofp_put_be(p + 52, 2, fs->priority);
        ofp_put_be(p + 54, 2, fs->idle_timeout);
        ofp_put_be(p + 56, 2, fs->hard_timeout);
        ofp_put_be(p + 64, 8, fs->cookie);
        ofp_put_be(p + 72, 8, fs->packet_count);
        ofp_put_be(p + 80, 8, fs->byte_count);
        /* A 1.0 controller gets the actions 1.0 can say, up to the first
         * it cannot (goto_table and the like have no 1.0 form). */
        ofpacts_encode10(&fs->ofpacts, &tmp);
        e = 0;
    } else {
        p = buf_put_zeros(&tmp, 48);
        p[2] = fs->table_id;
        ofp_put_be(p + 4, 4, fs->duration_sec);
        ofp_put_be(p + 8, 4, fs->duration_nsec);
        ofp_put_be(p + 12, 2, fs->priority);
        ofp_put_be(p + 14, 2, fs->idle_timeout);
        ofp_put_be(p + 16, 2, fs->hard_timeout);
        ofp_put_be(p + 18, 2, fs->flags);
        ofp_put_be(p + 24, 8, fs->cookie);
        ofp_put_be(p + 32, 8, fs->packet_count);
        ofp_put_be(p + 40, 8, fs->byte_count);
        ofp13_match_put(&tmp, &fs->match);
        e = ofpacts_encode13_instructions(&fs->ofpacts, &tmp);
    }
    if (!e) {
        ofp_put_be(tmp.data, 2, tmp.size);
        memcpy(ofp_mp_reply_put(r, tmp.size), tmp.data, tmp.size);
    }
    buf_uninit(&tmp);
    return e;
}

enum ofperr
ofp_flow_stats_pull(const uint8_t **pp, size_t *sizep, uint8_t version,
                    struct ofp_flow_stats *fs)
{
    const uint8_t *p = *pp;
    size_t size = *sizep, len;
    enum ofperr e;

    ofpacts_clear(&fs->ofpacts);
    if (size < 2) {
        return OFPERR_BAD_LEN;
    }
    len = ofp_get_be(p, 2);
    if (len > size || len % 8) {
        return OFPERR_BAD_LEN;
    }
    fs->table_id = p[2];
    if (version == OFP10_VERSION) {
        if (len < 88) {
            return OFPERR_BAD_LEN;
        }
        ofp10_match_decode(p + 4, &fs->match);
        fs->duration_sec = ofp_get_be(p + 44, 4);
        fs->duration_nsec = ofp_get_be(p + 48, 4);
        fs->priority = ofp_get_be(p + 52, 2);
        fs->idle_timeout = ofp_get_be(p + 54, 2);
        fs->hard_timeout = ofp_get_be(p + 56, 2);
        fs->flags = 0;
        fs->cookie = ofp_get_be(p + 64, 8);
        fs->packet_count = ofp_get_be(p + 72, 8);
        fs->byte_count = ofp_get_be(p + 80, 8);
        e = ofpacts_decode10(p + 88, len - 88, &fs->match, &fs->ofpacts);
    } else {
        size_t mlen;

        if (len < 56) {
            return OFPERR_BAD_LEN;
        }
        fs->duration_sec = ofp_get_be(p + 4, 4);
        fs->duration_nsec = ofp_get_be(p + 8, 4);
        fs->priority = ofp_get_be(p + 12, 2);
        fs->idle_timeout = ofp_get_be(p + 14, 2);
        fs->hard_timeout = ofp_get_be(p + 16, 2);
        fs->flags = ofp_get_be(p + 18, 2);
        fs->cookie = ofp_get_be(p + 24, 8);
        fs->packet_count = ofp_get_be(p + 32, 8);
        fs->byte_count = ofp_get_be(p + 40, 8);
        e = ofp13_match_decode(p + 48, len - 48, &fs->match, &mlen);
        if (!e) {
            e = ofpacts_decode13_instructions(p + 48 + mlen, len - 48 - mlen,
                                              &fs->ofpacts);
        }
    }
    if (!e) {
        *pp = p + len;
        *sizep = size - len;
    }
    return e;
}

void
ofp_flow_stats_format(const struct ofp_flow_stats *fs, uint8_t version,
                      struct ds *ds)
{
    size_t before;

    ds_put_format(ds,
                  "cookie=0x%" PRIx64 ", duration=%" PRIu32 ".%03" PRIu32
                  "s, table=%u, n_packets=%" PRIu64 ", n_bytes=%" PRIu64 ", ",
                  fs->cookie, fs->duration_sec, fs->duration_nsec / 1000000,
                  fs->table_id, fs->packet_count, fs->byte_count);
    if (fs->idle_timeout) {
        ds_put_format(ds, "idle_timeout=%u, ", fs->idle_timeout);
    }
    if (fs->hard_timeout) {
        ds_put_format(ds, "hard_timeout=%u, ", fs->hard_timeout);
    }
    if (fs->flags & OFPFF_SEND_FLOW_REM) {
        ds_put_cstr(ds, "send_flow_rem ");
    }
    if (fs->flags & OFPFF_RESET_COUNTS) {
        ds_put_cstr(ds, "reset_counts ");
    }
    before = ds->length;
    if (fs->priority != OFP_DEFAULT_PRIORITY) {
        ds_put_format(ds, "priority=%u,", fs->priority);
    }
    match_format(&fs->match, ds);
    if (ds->length > before && ds_last(ds) == ',') {
        ds_truncate(ds, ds->length - 1);
    }
    if (ds->length > before) {
        ds_put_char(ds, ' ');
    }
    ds_put_cstr(ds, "actions=");
    ofpacts_format(&fs->ofpacts, version, ds);
}

void
ofp_aggregate_reply_put(struct ofp_mp_reply *r,
                        const struct ofp_aggregate_stats *as)
{
    uint8_t *p = ofp_mp_reply_put(r, 24);

    ofp_put_be(p, 8, as->packet_count);
    ofp_put_be(p + 8, 8, as->byte_count);
    ofp_put_be(p + 16, 4, as->flow_count);
}

enum ofperr
ofp_aggregate_reply_decode(const void *msg, size_t size,
                           struct ofp_aggregate_stats *as)
{
    const uint8_t *p = msg;
    size_t hdr = p[0] == OFP10_VERSION ? 12 : 16;

    if (size != hdr + 24) {
        return OFPERR_BAD_LEN;
    }
    as->packet_count = ofp_get_be(p + hdr, 8);
    as->byte_count = ofp_get_be(p + hdr + 8, 8);
    as->flow_count = ofp_get_be(p + hdr + 16, 4);
    return 0;
}
