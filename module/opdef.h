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
	/* waits for its file to be readable / writable: FAST_POLL applies */
	unsigned int pollin : 1;
	unsigned int pollout : 1;
	/* on a regular file, serialised with the inode's other such requests */
	unsigned int hash_reg_file : 1;
	/* on anything else, may block for as long as the peer likes */
	unsigned int unbound_nonreg_file : 1;
	/*
	 * acts on the submitter's fd table, cwd or root (installs or closes
	 * fds, resolves paths): never runs in a worker or the SQ thread. Its
	 * non-blocking attempt is made in the submit call, and a retry after
	 * FAST_POLL runs in the submitter as task_work.
	 */
	unsigned int submitter_only : 1;
	/*
	 * a FAST_POLL retry asks the file again in the submitter (task_work),
	 * not in a worker, as 5.10 does: a signalfd answers for the task that
	 * asks (POLL_ADD). Not from the SQ thread, which has no such task.
	 */
	unsigned int retry_in_task : 1;
	/* allowed on an XURING_SETUP_IOPOLL ring (others are -EINVAL) */
	unsigned int iopoll : 1;
	/* takes XURING_SQE_BUFFER_SELECT (others are -EOPNOTSUPP) */
	unsigned int buffer_select : 1;
	/* block I/O: a submit call batches it under one blk_plug */
	unsigned int plug : 1;

	/* read the SQE; runs once, in the submitter */
	int (*prep)(struct xr_req *req, const struct xuring_sqe *sqe);
	/*
	 * do the work: XR_ISSUE_DONE after xr_req_set_res(), XR_ISSUE_QUEUED
	 * when it completes later, -EAGAIN when XR_ISSUE_F_NONBLOCK forbids
	 * waiting, or -errno
	 */
	int (*issue)(struct xr_req *req, unsigned int issue_flags);
	/* before an XURING_SQE_ASYNC punt: copy what userspace may reuse */
	int (*prep_async)(struct xr_req *req);
	/* free what req->async_data points to (the core frees async_data) */
	void (*cleanup)(struct xr_req *req);
	/* an op a module parameter may turn off: false when it is off */
	bool (*available)(void);
	/* the events FAST_POLL waits for, when not pollin/pollout's */
	__poll_t (*poll_events)(struct xr_req *req);
};

/* sized by its entries, so that xr_opdef_check() can check the size */
extern const struct xr_op_def xr_op_defs[];

void __init xr_opdef_check(void);

static inline const struct xr_op_def *xr_op_def(u8 opcode)
{
	return &xr_op_defs[opcode];
}

#endif /* XR_OPDEF_H */
