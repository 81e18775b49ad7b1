// SPDX-License-Identifier: GPL-2.0
/*
 * READ, WRITE, READV and WRITEV: a kiocb and an iov_iter over the user's
 * buffer or iovec array, handed to the file's read_iter/write_iter.
 */
#include <linux/fs.h>
#include <linux/ioprio.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "core.h"
#include "rw.h"

struct xr_rw {
	struct kiocb kiocb;
	u64 addr;
	u32 len;
	rwf_t flags;
};

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
	return 0;
}

/* Point the kiocb at the request's file: mode checks, RWF_ flags, position. */
static int xr_rw_init_file(struct xr_req *req, fmode_t mode, int rw_type)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	int ret;

	if (unlikely(!(file->f_mode & mode)))
		return -EBADF;

	kiocb->ki_filp = file;
	kiocb->ki_flags = iocb_flags(file);
	kiocb->ki_complete = NULL;
	ret = xr_kiocb_set_rw_flags(kiocb, rw->flags, rw_type);
	if (unlikely(ret))
		return ret;
	/* polled I/O needs an XURING_SETUP_IOPOLL ring */
	if (kiocb->ki_flags & IOCB_HIPRI)
		return -EINVAL;

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

/* Build @iter over the user's buffer (READ/WRITE) or iovec array (-V ops). */
static int xr_import(struct xr_req *req, int ddir, struct iovec **iovec,
		     struct iov_iter *iter)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	void __user *buf = u64_to_user_ptr(rw->addr);
	size_t len = rw->len;
	ssize_t ret;

	if (req->opcode == XURING_OP_READ || req->opcode == XURING_OP_WRITE) {
		if (len > MAX_RW_COUNT)
			len = MAX_RW_COUNT;
		if (unlikely(!access_ok(buf, len)))
			return -EFAULT;
		iov_iter_ubuf(iter, ddir, buf, len);
		*iovec = NULL;
		return 0;
	}

	ret = import_iovec(ddir, buf, len, UIO_FASTIOV, iovec, iter);
	return ret < 0 ? ret : 0;
}

/* The result of a synchronous read or write, as the CQE carries it. */
static void xr_rw_done(struct xr_req *req, ssize_t ret)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);

	switch (ret) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		/* a signal cut the wait short: userspace sees -EINTR */
		ret = -EINTR;
		break;
	}
	if ((req->flags & XR_REQ_F_CUR_POS) && ret >= 0)
		req->file->f_pos = rw->kiocb.ki_pos;
	xr_req_set_res(req, ret, 0);
}

int xr_read(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct iovec fast_iov[UIO_FASTIOV], *iovec = fast_iov;
	struct iov_iter iter;
	ssize_t ret;

	ret = xr_rw_init_file(req, FMODE_READ, READ);
	if (unlikely(ret))
		return ret;
	ret = xr_import(req, READ, &iovec, &iter);
	if (unlikely(ret))
		return ret;

	ret = vfs_iocb_iter_read(req->file, &rw->kiocb, &iter);
	kfree(iovec);
	xr_rw_done(req, ret);
	return XR_ISSUE_DONE;
}

int xr_write(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_rw *rw = xr_req_cmd(req, struct xr_rw);
	struct iovec fast_iov[UIO_FASTIOV], *iovec = fast_iov;
	struct iov_iter iter;
	ssize_t ret;

	ret = xr_rw_init_file(req, FMODE_WRITE, WRITE);
	if (unlikely(ret))
		return ret;
	ret = xr_import(req, WRITE, &iovec, &iter);
	if (unlikely(ret))
		return ret;

	xr_file_start_write(req->file);
	ret = vfs_iocb_iter_write(req->file, &rw->kiocb, &iter);
	xr_file_end_write(req->file);
	kfree(iovec);
	xr_rw_done(req, ret);
	return XR_ISSUE_DONE;
}
