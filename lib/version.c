/*
 * version.c - the version of the linked library, for programs that need
 * to compare it with the LEDE_VERSION they were compiled against. Calls
 * nothing.
 */
#include "lede_int.h"

LEDE_EXTERN(const char *) lede_version(void)
{
    return LEDE_VERSION;
}
