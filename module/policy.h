/* SPDX-License-Identifier: GPL-2.0 */
/* What an admin allows, set with module parameters (see modinfo). */
#ifndef XR_POLICY_H
#define XR_POLICY_H

#include <linux/bitops.h>
#include <linux/uidgid.h>

#include "types.h"

extern unsigned int xr_max_entries;
extern bool xr_sqpoll_unprivileged;
extern unsigned long xr_denied_ops[BITS_TO_LONGS(XURING_OP_LAST)];

/* Opcodes the admin denied fail with -EACCES; probe calls them unsupported. */
static inline bool xr_op_denied(u8 opcode)
{
	return test_bit(opcode, xr_denied_ops);
}

int xr_policy_ring_get(kuid_t uid);
void xr_policy_ring_put(kuid_t uid);
void xr_policy_exit(void);

#endif /* XR_POLICY_H */
