/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flow-tool: our flow codec on the command line, for interop tests
 * that hold it against Debian's ovs-ofctl.
 *
 *   ofp-flow-tool encode VERSION CMD FLOW   FLOW_MOD as hex (VERSION 1 or 4,
 *                                           CMD add|modify|modify_strict|
 *                                           delete|delete_strict)
 *   ofp-flow-tool print HEX                 decode one message and print it
 *                                           (FLOW_MOD: "CMD MATCH
 *                                           actions=..."; errors as
 *                                           "error: NAME")
 *   ofp-flow-tool stats VERSION FLOW...     a FLOW stats reply with one entry
 *                                           per FLOW, as hex
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

static const char *const commands[] = {"add", "modify", "modify_strict",
                                       "delete", "delete_strict"};

static void
print_hex(const struct buf *b)
{
    for (size_t i = 0; i < b->size; i++) {
        printf("%02x", b->data[i]);
    }
    putchar('\n');
}

static int
from_hex(const char *s, struct buf *b)
{
    size_t n = strlen(s);

    if (n % 2) {
        return -1;
    }
    for (size_t i = 0; i < n; i += 2) {
        unsigned int v;

        if (sscanf(s + i, "%2x", &v) != 1) {
            return -1;
        }
        *(uint8_t *) buf_put_uninit(b, 1) = v;
    }
    return 0;
}

static int
cmd_encode(int version, const char *cmd, const char *text)
{
    struct ofp_flow_mod fm;
    struct buf b;
    char *error = NULL;
    int command = -1;
    enum ofperr e;

    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(cmd, commands[i])) {
            command = i;
        }
    }
    if (command < 0 || ofp_flow_mod_parse(&fm, text, command, &error)) {
        fprintf(stderr, "%s\n", error ? error : "bad command");
        return 1;
    }
    buf_init(&b, 0, 256);
    e = ofp_flow_mod_encode(&fm, version, 1, &b);
    if (e) {
        fprintf(stderr, "encode: %s\n", ofperr_name(e));
        return 1;
    }
    print_hex(&b);
    buf_uninit(&b);
    ofp_flow_mod_uninit(&fm);
    return 0;
}

static int
cmd_print(const char *hex)
{
    struct buf b;
    enum ofptype type;
    enum ofperr e;
    struct ds ds;

    buf_init(&b, 0, 256);
    ds_init(&ds);
    if (from_hex(hex, &b)) {
        fprintf(stderr, "bad hex\n");
        return 1;
    }
    e = ofp_decode_type(b.data, b.size, &type);
    if (!e && type == OFPTYPE_FLOW_MOD) {
        struct ofp_flow_mod fm;

        e = ofp_flow_mod_decode(b.data, b.size, &fm);
        if (!e) {
            ds_put_format(&ds, "%s ", commands[fm.command]);
            if (fm.table_id) {
                ds_put_format(&ds, "table:%u ", fm.table_id);
            }
            if (fm.priority != OFP_DEFAULT_PRIORITY) {
                ds_put_format(&ds, "priority=%u,", fm.priority);
            }
            match_format(&fm.match, &ds);
            if (ds_last(&ds) == ',') {
                ds_truncate(&ds, ds.length - 1);
            }
            ds_put_cstr(&ds, " actions=");
            ofpacts_format(&fm.ofpacts, b.data[0], &ds);
        }
        ofp_flow_mod_uninit(&fm);
    } else if (!e && type == OFPTYPE_FLOW_STATS_REPLY) {
        size_t hdr = b.data[0] == OFP10_VERSION ? 12 : 16;
        const uint8_t *p = b.data + hdr;
        size_t size = b.size - hdr;
        struct ofp_flow_stats fs;

        ofpacts_init(&fs.ofpacts);
        while (size && !e) {
            e = ofp_flow_stats_pull(&p, &size, b.data[0], &fs);
            if (!e) {
                ds_put_char(&ds, ' ');
                ofp_flow_stats_format(&fs, b.data[0], &ds);
                ds_put_char(&ds, '\n');
            }
        }
        ofpacts_uninit(&fs.ofpacts);
        ds_chomp(&ds);
    } else if (!e) {
        ds_put_cstr(&ds, ofptype_name(type));
    }
    if (e) {
        printf("error: %s\n", ofperr_name(e));
    } else {
        printf("%s\n", ds_cstr(&ds));
    }
    ds_destroy(&ds);
    buf_uninit(&b);
    return 0;
}

static int
cmd_stats(int version, int n, char *flows[])
{
    uint8_t req[16] = {version,
                       version == OFP10_VERSION ? OFPT10_STATS_REQUEST
                                                : OFPT13_MULTIPART_REQUEST,
                       0,
                       16,
                       0,
                       0,
                       0,
                       7,
                       0,
                       OFPMP_FLOW};
    struct ofp_mp_reply r;
    struct buf *m;

    ofp_mp_reply_init(&r, req);
    for (int i = 0; i < n; i++) {
        struct ofp_flow_mod fm;
        struct ofp_flow_stats fs;
        char *error = NULL;

        if (ofp_flow_mod_parse(&fm, flows[i], OFPFC_ADD, &error)) {
            fprintf(stderr, "%s\n", error);
            return 1;
        }
        memset(&fs, 0, sizeof fs);
        fs.match = fm.match;
        fs.table_id = fm.table_id;
        fs.priority = fm.priority;
        fs.idle_timeout = fm.idle_timeout;
        fs.hard_timeout = fm.hard_timeout;
        fs.flags = fm.flags;
        fs.cookie = fm.new_cookie == UINT64_MAX ? 0 : fm.new_cookie;
        fs.duration_sec = 1;
        fs.duration_nsec = 234000000;
        fs.packet_count = 10 * i;
        fs.byte_count = 600 * i;
        fs.ofpacts = fm.ofpacts;
        if (ofp_flow_stats_put(&r, &fs)) {
            fprintf(stderr, "cannot encode flow %d\n", i);
            return 1;
        }
        ofp_flow_mod_uninit(&fm);
    }
    ofp_mp_reply_finish(&r);
    while ((m = ofp_mp_reply_pop(&r))) {
        print_hex(m);
        buf_delete(m);
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    vs_set_program_name(argv[0]);
    if (argc == 5 && !strcmp(argv[1], "encode")) {
        return cmd_encode(atoi(argv[2]), argv[3], argv[4]);
    } else if (argc == 3 && !strcmp(argv[1], "print")) {
        return cmd_print(argv[2]);
    } else if (argc >= 3 && !strcmp(argv[1], "stats")) {
        return cmd_stats(atoi(argv[2]), argc - 3, argv + 3);
    }
    fprintf(stderr,
            "usage: %s encode VERSION CMD FLOW | print HEX | "
            "stats VERSION FLOW...\n",
            argv[0]);
    return 2;
}
