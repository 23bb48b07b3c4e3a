/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes the ovs-ofctl text parsers of flows (match, keywords, actions)
 * and groups: whatever parses must encode in 1.3 (and 1.0 where it can),
 * decode again and print. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
flow(const char *text, int command)
{
    struct ofp_flow_mod fm, back;
    char *error = NULL;
    struct buf b;

    if (ofp_flow_mod_parse(&fm, text, command, &error)) {
        free(error);
        ofp_flow_mod_uninit(&fm);
        return;
    }
    buf_init(&b, 0, 128);
    for (int v = 0; v < 2; v++) {
        uint8_t version = v ? OFP13_VERSION : OFP10_VERSION;

        buf_clear(&b);
        if (!ofp_flow_mod_encode(&fm, version, 1, &b)) {
            struct ds ds;
            enum ofperr e = ofp_flow_mod_decode(b.data, b.size, &back);

            if (e && !ofperr_is_valid(e)) {
                abort();
            }
            if (!e) {
                ds_init(&ds);
                match_format(&back.match, &ds);
                ofpacts_format(&back.ofpacts, version, &ds);
                ds_destroy(&ds);
            }
            ofp_flow_mod_uninit(&back);
        }
    }
    buf_uninit(&b);
    ofp_flow_mod_uninit(&fm);
}

static void
group(const char *text)
{
    struct ofp_group_mod_req gm, back;
    char *error = NULL;

    if (ofp_group_mod_parse(&gm, text, OFPGC_ADD, &error)) {
        free(error);
        return;
    }
    {
        struct buf b;
        struct ds ds;

        buf_init(&b, 0, 128);
        ofp_group_mod_encode(&gm, 1, &b);
        if (!ofp_group_mod_decode(b.data, b.size, &back)) {
            ds_init(&ds);
            ofp_group_format(back.group_id, back.type, back.buckets,
                             back.n_buckets, &ds);
            ds_destroy(&ds);
        }
        ofp_group_mod_uninit(&back);
        buf_uninit(&b);
    }
    ofp_group_mod_uninit(&gm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (!size) {
        return 0;
    }
    text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 0x80) {
        group(text);
    } else {
        flow(text, data[0] % 5);
    }
    free(text);
    return 0;
}
