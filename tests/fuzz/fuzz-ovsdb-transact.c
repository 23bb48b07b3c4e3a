/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for ovsdb-lite's request path: arbitrary bytes go through the
 * JSON-RPC stream framer; each complete message that is a "transact" is
 * executed against a small database built from the vswitch-like schema
 * below and committed, its journal record replayed into a second database
 * and its result serialized.  Other messages exercise the datum parser.
 * Any crash, leak or sanitizer report is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-lite/db.h"
#include "ovsdb-lite/transaction.h"
#include "vswitch/json-stream.h"
#include "vswitch/ovsdb-data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *schema_text =
    "{\"name\":\"Open_vSwitch\",\"tables\":{"
    "\"Open_vSwitch\":{\"isRoot\":true,\"maxRows\":1,\"columns\":{"
    "  \"bridges\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":"
    "\"Bridge\"},\"min\":0,\"max\":\"unlimited\"}},"
    "  \"next_cfg\":{\"type\":\"integer\"},"
    "  \"external_ids\":{\"type\":{\"key\":\"string\",\"value\":\"string\","
    "\"min\":0,\"max\":\"unlimited\"}}}},"
    "\"Bridge\":{\"indexes\":[[\"name\"]],\"columns\":{"
    "  \"name\":{\"type\":\"string\",\"mutable\":false},"
    "  \"ports\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Port\"},"
    "\"min\":0,\"max\":\"unlimited\"}},"
    "  \"mirrors\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":"
    "\"Port\",\"refType\":\"weak\"},\"min\":0,\"max\":\"unlimited\"}},"
    "  "
    "\"fail_mode\":{\"type\":{\"key\":{\"type\":\"string\",\"enum\":[\"set\","
    "[\"standalone\",\"secure\"]]},\"min\":0,\"max\":1}}}},"
    "\"Port\":{\"indexes\":[[\"name\"]],\"columns\":{"
    "  \"name\":{\"type\":\"string\"},"
    "  \"tag\":{\"type\":{\"key\":{\"type\":\"integer\",\"minInteger\":0,"
    "\"maxInteger\":4095},\"min\":0,\"max\":1}},"
    "  \"trunks\":{\"type\":{\"key\":{\"type\":\"integer\",\"minInteger\":0,"
    "\"maxInteger\":4095},\"min\":0,\"max\":4096}},"
    "  \"r\":{\"type\":{\"key\":{\"type\":\"real\",\"minReal\":-1e6,"
    "\"maxReal\":1e6},\"min\":0,\"max\":\"unlimited\"}},"
    "  \"b\":{\"type\":\"boolean\"}}}}}";

static struct ovsdb *
make_db(void)
{
    json_t *j = json_loads(schema_text, 0, NULL);
    struct ovsdb_schema *s = ovsdb_schema_from_json(j, NULL);

    json_decref(j);
    if (!s) {
        abort();
    }
    return ovsdb_create(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ovsdb *db = make_db(), *replica = make_db();
    struct json_stream js;
    json_t *msg;

    json_stream_init(&js, 1 << 16);
    json_stream_feed(&js, data, size);
    for (int i = 0; i < 16 && !json_stream_next(&js, &msg); i++) {
        const json_t *params = json_object_get(msg, "params");
        const json_t *method = json_object_get(msg, "method");

        if (json_is_string(method) && json_is_array(params)
            && !strcmp(json_string_value(method), "transact")) {
            struct ovsdb_exec_result r;

            ovsdb_execute(db, params, 1, NULL, true, &r);
            if (r.txn) {
                json_t *rec = ovsdb_txn_to_json(r.txn);
                struct ovsdb_error *e;

                ovsdb_txn_apply(r.txn);
                ovsdb_txn_release(r.txn);
                e = ovsdb_txn_replay(replica, rec);
                if (e) {
                    abort(); /* Every committed record must replay. */
                }
                json_decref(rec);
            }
            if (r.result) {
                free(json_to_string_compact(r.result));
            }
            json_decref(r.result);
        } else if (json_is_array(msg) && json_array_size(msg) == 2) {
            /* [TYPE, VALUE]: the type and datum parsers directly. */
            struct ovsdb_type t;

            if (!ovsdb_type_from_json(&t, json_array_get(msg, 0), NULL)) {
                struct ovsdb_datum d;
                struct ovsdb_error *e = ovsdb_datum_from_json(
                    &d, &t, json_array_get(msg, 1), NULL, NULL);

                if (!e) {
                    json_decref(ovsdb_datum_to_json(&d, &t));
                    ovsdb_datum_destroy(&d, &t);
                }
                ovsdb_error_destroy(e);
                ovsdb_type_destroy(&t);
            }
        }
        json_decref(msg);
    }
    json_stream_destroy(&js);
    ovsdb_destroy(db);
    ovsdb_destroy(replica);
    return 0;
}
