/* SPDX-License-Identifier: Apache-2.0 */
/* mac-learning: see mac-learning.h. */
#include "mac-learning.h"

#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/list.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(mac_learning);

COVERAGE_DEFINE(mac_learning_learned);
COVERAGE_DEFINE(mac_learning_moved);
COVERAGE_DEFINE(mac_learning_move_locked);
COVERAGE_DEFINE(mac_learning_move_flood);
COVERAGE_DEFINE(mac_learning_evicted);
COVERAGE_DEFINE(mac_learning_expired);

struct mac_entry {
    struct hmap_node node;  /* In mac_learning.table. */
    struct vs_list lru;     /* In mac_learning.lru, newest first. */
    uint16_t vlan;          /* VLAN. */
    struct eth_addr mac;    /* Address. */
    uint16_t port;          /* OpenFlow port. */
    long long learned;      /* Last learned (ms). */
    long long locked_until; /* Moves refused before this (ms). */
    long long move_window;  /* Start of the current move window (ms). */
    unsigned int n_moves;   /* Moves in that window. */
};

struct mac_learning {
    struct vs_mutex mutex; /* Guards the members marked [mutex]. */
    struct hmap table;     /* [mutex] mac_entry by vlan+mac. */
    struct vs_list lru;    /* [mutex] Newest first. */
    long long idle_ms;     /* [mutex] Aging. */
    size_t max_entries;    /* [mutex] Capacity. */
    uint64_t seq;          /* Change count (atomic). */
    struct mac_entry_info log[MAC_CHANGE_LOG]; /* [mutex] Changes. */
    size_t n_log;                              /* [mutex] In 'log'. */
    bool log_overflow;                         /* [mutex] 'log' overflowed. */
};

static size_t
entry_hash(uint16_t vlan, const struct eth_addr *mac)
{
    uint64_t x = vlan;

    for (int i = 0; i < 6; i++) {
        x = x << 8 | mac->ea[i];
    }
    return hash_uint64(x, 0);
}

static void
bump_seq(struct mac_learning *ml)
{
    __atomic_add_fetch(&ml->seq, 1, __ATOMIC_RELEASE);
}

/* Logs that the entry of 'e''s address changed. */
static void
log_change(struct mac_learning *ml, const struct mac_entry *e)
    VS_REQUIRES(ml->mutex)
{
    if (ml->n_log < MAC_CHANGE_LOG) {
        struct mac_entry_info *info = &ml->log[ml->n_log++];

        info->vlan = e->vlan;
        info->mac = e->mac;
        info->port = e->port;
        info->age_ms = 0;
    } else {
        ml->log_overflow = true;
    }
}

struct mac_learning *
mac_learning_create(unsigned int idle_time_s, size_t max_entries)
{
    struct mac_learning *ml = xzalloc(sizeof *ml);

    vs_mutex_init(&ml->mutex);
    hmap_init(&ml->table);
    vs_list_init(&ml->lru);
    ml->idle_ms =
        (long long) (idle_time_s ? idle_time_s : MAC_DEFAULT_IDLE_TIME) * 1000;
    ml->max_entries = max_entries ? max_entries : MAC_DEFAULT_MAX;
    return ml;
}

static void
remove_entry(struct mac_learning *ml, struct mac_entry *e)
    VS_REQUIRES(ml->mutex)
{
    log_change(ml, e);
    hmap_remove(&ml->table, &e->node);
    vs_list_remove(&e->lru);
    free(e);
}

void
mac_learning_destroy(struct mac_learning *ml)
{
    if (ml) {
        mac_learning_flush(ml);
        hmap_destroy(&ml->table);
        vs_mutex_destroy(&ml->mutex);
        free(ml);
    }
}

void
mac_learning_set_idle_time(struct mac_learning *ml, unsigned int seconds)
{
    vs_mutex_lock(&ml->mutex);
    ml->idle_ms =
        (long long) (seconds ? seconds : MAC_DEFAULT_IDLE_TIME) * 1000;
    vs_mutex_unlock(&ml->mutex);
}

static void
evict_to(struct mac_learning *ml, size_t n) VS_REQUIRES(ml->mutex)
{
    while (hmap_count(&ml->table) > n) {
        struct mac_entry *e =
            CONTAINER_OF(vs_list_back(&ml->lru), struct mac_entry, lru);

        remove_entry(ml, e);
        COVERAGE_INC(mac_learning_evicted);
        bump_seq(ml);
    }
}

void
mac_learning_set_max_entries(struct mac_learning *ml, size_t n)
{
    vs_mutex_lock(&ml->mutex);
    ml->max_entries = n ? n : MAC_DEFAULT_MAX;
    evict_to(ml, ml->max_entries);
    vs_mutex_unlock(&ml->mutex);
}

bool
mac_learning_may_learn(const struct eth_addr *mac)
{
    return !(mac->ea[0] & 1) && !eth_addr_is_zero(mac);
}

static struct mac_entry *
find(struct mac_learning *ml, uint16_t vlan, const struct eth_addr *mac)
    VS_REQUIRES(ml->mutex)
{
    struct mac_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, entry_hash(vlan, mac), &ml->table) {
        if (e->vlan == vlan && !memcmp(&e->mac, mac, sizeof *mac)) {
            return e;
        }
    }
    return NULL;
}

enum mac_learn_result
mac_learning_learn(struct mac_learning *ml, uint16_t vlan,
                   const struct eth_addr *mac, uint16_t port, bool grat_arp,
                   long long now)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    enum mac_learn_result res = MAC_LEARN_NONE;
    struct mac_entry *e;

    if (!mac_learning_may_learn(mac)) {
        return MAC_LEARN_NONE;
    }
    vs_mutex_lock(&ml->mutex);
    e = find(ml, vlan, mac);
    if (e && now - e->learned >= ml->idle_ms) {
        /* Expired but not yet swept: as good as new. */
        remove_entry(ml, e);
        e = NULL;
        bump_seq(ml);
    }
    if (!e) {
        evict_to(ml, ml->max_entries - 1);
        e = xzalloc(sizeof *e);
        e->vlan = vlan;
        e->mac = *mac;
        e->port = port;
        hmap_insert(&ml->table, &e->node, entry_hash(vlan, mac));
        vs_list_push_front(&ml->lru, &e->lru);
        COVERAGE_INC(mac_learning_learned);
        log_change(ml, e);
        res = MAC_LEARN_NEW;
    } else if (e->port != port) {
        if (now < e->locked_until) {
            COVERAGE_INC(mac_learning_move_locked);
            vs_mutex_unlock(&ml->mutex);
            return MAC_LEARN_LOCKED;
        }
        if (now - e->move_window >= MAC_MOVE_WINDOW_MS) {
            e->move_window = now;
            e->n_moves = 0;
        }
        if (++e->n_moves > MAC_MOVE_BURST) {
            e->locked_until = now + MAC_MOVE_HOLD_MS;
            COVERAGE_INC(mac_learning_move_flood);
            VLOG_WARN_RL(&rl,
                         "%02x:%02x:%02x:%02x:%02x:%02x on VLAN %u moved "
                         "more than %d times in %d ms: held on port %u "
                         "for %d ms",
                         mac->ea[0], mac->ea[1], mac->ea[2], mac->ea[3],
                         mac->ea[4], mac->ea[5], vlan, MAC_MOVE_BURST,
                         MAC_MOVE_WINDOW_MS, e->port, MAC_MOVE_HOLD_MS);
            vs_mutex_unlock(&ml->mutex);
            return MAC_LEARN_LOCKED;
        }
        VLOG_INFO_RL(&rl,
                     "%02x:%02x:%02x:%02x:%02x:%02x on VLAN %u moved from "
                     "port %u to port %u",
                     mac->ea[0], mac->ea[1], mac->ea[2], mac->ea[3],
                     mac->ea[4], mac->ea[5], vlan, e->port, port);
        COVERAGE_INC(mac_learning_moved);
        e->port = port;
        log_change(ml, e);
        res = MAC_LEARN_MOVED;
    }
    e->learned = now;
    if (grat_arp) {
        e->locked_until = now + MAC_GRAT_ARP_LOCK_MS;
    }
    vs_list_remove(&e->lru);
    vs_list_push_front(&ml->lru, &e->lru);
    if (res == MAC_LEARN_MOVED) {
        bump_seq(ml);
    }
    vs_mutex_unlock(&ml->mutex);
    return res;
}

int
mac_learning_lookup(struct mac_learning *ml, uint16_t vlan,
                    const struct eth_addr *mac, long long now)
{
    struct mac_entry *e;
    int port = -1;

    vs_mutex_lock(&ml->mutex);
    e = find(ml, vlan, mac);
    if (e && now - e->learned < ml->idle_ms) {
        port = e->port;
    }
    vs_mutex_unlock(&ml->mutex);
    return port;
}

size_t
mac_learning_expire(struct mac_learning *ml, long long now)
{
    size_t n = 0;

    vs_mutex_lock(&ml->mutex);
    while (!vs_list_is_empty(&ml->lru)) {
        struct mac_entry *e =
            CONTAINER_OF(vs_list_back(&ml->lru), struct mac_entry, lru);

        if (now - e->learned < ml->idle_ms) {
            break;
        }
        remove_entry(ml, e);
        n++;
    }
    if (n) {
        COVERAGE_ADD(mac_learning_expired, n);
        bump_seq(ml);
    }
    vs_mutex_unlock(&ml->mutex);
    return n;
}

static void
flush__(struct mac_learning *ml, bool all, uint16_t port)
{
    struct vs_list *l, *next;
    bool changed = false;

    /* Walks the LRU list: removals may shrink (rehash) the hash table,
     * which an iteration over it would not survive. */
    vs_mutex_lock(&ml->mutex);
    for (l = vs_list_front(&ml->lru); l != &ml->lru; l = next) {
        struct mac_entry *e = CONTAINER_OF(l, struct mac_entry, lru);

        next = l->next;
        if (all || e->port == port) {
            remove_entry(ml, e);
            changed = true;
        }
    }
    if (changed) {
        bump_seq(ml);
    }
    vs_mutex_unlock(&ml->mutex);
}

void
mac_learning_flush(struct mac_learning *ml)
{
    flush__(ml, true, 0);
}

void
mac_learning_flush_port(struct mac_learning *ml, uint16_t port)
{
    flush__(ml, false, port);
}

size_t
mac_learning_drain_changes(struct mac_learning *ml,
                           struct mac_entry_info out[MAC_CHANGE_LOG],
                           bool *overflow)
{
    size_t n;

    vs_mutex_lock(&ml->mutex);
    n = ml->n_log;
    memcpy(out, ml->log, n * sizeof *out);
    *overflow = ml->log_overflow;
    ml->n_log = 0;
    ml->log_overflow = false;
    vs_mutex_unlock(&ml->mutex);
    return n;
}

uint64_t
mac_learning_seq(const struct mac_learning *ml)
{
    return __atomic_load_n(&ml->seq, __ATOMIC_ACQUIRE);
}

size_t
mac_learning_count(const struct mac_learning *ml_)
{
    struct mac_learning *ml = (struct mac_learning *) ml_;
    size_t n;

    vs_mutex_lock(&ml->mutex);
    n = hmap_count(&ml->table);
    vs_mutex_unlock(&ml->mutex);
    return n;
}

struct mac_entry_info *
mac_learning_dump(struct mac_learning *ml, long long now, size_t *n)
{
    struct mac_entry_info *v;
    struct mac_entry *e;
    size_t i = 0;

    vs_mutex_lock(&ml->mutex);
    v = xcalloc(hmap_count(&ml->table) + 1, sizeof *v);
    for (struct vs_list *l = vs_list_front(&ml->lru); l != &ml->lru;
         l = l->next) {
        e = CONTAINER_OF(l, struct mac_entry, lru);
        v[i].vlan = e->vlan;
        v[i].mac = e->mac;
        v[i].port = e->port;
        v[i].age_ms = now - e->learned;
        i++;
    }
    vs_mutex_unlock(&ml->mutex);
    *n = i;
    return v;
}

void
mac_learning_format(struct mac_learning *ml, long long now, struct ds *s)
{
    struct mac_entry_info *v;
    size_t n;

    v = mac_learning_dump(ml, now, &n);
    ds_put_cstr(s, " port  VLAN  MAC                Age\n");
    for (size_t i = 0; i < n; i++) {
        const uint8_t *ea = v[i].mac.ea;

        if (v[i].port == 0xfffe) {
            ds_put_cstr(s, "LOCAL");
        } else {
            ds_put_format(s, "%5u", v[i].port);
        }
        ds_put_format(s, "  %4u  %02x:%02x:%02x:%02x:%02x:%02x  %3lld\n",
                      v[i].vlan, ea[0], ea[1], ea[2], ea[3], ea[4], ea[5],
                      v[i].age_ms / 1000);
    }
    free(v);
}
