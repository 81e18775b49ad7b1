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
#include "opdef.h"
#include "nop.h"
#include "poll.h"
#include "rw.h"
#include "sync.h"
#include "timeout.h"

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
		.prep = xr_nop_prep,
		.issue = xr_nop,
	},
	[XURING_OP_READV] = {
		.name = "READV",
		.needs_file = 1,
		.pollin = 1,
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
	[XURING_OP_READ_FIXED]		= XR_OP_NOT_SUPPORTED("READ_FIXED"),
	[XURING_OP_WRITE_FIXED]		= XR_OP_NOT_SUPPORTED("WRITE_FIXED"),
	[XURING_OP_POLL_ADD] = {
		.name = "POLL_ADD",
		.needs_file = 1,
		.prep = xr_poll_add_prep,
		.issue = xr_poll_add,
		.poll_events = xr_poll_add_events,
	},
	[XURING_OP_POLL_REMOVE] = {
		.name = "POLL_REMOVE",
		.prep = xr_poll_remove_prep,
		.issue = xr_poll_remove,
	},
	[XURING_OP_SYNC_FILE_RANGE]	= XR_OP_NOT_SUPPORTED("SYNC_FILE_RANGE"),
	[XURING_OP_SENDMSG]		= XR_OP_NOT_SUPPORTED("SENDMSG"),
	[XURING_OP_RECVMSG]		= XR_OP_NOT_SUPPORTED("RECVMSG"),
	[XURING_OP_TIMEOUT] = {
		.name = "TIMEOUT",
		.prep = xr_timeout_prep,
		.issue = xr_timeout,
	},
	[XURING_OP_TIMEOUT_REMOVE] = {
		.name = "TIMEOUT_REMOVE",
		.prep = xr_timeout_remove_prep,
		.issue = xr_timeout_remove,
	},
	[XURING_OP_ACCEPT]		= XR_OP_NOT_SUPPORTED("ACCEPT"),
	[XURING_OP_ASYNC_CANCEL] = {
		.name = "ASYNC_CANCEL",
		.prep = xr_async_cancel_prep,
		.issue = xr_async_cancel,
	},
	[XURING_OP_LINK_TIMEOUT] = {
		.name = "LINK_TIMEOUT",
		.prep = xr_link_timeout_prep,
		.issue = xr_link_timeout,
	},
	[XURING_OP_CONNECT]		= XR_OP_NOT_SUPPORTED("CONNECT"),
	[XURING_OP_FALLOCATE]		= XR_OP_NOT_SUPPORTED("FALLOCATE"),
	[XURING_OP_OPENAT]		= XR_OP_NOT_SUPPORTED("OPENAT"),
	[XURING_OP_CLOSE]		= XR_OP_NOT_SUPPORTED("CLOSE"),
	[XURING_OP_FILES_UPDATE]	= XR_OP_NOT_SUPPORTED("FILES_UPDATE"),
	[XURING_OP_STATX]		= XR_OP_NOT_SUPPORTED("STATX"),
	[XURING_OP_READ] = {
		.name = "READ",
		.needs_file = 1,
		.pollin = 1,
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
	[XURING_OP_PROVIDE_BUFFERS]	= XR_OP_NOT_SUPPORTED("PROVIDE_BUFFERS"),
	[XURING_OP_REMOVE_BUFFERS]	= XR_OP_NOT_SUPPORTED("REMOVE_BUFFERS"),
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
