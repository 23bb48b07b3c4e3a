/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OVSDB_LITE_JOURNAL_H
#define OVSDB_LITE_JOURNAL_H 1

/*
 * journal: the crash-safe on-disk form of a database.
 *
 * A database file is a sequence of records.  Each record is
 *
 *     "VSJ1 <length> <crc32c>\n" <length bytes of compact JSON> "\n"
 *
 * where <length> is decimal and <crc32c> is the CRC-32C of the JSON bytes
 * as 8 hex digits.  The first record is {"_schema": SCHEMA}; each later
 * record is one committed transaction {"TABLE": {"UUID": null | {COLUMN:
 * VALUE...}}, "_date": MS} (null deletes, an object sets the listed columns
 * of a new or existing row).  A snapshot is the schema record followed by
 * one record that inserts every row.
 *
 * Durability: a commit appends its record with write() before the
 * transaction is applied in memory (a failed write, e.g. ENOSPC, truncates
 * the file back and fails the transaction), and the server calls
 * ovsdb_journal_sync() (fsync) before it answers any client, so every
 * acknowledged transaction is on stable storage.  Several commits of one
 * event-loop round share one fsync (group commit).
 *
 * Recovery: on open, records are replayed in order.  A final record that is
 * incomplete or fails its checksum is a torn write: it is truncated with a
 * warning.  A bad record followed by a good one means corruption, not a
 * crash: opening fails with a message naming the offset.
 *
 * Compaction writes a snapshot to "FILE.tmp", fsyncs it, renames it over
 * FILE and fsyncs the directory, so a crash at any point leaves either the
 * old journal or the new snapshot.
 *
 * Thread-safety: none; used by the server's single thread.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ovsdb;

struct ovsdb_journal {
    char *path;          /* File name. */
    int fd;              /* Open for append, locked. */
    off_t size;          /* Bytes in the file. */
    off_t snapshot_size; /* Bytes after the last open or compaction. */
    bool dirty;          /* Written but not yet fsynced. */
    unsigned long long n_records;     /* Records since the last snapshot. */
    unsigned long long n_compactions; /* Compactions done. */
    unsigned long long n_syncs;       /* fsync() calls. */
    off_t compact_min;                /* Do not compact below this size. */
    unsigned int compact_ratio;       /* Compact past ratio * snapshot size. */
};

uint32_t ovsdb_crc32c(uint32_t crc, const void *data, size_t size);

/* Creates 'path' holding only 'schema' (must not exist).  Returns 0 or an
 * errno, with '*errorp' set (caller frees). */
int ovsdb_journal_create(const char *path, const json_t *schema,
                         char **errorp);
/* Opens 'path', replays it into a new database.  Returns 0, '*dbp' and
 * '*journalp' (NULL if 'journalp' is NULL: read-only check), or errno and
 * '*errorp'. */
int ovsdb_journal_open(const char *path, struct ovsdb **dbp,
                       struct ovsdb_journal **journalp, char **errorp);
void ovsdb_journal_close(struct ovsdb_journal *);
/* Appends 'record'.  Returns 0 or errno (the file is left as before). */
int ovsdb_journal_append(struct ovsdb_journal *, const json_t *record);
/* fsync()s pending writes.  Returns 0 or errno. */
int ovsdb_journal_sync(struct ovsdb_journal *);
bool ovsdb_journal_wants_compaction(const struct ovsdb_journal *);
/* Rewrites the file as a snapshot of 'db'.  Returns 0 or errno. */
int ovsdb_journal_compact(struct ovsdb_journal *, const struct ovsdb *);

/* Prints every record's offset, length and summary to stdout (show-log).
 * Returns 0 or errno. */
int ovsdb_journal_show(const char *path, bool verbose, char **errorp);

#endif /* OVSDB_LITE_JOURNAL_H */
