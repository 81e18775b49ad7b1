// SPDX-License-Identifier: GPL-2.0
/*
 * READ, WRITE, READV, WRITEV, READ_FIXED and WRITE_FIXED: a kiocb and an
 * iov_iter over the user's buffer, iovec array, provided buffer
 * (XURING_SQE_BUFFER_SELECT) or registered buffer, handed to the file's
 * read_iter/write_iter.
 *
 * The submit call tries with IOCB_NOWAIT. -EAGAIN, or a regular file or
 * block device that did only part of it, continues elsewhere: FAST_POLL for
 * pipes and sockets, a worker otherwise; what that needs is kept in an
 * xr_rw_async. Direct I/O may return -EIOCBQUEUED and complete through
 * xr_rw_complete() from the block layer's interrupt.
 *
 * On an IOPOLL ring the kiocb is polled (IOCB_HIPRI) and its ki_complete
 * only marks it done: the reaper in iopoll.c posts it (xr_rw_iopoll_done).
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/ioprio.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "core.h"
#include "iopoll.h"
#include "kbuf.h"
#include "rsrc.h"
#include "rw.h"

struct xr_rw {
	struct kiocb kiocb;
	u64 addr;
	u32 len;
	rwf_t flags;
	u32 io_size;			/* bytes asked for, once imported */
	/* queued direct I/O: its issuer's and ki_complete's (xr_rw_arm()) */
	atomic_t refs;
};

/* The segments an attempt works on: @skip bytes into @nr_segs iovecs. */
struct xr_rw_iov {
	const struct iovec *iov;
	unsigned long nr_segs;
	size_t skip;
};

/* What a read or write keeps across attempts: the iovecs, the progress. */
struct xr_rw_async {
	struct iovec fast_iov[UIO_FASTIOV];
	struct iovec *iov;		/* fast_iov, or allocated; unused fixed */
	unsigned long nr_segs;
	size_t count;			/* bytes asked for */
	size_t done;			/* bytes already transferred */
};

static bool xr_rw_is_write(struct xr_req *req)
{
	return req->opcode == XURING_OP_WRITE ||
	       req->opcode == XURING_OP_WRITEV ||
	       req->opcode == XURING_OP_WRITE_FIXED;
}

static bool xr_rw_fixed(struct xr_req *req)
{
	return req->opcode == XURING_OP_READ_FIXED ||
	       req->opcode == XURING_OP_WRITE_FIXED;
}

static bool xr_rw_vectored(struct xr_req *req)
{
	return req->opcode == XURING_OP_READV || req->opcode == XURING_OP_WRITEV;
}

/* An I/O priority the caller may use, as ioprio_set(2) would allow it. */
static int xr_ioprio_check(u16 ioprio)
{
	int class = IOPRIO_PRIO_CLASS(ioprio);
	int data = IOPRIO_PRIO_DATA(ioprio);

	switch (class) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_NICE) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		fallthrough;
	case IOPRIO_CLASS_BE:
		if (data >= IOPRIO_NR_LEVELS)
			return -EINVAL;
		return 0;
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return data ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static void xr_rw_complete(struct kiocb *kiocb, long res);
static void xr_rw_iopoll_complete(struct kiocb *kiocb, long res);

/* Point the kiocb at the request's file: mode checks, RWF_ flags, position. */
static int xr_rw_init_file(struct xr_req *req)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	bool write = xr_rw_is_write(req);
	int ret;

	if (unlikely(!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ))))
		return -EBADF;

	kiocb->ki_filp = file;
	kiocb->ki_flags = iocb_flags(file);
	ret = xr_kiocb_set_rw_flags(kiocb, rw->flags, write ? WRITE : READ);
	if (unlikely(ret))
		return ret;
	/* RWF_NOWAIT and O_NONBLOCK: -EAGAIN is the answer, not a retry */
	if ((kiocb->ki_flags & IOCB_NOWAIT) || (file->f_flags & O_NONBLOCK))
		req->flags |= XR_REQ_F_NOWAIT;
	if (req->flags & XR_REQ_F_IOPOLL) {
		/* only direct I/O on files that can be polled */
		if (!(kiocb->ki_flags & IOCB_DIRECT) || !file->f_op->iopoll)
			return -EOPNOTSUPP;
		/* its bio is freed by the reaper: it may come from the cache */
		kiocb->ki_flags |= IOCB_HIPRI | IOCB_ALLOC_CACHE;
		kiocb->ki_complete = xr_rw_iopoll_complete;
	} else {
		/* polled I/O needs an XURING_SETUP_IOPOLL ring */
		if (kiocb->ki_flags & IOCB_HIPRI)
			return -EINVAL;
		kiocb->ki_flags |= XR_IOCB_ALLOC_CACHE_IRQ;
		kiocb->ki_complete = xr_rw_complete;
	}

	if (kiocb->ki_pos == -1) {
		if (!(file->f_mode & FMODE_STREAM)) {
			req->flags |= XR_REQ_F_CUR_POS;
			kiocb->ki_pos = file->f_pos;
		} else {
			kiocb->ki_pos = 0;
		}
	}
	return 0;
}

int xr_prep_rw(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	u16 ioprio = READ_ONCE(sqe->ioprio);
	int ret;

	if (ioprio) {
		ret = xr_ioprio_check(ioprio);
		if (ret)
			return ret;
		rw->kiocb.ki_ioprio = ioprio;
	} else {
		rw->kiocb.ki_ioprio = get_current_ioprio();
	}
	rw->kiocb.ki_pos = READ_ONCE(sqe->off);
	rw->addr = READ_ONCE(sqe->addr);
	rw->len = READ_ONCE(sqe->len);
	rw->flags = (__force rwf_t)READ_ONCE(sqe->rw_flags);
	/* a buffer index means nothing to the other ops */
	if (!xr_rw_fixed(req) && req->buf_index &&
	    !(req->flags & XURING_SQE_BUFFER_SELECT))
		return -EINVAL;
	/*
	 * The table is taken here, under uring_lock, where it cannot be
	 * unregistered under us; a missing buffer fails at first issue,
	 * after the file checks, as io_uring orders the two errors.
	 */
	if (xr_rw_fixed(req))
		xr_buf_table_get(req);
	/*
	 * Counted from here, not from its first issue: ring teardown polls
	 * until the count is zero, and must also wait for a request that a
	 * worker has yet to issue.
	 */
	if (req->ctx->flags & XURING_SETUP_IOPOLL) {
		req->flags |= XR_REQ_F_IOPOLL;
		atomic_inc(&req->ctx->iopoll_inflight);
	}
	return 0;
}

/*
 * What needs the request's file, done when it is first issued (a bad fd
 * fails then, as in io_uring): the kiocb, then the registered buffer.
 */
static int xr_rw_first_issue(struct xr_req *req)
{
	int ret;

	if (req->flags & XR_REQ_F_RW_INIT)
		return 0;
	req->flags |= XR_REQ_F_RW_INIT;
	ret = xr_rw_init_file(req);
	if (ret)
		return ret;
	/* -EFAULT when there is no such registered buffer */
	if (xr_rw_fixed(req) && !(req->flags & XR_REQ_F_FIXED_BUF))
		return -EFAULT;
	return 0;
}

/* XURING_SQE_BUFFER_SELECT for READV: one iovec, its base the buffer. */
static int xr_rw_select_iovec(struct xr_req *req, struct iovec *iov)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	void __user *uiov = u64_to_user_ptr(rw->addr);
	void __user *buf;
	ssize_t slen;
	size_t len;
	int ret;

	if (rw->len != 1)
		return -EINVAL;
	if (IS_ENABLED(CONFIG_COMPAT) && in_compat_syscall()) {
		struct compat_iovec ciov;

		if (copy_from_user(&ciov, uiov, sizeof(ciov)))
			return -EFAULT;
		slen = (compat_ssize_t)ciov.iov_len;
	} else {
		if (copy_from_user(iov, uiov, sizeof(*iov)))
			return -EFAULT;
		slen = iov->iov_len;
	}
	if (slen < 0)
		return -EINVAL;
	len = slen;
	ret = xr_kbuf_select(req, &buf, &len);
	if (ret)
		return ret;
	iov->iov_base = buf;
	iov->iov_len = len;
	return 0;
}

/*
 * Build @iter: from the saved state of an earlier attempt, else over the
 * user's buffer (READ/WRITE) or iovec array (-V ops). The iovecs used are
 * left in @fast_iov, or in *@to_free when there were too many for it, and
 * described in @v for the files that take one segment at a time.
 * Inlined in each attempt, as the rest of the usual request's path is.
 */
static __always_inline int xr_rw_import(struct xr_req *req, int ddir,
					struct iovec *fast_iov,
					struct iovec **to_free,
					struct iov_iter *iter,
					struct xr_rw_iov *v)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct xr_rw_async *io = req->async_data;
	void __user *buf = u64_to_user_ptr(rw->addr);
	size_t len = rw->len;
	ssize_t ret;

	*to_free = NULL;
	if (xr_rw_fixed(req)) {
		/* the registered pages, from where an earlier attempt stopped */
		ret = xr_import_fixed(req, ddir, rw->addr, len, iter);
		if (ret)
			return ret;
		if (io)
			iov_iter_advance(iter, io->done);
		/* the same memory as user addresses, for ->read/->write */
		fast_iov[0].iov_base = buf;
		fast_iov[0].iov_len = len;
		*v = (struct xr_rw_iov){ fast_iov, 1, io ? io->done : 0 };
		return 0;
	}
	if (io) {
		iov_iter_init(iter, ddir, io->iov, io->nr_segs, io->count);
		iov_iter_advance(iter, io->done);
		*v = (struct xr_rw_iov){ io->iov, io->nr_segs, io->done };
		return 0;
	}

	if (req->flags & XURING_SQE_BUFFER_SELECT && xr_rw_vectored(req)) {
		ret = xr_rw_select_iovec(req, fast_iov);
		if (ret)
			return ret;
		iov_iter_init(iter, ddir, fast_iov, 1, fast_iov[0].iov_len);
		*v = (struct xr_rw_iov){ fast_iov, 1, 0 };
		return 0;
	}
	if (!xr_rw_vectored(req)) {
		if (req->flags & XURING_SQE_BUFFER_SELECT) {
			ret = xr_kbuf_select(req, &buf, &len);
			if (ret)
				return ret;
		}
		if (len > MAX_RW_COUNT)
			len = MAX_RW_COUNT;
		if (unlikely(!access_ok(buf, len)))
			return -EFAULT;
		fast_iov[0].iov_base = buf;
		fast_iov[0].iov_len = len;
		iov_iter_ubuf(iter, ddir, buf, len);
		*v = (struct xr_rw_iov){ fast_iov, 1, 0 };
		return 0;
	}

	*to_free = fast_iov;
	ret = import_iovec(ddir, buf, len, UIO_FASTIOV, to_free, iter);
	if (ret < 0)
		return ret;
	*v = (struct xr_rw_iov){ *to_free ?: fast_iov, len, 0 };
	return 0;
}

/*
 * Files with ->read/->write but no _iter variants (directories, eventfd's
 * write, some devices): one call per segment, as readv(2) makes for them.
 * Those calls cannot be asked not to wait.
 */
static ssize_t xr_loop_rw(struct xr_req *req, int ddir,
			  const struct xr_rw_iov *v, size_t count,
			  unsigned int issue_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct file *file = req->file;
	loff_t *ppos = (file->f_mode & FMODE_STREAM) ? NULL : &rw->kiocb.ki_pos;
	size_t skip = v->skip;
	ssize_t ret, nr;
	unsigned long i;

	if ((issue_flags & XR_ISSUE_F_NONBLOCK) && !(file->f_flags & O_NONBLOCK))
		return -EAGAIN;
	if (!(file->f_mode & (ddir == READ ? FMODE_CAN_READ : FMODE_CAN_WRITE)))
		return -EINVAL;
	ret = rw_verify_area(ddir, file, ppos, count);
	if (ret < 0)
		return ret;

	if (ddir == WRITE)
		file_start_write(file);
	ret = 0;
	for (i = 0; i < v->nr_segs && count; i++) {
		char __user *base = v->iov[i].iov_base;
		size_t len = v->iov[i].iov_len;

		if (skip >= len) {
			skip -= len;
			continue;
		}
		base += skip;
		len = min(len - skip, count);
		skip = 0;

		if (ddir == READ)
			nr = file->f_op->read(file, base, len, ppos);
		else
			nr = file->f_op->write(file, base, len, ppos);
		if (nr < 0) {
			if (!ret)
				ret = nr;
			break;
		}
		ret += nr;
		count -= nr;
		if (nr != len)
			break;
	}
	if (ddir == WRITE)
		file_end_write(file);
	return ret;
}

/*
 * Keep what a later attempt needs: a copy of the iovecs (userspace may
 * reuse its array once the SQE is consumed), and the bytes done so far.
 */
static int xr_rw_save(struct xr_req *req, const struct iovec *iov,
		      size_t count, size_t done)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct xr_rw_async *io = req->async_data;

	if (!io) {
		unsigned long nr = xr_rw_vectored(req) ? rw->len : 1;

		io = kmalloc(sizeof(*io), GFP_KERNEL_ACCOUNT);
		if (!io)
			return -ENOMEM;
		io->iov = io->fast_iov;
		if (nr > UIO_FASTIOV) {
			io->iov = kmemdup(iov, array_size(nr, sizeof(*iov)),
					  GFP_KERNEL_ACCOUNT);
			if (!io->iov) {
				kfree(io);
				return -ENOMEM;
			}
		} else {
			memcpy(io->fast_iov, iov, nr * sizeof(*iov));
		}
		io->nr_segs = nr;
		io->count = count;
		io->done = 0;
		req->async_data = io;
		rw->io_size = count;
	}
	io->done += done;
	return 0;
}

/* XURING_SQE_ASYNC: copy the iovecs before the SQE is given back. */
int xr_rw_prep_async(struct xr_req *req)
{
	struct iovec fast_iov[UIO_FASTIOV], *to_free;
	struct iov_iter iter;
	struct xr_rw_iov v;
	int ret;

	if (!xr_rw_vectored(req))
		return 0;
	ret = xr_rw_import(req, xr_rw_is_write(req) ? WRITE : READ, fast_iov,
			   &to_free, &iter, &v);
	if (ret)
		return ret;
	ret = xr_rw_save(req, to_free ?: fast_iov, iov_iter_count(&iter), 0);
	kfree(to_free);
	return ret;
}

void xr_rw_cleanup(struct xr_req *req)
{
	struct xr_rw_async *io = req->async_data;

	if (io->iov != io->fast_iov)
		kfree(io->iov);
}

/*
 * The request's result: bytes done over all attempts, or the error.
 * Inlined: every read and write that finishes passes here.
 */
static __always_inline void xr_rw_done(struct xr_req *req, long ret)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct xr_rw_async *io = req->async_data;

	switch (ret) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		/* a signal cut the wait short: userspace sees -EINTR */
		ret = -EINTR;
		break;
	}
	if (io && io->done)
		ret = ret < 0 ? io->done : ret + io->done;
	/* a short transfer breaks an IO_LINK chain, as an error does */
	if (ret != rw->io_size)
		req->flags |= XR_REQ_F_FAIL;
	if ((req->flags & XR_REQ_F_CUR_POS) && ret >= 0)
		req->file->f_pos = rw->kiocb.ki_pos;
	/* a provided buffer is consumed, whatever the result */
	xr_req_set_res(req, ret, xr_kbuf_put(req));
}

/* Queued direct I/O is over, and its issuer has returned: finish it. */
static void xr_rw_queued_done(struct xr_req *req, long res)
{
	/* the block layer would have had to wait after all: do it in a worker */
	if (unlikely(res == -EAGAIN) &&
	    !(req->flags & (XR_REQ_F_NOWAIT | XR_REQ_F_REISSUE))) {
		req->flags |= XR_REQ_F_REISSUE;
		xr_punt(req);
		return;
	}
	xr_rw_done(req, res);
	xr_req_complete_post(req);
}

/*
 * Direct I/O finished; any context. Its issuer may not be back from
 * read_iter or write_iter yet, and the file system may still use the kiocb
 * there (ext4 calls file_accessed() after iomap_dio_rw() queued the bios):
 * the last of the two references (xr_rw_arm()) finishes the request, as
 * aio's and io_uring's own references do.
 */
static void xr_rw_complete(struct kiocb *kiocb, long res)
{
	struct xr_rw *rw = container_of(kiocb, struct xr_rw, kiocb);
	struct xr_req *req = xr_cmd_to_req(rw);

	if (kiocb->ki_flags & IOCB_WRITE)
		kiocb_end_write(kiocb);
	/* the results of a read or write fit: at most MAX_RW_COUNT */
	req->res = res;
	/* full barrier: the issuer that drops the last reference sees res */
	if (atomic_dec_and_test(&rw->refs))
		xr_rw_queued_done(req, res);
}

/* IOPOLL: the block layer is done with the kiocb; the reaper posts it. */
static void xr_rw_iopoll_complete(struct kiocb *kiocb, long res)
{
	struct xr_rw *rw = container_of(kiocb, struct xr_rw, kiocb);
	struct xr_req *req = xr_cmd_to_req(rw);

	if (kiocb->ki_flags & IOCB_WRITE)
		kiocb_end_write(kiocb);
	req->res = res;
	/* release: the reaper reads res once it sees the flag */
	smp_store_release(&req->iopoll_done, 1);
}

/*
 * A new attempt. IOPOLL: not done and not polled until it is issued, and
 * only the reaper posts it. Otherwise, if it is queued (-EIOCBQUEUED), both
 * ki_complete and the issuer hold a reference; see xr_rw_complete().
 */
static void xr_rw_arm(struct xr_req *req)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);

	if (req->flags & XR_REQ_F_IOPOLL) {
		WRITE_ONCE(req->iopoll_done, 0);
		rw->kiocb.private = NULL;
	} else {
		atomic_set(&rw->refs, 2);
	}
}

/* Poll the device for @req; what it finds ends up in @iob. */
int xr_rw_iopoll(struct xr_req *req, struct io_comp_batch *iob,
		 unsigned int poll_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);

	return req->file->f_op->iopoll(&rw->kiocb, iob, poll_flags);
}

/*
 * The reaper found the requests on @found done (and took them off its
 * list): set their results and link them through cache_node, in order,
 * for it to post. A request the block layer had no slot for is issued
 * again, from a worker, instead. Returns the first to post.
 */
struct llist_node *xr_rw_iopoll_done(struct list_head *found)
{
	struct llist_node *done = NULL, **last = &done;
	struct xr_req *req, *tmp;

	list_for_each_entry_safe(req, tmp, found, list) {
		if (req->res == -EAGAIN && !(req->flags & XR_REQ_F_NOWAIT)) {
			xr_punt(req);
			continue;
		}
		xr_rw_done(req, req->res);
		req->cache_node.next = NULL;
		*last = &req->cache_node;
		last = &req->cache_node.next;
	}
	return done;
}

/* Whether a partial transfer means "the rest would block" (not EOF/short). */
static bool xr_rw_may_continue(struct xr_req *req, unsigned int issue_flags)
{
	umode_t mode = file_inode(req->file)->i_mode;

	return (issue_flags & XR_ISSUE_F_NONBLOCK) &&
	       !(req->flags & XR_REQ_F_NOWAIT) &&
	       (S_ISREG(mode) || S_ISBLK(mode));
}

/*
 * rw.c's own issue flag: polled I/O from a worker, tried with IOCB_NOWAIT so
 * that it never sleeps for a block-layer slot (see xr_rw_retry_iopoll()).
 */
#define XR_ISSUE_F_SLOT_NOWAIT	BIT(16)

/* Set IOCB_NOWAIT for a non-blocking attempt, unless userspace asked. */
static void xr_rw_set_nowait(struct xr_rw *rw, unsigned int issue_flags)
{
	if (issue_flags & (XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_SLOT_NOWAIT))
		rw->kiocb.ki_flags |= IOCB_NOWAIT;
	else if (!(rw->flags & RWF_NOWAIT))
		rw->kiocb.ki_flags &= ~IOCB_NOWAIT;
}

/*
 * After an attempt that returned @ret: finish the request, or keep its state
 * and return -EAGAIN for the core to retry it. @iopoll is the request's
 * XR_REQ_F_IOPOLL, read before the I/O went.
 */
static int __xr_rw_finish(struct xr_req *req, unsigned int issue_flags,
			  ssize_t ret, bool iopoll, const struct iovec *iov,
			  size_t count)
{
	bool nonblock = issue_flags & XR_ISSUE_F_NONBLOCK;
	bool nowait;

	/*
	 * Queued, and not polled: ki_complete may have run already, and then
	 * left the request to us (see xr_rw_complete()). Past our reference,
	 * it may be posted and freed with its ring: not a byte of it is read.
	 */
	if (ret == -EIOCBQUEUED && !iopoll) {
		struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);

		if (atomic_dec_and_test(&rw->refs))
			xr_rw_queued_done(req, req->res);
		return XR_ISSUE_QUEUED;
	}
	nowait = req->flags & XR_REQ_F_NOWAIT;
	if (ret == -EIOCBQUEUED) {
		/*
		 * Polled: only the reaper posts it, once it is on the list.
		 * To the reaper, unless it found no slot already.
		 */
		if (!smp_load_acquire(&req->iopoll_done) ||
		    req->res != -EAGAIN || nowait) {
			xr_iopoll_req_issued(req, issue_flags);
			return XR_ISSUE_QUEUED;
		}
		ret = -EAGAIN;
	}
	/* polled I/O waiting for a slot tries again, not the user */
	if ((ret == -EAGAIN && (nonblock || iopoll) && !nowait) ||
	    (ret > 0 && ret < count && xr_rw_may_continue(req, issue_flags)))
		return xr_rw_save(req, iov, count, ret > 0 ? ret : 0) ?: -EAGAIN;
	if (iopoll) {
		/* finished at once: still posted by the reaper, as natively */
		xr_req_go_async(req);
		req->res = ret;
		/* release: pairs with the reaper's acquire, as ki_complete's */
		smp_store_release(&req->iopoll_done, 1);
		/* done: to the head of the reapers' list at once */
		__xr_iopoll_req_issued(req);
		return XR_ISSUE_QUEUED;
	}
	xr_rw_done(req, ret);
	return XR_ISSUE_DONE;
}

static int xr_rw_finish(struct xr_req *req, unsigned int issue_flags,
			ssize_t ret, bool iopoll, const struct iovec *iov,
			struct iovec *to_free, size_t count)
{
	int res = __xr_rw_finish(req, issue_flags, ret, iopoll, iov, count);

	/* more iovecs than fast_iov holds: rare, and no call for the rest */
	if (unlikely(to_free))
		kfree(to_free);
	return res;
}

/*
 * Polled I/O the block layer had no slot for is issued again; in a worker
 * it is tried here until it goes (the submit call hands it to a worker).
 * Slots come back only when polled requests are reaped, and a killed
 * submitter's ring is released only once its mm is, which the worker holds:
 * so the worker never sleeps for a slot (IOCB_NOWAIT), and reaps between
 * tries, as nobody else may. Only an attempt the file itself refused
 * without waiting (-EAGAIN before any bio went) is made blocking.
 */
static int xr_rw_retry_iopoll(struct xr_req *req, unsigned int issue_flags,
			      int (*issue)(struct xr_req *, unsigned int))
{
	unsigned int flags = issue_flags;
	int ret;

	if ((req->flags & XR_REQ_F_IOPOLL) &&
	    !(issue_flags & XR_ISSUE_F_NONBLOCK))
		flags |= XR_ISSUE_F_SLOT_NOWAIT;
	for (;;) {
		ret = issue(req, flags);
		if (ret != -EAGAIN || !(req->flags & XR_REQ_F_IOPOLL) ||
		    (issue_flags & XR_ISSUE_F_NONBLOCK))
			return ret;
		if (READ_ONCE(req->ctx->dying))
			return -ECANCELED;
		/* completed with -EAGAIN: no slot; else refused up front */
		if (smp_load_acquire(&req->iopoll_done))
			flags |= XR_ISSUE_F_SLOT_NOWAIT;
		else
			flags &= ~XR_ISSUE_F_SLOT_NOWAIT;
		xr_iopoll_try_reap(req->ctx);
		cond_resched();
	}
}

/*
 * vfs_iocb_iter_read() and _write() without the checks xr_rw_init_file()
 * and the callers made already: the LSM and fsnotify hooks around the
 * file's read_iter or write_iter, as io_uring calls them.
 */
static ssize_t xr_iter_read(struct file *file, struct kiocb *kiocb,
			    struct iov_iter *iter, size_t count)
{
	ssize_t ret = 0;

	if (count) {
		ret = rw_verify_area(READ, file, &kiocb->ki_pos, count);
		if (unlikely(ret < 0))
			return ret;
		ret = file->f_op->read_iter(kiocb, iter);
	}
	if (ret >= 0)
		fsnotify_access(file);
	return ret;
}

static ssize_t xr_iter_write(struct file *file, struct kiocb *kiocb,
			     struct iov_iter *iter, size_t count)
{
	ssize_t ret;

	if (!count)
		return 0;
	ret = rw_verify_area(WRITE, file, &kiocb->ki_pos, count);
	if (unlikely(ret < 0))
		return ret;
	ret = file->f_op->write_iter(kiocb, iter);
	if (ret > 0)
		fsnotify_modify(file);
	return ret;
}

/* One attempt; inlined in xr_read(), as __xr_write() in xr_write() */
static __always_inline int __xr_read(struct xr_req *req,
				     unsigned int issue_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	/* read now: once queued, the request may be gone */
	const bool iopoll = req->flags & XR_REQ_F_IOPOLL;
	/* written before they are read: not zeroed at each call */
	struct iovec fast_iov[UIO_FASTIOV] __uninitialized, *to_free;
	struct iov_iter iter __uninitialized;
	struct xr_rw_iov v;
	size_t count;
	ssize_t ret;

	ret = xr_rw_first_issue(req);
	if (unlikely(ret))
		return ret;
	ret = xr_rw_import(req, READ, fast_iov, &to_free, &iter, &v);
	if (unlikely(ret))
		return ret;
	count = iov_iter_count(&iter);
	if (!req->async_data)
		rw->io_size = count;

	if (!req->file->f_op->read_iter) {
		ret = req->file->f_op->read ?
		      xr_loop_rw(req, READ, &v, count, issue_flags) : -EINVAL;
	} else if ((issue_flags & XR_ISSUE_F_NONBLOCK) &&
		   !xr_file_nowait(req->file)) {
		/* no way to try without blocking: straight to a worker */
		ret = -EAGAIN;
	} else {
		xr_rw_set_nowait(rw, issue_flags);
		xr_rw_arm(req);
		/* the block layer may complete it before this returns */
		xr_req_go_async(req);
		ret = xr_iter_read(req->file, &rw->kiocb, &iter, count);
	}
	return xr_rw_finish(req, issue_flags, ret, iopoll, v.iov, to_free,
			    count);
}

int xr_read(struct xr_req *req, unsigned int issue_flags)
{
	return xr_rw_retry_iopoll(req, issue_flags, __xr_read);
}

static __always_inline int __xr_write(struct xr_req *req,
				      unsigned int issue_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct kiocb *kiocb = &rw->kiocb;
	/* read now: once queued, the request may be gone */
	const bool iopoll = req->flags & XR_REQ_F_IOPOLL;
	/* written before they are read: not zeroed at each call */
	struct iovec fast_iov[UIO_FASTIOV] __uninitialized, *to_free;
	struct iov_iter iter __uninitialized;
	struct xr_rw_iov v;
	size_t count;
	ssize_t ret;

	ret = xr_rw_first_issue(req);
	if (unlikely(ret))
		return ret;
	ret = xr_rw_import(req, WRITE, fast_iov, &to_free, &iter, &v);
	if (unlikely(ret))
		return ret;
	count = iov_iter_count(&iter);
	if (!req->async_data)
		rw->io_size = count;

	if (!req->file->f_op->write_iter) {
		ret = req->file->f_op->write ?
		      xr_loop_rw(req, WRITE, &v, count, issue_flags) : -EINVAL;
	} else if ((issue_flags & XR_ISSUE_F_NONBLOCK) &&
	    (!xr_file_nowait(req->file) ||
	     /* buffered writes to a file block on its pages: a worker */
	     (!(kiocb->ki_flags & IOCB_DIRECT) &&
	      S_ISREG(file_inode(req->file)->i_mode)))) {
		ret = -EAGAIN;
	} else {
		xr_rw_set_nowait(rw, issue_flags);
		xr_rw_arm(req);
		xr_req_go_async(req);
		kiocb->ki_flags |= IOCB_WRITE;
		xr_kiocb_start_write(kiocb);
		ret = xr_iter_write(req->file, kiocb, &iter, count);
		if (ret != -EIOCBQUEUED)
			xr_kiocb_end_write_sync(kiocb);
		/* raw block devices refuse IOCB_NOWAIT writes: retry blocking */
		if (ret == -EOPNOTSUPP &&
		    (issue_flags & (XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_SLOT_NOWAIT)))
			ret = -EAGAIN;
	}
	return xr_rw_finish(req, issue_flags, ret, iopoll, v.iov, to_free,
			    count);
}

int xr_write(struct xr_req *req, unsigned int issue_flags)
{
	return xr_rw_retry_iopoll(req, issue_flags, __xr_write);
}
