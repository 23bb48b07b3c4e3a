/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "vswitch/hash.h"
#include "vswitch/hmap.h"

struct elem {
    struct hmap_node node;
    int value;
};

/* A deliberately bad hash for some tests, to force long chains. */
static size_t
hash_int(int value, bool collide)
{
    return collide ? (size_t) (value & 3) : hash_uint64(value, 0);
}

static void
check_map(struct hmap *map, const int *values, size_t n, bool collide)
{
    struct elem *e;
    size_t count = 0;
    bool *seen = calloc(n ? n : 1, sizeof *seen);

    assert_int_equal(hmap_count(map), n);
    HMAP_FOR_EACH (e, node, map) {
        size_t i;

        for (i = 0; i < n; i++) {
            if (values[i] == e->value && !seen[i]) {
                seen[i] = true;
                break;
            }
        }
        assert_true(i < n);
        count++;
    }
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;

        HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(values[i], collide), map) {
            found |= e->value == values[i];
        }
        assert_true(found);
    }
    /* Mean chain length stays bounded. */
    if (n) {
        assert_true(hmap_count(map) <= 2 * (map->mask + 1));
    }
    free(seen);
}

static void
test_insert_remove(bool collide)
{
    enum { N = 1000 };
    struct elem *elems = calloc(N, sizeof *elems);
    int values[N];
    struct hmap map;

    hmap_init(&map);
    for (int i = 0; i < N; i++) {
        elems[i].value = values[i] = i * 7;
        hmap_insert(&map, &elems[i].node, hash_int(values[i], collide));
        if (i % 97 == 0) {
            check_map(&map, values, i + 1, collide);
        }
    }
    check_map(&map, values, N, collide);
    /* Remove in a shuffled order. */
    for (int i = 0; i < N; i++) {
        int j = (i * 389) % N;

        assert_true(hmap_contains(&map, &elems[j].node));
        hmap_remove(&map, &elems[j].node);
        assert_false(hmap_contains(&map, &elems[j].node));
    }
    assert_true(hmap_is_empty(&map));
    hmap_shrink(&map);
    assert_true(map.mask <= 7);
    hmap_destroy(&map);
    free(elems);
}

/* HMAP_FOR_EACH_SAFE may remove every node it visits: none is skipped
 * (removals do not resize the map under the iterator). */
static void
test_remove_while_iterating(void **state)
{
    enum { N = 1000 };
    struct elem *elems = calloc(N, sizeof *elems);
    struct hmap map;
    struct elem *e;
    size_t n = 0;

    hmap_init(&map);
    for (int i = 0; i < N; i++) {
        elems[i].value = i;
        hmap_insert(&map, &elems[i].node, hash_int(i, 0));
    }
    HMAP_FOR_EACH_SAFE (e, node, &map) {
        hmap_remove(&map, &e->node);
        n++;
    }
    assert_int_equal(n, N);
    assert_true(hmap_is_empty(&map));
    hmap_destroy(&map);
    free(elems);
}

static void
test_insert_remove_good_hash(void **state)
{
    test_insert_remove(false);
}

static void
test_insert_remove_collisions(void **state)
{
    test_insert_remove(true);
}

static void
test_for_each_safe_and_pop(void **state)
{
    enum { N = 200 };
    struct elem elems[N], *e;
    struct hmap map = HMAP_INITIALIZER(&map);
    int n = 0;

    for (int i = 0; i < N; i++) {
        elems[i].value = i;
        hmap_insert(&map, &elems[i].node, hash_int(i, false));
    }
    HMAP_FOR_EACH_SAFE (e, node, &map) {
        if (e->value % 2) {
            hmap_remove(&map, &e->node);
        }
    }
    assert_int_equal(hmap_count(&map), N / 2);
    HMAP_FOR_EACH_POP (e, node, &map) {
        assert_int_equal(e->value % 2, 0);
        n++;
    }
    assert_int_equal(n, N / 2);
    assert_true(hmap_is_empty(&map));
    hmap_destroy(&map);
}

static void
test_pop_break(void **state)
{
    struct elem elems[10], *e;
    struct hmap map;
    int n = 0;

    hmap_init(&map);
    for (int i = 0; i < 10; i++) {
        hmap_insert(&map, &elems[i].node, i);
    }
    HMAP_FOR_EACH_POP (e, node, &map) {
        if (++n == 3) {
            break;
        }
    }
    assert_int_equal(hmap_count(&map), 7);
    hmap_destroy(&map);
}

static void
test_reserve_shrink_swap(void **state)
{
    struct elem elems[50];
    struct hmap a, b;

    hmap_init(&a);
    hmap_init(&b);
    hmap_reserve(&a, 1000);
    assert_true(a.mask >= 999);
    for (int i = 0; i < 50; i++) {
        elems[i].value = i;
        hmap_insert_fast(&a, &elems[i].node, hash_int(i, false));
    }
    hmap_shrink(&a);
    assert_true(a.mask < 128);
    hmap_swap(&a, &b);
    assert_int_equal(hmap_count(&a), 0);
    assert_int_equal(hmap_count(&b), 50);
    hmap_destroy(&a);
    hmap_destroy(&b);
}

static void
test_at_position(void **state)
{
    enum { N = 100 };
    struct elem elems[N];
    struct hmap map;
    uint32_t bucket = 0, offset = 0;
    struct hmap_node *node;
    int seen = 0;

    hmap_init(&map);
    for (int i = 0; i < N; i++) {
        hmap_insert(&map, &elems[i].node, hash_int(i, i % 2));
    }
    while ((node = hmap_at_position(&map, &bucket, &offset))) {
        seen++;
    }
    assert_int_equal(seen, N);
    hmap_destroy(&map);
}

static void
test_replace(void **state)
{
    struct elem a = {.value = 1}, b = {.value = 2}, *e;
    struct hmap map;

    hmap_init(&map);
    hmap_insert(&map, &a.node, 42);
    hmap_replace(&map, &a.node, &b.node);
    HMAP_FOR_EACH_WITH_HASH (e, node, 42, &map) {
        assert_int_equal(e->value, 2);
    }
    assert_int_equal(hmap_count(&map), 1);
    hmap_destroy(&map);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_remove_good_hash),
        cmocka_unit_test(test_insert_remove_collisions),
        cmocka_unit_test(test_for_each_safe_and_pop),
        cmocka_unit_test(test_pop_break),
        cmocka_unit_test(test_reserve_shrink_swap),
        cmocka_unit_test(test_remove_while_iterating),
        cmocka_unit_test(test_at_position),
        cmocka_unit_test(test_replace),
    };
    return cmocka_run_group_tests_name("hmap", tests, NULL, NULL);
}
