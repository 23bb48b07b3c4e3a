/* SPDX-License-Identifier: Apache-2.0 */
/* journal: append-only records, replay, compaction (see journal.h). */
#include "journal.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "db.h"
#include "transaction.h"
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/json-stream.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(journal);
COVERAGE_DEFINE(journal_write);
COVERAGE_DEFINE(journal_fsync);

#define MAGIC "VSJ1 "
#define MAX_HEADER 48

uint32_t
ovsdb_crc32c(uint32_t crc, const void *data_, size_t size)
{
    static uint32_t table[256];
    const uint8_t *data = data_;

    if (!table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) {
                c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
            }
            table[i] = c;
        }
    }
    crc = ~crc;
    while (size--) {
        crc = table[(crc ^ *data++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

static char *
frame(const json_t *record, size_t *sizep)
{
    char *payload = json_to_string_compact(record);
    size_t len = strlen(payload);
    char *out = xasprintf(MAGIC "%zu %08" PRIx32 "\n%s\n", len,
                          ovsdb_crc32c(0, payload, len), payload);

    free(payload);
    *sizep = strlen(out);
    return out;
}

static int
fsync_dir(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int error = 0;

    free(copy);
    if (fd < 0) {
        return errno;
    }
    if (fsync(fd) < 0) {
        error = errno;
    }
    close(fd);
    return error;
}

static int
write_records(const char *path, const json_t **records, size_t n, int flags,
              char **errorp)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
    int error = 0;

    if (fd < 0) {
        error = errno;
        *errorp = xasprintf("%s: cannot create: %s", path, vs_strerror(error));
        return error;
    }
    for (size_t i = 0; i < n && !error; i++) {
        size_t size;
        char *s = frame(records[i], &size);

        error = vs_write_fully(fd, s, size);
        free(s);
    }
    if (!error && fsync(fd) < 0) {
        error = errno;
    }
    close(fd);
    if (error) {
        *errorp = xasprintf("%s: write failed: %s", path, vs_strerror(error));
    }
    return error;
}

int
ovsdb_journal_create(const char *path, const json_t *schema, char **errorp)
{
    struct ovsdb_schema *s = ovsdb_schema_from_json(schema, errorp);
    json_t *rec;
    int error;

    *errorp = NULL;
    if (!s) {
        return EINVAL;
    }
    ovsdb_schema_destroy(s);
    rec = json_pack("{s:O}", "_schema", schema);
    error = write_records(path, (const json_t **) &rec, 1, O_EXCL, errorp);
    json_decref(rec);
    if (!error) {
        error = fsync_dir(path);
    }
    return error;
}

/* Reads the record at 'data[off..size)'.  Returns 0 with '*json' and
 * '*next', EAGAIN if incomplete, EINVAL if bad (with '*why'). */
static int
read_record(const char *data, size_t size, size_t off, json_t **json,
            size_t *next, const char **why)
{
    const char *p = data + off, *nl;
    size_t avail = size - off, len;
    unsigned long long ulen;
    unsigned int crc;
    int hdr_len;
    json_error_t jerr;

    *json = NULL;
    nl = memchr(p, '\n', VS_MIN(avail, (size_t) MAX_HEADER));
    if (!nl) {
        *why = "incomplete or bad header";
        return avail < MAX_HEADER ? EAGAIN : EINVAL;
    }
    if (strncmp(p, MAGIC, strlen(MAGIC))
        || sscanf(p, MAGIC "%llu %8x%n", &ulen, &crc, &hdr_len) != 2
        || p + hdr_len != nl) {
        *why = "bad header";
        return EINVAL;
    }
    len = ulen;
    if (len > avail || (size_t) (nl + 1 - p) + len + 1 > avail) {
        *why = "record extends past the end of the file";
        return EAGAIN;
    }
    if (ovsdb_crc32c(0, nl + 1, len) != crc || nl[1 + len] != '\n') {
        *why = "checksum mismatch";
        return EINVAL;
    }
    *json = json_loadb(nl + 1, len, 0, &jerr);
    if (!*json) {
        *why = "record is not valid JSON";
        return EINVAL;
    }
    *next = off + (nl + 1 - p) + len + 1;
    return 0;
}

/* Whether some valid record starts after 'off'. */
static bool
good_record_follows(const char *data, size_t size, size_t off)
{
    for (size_t i = off + 1; i + strlen(MAGIC) < size; i++) {
        const char *hit = memmem(data + i, size - i, MAGIC, strlen(MAGIC));
        const char *why;
        json_t *json;
        size_t next;

        if (!hit) {
            return false;
        }
        i = hit - data;
        if (!read_record(data, size, i, &json, &next, &why)) {
            json_decref(json);
            return true;
        }
    }
    return false;
}

static int
read_file(const char *path, int fd, char **datap, size_t *sizep, char **errorp)
{
    struct stat st;
    char *data;
    size_t got = 0;

    if (fstat(fd, &st) < 0) {
        *errorp = xasprintf("%s: stat failed: %s", path, vs_strerror(errno));
        return errno;
    }
    data = xmalloc(st.st_size + 1);
    while (got < (size_t) st.st_size) {
        ssize_t n = pread(fd, data + got, st.st_size - got, got);
        if (n <= 0) {
            int error = n < 0 ? errno : EIO;
            free(data);
            *errorp =
                xasprintf("%s: read failed: %s", path, vs_strerror(error));
            return error;
        }
        got += n;
    }
    data[got] = '\0';
    *datap = data;
    *sizep = got;
    return 0;
}

int
ovsdb_journal_open(const char *path, struct ovsdb **dbp,
                   struct ovsdb_journal **journalp, char **errorp)
{
    struct ovsdb *db = NULL;
    char *data = NULL;
    size_t size, off = 0;
    int fd, error;
    unsigned long long n_records = 0;

    *dbp = NULL;
    *errorp = NULL;
    if (journalp) {
        *journalp = NULL;
    }
    fd = open(path, (journalp ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
        *errorp = xasprintf("%s: cannot open: %s", path, vs_strerror(error));
        return error;
    }
    if (journalp && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        error = errno;
        *errorp = xasprintf("%s: locked by another process: %s", path,
                            vs_strerror(error));
        close(fd);
        return error;
    }
    if ((error = read_file(path, fd, &data, &size, errorp))) {
        close(fd);
        return error;
    }
    while (off < size) {
        const char *why = NULL;
        size_t next;
        json_t *rec;

        error = read_record(data, size, off, &rec, &next, &why);
        if (error) {
            if (good_record_follows(data, size, off)) {
                *errorp = xasprintf("%s: corrupt record at offset %zu (%s) "
                                    "followed by valid records; refusing to "
                                    "open",
                                    path, off, why);
                error = EILSEQ;
                goto err;
            }
            if (!db) {
                *errorp = xasprintf("%s: no valid schema record at offset "
                                    "%zu (%s)",
                                    path, off, why);
                error = EILSEQ;
                goto err;
            }
            VLOG_WARN("%s: truncating torn record at offset %zu (%s), %zu "
                      "bytes",
                      path, off, why, size - off);
            if (journalp && ftruncate(fd, off) < 0) {
                error = errno;
                *errorp = xasprintf("%s: truncate failed: %s", path,
                                    vs_strerror(error));
                goto err;
            }
            if (journalp) {
                fsync(fd);
            }
            size = off;
            break;
        }
        if (!db) {
            const json_t *sj = json_object_get(rec, "_schema");
            struct ovsdb_schema *schema;

            schema = sj ? ovsdb_schema_from_json(sj, errorp) : NULL;
            json_decref(rec);
            if (!schema) {
                char *e = *errorp;
                *errorp = xasprintf("%s: bad schema record: %s", path,
                                    e ? e : "missing \"_schema\"");
                free(e);
                error = EILSEQ;
                goto err;
            }
            db = ovsdb_create(schema);
        } else {
            struct ovsdb_error *e;

            if (json_object_get(rec, "_schema")) {
                /* A snapshot starts over: not expected mid-file. */
                json_decref(rec);
                *errorp = xasprintf("%s: unexpected schema record at offset "
                                    "%zu",
                                    path, off);
                error = EILSEQ;
                goto err;
            }
            e = ovsdb_txn_replay(db, rec);
            json_decref(rec);
            if (e) {
                *errorp = xasprintf("%s: record at offset %zu: %s: %s", path,
                                    off, e->tag, e->details);
                ovsdb_error_destroy(e);
                error = EILSEQ;
                goto err;
            }
            n_records++;
        }
        off = next;
    }
    if (!db) {
        *errorp = xasprintf("%s: empty database file", path);
        error = EILSEQ;
        goto err;
    }
    free(data);
    if (journalp) {
        struct ovsdb_journal *j = xzalloc(sizeof *j);

        j->path = xstrdup(path);
        j->fd = fd;
        j->size = size;
        j->snapshot_size = size;
        j->n_records = n_records;
        j->compact_min = 10 << 20;
        j->compact_ratio = 4;
        lseek(fd, size, SEEK_SET);
        *journalp = j;
    } else {
        close(fd);
    }
    *dbp = db;
    return 0;

err:
    free(data);
    ovsdb_destroy(db);
    close(fd);
    return error;
}

void
ovsdb_journal_close(struct ovsdb_journal *j)
{
    if (j) {
        ovsdb_journal_sync(j);
        close(j->fd);
        free(j->path);
        free(j);
    }
}

int
ovsdb_journal_append(struct ovsdb_journal *j, const json_t *record)
{
    size_t size;
    char *s = frame(record, &size);
    int error = vs_write_fully(j->fd, s, size);

    free(s);
    COVERAGE_INC(journal_write);
    if (error) {
        /* Leave the file as it was: a partial record would be a torn
         * write that hides later good ones. */
        if (ftruncate(j->fd, j->size) < 0
            || lseek(j->fd, j->size, SEEK_SET) < 0) {
            VLOG_ERR("%s: cannot undo failed write: %s", j->path,
                     vs_strerror(errno));
        }
        return error;
    }
    j->size += size;
    j->dirty = true;
    j->n_records++;
    return 0;
}

int
ovsdb_journal_sync(struct ovsdb_journal *j)
{
    if (!j->dirty) {
        return 0;
    }
    COVERAGE_INC(journal_fsync);
    j->n_syncs++;
    if (fdatasync(j->fd) < 0) {
        return errno;
    }
    j->dirty = false;
    return 0;
}

bool
ovsdb_journal_wants_compaction(const struct ovsdb_journal *j)
{
    return j->size > j->compact_min
           && j->size > (off_t) j->compact_ratio * j->snapshot_size;
}

static json_t *
snapshot_json(const struct ovsdb *db)
{
    json_t *rec = json_object();

    for (unsigned int i = 0; i < db->schema->n_tables; i++) {
        const struct ovsdb_table *t = &db->tables[i];
        const struct ovsdb_row *row;
        json_t *tj;
        char buf[37];

        if (hmap_is_empty(&t->rows)) {
            continue;
        }
        tj = json_object();
        HMAP_FOR_EACH (row, node, &t->rows) {
            json_t *rj = json_object();

            for (unsigned int c = OVSDB_N_HIDDEN; c < t->schema->n_columns;
                 c++) {
                const struct ovsdb_type *type = &t->schema->columns[c]->type;

                if (!ovsdb_datum_is_default(&row->fields[c], type)) {
                    json_object_set_new(
                        rj, t->schema->columns[c]->name,
                        ovsdb_datum_to_json(&row->fields[c], type));
                }
            }
            ovsdb_uuid_to_string(ovsdb_row_uuid(row), buf);
            json_object_set_new(tj, buf, rj);
        }
        json_object_set_new(rec, t->schema->name, tj);
    }
    return rec;
}

int
ovsdb_journal_compact(struct ovsdb_journal *j, const struct ovsdb *db)
{
    char *tmp = xasprintf("%s.tmp", j->path);
    json_t *recs[2];
    char *err = NULL;
    struct stat st;
    int error, fd;

    recs[0] = json_pack("{s:O}", "_schema", db->schema->json);
    recs[1] = snapshot_json(db);
    unlink(tmp);
    error = write_records(tmp, (const json_t **) recs, 2, O_EXCL, &err);
    json_decref(recs[0]);
    json_decref(recs[1]);
    if (error) {
        VLOG_ERR("compaction failed: %s", err);
        free(err);
        unlink(tmp);
        goto out;
    }
    fd = open(tmp, O_RDWR | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &st) < 0) {
        error = errno;
        if (fd >= 0) {
            close(fd);
        }
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, j->path) < 0) {
        error = errno;
        close(fd);
        unlink(tmp);
        goto out;
    }
    fsync_dir(j->path);
    close(j->fd);
    j->fd = fd;
    j->size = st.st_size;
    j->snapshot_size = st.st_size;
    j->n_records = 0;
    j->dirty = false;
    j->n_compactions++;
    lseek(fd, st.st_size, SEEK_SET);
    VLOG_INFO("%s: compacted to %lld bytes", j->path, (long long) st.st_size);

out:
    free(tmp);
    return error;
}

int
ovsdb_journal_show(const char *path, bool verbose, char **errorp)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t size, off = 0;
    char *data;
    int error, i = 0;

    *errorp = NULL;
    if (fd < 0) {
        error = errno;
        *errorp = xasprintf("%s: cannot open: %s", path, vs_strerror(error));
        return error;
    }
    error = read_file(path, fd, &data, &size, errorp);
    close(fd);
    if (error) {
        return error;
    }
    while (off < size) {
        const char *why;
        size_t next;
        json_t *rec;

        if (read_record(data, size, off, &rec, &next, &why)) {
            printf("record %d at offset %zu: %s (%zu bytes left)\n", i, off,
                   why, size - off);
            break;
        }
        printf("record %d at offset %zu, %zu bytes:", i, off, next - off);
        if (json_object_get(rec, "_schema")) {
            printf(" schema \"%s\"\n",
                   json_string_value(json_object_get(
                       json_object_get(rec, "_schema"), "name")));
        } else {
            const char *tname;
            json_t *tj;

            json_object_foreach (rec, tname, tj) {
                if (tname[0] != '_') {
                    printf(" %s: %zu row(s)", tname, json_object_size(tj));
                }
            }
            printf("\n");
            if (verbose) {
                char *s = json_dumps(rec, JSON_INDENT(2) | JSON_SORT_KEYS);
                printf("%s\n", s);
                free(s);
            }
        }
        json_decref(rec);
        off = next;
        i++;
    }
    free(data);
    return 0;
}
