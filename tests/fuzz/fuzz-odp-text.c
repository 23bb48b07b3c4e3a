/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the ovs-dpctl text parsers (key+mask, then actions) and the
 * ovs-ofctl match parser.  Whatever parses must print and re-parse to the
 * same text. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/match.h"
#include "vswitch/odp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
    struct buf acts = BUF_EMPTY_INITIALIZER;
    struct match match;
    char *err = NULL;

    memcpy(s, data, size);
    s[size] = '\0';
    if (strlen(s) != size) {
        goto out;
    }
    if (!odp_key_parse(s, &key, &mask, &err)) {
        struct ds d;

        ds_init(&d);
        odp_key_format(key.data, key.size, mask.data, mask.size, &d);
        ds_destroy(&d);
    }
    free(err);
    err = NULL;
    if (!odp_actions_parse(s, &acts, &err)) {
        struct ds d;

        ds_init(&d);
        odp_actions_format(acts.data, acts.size, &d);
        ds_destroy(&d);
    }
    free(err);
    err = NULL;
    if (!match_parse(&match, s, &err)) {
        struct ds d1, d2;
        struct match m2;

        ds_init(&d1);
        ds_init(&d2);
        match_format(&match, &d1);
        if (match_parse(&m2, ds_cstr(&d1), NULL)) {
            abort();
        }
        match_format(&m2, &d2);
        if (strcmp(ds_cstr(&d1), ds_cstr(&d2))) {
            abort();
        }
        ds_destroy(&d1);
        ds_destroy(&d2);
    }
    free(err);
out:
    buf_uninit(&key);
    buf_uninit(&mask);
    buf_uninit(&acts);
    free(s);
    return 0;
}
