// SPDX-License-Identifier: GPL-2.0
/*
 * SPLICE and TEE. do_splice() and do_tee() are not exported: this is
 * splice(2) and tee(2) again, from what is: the files' ->splice_read and
 * ->splice_write, and the pipe buffers themselves for pipe-to-pipe moves.
 *
 * splice_fd_in is resolved at prep, in the submitter (or the registered
 * file table with XURING_SPLICE_F_FD_IN_FIXED). As in 5.10, both ops block:
 * they run in a worker. A worker is not a process: no SIGPIPE is sent when
 * the output pipe has no reader (the result is -EPIPE).
 */
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/wait.h>

#include "compat.h"
#include "core.h"
#include "rsrc.h"
#include "splice.h"

struct xr_splice {
	loff_t off_in;
	loff_t off_out;
	u32 len;
	unsigned int flags;
};

/* The input file, in req->async_data: cleanup puts it. */
struct xr_splice_async {
	struct file *file_in;
	/*
	 * splice_fd_in is a ring's: not held (a waiting request would keep
	 * the ring alive, see xr_req_hold_ring_file()); a ring has no splice
	 * ops, so the request fails with -EINVAL, as native io_uring's.
	 */
	bool in_is_ring;
};

/*
 * The pipe behind @file, or NULL: an anonymous pipe or an open FIFO, whose
 * file points at the inode's pipe. Watch queues are not spliced.
 */
static struct pipe_inode_info *xr_pipe_info(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct pipe_inode_info *pipe = file->private_data;

	if (!S_ISFIFO(inode->i_mode) || !pipe || pipe != READ_ONCE(inode->i_pipe))
		return NULL;
	if (pipe_has_watch_queue(pipe))
		return NULL;
	return pipe;
}

static int xr_splice_prep_common(struct xr_req *req,
				 const struct xuring_sqe *sqe)
{
	struct xr_splice *sp = xr_req_cmd(req, struct xr_splice);
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_splice_async *io;
	int fd_in;

	/* ioprio: refused by 6.1 (5.10 ignored it) */
	if (unlikely(READ_ONCE(sqe->ioprio)))
		return -EINVAL;
	sp->len = READ_ONCE(sqe->len);
	sp->flags = READ_ONCE(sqe->splice_flags);
	if (unlikely(sp->flags & ~(XURING_SPLICE_F_FD_IN_FIXED | SPLICE_F_ALL)))
		return -EINVAL;

	io = kmalloc(sizeof(*io), GFP_KERNEL_ACCOUNT);
	if (!io)
		return -ENOMEM;
	req->async_data = io;
	fd_in = READ_ONCE(sqe->splice_fd_in);
	if (sp->flags & XURING_SPLICE_F_FD_IN_FIXED)
		io->file_in = xr_file_get_fixed(ctx, fd_in);
	/* the SQ thread has no fd table of the submitter's */
	else if (!(ctx->flags & XURING_SETUP_SQPOLL))
		io->file_in = fget(fd_in);
	else
		io->file_in = NULL;
	io->in_is_ring = io->file_in && xr_is_ring_file(io->file_in);
	if (io->in_is_ring) {
		fput(io->file_in);
		io->file_in = NULL;
		return 0;
	}
	return io->file_in ? 0 : -EBADF;
}

int xr_splice_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_splice *sp = xr_req_cmd(req, struct xr_splice);

	sp->off_in = READ_ONCE(sqe->splice_off_in);
	sp->off_out = READ_ONCE(sqe->off);
	return xr_splice_prep_common(req, sqe);
}

int xr_tee_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	if (READ_ONCE(sqe->splice_off_in) || READ_ONCE(sqe->off))
		return -EINVAL;
	return xr_splice_prep_common(req, sqe);
}

void xr_splice_cleanup(struct xr_req *req)
{
	struct xr_splice_async *io = req->async_data;

	if (io->file_in)
		fput(io->file_in);
}

static bool xr_pipe_readable(struct pipe_inode_info *pipe)
{
	return !pipe_empty(READ_ONCE(pipe->head), READ_ONCE(pipe->tail)) ||
	       !READ_ONCE(pipe->writers);
}

static bool xr_pipe_writable(struct pipe_inode_info *pipe)
{
	return !pipe_full(READ_ONCE(pipe->head), READ_ONCE(pipe->tail),
			  READ_ONCE(pipe->max_usage)) ||
	       !READ_ONCE(pipe->readers);
}

/* The head or tail just moved: the barrier pairs with the waiters' check. */
static void xr_pipe_wake_readers(struct pipe_inode_info *pipe)
{
	if (wq_has_sleeper(&pipe->rd_wait))
		wake_up_interruptible(&pipe->rd_wait);
	kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
}

static void xr_pipe_wake_writers(struct pipe_inode_info *pipe)
{
	if (wq_has_sleeper(&pipe->wr_wait))
		wake_up_interruptible(&pipe->wr_wait);
	kill_fasync(&pipe->fasync_writers, SIGIO, POLL_OUT);
}

/* Wait, unlocked, until @pipe has something to read or no writer. */
static int xr_pipe_wait_data(struct pipe_inode_info *pipe, unsigned int flags)
{
	if (xr_pipe_readable(pipe))
		return 0;
	if (flags & SPLICE_F_NONBLOCK)
		return -EAGAIN;
	return wait_event_interruptible(pipe->rd_wait, xr_pipe_readable(pipe));
}

/* Wait, unlocked, until @pipe has room or no reader. */
static int xr_pipe_wait_room(struct pipe_inode_info *pipe, unsigned int flags)
{
	if (xr_pipe_writable(pipe))
		return 0;
	if (flags & SPLICE_F_NONBLOCK)
		return -EAGAIN;
	return wait_event_interruptible(pipe->wr_wait, xr_pipe_writable(pipe));
}

/* Two pipes locked in address order, as splice(2) locks them. */
static void xr_pipe_double_lock(struct pipe_inode_info *a,
				struct pipe_inode_info *b)
{
	if (a > b)
		swap(a, b);
	mutex_lock_nested(&a->mutex, I_MUTEX_PARENT);
	mutex_lock_nested(&b->mutex, I_MUTEX_CHILD);
}

static void xr_pipe_double_unlock(struct pipe_inode_info *a,
				  struct pipe_inode_info *b)
{
	mutex_unlock(&a->mutex);
	mutex_unlock(&b->mutex);
}

/*
 * A pipe buffer's page shared with another pipe: no longer a gift, and not
 * to be appended to.
 */
static bool xr_pipe_buf_share(struct pipe_inode_info *pipe,
			      struct pipe_buffer *from, struct pipe_buffer *to)
{
	if (!pipe_buf_get(pipe, from))
		return false;
	*to = *from;
	to->flags &= ~(PIPE_BUF_FLAG_GIFT | PIPE_BUF_FLAG_CAN_MERGE);
	return true;
}

/*
 * Move up to @len bytes of buffers from @ipipe to @opipe: whole buffers
 * change hands, a partial one is shared. Returns bytes moved, 0 at the
 * end of the input, or -errno.
 */
static long xr_splice_pipe_to_pipe(struct pipe_inode_info *ipipe,
				   struct pipe_inode_info *opipe,
				   size_t len, unsigned int flags)
{
	unsigned int i_mask, o_mask, i_tail, o_head;
	bool input_wakeup = false;
	long ret;

retry:
	ret = xr_pipe_wait_data(ipipe, flags);
	if (!ret)
		ret = xr_pipe_wait_room(opipe, flags);
	if (ret)
		return ret;

	xr_pipe_double_lock(ipipe, opipe);
	i_mask = ipipe->ring_size - 1;
	o_mask = opipe->ring_size - 1;
	i_tail = ipipe->tail;
	o_head = opipe->head;
	do {
		struct pipe_buffer *ibuf, *obuf;
		size_t moved;

		if (!opipe->readers) {
			if (!ret)
				ret = -EPIPE;
			break;
		}
		if (pipe_empty(ipipe->head, i_tail) && !ipipe->writers)
			break;
		if (pipe_empty(ipipe->head, i_tail) ||
		    pipe_full(o_head, opipe->tail, opipe->max_usage)) {
			if (ret)
				break;
			if (flags & SPLICE_F_NONBLOCK) {
				ret = -EAGAIN;
				break;
			}
			/* someone else got there first: 0 would mean EOF */
			xr_pipe_double_unlock(ipipe, opipe);
			goto retry;
		}

		ibuf = &ipipe->bufs[i_tail & i_mask];
		obuf = &opipe->bufs[o_head & o_mask];
		if (len >= ibuf->len) {
			*obuf = *ibuf;
			ibuf->ops = NULL;
			ipipe->tail = ++i_tail;
			input_wakeup = true;
			moved = obuf->len;
		} else {
			if (!xr_pipe_buf_share(ipipe, ibuf, obuf)) {
				if (!ret)
					ret = -EFAULT;
				break;
			}
			obuf->len = len;
			ibuf->offset += len;
			ibuf->len -= len;
			moved = len;
		}
		opipe->head = ++o_head;
		ret += moved;
		len -= moved;
	} while (len);
	xr_pipe_double_unlock(ipipe, opipe);

	if (ret > 0)
		xr_pipe_wake_readers(opipe);
	if (input_wakeup)
		xr_pipe_wake_writers(ipipe);
	return ret;
}

/* @in's data to @opipe, at most what fits: splice(2)'s file-to-pipe. */
static long xr_splice_file_to_pipe(struct file *in,
				   struct pipe_inode_info *opipe,
				   loff_t *ppos, size_t len, unsigned int flags)
{
	long ret;

	for (;;) {
		ret = xr_pipe_wait_room(opipe, flags);
		if (ret)
			return ret;
		pipe_lock(opipe);
		if (!opipe->readers) {
			ret = -EPIPE;
			break;
		}
		if (!pipe_full(opipe->head, opipe->tail, opipe->max_usage)) {
			ret = xr_vfs_splice_read(in, ppos, opipe, len, flags);
			break;
		}
		pipe_unlock(opipe);
	}
	pipe_unlock(opipe);
	if (ret > 0)
		xr_pipe_wake_readers(opipe);
	return ret;
}

/* splice(2) between @in and @out, one of them a pipe. */
static long xr_do_splice(struct file *in, loff_t *off_in, struct file *out,
			 loff_t *off_out, size_t len, unsigned int flags)
{
	struct pipe_inode_info *ipipe, *opipe;
	loff_t offset;
	long ret;

	if (unlikely(!(in->f_mode & FMODE_READ) ||
		     !(out->f_mode & FMODE_WRITE)))
		return -EBADF;

	ipipe = xr_pipe_info(in);
	opipe = xr_pipe_info(out);
	if (ipipe && opipe) {
		if (off_in || off_out)
			return -ESPIPE;
		if (ipipe == opipe)
			return -EINVAL;
		if ((in->f_flags | out->f_flags) & O_NONBLOCK)
			flags |= SPLICE_F_NONBLOCK;
		return xr_splice_pipe_to_pipe(ipipe, opipe, len, flags);
	}

	if (ipipe) {
		if (off_in)
			return -ESPIPE;
		if (off_out) {
			if (!(out->f_mode & FMODE_PWRITE))
				return -EINVAL;
			offset = *off_out;
		} else {
			offset = out->f_pos;
		}
		if (unlikely(out->f_flags & O_APPEND))
			return -EINVAL;
		ret = rw_verify_area(WRITE, out, &offset, len);
		if (unlikely(ret < 0))
			return ret;
		if (in->f_flags & O_NONBLOCK)
			flags |= SPLICE_F_NONBLOCK;
		if (unlikely(!out->f_op->splice_write))
			return -EINVAL;

		file_start_write(out);
		ret = out->f_op->splice_write(ipipe, out, &offset, len, flags);
		file_end_write(out);
		if (ret > 0)
			xr_fsnotify_splice_modify(out);
		if (off_out)
			*off_out = offset;
		else
			out->f_pos = offset;
		return ret;
	}

	if (opipe) {
		if (off_out)
			return -ESPIPE;
		if (off_in) {
			if (!(in->f_mode & FMODE_PREAD))
				return -EINVAL;
			offset = *off_in;
		} else {
			offset = in->f_pos;
		}
		if (out->f_flags & O_NONBLOCK)
			flags |= SPLICE_F_NONBLOCK;

		ret = xr_splice_file_to_pipe(in, opipe, &offset, len, flags);
		if (ret > 0)
			xr_fsnotify_splice_access(in);
		if (off_in)
			*off_in = offset;
		else
			in->f_pos = offset;
		return ret;
	}
	return -EINVAL;
}

/*
 * Share up to @len bytes of @ipipe's buffers with @opipe, consuming
 * nothing: tee(2).
 */
static long xr_link_pipe(struct pipe_inode_info *ipipe,
			 struct pipe_inode_info *opipe, size_t len)
{
	unsigned int i_mask, o_mask, i_tail, o_head;
	long ret = 0;

	xr_pipe_double_lock(ipipe, opipe);
	i_mask = ipipe->ring_size - 1;
	o_mask = opipe->ring_size - 1;
	i_tail = ipipe->tail;
	o_head = opipe->head;
	do {
		struct pipe_buffer *ibuf, *obuf;

		if (!opipe->readers) {
			if (!ret)
				ret = -EPIPE;
			break;
		}
		/* all of the input seen, or no more room */
		if (pipe_empty(ipipe->head, i_tail) ||
		    pipe_full(o_head, opipe->tail, opipe->max_usage))
			break;

		ibuf = &ipipe->bufs[i_tail & i_mask];
		obuf = &opipe->bufs[o_head & o_mask];
		if (!xr_pipe_buf_share(ipipe, ibuf, obuf)) {
			if (!ret)
				ret = -EFAULT;
			break;
		}
		if (obuf->len > len)
			obuf->len = len;
		ret += obuf->len;
		len -= obuf->len;
		opipe->head = ++o_head;
		i_tail++;
	} while (len);
	xr_pipe_double_unlock(ipipe, opipe);

	if (ret > 0)
		xr_pipe_wake_readers(opipe);
	return ret;
}

static long xr_do_tee(struct file *in, struct file *out, size_t len,
		      unsigned int flags)
{
	struct pipe_inode_info *ipipe = xr_pipe_info(in);
	struct pipe_inode_info *opipe = xr_pipe_info(out);
	long ret;

	if (unlikely(!(in->f_mode & FMODE_READ) ||
		     !(out->f_mode & FMODE_WRITE)))
		return -EBADF;
	if (!ipipe || !opipe || ipipe == opipe)
		return -EINVAL;
	if ((in->f_flags | out->f_flags) & O_NONBLOCK)
		flags |= SPLICE_F_NONBLOCK;

	ret = xr_pipe_wait_data(ipipe, flags);
	if (!ret)
		ret = xr_pipe_wait_room(opipe, flags);
	if (!ret)
		ret = xr_link_pipe(ipipe, opipe, len);
	return ret;
}

/* What a worker's wait, cut short, says to userspace. */
static long xr_splice_res(long ret)
{
	return ret == -ERESTARTSYS ? -EINTR : ret;
}

int xr_splice(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_splice *sp = xr_req_cmd(req, struct xr_splice);
	struct xr_splice_async *io = req->async_data;
	unsigned int flags = sp->flags & ~XURING_SPLICE_F_FD_IN_FIXED;
	long ret = 0;

	if (unlikely(io->in_is_ring))
		return -EINVAL;
	/* splice always waits for something: a worker, as in 5.10 */
	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		return -EAGAIN;
	if (sp->len)
		ret = xr_do_splice(io->file_in,
				   sp->off_in == -1 ? NULL : &sp->off_in,
				   req->file,
				   sp->off_out == -1 ? NULL : &sp->off_out,
				   sp->len, flags);
	ret = xr_splice_res(ret);
	if (ret < 0)
		return ret;
	xr_req_set_res(req, ret, 0);
	/* short: it breaks an IO_LINK chain, as in 5.10 and 6.1 */
	if (ret != sp->len)
		req->flags |= XR_REQ_F_FAIL;
	return XR_ISSUE_DONE;
}

int xr_tee(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_splice *sp = xr_req_cmd(req, struct xr_splice);
	struct xr_splice_async *io = req->async_data;
	unsigned int flags = sp->flags & ~XURING_SPLICE_F_FD_IN_FIXED;
	long ret = 0;

	if (unlikely(io->in_is_ring))
		return -EINVAL;
	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		return -EAGAIN;
	if (sp->len)
		ret = xr_do_tee(io->file_in, req->file, sp->len, flags);
	ret = xr_splice_res(ret);
	if (ret < 0)
		return ret;
	xr_req_set_res(req, ret, 0);
	/* short: it breaks an IO_LINK chain, as in 5.10 and 6.1 */
	if (ret != sp->len)
		req->flags |= XR_REQ_F_FAIL;
	return XR_ISSUE_DONE;
}
