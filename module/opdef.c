// SPDX-License-Identifier: GPL-2.0
/*
 * The opcode table. Each op family lives in its own file (nop.c, rw.c,
 * sync.c, ...) and is wired in here by its row.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>

#include "advise.h"
#include "cancel.h"
#include "kbuf.h"
#include "opdef.h"
#include "net.h"
#include "nop.h"
#include "openclose.h"
#include "poll.h"
#include "rsrc.h"
#include "rw.h"
#include "splice.h"
#include "statx.h"
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

const struct xr_op_def xr_op_defs[] = {
	[XURING_OP_NOP] = {
		.name = "NOP",
		.iopoll = 1,
		.prep = xr_nop_prep,
		.issue = xr_nop,
	},
	[XURING_OP_READV] = {
		.name = "READV",
		.plug = 1,
		.needs_file = 1,
		.unbound_nonreg_file = 1,
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
		.plug = 1,
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.unbound_nonreg_file = 1,
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
		.plug = 1,
		.needs_file = 1,
		.unbound_nonreg_file = 1,
		.pollin = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_read,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_WRITE_FIXED] = {
		.name = "WRITE_FIXED",
		.plug = 1,
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.unbound_nonreg_file = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_write,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_POLL_ADD] = {
		.name = "POLL_ADD",
		.needs_file = 1,
		.retry_in_task = 1,
		.prep = xr_poll_add_prep,
		.issue = xr_poll_add,
		.poll_events = xr_poll_add_events,
	},
	[XURING_OP_POLL_REMOVE] = {
		.name = "POLL_REMOVE",
		.prep = xr_poll_remove_prep,
		.issue = xr_poll_remove,
	},
	[XURING_OP_SYNC_FILE_RANGE] = {
		.name = "SYNC_FILE_RANGE",
		.needs_file = 1,
		.prep = xr_sfr_prep,
		.issue = xr_sync_file_range_issue,
	},
	[XURING_OP_SENDMSG] = {
		.name = "SENDMSG",
		.needs_file = 1,
		.pollout = 1,
		.submitter_only = 1,
		.prep = xr_sendmsg_prep,
		.issue = xr_sendmsg,
		.cleanup = xr_msg_cleanup,
	},
	[XURING_OP_RECVMSG] = {
		.name = "RECVMSG",
		.needs_file = 1,
		.pollin = 1,
		.submitter_only = 1,
		.prep = xr_recvmsg_prep,
		.issue = xr_recvmsg,
		.cleanup = xr_msg_cleanup,
	},
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
	[XURING_OP_ACCEPT] = {
		.name = "ACCEPT",
		.available = xr_accept_connect_available,
		.needs_file = 1,
		.pollin = 1,
		.submitter_only = 1,
		.prep = xr_accept_prep,
		.issue = xr_accept,
	},
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
	[XURING_OP_CONNECT] = {
		.name = "CONNECT",
		.available = xr_accept_connect_available,
		.needs_file = 1,
		.pollout = 1,
		.submitter_only = 1,
		.prep = xr_connect_prep,
		.issue = xr_connect,
	},
	[XURING_OP_FALLOCATE] = {
		.name = "FALLOCATE",
		.needs_file = 1,
		.prep = xr_fallocate_prep,
		.issue = xr_fallocate,
	},
	[XURING_OP_OPENAT] = {
		.name = "OPENAT",
		.submitter_only = 1,
		.prep = xr_openat_prep,
		.issue = xr_openat,
	},
	[XURING_OP_CLOSE] = {
		.name = "CLOSE",
		.submitter_only = 1,
		.prep = xr_close_prep,
		.issue = xr_close,
	},
	[XURING_OP_FILES_UPDATE] = {
		.name = "FILES_UPDATE",
		/* looks the fds up in the submitter's table */
		.submitter_only = 1,
		.iopoll = 1,
		.prep = xr_files_update_prep,
		.issue = xr_files_update,
	},
	[XURING_OP_STATX] = {
		.name = "STATX",
		.submitter_only = 1,
		.prep = xr_statx_prep,
		.issue = xr_statx,
	},
	[XURING_OP_READ] = {
		.name = "READ",
		.plug = 1,
		.needs_file = 1,
		.unbound_nonreg_file = 1,
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
		.plug = 1,
		.needs_file = 1,
		.pollout = 1,
		.hash_reg_file = 1,
		.unbound_nonreg_file = 1,
		.iopoll = 1,
		.prep = xr_prep_rw,
		.issue = xr_write,
		.prep_async = xr_rw_prep_async,
		.cleanup = xr_rw_cleanup,
	},
	[XURING_OP_FADVISE] = {
		.name = "FADVISE",
		.needs_file = 1,
		.prep = xr_fadvise_prep,
		.issue = xr_fadvise,
	},
	[XURING_OP_MADVISE]		= XR_OP_NOT_SUPPORTED("MADVISE"),
	[XURING_OP_SEND] = {
		.name = "SEND",
		.needs_file = 1,
		.unbound_nonreg_file = 1,
		.pollout = 1,
		.prep = xr_send_prep,
		.issue = xr_send,
	},
	[XURING_OP_RECV] = {
		.name = "RECV",
		.needs_file = 1,
		.unbound_nonreg_file = 1,
		.pollin = 1,
		.prep = xr_recv_prep,
		.issue = xr_recv,
	},
	[XURING_OP_OPENAT2] = {
		.name = "OPENAT2",
		.submitter_only = 1,
		.prep = xr_openat2_prep,
		.issue = xr_openat,
	},
	[XURING_OP_EPOLL_CTL]		= XR_OP_NOT_SUPPORTED("EPOLL_CTL"),
	[XURING_OP_SPLICE] = {
		.name = "SPLICE",
		.needs_file = 1,
		.hash_reg_file = 1,
		.unbound_nonreg_file = 1,
		.prep = xr_splice_prep,
		.issue = xr_splice,
		.cleanup = xr_splice_cleanup,
	},
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
	[XURING_OP_TEE] = {
		.name = "TEE",
		.needs_file = 1,
		.hash_reg_file = 1,
		.unbound_nonreg_file = 1,
		.prep = xr_tee_prep,
		.issue = xr_tee,
		.cleanup = xr_splice_cleanup,
	},
};

/* Every row filled in, and every supported op able to run. */
void __init xr_opdef_check(void)
{
	int i;

	/* sized by its entries: an opcode without one fails here */
	BUILD_BUG_ON(ARRAY_SIZE(xr_op_defs) != XURING_OP_LAST);
	/* xuring's request flags start above every SQE flag */
	BUILD_BUG_ON(XR_REQ_F_CUR_POS <= XURING_SQE_CQE_SKIP_SUCCESS);
	for (i = 0; i < XURING_OP_LAST; i++) {
		const struct xr_op_def *def = &xr_op_defs[i];

		WARN_ON_ONCE(!def->name || !def->prep ||
			     (!def->not_supported && !def->issue));
	}
}
