/*
 * test_strmap.c - the indexer's hash map: finding what was added, values
 * replaced, growth past many rehashes, clearing, and keys that are not
 * NUL-terminated or hold NUL bytes.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

static void test_strmap__add_find_replace(void **state)
{
    lede__strmap m = LEDE__STRMAP_INIT;
    lede__strmap_entry *e;
    (void)state;
    assert_null(lede__strmap_find(&m, "summit", 6));
    assert_int_equal(lede__strmap_add(&e, &m, "summits", 7, "summit", 6), 0);
    e->count = 3;
    /* The key is the first 7 bytes only. */
    assert_null(lede__strmap_find(&m, "summitsX", 8));
    assert_null(lede__strmap_find(&m, "summit", 6));
    e = lede__strmap_find(&m, "summitsX", 7);
    assert_non_null(e);
    assert_string_equal(lede__strmap_key(&m, e), "summits");
    assert_string_equal(lede__strmap_value(&m, e), "summit");
    assert_int_equal(e->count, 3);
    /* Adding an existing key replaces its value, keeps its count. */
    assert_int_equal(lede__strmap_add(&e, &m, "summits", 7, "summ", 4), 0);
    assert_int_equal(m.n, 1);
    assert_string_equal(lede__strmap_value(&m, e), "summ");
    assert_int_equal(e->value_len, 4);
    assert_int_equal(e->count, 3);
    /* NUL bytes are key bytes like any other. */
    assert_int_equal(lede__strmap_add(&e, &m, "a\0b", 3, "", 0), 0);
    assert_null(lede__strmap_find(&m, "a\0c", 3));
    assert_non_null(lede__strmap_find(&m, "a\0b", 3));
    lede__strmap_free(&m);
}

static void test_strmap__many_keys(void **state)
{
    lede__strmap m = LEDE__STRMAP_INIT;
    lede__strmap_entry *e;
    char k[32], v[32];
    (void)state;
    /* 100000 keys: the table doubles many times; every key is found with
     * its own value, entries stay in the order added. */
    for (int i = 0; i < 100000; i++) {
        int kn = snprintf(k, sizeof k, "w%d", i);
        int vn = snprintf(v, sizeof v, "%x", (unsigned)i * 7919u);
        assert_int_equal(lede__strmap_add(&e, &m, k, (size_t)kn, v, (size_t)vn),
                         0);
        e->count = (uint64_t)i;
    }
    assert_int_equal(m.n, 100000);
    for (int i = 0; i < 100000; i += 7) {
        int kn = snprintf(k, sizeof k, "w%d", i);
        snprintf(v, sizeof v, "%x", (unsigned)i * 7919u);
        e = lede__strmap_find(&m, k, (size_t)kn);
        assert_non_null(e);
        assert_string_equal(lede__strmap_value(&m, e), v);
        assert_int_equal(e->count, (uint64_t)i);
        assert_ptr_equal(e, &m.v[i]);
    }
    assert_null(lede__strmap_find(&m, "w100000", 7));
    /* Cleared, it is empty and takes keys again. */
    lede__strmap_clear(&m);
    assert_int_equal(m.n, 0);
    assert_null(lede__strmap_find(&m, "w5", 2));
    assert_int_equal(lede__strmap_add(&e, &m, "w5", 2, "x", 1), 0);
    assert_non_null(lede__strmap_find(&m, "w5", 2));
    lede__strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strmap__add_find_replace),
        cmocka_unit_test(test_strmap__many_keys),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
