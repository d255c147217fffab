/*
 * alloc.c - the library's allocator.
 *
 * Every allocation in liblede's C code goes through these functions, so
 * that memory returned to callers is always released by lede_free() with
 * the matching allocator, and so that one place can observe allocations.
 * This module calls nothing else in the library.
 */
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

void *lede__malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *lede__calloc(size_t count, size_t n)
{
    return calloc(count ? count : 1, n ? n : 1);
}

void *lede__realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
}

void lede__free(void *p)
{
    free(p);
}

char *lede__strndup(const char *s, size_t n)
{
    char *copy = lede__malloc(n + 1);
    if (copy == NULL)
        return NULL;
    if (n > 0)
        memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

LEDE_EXTERN(void) lede_free(void *ptr)
{
    lede__free(ptr);
}
