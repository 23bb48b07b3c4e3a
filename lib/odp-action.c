/* SPDX-License-Identifier: Apache-2.0 */
/* odp-action: OVS_ACTION_ATTR_* lists: validation and the ovs-dpctl text
 * form ("2,push_vlan(vid=10,pcp=0),set(tunnel(...)),recirc(0x1)").
 *
 * Supported actions: output, userspace (pid, userdata), set (one key
 * attribute), set_masked, push_vlan, pop_vlan, sample, clone, recirc,
 * hash, trunc, ct_clear.  Everything else is rejected with EINVAL, as a datapath does
 * for probes. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "odp-private.h"

/* Nesting limit for sample(). */
#define ODP_MAX_ACTION_DEPTH 4

static const char *
action_name(unsigned int type)
{
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
        return "output";
    case OVS_ACTION_ATTR_USERSPACE:
        return "userspace";
    case OVS_ACTION_ATTR_SET:
        return "set";
    case OVS_ACTION_ATTR_PUSH_VLAN:
        return "push_vlan";
    case OVS_ACTION_ATTR_POP_VLAN:
        return "pop_vlan";
    case OVS_ACTION_ATTR_SAMPLE:
        return "sample";
    case OVS_ACTION_ATTR_RECIRC:
        return "recirc";
    case OVS_ACTION_ATTR_HASH:
        return "hash";
    case OVS_ACTION_ATTR_SET_MASKED:
        return "set_masked";
    case OVS_ACTION_ATTR_TRUNC:
        return "trunc";
    case OVS_ACTION_ATTR_CT_CLEAR:
        return "ct_clear";
    case OVS_ACTION_ATTR_CLONE:
        return "clone";
    default:
        return NULL;
    }
}

/* Whether key attribute 'type' may appear in set()/set_masked(). */
static bool
settable(unsigned int type, bool masked)
{
    switch (type) {
    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
    case OVS_KEY_ATTR_ETHERNET:
    case OVS_KEY_ATTR_IPV4:
    case OVS_KEY_ATTR_IPV6:
    case OVS_KEY_ATTR_TCP:
    case OVS_KEY_ATTR_UDP:
    case OVS_KEY_ATTR_SCTP:
    case OVS_KEY_ATTR_ICMP:
    case OVS_KEY_ATTR_ICMPV6:
        return true;
    case OVS_KEY_ATTR_TUNNEL:
        return !masked;
    default:
        return false;
    }
}

static int validate_list(const void *data, size_t size, int depth,
                         char **errorp);

static int
validate_set(const struct nlattr *a, bool masked, char **errorp)
{
    const void *data = mnl_attr_get_payload(a);
    size_t size = mnl_attr_get_payload_len(a);
    const struct nlattr *inner = data;
    unsigned int type;
    size_t len;
    int want;

    if (size < sizeof *inner || !mnl_attr_ok(inner, (int) size)
        || (size_t) MNL_ALIGN(inner->nla_len) < size) {
        return odp_error(errorp, "%s: must hold exactly one key attribute",
                         masked ? "set_masked" : "set");
    }
    type = mnl_attr_get_type(inner);
    len = mnl_attr_get_payload_len(inner);
    want = odp_key_attr_len(type);
    if (!settable(type, masked)) {
        return odp_error(errorp, "%s: key attribute %u cannot be set",
                         masked ? "set_masked" : "set", type);
    }
    if (type == OVS_KEY_ATTR_TUNNEL) {
        struct flow_tnl tnl;

        return odp_parse_tunnel(mnl_attr_get_payload(inner), len, &tnl, false,
                                errorp);
    }
    if (len != (size_t) want * (masked ? 2 : 1)) {
        return odp_error(errorp, "%s(%s): length %zu, expected %d",
                         masked ? "set_masked" : "set",
                         odp_key_attr_name(type), len,
                         want * (masked ? 2 : 1));
    }
    return 0;
}

static int
validate_action(const struct nlattr *a, int depth, char **errorp)
{
    unsigned int type = mnl_attr_get_type(a);
    size_t len = mnl_attr_get_payload_len(a);
    const char *name = action_name(type);
    int want = -1;

    if (!name) {
        return odp_error(errorp, "unsupported action %u", type);
    }
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
    case OVS_ACTION_ATTR_RECIRC:
    case OVS_ACTION_ATTR_TRUNC:
        want = 4;
        break;
    case OVS_ACTION_ATTR_PUSH_VLAN:
        want = sizeof(struct ovs_action_push_vlan);
        break;
    case OVS_ACTION_ATTR_HASH:
        want = sizeof(struct ovs_action_hash);
        break;
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_CT_CLEAR:
        want = 0;
        break;
    default:
        break;
    }
    if (want >= 0 && len != (size_t) want) {
        return odp_error(errorp, "action %s: length %zu, expected %d", name,
                         len, want);
    }
    switch (type) {
    case OVS_ACTION_ATTR_PUSH_VLAN: {
        struct ovs_action_push_vlan pv;

        memcpy(&pv, mnl_attr_get_payload(a), sizeof pv);
        if (pv.vlan_tpid != htons(ETH_TYPE_VLAN)
            && pv.vlan_tpid != htons(ETH_TYPE_VLAN_8021AD)) {
            return odp_error(errorp, "push_vlan: bad tpid 0x%04x",
                             ntohs(pv.vlan_tpid));
        }
        if (!(pv.vlan_tci & htons(VLAN_CFI))) {
            return odp_error(errorp, "push_vlan: tci lacks the CFI bit");
        }
        return 0;
    }
    case OVS_ACTION_ATTR_SET:
        return validate_set(a, false, errorp);
    case OVS_ACTION_ATTR_SET_MASKED:
        return validate_set(a, true, errorp);
    case OVS_ACTION_ATTR_USERSPACE: {
        const struct nlattr *attr;
        bool pid = false;
        size_t used = 0;

        mnl_attr_for_each_payload(mnl_attr_get_payload(a), len)
        {
            unsigned int ut = mnl_attr_get_type(attr);

            used = (const char *) attr - (const char *) mnl_attr_get_payload(a)
                   + MNL_ALIGN(attr->nla_len);
            if (ut == OVS_USERSPACE_ATTR_PID) {
                if (pid || mnl_attr_get_payload_len(attr) != 4) {
                    return odp_error(errorp, "userspace: bad pid attribute");
                }
                pid = true;
            } else if (ut != OVS_USERSPACE_ATTR_USERDATA) {
                return odp_error(errorp,
                                 "userspace: unsupported attribute "
                                 "%u",
                                 ut);
            }
        }
        if (used < len) {
            return odp_error(errorp, "userspace: malformed attributes");
        }
        if (!pid) {
            return odp_error(errorp, "userspace: missing pid");
        }
        return 0;
    }
    case OVS_ACTION_ATTR_SAMPLE: {
        const struct nlattr *attr;
        bool prob = false, acts = false;
        size_t used = 0;

        if (depth >= ODP_MAX_ACTION_DEPTH) {
            return odp_error(errorp, "sample: nested too deeply");
        }
        mnl_attr_for_each_payload(mnl_attr_get_payload(a), len)
        {
            unsigned int st = mnl_attr_get_type(attr);
            int error;

            used = (const char *) attr - (const char *) mnl_attr_get_payload(a)
                   + MNL_ALIGN(attr->nla_len);
            if (st == OVS_SAMPLE_ATTR_PROBABILITY && !prob
                && mnl_attr_get_payload_len(attr) == 4) {
                prob = true;
            } else if (st == OVS_SAMPLE_ATTR_ACTIONS && !acts) {
                acts = true;
                error = validate_list(mnl_attr_get_payload(attr),
                                      mnl_attr_get_payload_len(attr),
                                      depth + 1, errorp);
                if (error) {
                    return error;
                }
            } else {
                return odp_error(errorp, "sample: bad attribute %u", st);
            }
        }
        if (used < len || !prob || !acts) {
            return odp_error(errorp, "sample: needs probability and "
                                     "actions");
        }
        return 0;
    }
    case OVS_ACTION_ATTR_CLONE:
        /* The payload is itself an action list. */
        if (depth >= ODP_MAX_ACTION_DEPTH) {
            return odp_error(errorp, "clone: nested too deeply");
        }
        return validate_list(mnl_attr_get_payload(a), len, depth + 1, errorp);
    default:
        return 0;
    }
}

static int
validate_list(const void *data, size_t size, int depth, char **errorp)
{
    const struct nlattr *attr;
    size_t used = 0;

    mnl_attr_for_each_payload(data, size)
    {
        int error = validate_action(attr, depth, errorp);

        if (error) {
            return error;
        }
        used = (const char *) attr - (const char *) data
               + MNL_ALIGN(attr->nla_len);
    }
    if (used < size) {
        return odp_error(errorp,
                         "actions: %zu bytes after the last valid "
                         "action",
                         size - used);
    }
    return 0;
}

int
odp_actions_validate(const void *actions, size_t size, char **errorp)
{
    void *copy = odp_copy(actions, size);
    int error;

    if (errorp) {
        *errorp = NULL;
    }
    error = validate_list(copy, size, 0, errorp);
    free(copy);
    return error;
}

/* ---------------------------------------------------------------------- */
/* Formatting (of validated actions). */

static void format_list(const void *data, size_t size, struct ds *ds);

static void
format_action(const struct nlattr *a, struct ds *ds)
{
    unsigned int type = mnl_attr_get_type(a);
    const void *p = mnl_attr_get_payload(a);
    size_t len = mnl_attr_get_payload_len(a);
    uint32_t u32 = 0;

    if (len >= 4) {
        memcpy(&u32, p, 4);
    }
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
        ds_put_format(ds, "%" PRIu32, u32);
        break;
    case OVS_ACTION_ATTR_RECIRC:
        ds_put_format(ds, "recirc(%#" PRIx32 ")", u32);
        break;
    case OVS_ACTION_ATTR_TRUNC:
        ds_put_format(ds, "trunc(%" PRIu32 ")", u32);
        break;
    case OVS_ACTION_ATTR_POP_VLAN:
        ds_put_cstr(ds, "pop_vlan");
        break;
    case OVS_ACTION_ATTR_CT_CLEAR:
        ds_put_cstr(ds, "ct_clear");
        break;
    case OVS_ACTION_ATTR_PUSH_VLAN: {
        struct ovs_action_push_vlan pv;
        uint16_t tci;

        memcpy(&pv, p, sizeof pv);
        tci = ntohs(pv.vlan_tci);
        ds_put_cstr(ds, "push_vlan(");
        if (pv.vlan_tpid != htons(ETH_TYPE_VLAN)) {
            ds_put_format(ds, "tpid=0x%04x,", ntohs(pv.vlan_tpid));
        }
        ds_put_format(ds, "vid=%u,pcp=%u", tci & VLAN_VID_MASK,
                      tci >> VLAN_PCP_SHIFT);
        if (!(tci & VLAN_CFI)) {
            ds_put_cstr(ds, ",cfi=0");
        }
        ds_put_char(ds, ')');
        break;
    }
    case OVS_ACTION_ATTR_HASH: {
        struct ovs_action_hash h;

        memcpy(&h, p, sizeof h);
        if (h.hash_alg == OVS_HASH_ALG_L4) {
            ds_put_format(ds, "hash(l4(%" PRIu32 "))", h.hash_basis);
        } else {
            ds_put_format(ds, "hash(alg%" PRIu32 "(%" PRIu32 "))", h.hash_alg,
                          h.hash_basis);
        }
        break;
    }
    case OVS_ACTION_ATTR_SET:
        ds_put_cstr(ds, "set(");
        odp_format_key_attr(p, NULL, ds);
        ds_put_char(ds, ')');
        break;
    case OVS_ACTION_ATTR_SET_MASKED: {
        /* Key and mask share one attribute: split them. */
        const struct nlattr *inner = p;
        size_t half = mnl_attr_get_payload_len(inner) / 2;
        size_t asz = MNL_ATTR_HDRLEN + half;
        struct nlattr *k = xzalloc(MNL_ALIGN(asz));
        struct nlattr *m = xzalloc(MNL_ALIGN(asz));

        k->nla_type = m->nla_type = mnl_attr_get_type(inner);
        k->nla_len = m->nla_len = asz;
        memcpy(mnl_attr_get_payload(k), mnl_attr_get_payload(inner), half);
        memcpy(mnl_attr_get_payload(m),
               (const char *) mnl_attr_get_payload(inner) + half, half);
        ds_put_cstr(ds, "set(");
        odp_format_key_attr(k, m, ds);
        ds_put_char(ds, ')');
        free(k);
        free(m);
        break;
    }
    case OVS_ACTION_ATTR_USERSPACE: {
        const struct nlattr *attr;

        ds_put_cstr(ds, "userspace(");
        mnl_attr_for_each_payload(p, len)
        {
            if (mnl_attr_get_type(attr) == OVS_USERSPACE_ATTR_PID) {
                uint32_t pid;

                memcpy(&pid, mnl_attr_get_payload(attr), 4);
                ds_put_format(ds, "pid=%" PRIu32, pid);
            }
        }
        mnl_attr_for_each_payload(p, len)
        {
            if (mnl_attr_get_type(attr) == OVS_USERSPACE_ATTR_USERDATA) {
                const uint8_t *d = mnl_attr_get_payload(attr);

                ds_put_cstr(ds, ",userdata(");
                for (size_t i = 0; i < mnl_attr_get_payload_len(attr); i++) {
                    ds_put_format(ds, "%02x", d[i]);
                }
                ds_put_char(ds, ')');
            }
        }
        ds_put_char(ds, ')');
        break;
    }
    case OVS_ACTION_ATTR_SAMPLE: {
        const struct nlattr *attr;
        uint32_t prob = 0;

        mnl_attr_for_each_payload(p, len)
        {
            if (mnl_attr_get_type(attr) == OVS_SAMPLE_ATTR_PROBABILITY) {
                memcpy(&prob, mnl_attr_get_payload(attr), 4);
            }
        }
        ds_put_format(ds, "sample(sample=%.1f%%,actions(",
                      prob / (double) UINT32_MAX * 100.0);
        mnl_attr_for_each_payload(p, len)
        {
            if (mnl_attr_get_type(attr) == OVS_SAMPLE_ATTR_ACTIONS) {
                format_list(mnl_attr_get_payload(attr),
                            mnl_attr_get_payload_len(attr), ds);
            }
        }
        ds_put_cstr(ds, "))");
        break;
    }
    case OVS_ACTION_ATTR_CLONE:
        ds_put_cstr(ds, "clone(");
        format_list(p, len, ds);
        ds_put_char(ds, ')');
        break;
    default:
        ds_put_format(ds, "action%u", type);
        break;
    }
}

static void
format_list(const void *data, size_t size, struct ds *ds)
{
    const struct nlattr *attr;
    bool first = true;

    mnl_attr_for_each_payload(data, size)
    {
        if (!first) {
            ds_put_char(ds, ',');
        }
        first = false;
        format_action(attr, ds);
    }
    if (first) {
        ds_put_cstr(ds, "drop");
    }
}

void
odp_actions_format(const void *actions, size_t size, struct ds *ds)
{
    void *copy = odp_copy(actions, size);
    char *err = NULL;

    if (validate_list(copy, size, 0, &err)) {
        ds_put_format(ds, "<error: %s>", err);
        free(err);
    } else {
        format_list(copy, size, ds);
    }
    free(copy);
}

/* ---------------------------------------------------------------------- */
/* Parsing. */

static bool
prefix(const char **s, const char *word)
{
    size_t n = strlen(word);

    if (!strncmp(*s, word, n)) {
        *s += n;
        return true;
    }
    return false;
}

static bool
parse_u32(const char **s, uint32_t *v)
{
    char *end;
    unsigned long long x;

    if (!isdigit((unsigned char) **s)) {
        return false;
    }
    errno = 0;
    x = strtoull(*s, &end, 0);
    if (errno || x > UINT32_MAX) {
        return false;
    }
    *v = x;
    *s = end;
    return true;
}

/* Finds the ')' that closes the '(' just before 's'. */
static const char *
closing_paren(const char *s)
{
    int depth = 1;

    for (; *s; s++) {
        if (*s == '(') {
            depth++;
        } else if (*s == ')' && !--depth) {
            return s;
        }
    }
    return NULL;
}

static int parse_actions(const char **s, struct odp_nlb *b, int depth,
                         char **errorp);

static int
parse_action(const char **s, struct odp_nlb *b, int depth, char **errorp)
{
    const char *start = *s;
    uint32_t u32;

    if (isdigit((unsigned char) **s)) {
        if (!parse_u32(s, &u32)) {
            return odp_error(errorp, "bad output port '%s'", start);
        }
        odp_nlb_put(b, OVS_ACTION_ATTR_OUTPUT, 4, &u32);
        return 0;
    }
    if (prefix(s, "pop_vlan")) {
        odp_nlb_put(b, OVS_ACTION_ATTR_POP_VLAN, 0, NULL);
        return 0;
    }
    if (prefix(s, "ct_clear")) {
        odp_nlb_put(b, OVS_ACTION_ATTR_CT_CLEAR, 0, NULL);
        return 0;
    }
    if (prefix(s, "recirc(") || prefix(s, "trunc(")) {
        unsigned int type =
            start[0] == 'r' ? OVS_ACTION_ATTR_RECIRC : OVS_ACTION_ATTR_TRUNC;

        if (!parse_u32(s, &u32) || **s != ')') {
            return odp_error(errorp, "bad %s action", action_name(type));
        }
        (*s)++;
        odp_nlb_put(b, type, 4, &u32);
        return 0;
    }
    if (prefix(s, "hash(l4(")) {
        struct ovs_action_hash h = {OVS_HASH_ALG_L4, 0};

        if (!parse_u32(s, &h.hash_basis) || !prefix(s, "))")) {
            return odp_error(errorp, "bad hash action");
        }
        odp_nlb_put(b, OVS_ACTION_ATTR_HASH, sizeof h, &h);
        return 0;
    }
    if (prefix(s, "push_vlan(")) {
        struct ovs_action_push_vlan pv;
        unsigned int tpid = ETH_TYPE_VLAN, vid = 0, pcp = 0, cfi = 1;
        const char *end = closing_paren(*s);
        char *args;
        char *save = NULL;

        if (!end) {
            return odp_error(errorp, "push_vlan: expected ')'");
        }
        args = xstrndup(*s, end - *s);
        for (char *kv = strtok_r(args, ",", &save); kv;
             kv = strtok_r(NULL, ",", &save)) {
            unsigned int v;
            char name[16];
            int n = 0;

            if (sscanf(kv, "%15[a-z]=%i%n", name, (int *) &v, &n) != 2
                || kv[n]) {
                goto bad_arg;
            }
            if (!strcmp(name, "tpid") && v <= 0xffff) {
                tpid = v;
            } else if (!strcmp(name, "vid") && v <= VLAN_VID_MASK) {
                vid = v;
            } else if (!strcmp(name, "pcp") && v <= 7) {
                pcp = v;
            } else if (!strcmp(name, "cfi") && v <= 1) {
                cfi = v;
            } else {
                goto bad_arg;
            }
            continue;
        bad_arg : {
            int error = odp_error(errorp,
                                  "push_vlan: bad argument "
                                  "'%s'",
                                  kv);

            free(args);
            return error;
        }
        }
        free(args);
        *s = end + 1;
        pv.vlan_tpid = htons(tpid);
        pv.vlan_tci =
            htons(vid | pcp << VLAN_PCP_SHIFT | (cfi ? VLAN_CFI : 0));
        odp_nlb_put(b, OVS_ACTION_ATTR_PUSH_VLAN, sizeof pv, &pv);
        return 0;
    }
    if (prefix(s, "set(")) {
        const char *end = closing_paren(*s);
        struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
        char *text;
        int error;

        if (!end) {
            return odp_error(errorp, "set: expected ')'");
        }
        text = xstrndup(*s, end - *s);
        error = odp_key_parse(text, &key, &mask, errorp);
        free(text);
        if (!error) {
            const struct nlattr *k = (const void *) key.data;
            const struct nlattr *m = (const void *) mask.data;
            bool exact = true;
            struct nlattr *nest;

            if (key.size < MNL_ATTR_HDRLEN
                || (size_t) MNL_ALIGN(k->nla_len) != key.size) {
                error = odp_error(errorp, "set: needs exactly one key "
                                          "attribute");
                goto set_out;
            }
            for (size_t i = MNL_ATTR_HDRLEN; i < (size_t) m->nla_len; i++) {
                if (((const uint8_t *) m)[i] != 0xff) {
                    exact = false;
                }
            }
            if (exact || mnl_attr_get_type(k) == OVS_KEY_ATTR_TUNNEL) {
                nest = odp_nlb_nest_start(b, OVS_ACTION_ATTR_SET);
                odp_nlb_put(b, mnl_attr_get_type(k),
                            mnl_attr_get_payload_len(k),
                            mnl_attr_get_payload(k));
                odp_nlb_nest_end(b, nest);
            } else {
                size_t len = mnl_attr_get_payload_len(k);
                uint8_t *both = xmalloc(2 * len);

                memcpy(both, mnl_attr_get_payload(k), len);
                memcpy(both + len, mnl_attr_get_payload(m), len);
                nest = odp_nlb_nest_start(b, OVS_ACTION_ATTR_SET_MASKED);
                odp_nlb_put(b, mnl_attr_get_type(k), 2 * len, both);
                odp_nlb_nest_end(b, nest);
                free(both);
            }
        }
    set_out:
        buf_uninit(&key);
        buf_uninit(&mask);
        *s = end + 1;
        return error;
    }
    if (prefix(s, "userspace(pid=")) {
        struct nlattr *nest = odp_nlb_nest_start(b, OVS_ACTION_ATTR_USERSPACE);

        if (!parse_u32(s, &u32)) {
            return odp_error(errorp, "userspace: bad pid");
        }
        odp_nlb_put(b, OVS_USERSPACE_ATTR_PID, 4, &u32);
        if (prefix(s, ",userdata(")) {
            const char *end = strchr(*s, ')');
            size_t n;
            uint8_t *d;

            if (!end || (end - *s) % 2) {
                return odp_error(errorp, "userspace: bad userdata");
            }
            n = (end - *s) / 2;
            d = xmalloc(n ? n : 1);
            for (size_t i = 0; i < n; i++) {
                unsigned int byte;

                if (sscanf(*s + 2 * i, "%2x", &byte) != 1
                    || !isxdigit((unsigned char) (*s)[2 * i + 1])) {
                    free(d);
                    return odp_error(errorp, "userspace: bad userdata");
                }
                d[i] = byte;
            }
            odp_nlb_put(b, OVS_USERSPACE_ATTR_USERDATA, n, d);
            free(d);
            *s = end + 1;
        }
        if (**s != ')') {
            return odp_error(errorp, "userspace: expected ')'");
        }
        (*s)++;
        odp_nlb_nest_end(b, nest);
        return 0;
    }
    if (prefix(s, "sample(sample=")) {
        char *end;
        double pct;
        uint32_t prob;
        struct nlattr *nest, *acts;
        int error;

        if (depth >= ODP_MAX_ACTION_DEPTH) {
            return odp_error(errorp, "sample: nested too deeply");
        }
        pct = strtod(*s, &end);
        if (end == *s || pct < 0 || pct > 100
            || strncmp(end, "%,actions(", 10)) {
            return odp_error(errorp, "sample: bad syntax");
        }
        *s = end + 10;
        prob = pct / 100.0 * UINT32_MAX + 0.5;
        nest = odp_nlb_nest_start(b, OVS_ACTION_ATTR_SAMPLE);
        odp_nlb_put(b, OVS_SAMPLE_ATTR_PROBABILITY, 4, &prob);
        acts = odp_nlb_nest_start(b, OVS_SAMPLE_ATTR_ACTIONS);
        error = parse_actions(s, b, depth + 1, errorp);
        if (error) {
            return error;
        }
        if (!prefix(s, "))")) {
            return odp_error(errorp, "sample: expected '))'");
        }
        odp_nlb_nest_end(b, acts);
        odp_nlb_nest_end(b, nest);
        return 0;
    }
    if (prefix(s, "clone(")) {
        struct nlattr *nest;
        int error;

        if (depth >= ODP_MAX_ACTION_DEPTH) {
            return odp_error(errorp, "clone: nested too deeply");
        }
        nest = odp_nlb_nest_start(b, OVS_ACTION_ATTR_CLONE);
        error = parse_actions(s, b, depth + 1, errorp);
        if (error) {
            return error;
        }
        if (!prefix(s, ")")) {
            return odp_error(errorp, "clone: expected ')'");
        }
        odp_nlb_nest_end(b, nest);
        return 0;
    }
    return odp_error(errorp, "unknown action '%s'", start);
}

static int
parse_actions(const char **s, struct odp_nlb *b, int depth, char **errorp)
{
    if (prefix(s, "drop")) {
        return 0;
    }
    if (**s == ')') {
        return 0;
    }
    do {
        int error;

        while (isspace((unsigned char) **s)) {
            (*s)++;
        }
        error = parse_action(s, b, depth, errorp);
        if (error) {
            return error;
        }
    } while (prefix(s, ","));
    return 0;
}

int
odp_actions_parse(const char *s, struct buf *out, char **errorp)
{
    struct odp_nlb *b = xmalloc(sizeof *b);
    int error;

    if (errorp) {
        *errorp = NULL;
    }
    odp_nlb_init(b);
    while (isspace((unsigned char) *s)) {
        s++;
    }
    error = parse_actions(&s, b, 0, errorp);
    while (!error && isspace((unsigned char) *s)) {
        s++;
    }
    if (!error && *s) {
        error = odp_error(errorp, "unexpected text '%s'", s);
    }
    if (!error && b->overflow) {
        error = odp_error(errorp, "actions too long");
    }
    if (!error) {
        odp_nlb_to_buf(b, out);
    }
    free(b);
    return error;
}
