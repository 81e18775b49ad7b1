// SPDX-License-Identifier: GPL-2.0
/*
 * The opcode table. Each op family lives in its own file (nop.c, rw.c,
 * sync.c, ...) and is wired in here by its row.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>

#include "cancel.h"
#include "kbuf.h"
#include "opdef.h"
#include "nop.h"
#include "rsrc.h"
#include "rw.h"
#include "sync.h"

static int xr_eopnotsupp_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	return -EOPNOTSUPP;
}

#define XR_OP_NOT_SUPPORTED(op_name)				\
	{							\
		.name = op_name,				\
		.not_supported = 1,				\
		.prep = xr_eopnotsupp_prep,			\
	}

const struct xr_op_def xr_op_defs[XURING_OP_LAST] = {
	[XURING_OP_NOP] = {
		.name = "NOP",
		.iopoll = 1,
		.prep = xr_nop_prep,
		.issue = xr_nop,
	},
	[XURING_OP_READV] = {
		.name = "READV",
		.needs_file = 1,
		.pollin = 1,
		.iopoll = 1,
		.buffer_select = 1,
		.prep = xr_prep_rw,
		.issue = xr_read,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_WRITEV] = {
		.name = "WRITEV",
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_write,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_FSYNC] = {
		.name = "FSYNC",
		.needs_file = 1,
		.prep = xr_fsync_prep,
		.issue = xr_fsync,
	},
	[XURING_OP_READ_FIXED] = {
		.name = "READ_FIXED",
		.needs_file = 1,
		.pollin = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_read,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_WRITE_FIXED] = {
		.name = "WRITE_FIXED",
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_write,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_POLL_ADD]		= XR_OP_NOT_SUPPORTED("POLL_ADD"),
	[XURING_OP_POLL_REMOVE]		= XR_OP_NOT_SUPPORTED("POLL_REMOVE"),
	[XURING_OP_SYNC_FILE_RANGE]	= XR_OP_NOT_SUPPORTED("SYNC_FILE_RANGE"),
	[XURING_OP_SENDMSG]		= XR_OP_NOT_SUPPORTED("SENDMSG"),
	[XURING_OP_RECVMSG]		= XR_OP_NOT_SUPPORTED("RECVMSG"),
	[XURING_OP_TIMEOUT]		= XR_OP_NOT_SUPPORTED("TIMEOUT"),
	[XURING_OP_TIMEOUT_REMOVE]	= XR_OP_NOT_SUPPORTED("TIMEOUT_REMOVE"),
	[XURING_OP_ACCEPT]		= XR_OP_NOT_SUPPORTED("ACCEPT"),
	[XURING_OP_ASYNC_CANCEL] = {
		.name = "ASYNC_CANCEL",
		.prep = xr_async_cancel_prep,
		.issue = xr_async_cancel,
	},
	[XURING_OP_LINK_TIMEOUT]	= XR_OP_NOT_SUPPORTED("LINK_TIMEOUT"),
	[XURING_OP_CONNECT]		= XR_OP_NOT_SUPPORTED("CONNECT"),
	[XURING_OP_FALLOCATE]		= XR_OP_NOT_SUPPORTED("FALLOCATE"),
	[XURING_OP_OPENAT]		= XR_OP_NOT_SUPPORTED("OPENAT"),
	[XURING_OP_CLOSE]		= XR_OP_NOT_SUPPORTED("CLOSE"),
	[XURING_OP_FILES_UPDATE] = {
		.name = "FILES_UPDATE",
		/* looks the fds up in the submitter's table */
		.submitter_only = 1,
		.iopoll = 1,
		.prep = xr_files_update_prep,
		.issue = xr_files_update,
	},
	[XURING_OP_STATX]		= XR_OP_NOT_SUPPORTED("STATX"),
	[XURING_OP_READ] = {
		.name = "READ",
		.needs_file = 1,
		.pollin = 1,
		.iopoll = 1,
		.buffer_select = 1,
		.prep = xr_prep_rw,
		.issue = xr_read,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_WRITE] = {
		.name = "WRITE",
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_write,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_FADVISE]		= XR_OP_NOT_SUPPORTED("FADVISE"),
	[XURING_OP_MADVISE]		= XR_OP_NOT_SUPPORTED("MADVISE"),
	[XURING_OP_SEND]		= XR_OP_NOT_SUPPORTED("SEND"),
	[XURING_OP_RECV]		= XR_OP_NOT_SUPPORTED("RECV"),
	[XURING_OP_OPENAT2]		= XR_OP_NOT_SUPPORTED("OPENAT2"),
	[XURING_OP_EPOLL_CTL]		= XR_OP_NOT_SUPPORTED("EPOLL_CTL"),
	[XURING_OP_SPLICE]		= XR_OP_NOT_SUPPORTED("SPLICE"),
	[XURING_OP_PROVIDE_BUFFERS] = {
		.name = "PROVIDE_BUFFERS",
		.iopoll = 1,
		.prep = xr_provide_buffers_prep,
		.issue = xr_provide_buffers,
	},
	[XURING_OP_REMOVE_BUFFERS] = {
		.name = "REMOVE_BUFFERS",
		.iopoll = 1,
		.prep = xr_remove_buffers_prep,
		.issue = xr_remove_buffers,
	},
	[XURING_OP_TEE]			= XR_OP_NOT_SUPPORTED("TEE"),
};

/* Every row filled in, and every supported op able to run. */
void __init xr_opdef_check(void)
{
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(xr_op_defs) != XURING_OP_LAST);
	for (i = 0; i < XURING_OP_LAST; i++) {
		const struct xr_op_def *def = &xr_op_defs[i];

		WARN_ON_ONCE(!def->name || !def->prep ||
			     (!def->not_supported && !def->issue));
	}
}
