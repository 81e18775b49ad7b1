// SPDX-License-Identifier: GPL-2.0
/*
 * SEND, RECV, SENDMSG, RECVMSG, ACCEPT and CONNECT: sock_sendmsg() and
 * sock_recvmsg() over copies of the user's msghdr, and the protocol's own
 * accept and connect.
 *
 * SENDMSG and RECVMSG may carry fds (SCM_RIGHTS), credentials and unix
 * socket paths, which mean something only in the submitter's fd table, pid
 * namespace and cwd; ACCEPT installs an fd; CONNECT may resolve a unix
 * socket path. Those four are submitter_only. SEND and RECV carry none of
 * that and may run in a worker.
 *
 * What userspace may reuse once the SQE is consumed (the msghdr, the iovec
 * array, the destination address and the control data of SENDMSG, the
 * address of CONNECT) is copied before the request first waits; afterwards
 * only the data buffers and the fields recvmsg(2) writes back are touched.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "compat.h"
#include "core.h"
#include "net.h"

static bool allow_accept_connect;
module_param(allow_accept_connect, bool, 0644);
MODULE_PARM_DESC(allow_accept_connect,
		 "Run ACCEPT and CONNECT (default N: they fail with -EOPNOTSUPP). A module cannot call the LSM hooks accept(2) and connect(2) run, so SELinux, AppArmor, Smack and Landlock rules on accept and connect do not apply to them");

/* Flags only the kernel may pass to a protocol's sendmsg. */
#define XR_SEND_INTERNAL_FLAGS	(MSG_INTERNAL_SENDMSG_FLAGS | \
				 MSG_SENDPAGE_NOPOLICY | MSG_SENDPAGE_DECRYPTED)

/* SEND, RECV, SENDMSG, RECVMSG. */
struct xr_sr {
	union {
		struct user_msghdr __user *umsg;
		void __user *buf;
	};
	u32 len;
	u32 msg_flags;
	/* bytes moved by earlier attempts of a MSG_WAITALL transfer */
	u32 done_io;
};

/* SENDMSG and RECVMSG: the user's msghdr, copied once. */
struct xr_msg_async {
	struct iovec fast_iov[UIO_FASTIOV];
	struct iovec *iov;		/* fast_iov, or allocated */
	unsigned long nr_segs;
	size_t count;			/* bytes the iovecs cover */
	/* SENDMSG: the destination; RECVMSG: room at uaddr */
	struct sockaddr_storage addr;
	int namelen;
	struct sockaddr __user *uaddr;	/* RECVMSG: where the source goes */
	void __user *ucontrol;
	void *control;			/* SENDMSG: ucontrol's bytes, once saved */
	size_t controllen;
};

struct xr_accept {
	struct sockaddr __user *addr;
	int __user *addr_len;
	int flags;
};

struct xr_connect {
	int addr_len;
	bool in_progress;
	bool seen_econnaborted;
};

/* Whether ACCEPT and CONNECT run (allow_accept_connect); probe asks too. */
bool xr_accept_connect_available(void)
{
	return READ_ONCE(allow_accept_connect);
}

static bool xr_net_allowed(void)
{
	if (likely(READ_ONCE(allow_accept_connect)))
		return true;
	pr_notice_once("ACCEPT and CONNECT refused: load with allow_accept_connect=1 to run them\n");
	return false;
}

/* Copy a socket address to userspace as move_addr_to_user() does. */
static int xr_move_addr_to_user(struct sockaddr_storage *kaddr, int klen,
				void __user *uaddr, int __user *ulen, int len)
{
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, len))
		return -EFAULT;
	/* the length before truncation, as POSIX wants */
	return put_user(klen, ulen);
}

/* A user buffer of at most MAX_RW_COUNT bytes as an iov_iter. */
static int xr_import_ubuf(int ddir, void __user *buf, size_t len,
			  struct iov_iter *iter)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	iov_iter_ubuf(iter, ddir, buf, len);
	return 0;
}

/* The request's result, once no attempt is left to make. */
static int xr_net_complete(struct xr_req *req, int ret)
{
	if (ret < 0)
		return ret;
	xr_req_set_res(req, ret, 0);
	return XR_ISSUE_DONE;
}

/* Partial transfers are continued only where MSG_WAITALL asks for it. */
static bool xr_net_retry(struct socket *sock, unsigned int flags)
{
	if (!(flags & MSG_WAITALL))
		return false;
	return sock->type == SOCK_STREAM || sock->type == SOCK_SEQPACKET;
}

static int xr_sr_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);

	/*
	 * 5.10 ignores these; later kernels give ioprio (send/recv flags),
	 * addr2 (SEND's destination) and splice_fd_in (a fixed-file slot)
	 * meanings xuring does not have: refuse them, as those kernels refuse
	 * values they do not know.
	 */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->addr2) ||
		     READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	sr->buf = u64_to_user_ptr(READ_ONCE(sqe->addr));
	sr->len = READ_ONCE(sqe->len);
	sr->msg_flags = READ_ONCE(sqe->msg_flags);
	sr->done_io = 0;
	/* 32-bit control messages come only from compat system calls */
	if (unlikely(sr->msg_flags & MSG_CMSG_COMPAT))
		return -EINVAL;
	/* MSG_DONTWAIT: -EAGAIN is the answer, not a reason to wait */
	if (sr->msg_flags & MSG_DONTWAIT)
		req->flags |= XR_REQ_F_NOWAIT;
	return 0;
}

int xr_send_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	int ret = xr_sr_prep(req, sqe);

	if (ret)
		return ret;
	/* no SIGPIPE for the submitter, or for a worker: native's choice */
	sr->msg_flags = (sr->msg_flags & ~XR_SEND_INTERNAL_FLAGS) | MSG_NOSIGNAL;
	return 0;
}

int xr_recv_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	return xr_sr_prep(req, sqe);
}

int xr_sendmsg_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	/* a compat msghdr and its control messages have another layout */
	if (unlikely(in_compat_syscall()))
		return -EINVAL;
	return xr_send_prep(req, sqe);
}

int xr_recvmsg_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	if (unlikely(in_compat_syscall()))
		return -EINVAL;
	return xr_sr_prep(req, sqe);
}

/*
 * The result after an attempt that returned @ret: the bytes of all attempts,
 * or -EAGAIN when the request should wait and try again.
 */
static int xr_sr_result(struct xr_req *req, struct socket *sock, int ret,
			int min_ret, unsigned int flags,
			unsigned int issue_flags)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	bool nonblock = issue_flags & XR_ISSUE_F_NONBLOCK;

	if (ret < min_ret) {
		if (ret == -EAGAIN && nonblock)
			return -EAGAIN;
		/* MSG_WAITALL got part of it: wait for the rest */
		if (ret > 0 && nonblock && !(req->flags & XR_REQ_F_NOWAIT) &&
		    xr_net_retry(sock, flags)) {
			sr->done_io += ret;
			return -EAGAIN;
		}
		if (ret == -ERESTARTSYS)
			ret = -EINTR;
		/* short of MSG_WAITALL's all, or an error: breaks a chain */
		req->flags |= XR_REQ_F_FAIL;
	}
	if (ret >= 0)
		ret += sr->done_io;
	else if (sr->done_io)
		ret = sr->done_io;
	return ret;
}

static int xr_send_recv(struct xr_req *req, unsigned int issue_flags,
			int ddir)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	struct msghdr msg = {};
	struct socket *sock;
	unsigned int flags;
	int min_ret = 0;
	int ret;

	sock = sock_from_file(req->file);
	if (unlikely(!sock))
		return -ENOTSOCK;
	ret = xr_import_ubuf(ddir, sr->buf + sr->done_io, sr->len - sr->done_io,
			     &msg.msg_iter);
	if (unlikely(ret))
		return ret;

	flags = sr->msg_flags;
	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		flags |= MSG_DONTWAIT;
	if (flags & MSG_WAITALL)
		min_ret = iov_iter_count(&msg.msg_iter);

	if (ddir == WRITE) {
		msg.msg_flags = flags;
		ret = sock_sendmsg(sock, &msg);
	} else {
		ret = sock_recvmsg(sock, &msg, flags);
	}
	ret = xr_sr_result(req, sock, ret, min_ret, flags, issue_flags);
	if (ret == -EAGAIN)
		return ret;
	return xr_net_complete(req, ret);
}

int xr_send(struct xr_req *req, unsigned int issue_flags)
{
	return xr_send_recv(req, issue_flags, WRITE);
}

int xr_recv(struct xr_req *req, unsigned int issue_flags)
{
	return xr_send_recv(req, issue_flags, READ);
}

/*
 * Read the user's msghdr into @io: the name (SENDMSG: the address itself;
 * RECVMSG: where to put it), the iovecs and where the control data is.
 */
static int xr_msg_copy_hdr(struct xr_req *req, struct xr_msg_async *io,
			   int ddir)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	struct user_msghdr msg;
	struct iovec *iov;
	struct iov_iter iter;
	ssize_t ret;

	if (copy_from_user(&msg, sr->umsg, sizeof(msg)))
		return -EFAULT;

	io->namelen = msg.msg_name ? msg.msg_namelen : 0;
	if (io->namelen < 0)
		return -EINVAL;
	if (io->namelen > sizeof(io->addr))
		io->namelen = sizeof(io->addr);
	io->uaddr = msg.msg_name;
	if (ddir == WRITE && io->namelen &&
	    copy_from_user(&io->addr, msg.msg_name, io->namelen))
		return -EFAULT;

	io->ucontrol = msg.msg_control;
	io->controllen = msg.msg_controllen;
	io->control = NULL;

	if (msg.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	iov = io->fast_iov;
	ret = import_iovec(ddir, msg.msg_iov, msg.msg_iovlen, UIO_FASTIOV,
			   &iov, &iter);
	if (ret < 0)
		return ret;
	io->iov = iov ?: io->fast_iov;
	io->nr_segs = msg.msg_iovlen;
	io->count = ret;
	return 0;
}

/*
 * Keep @io, a copy on the stack, for the attempts still to come; it takes
 * over @io's iovecs. @control: the control data, when there is some.
 */
static int xr_msg_save(struct xr_req *req, struct xr_msg_async *io,
		       const void *control)
{
	struct xr_msg_async *saved;

	saved = kmemdup(io, sizeof(*io), GFP_KERNEL_ACCOUNT);
	if (!saved)
		return -ENOMEM;
	if (io->iov == io->fast_iov)
		saved->iov = saved->fast_iov;
	if (control && io->controllen) {
		saved->control = kmemdup(control, io->controllen, GFP_KERNEL_ACCOUNT);
		if (!saved->control) {
			kfree(saved);
			return -ENOMEM;
		}
	}
	req->async_data = saved;
	return 0;
}

/* An attempt is over for good: free @io's iovecs if @io is a stack copy. */
static void xr_msg_put(struct xr_req *req, struct xr_msg_async *io)
{
	if (io != req->async_data && io->iov != io->fast_iov)
		kfree(io->iov);
}

void xr_msg_cleanup(struct xr_req *req)
{
	struct xr_msg_async *io = req->async_data;

	if (io->iov != io->fast_iov)
		kfree(io->iov);
	kfree(io->control);
}

/*
 * The control data of a SENDMSG attempt, in kernel memory charged to the
 * socket as sendmsg(2) charges it: @small when it fits, else allocated.
 */
static int xr_sendmsg_control(struct socket *sock, struct xr_msg_async *io,
			      void *small, size_t small_size, void **ctlp)
{
	void *ctl = small;

	if (io->controllen > INT_MAX)
		return -ENOBUFS;
	if (io->controllen > small_size) {
		ctl = sock_kmalloc(sock->sk, io->controllen, GFP_KERNEL);
		if (!ctl)
			return -ENOBUFS;
	}
	if (io->control) {
		memcpy(ctl, io->control, io->controllen);
	} else if (copy_from_user(ctl, io->ucontrol, io->controllen)) {
		if (ctl != small)
			sock_kfree_s(sock->sk, ctl, io->controllen);
		return -EFAULT;
	}
	*ctlp = ctl;
	return 0;
}

int xr_sendmsg(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	unsigned char small[sizeof(struct cmsghdr) + 20]
		__aligned(sizeof(__kernel_size_t));
	struct xr_msg_async stack_io, *io = req->async_data;
	struct msghdr msg = {};
	size_t ctl_len = 0;
	void *ctl = NULL;
	struct socket *sock;
	unsigned int flags;
	int min_ret = 0;
	int ret, err;

	sock = sock_from_file(req->file);
	if (unlikely(!sock))
		return -ENOTSOCK;
	if (!io) {
		io = &stack_io;
		ret = xr_msg_copy_hdr(req, io, WRITE);
		if (ret)
			return ret;
	}
	if (io->controllen) {
		ret = xr_sendmsg_control(sock, io, small, sizeof(small), &ctl);
		if (ret)
			goto out;
		ctl_len = io->controllen;
		msg.msg_control = ctl;
		msg.msg_controllen = ctl_len;
	}

	msg.msg_name = io->namelen ? &io->addr : NULL;
	msg.msg_namelen = io->namelen;
	iov_iter_init(&msg.msg_iter, WRITE, io->iov, io->nr_segs, io->count);
	iov_iter_advance(&msg.msg_iter, sr->done_io);

	flags = sr->msg_flags;
	/* as sendmsg(2): an O_NONBLOCK socket does not wait either */
	if ((issue_flags & XR_ISSUE_F_NONBLOCK) ||
	    (req->file->f_flags & O_NONBLOCK))
		flags |= MSG_DONTWAIT;
	if (flags & MSG_WAITALL)
		min_ret = iov_iter_count(&msg.msg_iter);
	msg.msg_flags = flags;

	ret = sock_sendmsg(sock, &msg);
	ret = xr_sr_result(req, sock, ret, min_ret, flags, issue_flags);
	if (ret == -EAGAIN) {
		/* the control data went out with the first part */
		if (sr->done_io)
			io->controllen = 0;
		if (io == &stack_io) {
			err = xr_msg_save(req, io, ctl);
			if (err)
				ret = err;
		}
	}
	if (ctl && ctl != small)
		sock_kfree_s(sock->sk, ctl, ctl_len);
out:
	if (ret == -EAGAIN)
		return ret;
	xr_msg_put(req, io);
	return xr_net_complete(req, ret);
}

/* After a receive: the source address, msg_flags and msg_controllen. */
static int xr_recvmsg_out(struct xr_req *req, struct xr_msg_async *io,
			  struct msghdr *msg, struct sockaddr_storage *addr)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	struct user_msghdr __user *umsg = sr->umsg;
	int ret;

	if (io->uaddr) {
		ret = xr_move_addr_to_user(addr, msg->msg_namelen, io->uaddr,
					   &umsg->msg_namelen, io->namelen);
		if (ret)
			return ret;
	}
	if (put_user(msg->msg_flags & ~MSG_CMSG_COMPAT, &umsg->msg_flags))
		return -EFAULT;
	if (put_user((unsigned long)msg->msg_control_user -
		     (unsigned long)io->ucontrol, &umsg->msg_controllen))
		return -EFAULT;
	return 0;
}

int xr_recvmsg(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_sr *sr = xr_req_cmd(req, struct xr_sr);
	struct xr_msg_async stack_io, *io = req->async_data;
	struct sockaddr_storage addr;
	struct msghdr msg = {};
	struct socket *sock;
	unsigned int flags;
	int min_ret = 0;
	int ret, err;

	sock = sock_from_file(req->file);
	if (unlikely(!sock))
		return -ENOTSOCK;
	if (!io) {
		io = &stack_io;
		ret = xr_msg_copy_hdr(req, io, READ);
		if (ret)
			return ret;
	}

	msg.msg_name = &addr;
	msg.msg_control_user = io->ucontrol;
	msg.msg_control_is_user = true;
	msg.msg_controllen = io->controllen;
	iov_iter_init(&msg.msg_iter, READ, io->iov, io->nr_segs, io->count);
	iov_iter_advance(&msg.msg_iter, sr->done_io);

	flags = sr->msg_flags;
	if ((issue_flags & XR_ISSUE_F_NONBLOCK) ||
	    (req->file->f_flags & O_NONBLOCK))
		flags |= MSG_DONTWAIT;
	/* with control data, a short read is the answer, as native has it */
	if ((flags & MSG_WAITALL) && !io->controllen)
		min_ret = iov_iter_count(&msg.msg_iter);
	msg.msg_flags = flags & MSG_CMSG_CLOEXEC;

	ret = sock_recvmsg(sock, &msg, flags);
	if (ret >= 0) {
		err = xr_recvmsg_out(req, io, &msg, &addr);
		if (err)
			ret = err;
	}
	ret = xr_sr_result(req, sock, ret, min_ret, flags, issue_flags);
	if (ret == -EAGAIN) {
		if (io != &stack_io)
			return ret;
		ret = xr_msg_save(req, io, NULL);
		if (!ret)
			return -EAGAIN;
	}
	xr_msg_put(req, io);
	return xr_net_complete(req, ret);
}

int xr_accept_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_accept *accept = xr_req_cmd(req, struct xr_accept);

	if (!xr_net_allowed())
		return -EOPNOTSUPP;
	/* splice_fd_in: later kernels' fixed-file slot, not in xuring */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->len) ||
		     READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	accept->addr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	accept->addr_len = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	accept->flags = READ_ONCE(sqe->accept_flags);
	if (accept->flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
#if SOCK_NONBLOCK != O_NONBLOCK
	if (accept->flags & SOCK_NONBLOCK)
		accept->flags = (accept->flags & ~SOCK_NONBLOCK) | O_NONBLOCK;
#endif
	return 0;
}

/*
 * accept4(2) without its LSM hook: a new socket of the listener's kind, its
 * file, the protocol's accept, then the peer's address.
 */
static struct file *xr_do_accept(struct xr_req *req, struct socket *sock,
				 unsigned int issue_flags)
{
	struct xr_accept *accept = xr_req_cmd(req, struct xr_accept);
	unsigned int file_flags = req->file->f_flags;
	struct sockaddr_storage address;
	struct socket *newsock;
	struct file *newfile;
	int ret, len, room;

	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		file_flags |= O_NONBLOCK;

	newsock = sock_alloc();
	if (!newsock)
		return ERR_PTR(-ENFILE);
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	/* the listener holds the protocol module: this cannot fail */
	__module_get(newsock->ops->owner);

	/* on failure, releases newsock */
	newfile = sock_alloc_file(newsock, accept->flags,
				  sock->sk->sk_prot_creator->name);
	if (IS_ERR(newfile))
		return newfile;

	ret = xr_sock_accept(sock, newsock, file_flags);
	if (ret < 0)
		goto fail;

	if (accept->addr) {
		len = newsock->ops->getname(newsock,
					    (struct sockaddr *)&address, 2);
		if (len < 0) {
			ret = -ECONNABORTED;
			goto fail;
		}
		ret = get_user(room, accept->addr_len);
		if (!ret)
			ret = xr_move_addr_to_user(&address, len, accept->addr,
						   accept->addr_len, room);
		if (ret < 0)
			goto fail;
	}
	return newfile;
fail:
	fput(newfile);
	return ERR_PTR(ret);
}

int xr_accept(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_accept *accept = xr_req_cmd(req, struct xr_accept);
	struct socket *sock;
	struct file *file;
	int fd, ret;

	sock = sock_from_file(req->file);
	if (unlikely(!sock))
		return -ENOTSOCK;

	fd = get_unused_fd_flags(accept->flags);
	if (unlikely(fd < 0))
		return fd;
	file = xr_do_accept(req, sock, issue_flags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		if (ret == -EAGAIN && (issue_flags & XR_ISSUE_F_NONBLOCK))
			return ret;
		return ret == -ERESTARTSYS ? -EINTR : ret;
	}
	fd_install(fd, file);
	xr_req_set_res(req, fd, 0);
	return XR_ISSUE_DONE;
}

int xr_connect_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_connect *conn = xr_req_cmd(req, struct xr_connect);
	void __user *uaddr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	struct sockaddr_storage *addr;

	if (!xr_net_allowed())
		return -EOPNOTSUPP;
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->len) ||
		     READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->rw_flags) ||
		     READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	conn->addr_len = READ_ONCE(sqe->addr2);
	conn->in_progress = false;
	conn->seen_econnaborted = false;
	if (conn->addr_len < 0 || conn->addr_len > sizeof(*addr))
		return -EINVAL;

	/* the address is read here, once: userspace may reuse it */
	addr = kzalloc(sizeof(*addr), GFP_KERNEL_ACCOUNT);
	if (!addr)
		return -ENOMEM;
	req->async_data = addr;
	if (conn->addr_len && copy_from_user(addr, uaddr, conn->addr_len))
		return -EFAULT;
	return 0;
}

int xr_connect(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_connect *conn = xr_req_cmd(req, struct xr_connect);
	bool nonblock = issue_flags & XR_ISSUE_F_NONBLOCK;
	struct socket *sock;
	int ret;

	sock = sock_from_file(req->file);
	if (unlikely(!sock))
		return -ENOTSOCK;

	if (conn->in_progress) {
		struct poll_table_struct pt = { ._key = EPOLLERR };

		/* it failed meanwhile: connect() would not say how */
		if (vfs_poll(req->file, &pt) & EPOLLERR)
			goto sock_err;
	}

	ret = kernel_connect(sock, req->async_data, conn->addr_len,
			     req->file->f_flags | (nonblock ? O_NONBLOCK : 0));
	if (nonblock && (ret == -EAGAIN || ret == -EINPROGRESS ||
			 ret == -ECONNABORTED ||
			 (ret == -EALREADY && conn->in_progress))) {
		if (ret == -EINPROGRESS) {
			conn->in_progress = true;
		} else if (ret == -ECONNABORTED) {
			if (conn->seen_econnaborted)
				goto out;
			conn->seen_econnaborted = true;
		}
		return -EAGAIN;
	}
	/* a connection we started is there, or failed: its error says which */
	if (conn->in_progress && (ret == -EBADFD || ret == -EISCONN))
		goto sock_err;
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
out:
	return xr_net_complete(req, ret);
sock_err:
	return xr_net_complete(req, sock_error(sock->sk));
}
