/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the JSON-RPC stream framing and request validation that every
 * control and database connection runs on outside bytes.  The first byte
 * picks the chunk size, so the same stream is also cut at every place; the
 * framing must give the same texts however it is cut.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/json-stream.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run(const uint8_t *data, size_t size, size_t chunk, json_t **texts, int max)
{
    struct json_stream s;
    int n = 0, error = 0;

    json_stream_init(&s, 64 * 1024);
    for (size_t off = 0; off < size && !error; off += chunk) {
        size_t len = size - off < chunk ? size - off : chunk;
        json_t *j;

        json_stream_feed(&s, data + off, len);
        while ((error = json_stream_next(&s, &j)) == 0) {
            if (n < max) {
                texts[n++] = j;
            } else {
                json_decref(j);
            }
        }
        if (error == EAGAIN) {
            error = 0;
        }
    }
    json_stream_destroy(&s);
    return error ? -n - 1 : n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *a[16], *b[16];
    size_t chunk;
    int na, nb;

    if (size < 1) {
        return 0;
    }
    chunk = data[0] % 17 + 1;
    data++;
    size--;
    na = run(data, size, size ? size : 1, a, 16);
    nb = run(data, size, chunk, b, 16);
    if (na != nb) {
        abort(); /* Framing depended on where the stream was cut. */
    }
    for (int i = 0; i < (na < 0 ? -na - 1 : na) && i < 16; i++) {
        const char **argv;
        char *err;
        int argc;

        if (!json_equal(a[i], b[i])) {
            abort();
        }
        err = unixctl_parse_request(a[i], &argc, &argv);
        if (!err && (argc < 1 || !argv[0])) {
            abort();
        }
        free(err);
        free(argv);
        json_decref(a[i]);
        json_decref(b[i]);
    }
    return 0;
}
