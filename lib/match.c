/* SPDX-License-Identifier: Apache-2.0 */
/* match: flows with wildcards; set operations word by word. */

#include <string.h>
#include "vswitch/hash.h"
#include "vswitch/match.h"

void
match_init_catchall(struct match *m)
{
    memset(m, 0, sizeof *m);
}

void
match_init(struct match *m, const struct flow *flow, const struct flow *mask)
{
    m->wc = *mask;
    flow_and(&m->flow, flow, mask);
}

void
match_init_exact(struct match *m, const struct flow *flow)
{
    m->flow = *flow;
    memset(&m->wc, 0xff, sizeof m->wc);
}

bool
match_equal(const struct match *a, const struct match *b)
{
    return flow_equal(&a->flow, &b->flow) && flow_equal(&a->wc, &b->wc);
}

uint64_t
match_hash(const struct match *m, uint64_t basis)
{
    return flow_hash(&m->flow, flow_hash(&m->wc, basis));
}

bool
match_matches_flow(const struct match *m, const struct flow *flow)
{
    const uint64_t *f = flow_u64(flow), *mf = flow_u64(&m->flow),
                   *wc = flow_u64(&m->wc);
    uint64_t diff = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        diff |= (f[i] ^ mf[i]) & wc[i];
    }
    return !diff;
}

bool
match_is_subset(const struct match *a, const struct match *b)
{
    const uint64_t *af = flow_u64(&a->flow), *aw = flow_u64(&a->wc);
    const uint64_t *bf = flow_u64(&b->flow), *bw = flow_u64(&b->wc);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        /* b's constrained bits must be constrained in a, to b's values. */
        if ((bw[i] & ~aw[i]) || ((af[i] ^ bf[i]) & bw[i])) {
            return false;
        }
    }
    return true;
}

bool
match_combine(struct match *dst, const struct match *a, const struct match *b)
{
    const uint64_t *af = flow_u64(&a->flow), *aw = flow_u64(&a->wc);
    const uint64_t *bf = flow_u64(&b->flow), *bw = flow_u64(&b->wc);
    uint64_t *df = flow_u64_rw(&dst->flow), *dw = flow_u64_rw(&dst->wc);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        uint64_t both = aw[i] & bw[i];

        if ((af[i] ^ bf[i]) & both) {
            return false;
        }
        df[i] = af[i] | bf[i];
        dw[i] = aw[i] | bw[i];
    }
    return true;
}

void
match_mask(struct match *m, const struct flow *mask)
{
    flow_or(&m->wc, mask);
    flow_and(&m->flow, &m->flow, &m->wc);
}

void
match_set_field(struct match *m, size_t ofs, size_t size, const void *value,
                const void *mask)
{
    uint8_t *f = (uint8_t *) &m->flow + ofs, *w = (uint8_t *) &m->wc + ofs;
    const uint8_t *v = value, *mk = mask;

    for (size_t i = 0; i < size; i++) {
        w[i] = mk[i];
        f[i] = v[i] & mk[i];
    }
}
