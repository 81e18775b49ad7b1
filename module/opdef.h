/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The opcode table: one row per XURING_OP_*, holding the op's traits and its
 * prep/issue handlers. New ops are added as rows, not as switch cases.
 */
#ifndef XR_OPDEF_H
#define XR_OPDEF_H

#include "types.h"

struct xr_op_def {
	const char *name;
	/* the op needs sqe->fd resolved to a file before prep */
	unsigned int needs_file : 1;
	/* not implemented: probe says so, submission fails with -EOPNOTSUPP */
	unsigned int not_supported : 1;

	/* read the SQE; runs once, in the submitter */
	int (*prep)(struct xr_req *req, const struct xuring_sqe *sqe);
	/* do the work: XR_ISSUE_DONE after xr_req_set_res(), or -errno */
	int (*issue)(struct xr_req *req, unsigned int issue_flags);
};

extern const struct xr_op_def xr_op_defs[XURING_OP_LAST];

void __init xr_opdef_check(void);

static inline const struct xr_op_def *xr_op_def(u8 opcode)
{
	return &xr_op_defs[opcode];
}

#endif /* XR_OPDEF_H */
