/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "vswitch/list.h"

struct elem {
    struct vs_list node;
    int value;
};

static void
check_list(struct vs_list *list, const int *values, size_t n)
{
    struct elem *e;
    size_t i = 0;

    LIST_FOR_EACH (e, node, list) {
        assert_true(i < n);
        assert_int_equal(e->value, values[i]);
        i++;
    }
    assert_int_equal(i, n);
    LIST_FOR_EACH_REVERSE (e, node, list) {
        assert_int_equal(e->value, values[--i]);
    }
    assert_int_equal(vs_list_size(list), n);
    assert_int_equal(vs_list_is_empty(list), n == 0);
    assert_int_equal(vs_list_is_singleton(list), n == 1);
}

static void
test_push_pop(void **state)
{
    struct elem e[5];
    struct vs_list list;
    struct elem *x;

    vs_list_init(&list);
    check_list(&list, NULL, 0);
    for (int i = 0; i < 5; i++) {
        e[i].value = i;
    }
    vs_list_push_back(&list, &e[1].node);
    check_list(&list, (int[]){1}, 1);
    vs_list_push_back(&list, &e[2].node);
    vs_list_push_front(&list, &e[0].node);
    check_list(&list, (int[]){0, 1, 2}, 3);
    x = CONTAINER_OF(vs_list_pop_front(&list), struct elem, node);
    assert_int_equal(x->value, 0);
    x = CONTAINER_OF(vs_list_pop_back(&list), struct elem, node);
    assert_int_equal(x->value, 2);
    check_list(&list, (int[]){1}, 1);
    vs_list_insert(&e[1].node, &e[3].node);
    check_list(&list, (int[]){3, 1}, 2);
    vs_list_replace(&e[4].node, &e[3].node);
    check_list(&list, (int[]){4, 1}, 2);
}

static void
test_safe_and_pop(void **state)
{
    struct elem e[6], *x, *next;
    struct vs_list list = VS_LIST_INITIALIZER(&list);
    int n = 0;

    for (int i = 0; i < 6; i++) {
        e[i].value = i;
        vs_list_push_back(&list, &e[i].node);
    }
    LIST_FOR_EACH_SAFE (x, next, node, &list) {
        if (x->value % 2) {
            vs_list_remove(&x->node);
            vs_list_poison(&x->node);
        }
    }
    check_list(&list, (int[]){0, 2, 4}, 3);
    LIST_FOR_EACH_POP (x, node, &list) {
        assert_int_equal(x->value, 2 * n++);
    }
    assert_int_equal(n, 3);
    assert_true(vs_list_is_empty(&list));
}

static void
test_splice(void **state)
{
    struct elem e[4];
    struct vs_list a, b;

    vs_list_init(&a);
    vs_list_init(&b);
    for (int i = 0; i < 4; i++) {
        e[i].value = i;
        vs_list_push_back(i < 2 ? &a : &b, &e[i].node);
    }
    vs_list_splice_tail(&a, &b);
    check_list(&a, (int[]){0, 1, 2, 3}, 4);
    check_list(&b, NULL, 0);
    vs_list_splice_tail(&a, &b);
    check_list(&a, (int[]){0, 1, 2, 3}, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_pop),
        cmocka_unit_test(test_safe_and_pop),
        cmocka_unit_test(test_splice),
    };
    return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
