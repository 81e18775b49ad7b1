// SPDX-License-Identifier: GPL-2.0
/*
 * SEND, RECV, SENDMSG, RECVMSG, ACCEPT and CONNECT on loopback TCP, UDP and
 * unix sockets: results, the bytes that cross, names, iovecs, SCM_RIGHTS
 * and credentials landing in this process, waits (FAST_POLL), flags and
 * errors; every case against native io_uring.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024
#endif

/* 6.0+ reports "more data queued" in RECV CQEs; 5.10 (xuring) does not. */
#define CQE_F_SOCK_NONEMPTY	(1U << 2)

#define PARAM "/sys/module/xuring/parameters/allow_accept_connect"

/* ACCEPT and CONNECT are off unless the module parameter says otherwise. */
static void set_accept_connect(bool on)
{
	int ret = xt_write_str(PARAM, on ? "1" : "0");

	if (ret && ret != -ENOENT)
		fprintf(stderr, "%s: %s\n", PARAM, strerror(-ret));
}

/* Record a CQE: xuring's flags are 0 (5.10 has no SOCK_NONEMPTY). */
static int rec_cqe(struct __test_metadata *_metadata, enum xt_kind kind,
		   struct xt_log *log, const char *tag,
		   const struct xuring_cqe *cqe)
{
	if (kind == XT_XURING)
		EXPECT_EQ(0U, cqe->flags) TH_LOG("%s", tag);
	xt_rec(log, cqe->res, "%s.res", tag);
	xt_rec(log, cqe->flags & ~CQE_F_SOCK_NONEMPTY, "%s.flags", tag);
	return cqe->res;
}

/* Submit the SQE prepared last, wait for its CQE, record it. */
static int run1(struct __test_metadata *_metadata, struct xt_ring *r,
		enum xt_kind kind, struct xt_log *log, const char *tag)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_submit_one(r, &cqe)) TH_LOG("%s", tag);
	return rec_cqe(_metadata, kind, log, tag, &cqe);
}

#define RUN(tag) run1(_metadata, &r, kind, log, tag)

#define RUN_510(tag, want) xt_run_510(_metadata, &r, kind, tag, want)

/* Submit the SQE prepared last and check that it waits. */
static void submit_pending(struct __test_metadata *_metadata,
			   struct xt_ring *r, struct xt_log *log,
			   const char *tag)
{
	ASSERT_EQ(1, xt_submit(r)) TH_LOG("%s", tag);
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(r)) TH_LOG("%s completed early", tag);
	xt_rec(log, xt_cq_ready(r), "%s.pending", tag);
}

static int wait1(struct __test_metadata *_metadata, struct xt_ring *r,
		 enum xt_kind kind, struct xt_log *log, const char *tag)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_wait_cqe(r, &cqe)) TH_LOG("%s", tag);
	return rec_cqe(_metadata, kind, log, tag, &cqe);
}

#define SQE() xt_sqe_of(_metadata, &r)

/* A loopback address with the given port (network order). */
static struct sockaddr_in lo_addr(in_port_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = port };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A bound socket on 127.0.0.1 (port chosen by the kernel); *port set. */
static int lo_socket(struct __test_metadata *_metadata, int type,
		     in_port_t *port)
{
	struct sockaddr_in a = lo_addr(0);
	socklen_t len = sizeof(a);
	int fd;

	fd = socket(AF_INET, type, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
	*port = a.sin_port;
	return fd;
}

static int tcp_listener(struct __test_metadata *_metadata, int backlog,
			in_port_t *port)
{
	int fd = lo_socket(_metadata, SOCK_STREAM, port);

	ASSERT_EQ(0, listen(fd, backlog));
	return fd;
}

/* A port nothing listens on. */
static in_port_t closed_port(struct __test_metadata *_metadata)
{
	in_port_t port;
	int fd = lo_socket(_metadata, SOCK_STREAM, &port);

	close(fd);
	return port;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A file in the cwd holding @text, unlinked; O_RDWR. */
static int text_file(struct __test_metadata *_metadata, const char *text)
{
	char path[64];
	int fd = xt_tmpfile(path, sizeof(path));

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(text), pwrite(fd, text, strlen(text), 0));
	unlink(path);
	return fd;
}

static void read_exact(struct __test_metadata *_metadata, int fd, void *buf,
		       size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		ASSERT_LT(0, n);
		got += n;
	}
}

XT_SCENARIO(stream_send_recv)
{
	char buf[64];
	struct xt_ring r;
	int sv[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	xuring_prep_send(SQE(), sv[0], "hello world", 11, 0);
	EXPECT_EQ(11, RUN("send"));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(11, read(sv[1], buf, sizeof(buf)));
	EXPECT_STREQ("hello world", buf);

	ASSERT_EQ(6, write(sv[1], "abcdef", 6));
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0);
	EXPECT_EQ(6, RUN("recv"));
	EXPECT_STREQ("abcdef", buf);

	/* MSG_PEEK leaves the bytes; a short buffer takes part of them */
	ASSERT_EQ(3, write(sv[1], "xyz", 3));
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), MSG_PEEK);
	EXPECT_EQ(3, RUN("recv-peek"));
	EXPECT_STREQ("xyz", buf);
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), sv[0], buf, 2, 0);
	EXPECT_EQ(2, RUN("recv-short"));
	EXPECT_STREQ("xy", buf);
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0);
	EXPECT_EQ(1, RUN("recv-rest"));
	EXPECT_EQ('z', buf[0]);

	xuring_prep_send(SQE(), sv[0], buf, 0, 0);
	EXPECT_EQ(0, RUN("send-empty"));

	/* the peer's end of the stream: 0 */
	ASSERT_EQ(0, shutdown(sv[1], SHUT_WR));
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0);
	EXPECT_EQ(0, RUN("recv-eof"));

	/* the peer is gone: -EPIPE, and no SIGPIPE kills us */
	close(sv[1]);
	xuring_prep_send(SQE(), sv[0], "x", 1, 0);
	EXPECT_EQ(-EPIPE, RUN("send-epipe"));
	close(sv[0]);
	xt_ring_exit(&r);
}

TEST(stream_send_recv)
{
	XT_DIFF(stream_send_recv);
}

XT_SCENARIO(waits)
{
	static char big[4096], fillbuf[65536];
	char buf[64];
	struct xt_ring r;
	size_t filled = 0;
	ssize_t n;
	int sv[2], i;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	/* RECV on an empty socket waits for the data */
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0);
	submit_pending(_metadata, &r, log, "recv-wait");
	ASSERT_EQ(4, write(sv[1], "late", 4));
	EXPECT_EQ(4, wait1(_metadata, &r, kind, log, "recv-wait"));
	EXPECT_STREQ("late", buf);

	/* MSG_DONTWAIT: -EAGAIN instead */
	xuring_prep_recv(SQE(), sv[0], buf, sizeof(buf), MSG_DONTWAIT);
	EXPECT_EQ(-EAGAIN, RUN("recv-dontwait"));

	/* MSG_WAITALL: the request waits for all of it */
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), sv[0], buf, 10, MSG_WAITALL);
	submit_pending(_metadata, &r, log, "recv-waitall");
	ASSERT_EQ(4, write(sv[1], "0123", 4));
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	xt_rec(log, xt_cq_ready(&r), "recv-waitall.partial");
	ASSERT_EQ(6, write(sv[1], "456789", 6));
	EXPECT_EQ(10, wait1(_metadata, &r, kind, log, "recv-waitall"));
	EXPECT_STREQ("0123456789", buf);

	/* SEND into a full socket waits for room */
	ASSERT_EQ(0, fcntl(sv[0], F_SETFL, O_NONBLOCK));
	for (;;) {
		n = write(sv[0], fillbuf, sizeof(fillbuf));
		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno);
			break;
		}
		filled += n;
	}
	ASSERT_EQ(0, fcntl(sv[0], F_SETFL, 0));
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i * 7 + 1);
	xuring_prep_send(SQE(), sv[0], big, sizeof(big), 0);
	submit_pending(_metadata, &r, log, "send-wait");
	while (filled) {
		n = read(sv[1], fillbuf, filled < sizeof(fillbuf) ?
					  filled : sizeof(fillbuf));
		ASSERT_LT(0, n);
		filled -= n;
	}
	EXPECT_EQ((int)sizeof(big), wait1(_metadata, &r, kind, log,
					  "send-wait"));
	read_exact(_metadata, sv[1], fillbuf, sizeof(big));
	EXPECT_EQ(0, memcmp(fillbuf, big, sizeof(big)));
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(recv_and_send_wait)
{
	XT_DIFF(waits);
}

XT_SCENARIO(udp_msg)
{
	char a[4], b[16], c[8];
	struct sockaddr_in from, to;
	struct iovec siov[3] = {
		{ "abc", 3 }, { "defg", 4 }, { "hi", 2 },
	};
	struct iovec riov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct msghdr msg;
	struct xt_ring r;
	in_port_t p1, p2;
	int u1, u2;

	XT_RING(&r, kind, 8, NULL);
	u1 = lo_socket(_metadata, SOCK_DGRAM, &p1);
	u2 = lo_socket(_metadata, SOCK_DGRAM, &p2);
	to = lo_addr(p2);

	/* a name and three iovecs out, a name and two iovecs in */
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = siov;
	msg.msg_iovlen = 3;
	xuring_prep_sendmsg(SQE(), u1, &msg, 0);
	EXPECT_EQ(9, RUN("sendmsg-to"));

	memset(&msg, 0, sizeof(msg));
	memset(&from, 0, sizeof(from));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = riov;
	msg.msg_iovlen = 2;
	msg.msg_flags = 0x5a5a;		/* overwritten */
	xuring_prep_recvmsg(SQE(), u2, &msg, 0);
	EXPECT_EQ(9, RUN("recvmsg-from"));
	EXPECT_EQ(0, memcmp(a, "abcd", 4));
	EXPECT_STREQ("efghi", b);
	EXPECT_EQ(sizeof(from), msg.msg_namelen);
	EXPECT_EQ(AF_INET, from.sin_family);
	EXPECT_EQ(p1, from.sin_port);
	EXPECT_EQ(0, msg.msg_flags);
	xt_rec(log, msg.msg_namelen, "namelen");
	xt_rec(log, msg.msg_flags, "msg_flags");
	xt_rec(log, msg.msg_controllen, "controllen");

	/* a datagram longer than the buffer: MSG_TRUNC */
	ASSERT_EQ(0, connect(u1, (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ(20, send(u1, "0123456789abcdefghij", 20, 0));
	memset(&msg, 0, sizeof(msg));
	riov[0].iov_base = c;
	riov[0].iov_len = sizeof(c);
	msg.msg_iov = riov;
	msg.msg_iovlen = 1;
	xuring_prep_recvmsg(SQE(), u2, &msg, 0);
	EXPECT_EQ(8, RUN("recvmsg-trunc"));
	EXPECT_EQ(MSG_TRUNC, msg.msg_flags);
	xt_rec(log, msg.msg_flags, "trunc.msg_flags");
	EXPECT_EQ(0, memcmp(c, "01234567", 8));

	/* MSG_TRUNC asked for: the datagram's real length */
	ASSERT_EQ(20, send(u1, "0123456789abcdefghij", 20, 0));
	xuring_prep_recvmsg(SQE(), u2, &msg, MSG_TRUNC);
	EXPECT_EQ(20, RUN("recvmsg-real-len"));

	/* room for part of the name: that part, and the full length */
	ASSERT_EQ(2, send(u1, "zz", 2, 0));
	memset(&msg, 0, sizeof(msg));
	memset(&from, 0xff, sizeof(from));
	msg.msg_name = &from;
	msg.msg_namelen = 4;
	msg.msg_iov = riov;
	msg.msg_iovlen = 1;
	xuring_prep_recvmsg(SQE(), u2, &msg, 0);
	EXPECT_EQ(2, RUN("recvmsg-short-name"));
	EXPECT_EQ(sizeof(from), msg.msg_namelen);
	EXPECT_EQ(p1, from.sin_port);
	EXPECT_EQ(0xffffffffU, from.sin_addr.s_addr);

	/* SEND and RECV on UDP */
	xuring_prep_send(SQE(), u1, "dgram", 5, 0);
	EXPECT_EQ(5, RUN("udp-send"));
	memset(b, 0, sizeof(b));
	xuring_prep_recv(SQE(), u2, b, sizeof(b), 0);
	EXPECT_EQ(5, RUN("udp-recv"));
	EXPECT_STREQ("dgram", b);

	/* nowhere to send to */
	close(u1);
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, u1);
	xuring_prep_send(SQE(), u1, "x", 1, 0);
	EXPECT_EQ(-EDESTADDRREQ, RUN("udp-no-dest"));
	close(u1);
	close(u2);
	xt_ring_exit(&r);
}

TEST(udp_sendmsg_recvmsg_names_iovecs)
{
	XT_DIFF(udp_msg);
}

/* The fd an SCM_RIGHTS message carried, or -1. */
static int rights_fd(struct msghdr *msg)
{
	struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
	int fd;

	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* @fd is open in this process on the same file as @orig, holding @text. */
static void same_file(struct __test_metadata *_metadata, struct xt_log *log,
		      const char *tag, int fd, int orig, const char *text)
{
	struct stat a, b;
	char buf[32] = "";

	ASSERT_LE(0, fd) TH_LOG("%s: no fd received", tag);
	ASSERT_EQ(0, fstat(fd, &a));
	ASSERT_EQ(0, fstat(orig, &b));
	EXPECT_EQ(b.st_ino, a.st_ino);
	EXPECT_EQ(b.st_dev, a.st_dev);
	EXPECT_EQ((ssize_t)strlen(text), pread(fd, buf, sizeof(buf) - 1, 0));
	EXPECT_STREQ(text, buf);
	xt_rec(log, a.st_ino == b.st_ino, "%s.same", tag);
	xt_rec(log, fcntl(fd, F_GETFD), "%s.fd_flags", tag);
}

XT_SCENARIO(scm_rights)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} sc, rc;
	struct msghdr smsg, rmsg;
	struct iovec siov, riov;
	struct xt_ring r;
	char data[8];
	int sv[2], file, fd, before;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	file = text_file(_metadata, "secret");

	/* the ring sends our fd; the ring receives it into our table */
	xt_rights_msg(&smsg, &siov, sc.buf, sizeof(sc.buf), file);
	xuring_prep_sendmsg(SQE(), sv[0], &smsg, 0);
	EXPECT_EQ(1, RUN("sendmsg-rights"));

	memset(&rmsg, 0, sizeof(rmsg));
	memset(&rc, 0, sizeof(rc));
	riov.iov_base = data;
	riov.iov_len = sizeof(data);
	rmsg.msg_iov = &riov;
	rmsg.msg_iovlen = 1;
	rmsg.msg_control = rc.buf;
	rmsg.msg_controllen = sizeof(rc.buf);
	xuring_prep_recvmsg(SQE(), sv[1], &rmsg, MSG_CMSG_CLOEXEC);
	EXPECT_EQ(1, RUN("recvmsg-rights"));
	EXPECT_EQ('F', data[0]);
	EXPECT_EQ(CMSG_SPACE(sizeof(int)), rmsg.msg_controllen);
	xt_rec(log, rmsg.msg_controllen, "controllen");
	xt_rec(log, rmsg.msg_flags, "msg_flags");
	fd = rights_fd(&rmsg);
	same_file(_metadata, log, "cloexec", fd, file, "secret");
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	close(fd);

	/* without MSG_CMSG_CLOEXEC; sent by sendmsg(2) this time */
	xt_rights_msg(&smsg, &siov, sc.buf, sizeof(sc.buf), file);
	ASSERT_EQ(1, sendmsg(sv[0], &smsg, 0));
	rmsg.msg_controllen = sizeof(rc.buf);
	memset(&rc, 0, sizeof(rc));
	xuring_prep_recvmsg(SQE(), sv[1], &rmsg, 0);
	EXPECT_EQ(1, RUN("recvmsg-rights-2"));
	fd = rights_fd(&rmsg);
	same_file(_metadata, log, "plain", fd, file, "secret");
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	close(fd);

	/* no room for the fd: MSG_CTRUNC, and nothing is installed */
	before = count_fds();
	ASSERT_EQ(1, sendmsg(sv[0], &smsg, 0));
	rmsg.msg_controllen = 0;
	rmsg.msg_control = NULL;
	xuring_prep_recvmsg(SQE(), sv[1], &rmsg, 0);
	EXPECT_EQ(1, RUN("recvmsg-ctrunc"));
	EXPECT_EQ(MSG_CTRUNC, rmsg.msg_flags);
	xt_rec(log, rmsg.msg_flags, "ctrunc.msg_flags");
	EXPECT_EQ(before, count_fds());

	/* the RECVMSG waits, the fd arrives later: still ours */
	memset(&rc, 0, sizeof(rc));
	rmsg.msg_control = rc.buf;
	rmsg.msg_controllen = sizeof(rc.buf);
	xuring_prep_recvmsg(SQE(), sv[1], &rmsg, 0);
	submit_pending(_metadata, &r, log, "recvmsg-wait");
	ASSERT_EQ(1, sendmsg(sv[0], &smsg, 0));
	EXPECT_EQ(1, wait1(_metadata, &r, kind, log, "recvmsg-wait"));
	fd = rights_fd(&rmsg);
	same_file(_metadata, log, "late", fd, file, "secret");
	close(fd);

	close(file);
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(scm_rights_into_the_submitter)
{
	XT_DIFF(scm_rights);
}

XT_SCENARIO(credentials)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} cbuf;
	struct iovec siov[1] = { { "c", 1 } }, riov;
	struct msghdr smsg, rmsg;
	struct ucred cred;
	struct cmsghdr *cm;
	struct xt_ring r;
	char data[4];
	int sv[2], one = 1;

	/* the sender's credentials are the submitter's */
	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(0, setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one,
				sizeof(one)));
	memset(&smsg, 0, sizeof(smsg));
	smsg.msg_iov = siov;
	smsg.msg_iovlen = 1;
	xuring_prep_sendmsg(SQE(), sv[0], &smsg, 0);
	EXPECT_EQ(1, RUN("sendmsg"));

	memset(&rmsg, 0, sizeof(rmsg));
	riov.iov_base = data;
	riov.iov_len = sizeof(data);
	rmsg.msg_iov = &riov;
	rmsg.msg_iovlen = 1;
	rmsg.msg_control = cbuf.buf;
	rmsg.msg_controllen = sizeof(cbuf.buf);
	xuring_prep_recvmsg(SQE(), sv[1], &rmsg, 0);
	EXPECT_EQ(1, RUN("recvmsg"));
	cm = CMSG_FIRSTHDR(&rmsg);
	ASSERT_NE(NULL, cm);
	EXPECT_EQ(SCM_CREDENTIALS, cm->cmsg_type);
	memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
	EXPECT_EQ(getpid(), cred.pid);
	EXPECT_EQ(getuid(), cred.uid);
	EXPECT_EQ(getgid(), cred.gid);
	xt_rec(log, cred.pid == getpid(), "pid");
	xt_rec(log, rmsg.msg_controllen, "controllen");
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(credentials_are_the_submitters)
{
	XT_DIFF(credentials);
}

XT_SCENARIO(tcp_accept)
{
	struct sockaddr_in peer, local;
	socklen_t plen, llen;
	struct xt_ring r;
	in_port_t port;
	char buf[16];
	int lfd, c, a, flags;

	XT_RING(&r, kind, 8, NULL);
	lfd = tcp_listener(_metadata, 8, &port);

	/* nobody is connecting yet: the ACCEPT waits (FAST_POLL) */
	memset(&peer, 0, sizeof(peer));
	plen = sizeof(peer);
	xuring_prep_accept(SQE(), lfd, (struct sockaddr *)&peer, &plen, 0);
	submit_pending(_metadata, &r, log, "accept-wait");
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	local = lo_addr(port);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&local, sizeof(local)));
	a = wait1(_metadata, &r, kind, log, "accept-wait");
	ASSERT_LE(0, a);
	llen = sizeof(local);
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&local, &llen));
	EXPECT_EQ(sizeof(peer), plen);
	EXPECT_EQ(AF_INET, peer.sin_family);
	EXPECT_EQ(local.sin_port, peer.sin_port);
	EXPECT_EQ(0, fcntl(a, F_GETFD));
	flags = fcntl(a, F_GETFL);
	EXPECT_EQ(0, flags & O_NONBLOCK);
	xt_rec(log, plen, "plen");
	xt_rec(log, fcntl(a, F_GETFD), "fd_flags");
	xt_rec(log, flags & ~O_LARGEFILE, "fl");
	/* the accepted socket carries the bytes */
	xuring_prep_send(SQE(), a, "tcp!", 4, 0);
	EXPECT_EQ(4, RUN("send-accepted"));
	memset(buf, 0, sizeof(buf));
	read_exact(_metadata, c, buf, 4);
	EXPECT_STREQ("tcp!", buf);
	/* MSG_WAITALL ends at the end of the stream */
	ASSERT_EQ(3, write(c, "ack", 3));
	close(c);
	memset(buf, 0, sizeof(buf));
	xuring_prep_recv(SQE(), a, buf, sizeof(buf), MSG_WAITALL);
	EXPECT_EQ(3, RUN("recv-accepted"));
	EXPECT_STREQ("ack", buf);
	close(a);

	/* a connection already queued: at once; CLOEXEC and NONBLOCK */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	local = lo_addr(port);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&local, sizeof(local)));
	xuring_prep_accept(SQE(), lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	a = RUN("accept-flags");
	ASSERT_LE(0, a);
	EXPECT_EQ(FD_CLOEXEC, fcntl(a, F_GETFD));
	EXPECT_EQ(O_NONBLOCK, fcntl(a, F_GETFL) & O_NONBLOCK);
	xt_rec(log, fcntl(a, F_GETFD), "flags.fd_flags");
	xt_rec(log, fcntl(a, F_GETFL) & ~O_LARGEFILE, "flags.fl");
	close(a);
	close(c);
	close(lfd);
	xt_ring_exit(&r);
}

TEST(tcp_accept_waits_and_installs)
{
	set_accept_connect(true);
	XT_DIFF(tcp_accept);
	set_accept_connect(false);
}

XT_SCENARIO(accept_errors)
{
	struct xuring_sqe *sqe;
	struct sockaddr_in peer, to;
	socklen_t plen = sizeof(peer);
	struct xt_ring r;
	in_port_t port;
	int lfd, c, s, file, before;

	XT_RING(&r, kind, 8, NULL);
	lfd = tcp_listener(_metadata, 8, &port);
	file = text_file(_metadata, "f");

	xuring_prep_accept(SQE(), lfd, NULL, NULL, 0x1);
	EXPECT_EQ(-EINVAL, RUN("bad-flags"));
	xuring_prep_accept(SQE(), lfd, NULL, NULL, O_APPEND);
	EXPECT_EQ(-EINVAL, RUN("bad-flags-2"));
	sqe = SQE();
	xuring_prep_accept(sqe, lfd, NULL, NULL, 0);
	sqe->len = 1;
	EXPECT_EQ(-EINVAL, RUN("len"));
	sqe = SQE();
	xuring_prep_accept(sqe, lfd, NULL, NULL, 0);
	sqe->ioprio = 0x8000;
	EXPECT_EQ(-EINVAL, RUN("ioprio"));
	xuring_prep_accept(SQE(), file, NULL, NULL, 0);
	EXPECT_EQ(-ENOTSOCK, RUN("not-socket"));
	xuring_prep_accept(SQE(), -1, NULL, NULL, 0);
	EXPECT_EQ(-EBADF, RUN("bad-fd"));
	s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, s);
	xuring_prep_accept(SQE(), s, NULL, NULL, 0);
	EXPECT_EQ(-EINVAL, RUN("not-listening"));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	xuring_prep_accept(SQE(), s, NULL, NULL, 0);
	EXPECT_EQ(-EOPNOTSUPP, RUN("udp"));
	close(s);

	/* the address cannot be written: -EFAULT, and no fd is left */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	to = lo_addr(port);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&to, sizeof(to)));
	before = count_fds();
	xuring_prep_accept(SQE(), lfd, xt_unmapped_page(), &plen, 0);
	EXPECT_EQ(-EFAULT, RUN("bad-addr"));
	EXPECT_EQ(before, count_fds());
	close(c);
	close(file);
	close(lfd);
	xt_ring_exit(&r);
}

TEST(accept_errors)
{
	set_accept_connect(true);
	XT_DIFF(accept_errors);
	set_accept_connect(false);
}

XT_SCENARIO(tcp_connect)
{
	struct sockaddr_in to, peer;
	struct xuring_sqe *sqe;
	socklen_t plen;
	struct xt_ring r;
	in_port_t port;
	int lfd, c, a, u, file;

	XT_RING(&r, kind, 8, NULL);
	lfd = tcp_listener(_metadata, 8, &port);
	to = lo_addr(port);

	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(0, RUN("connect"));
	plen = sizeof(peer);
	ASSERT_EQ(0, getpeername(c, (struct sockaddr *)&peer, &plen));
	EXPECT_EQ(port, peer.sin_port);
	a = accept(lfd, NULL, NULL);
	ASSERT_LE(0, a);
	ASSERT_EQ(2, write(a, "ok", 2));
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(-EISCONN, RUN("connected"));
	close(a);
	close(c);

	/* nothing listens there: refused */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	to = lo_addr(closed_port(_metadata));
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(-ECONNREFUSED, RUN("refused"));
	close(c);

	/* bad addresses and lengths */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	to = lo_addr(port);
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, 0);
	EXPECT_EQ(-EINVAL, RUN("addrlen-0"));
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, 1);
	EXPECT_EQ(-EINVAL, RUN("addrlen-1"));
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&to, 129);
	EXPECT_EQ(-EINVAL, RUN("addrlen-129"));
	xuring_prep_connect(SQE(), c, xt_unmapped_page(), sizeof(to));
	EXPECT_EQ(-EFAULT, RUN("bad-addr"));
	sqe = SQE();
	xuring_prep_connect(sqe, c, (struct sockaddr *)&to, sizeof(to));
	sqe->len = 1;
	EXPECT_EQ(-EINVAL, RUN("len"));
	sqe = SQE();
	xuring_prep_connect(sqe, c, (struct sockaddr *)&to, sizeof(to));
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, RUN("rw_flags"));
	close(c);
	file = text_file(_metadata, "f");
	xuring_prep_connect(SQE(), file, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(-ENOTSOCK, RUN("not-socket"));
	close(file);
	xuring_prep_connect(SQE(), -1, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(-EBADF, RUN("bad-fd"));

	/* UDP: a default destination, then SEND needs no address */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, u);
	c = lo_socket(_metadata, SOCK_DGRAM, &port);
	to = lo_addr(port);
	xuring_prep_connect(SQE(), u, (struct sockaddr *)&to, sizeof(to));
	EXPECT_EQ(0, RUN("udp-connect"));
	xuring_prep_send(SQE(), u, "u", 1, 0);
	EXPECT_EQ(1, RUN("udp-send"));
	close(u);
	close(c);
	close(lfd);
	xt_ring_exit(&r);
}

TEST(tcp_udp_connect)
{
	set_accept_connect(true);
	XT_DIFF(tcp_connect);
	set_accept_connect(false);
}

XT_SCENARIO(connect_in_progress)
{
	struct sockaddr_in to;
	struct xt_ring r;
	in_port_t port;
	long long t0;
	int lfd, c1, c2, a;

	/*
	 * A listener whose queue is full drops the SYN; the client sends it
	 * again a second later. Until then the CONNECT waits.
	 */
	XT_RING(&r, kind, 8, NULL);
	lfd = tcp_listener(_metadata, 0, &port);
	to = lo_addr(port);
	c1 = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, connect(c1, (struct sockaddr *)&to, sizeof(to)));
	c2 = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c2);
	t0 = xt_now_ms();
	xuring_prep_connect(SQE(), c2, (struct sockaddr *)&to, sizeof(to));
	submit_pending(_metadata, &r, log, "in-progress");
	xt_sleep_ms(200);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	a = accept(lfd, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_EQ(0, wait1(_metadata, &r, kind, log, "in-progress"));
	EXPECT_LE(250, xt_now_ms() - t0);
	close(a);
	a = accept(lfd, NULL, NULL);
	ASSERT_LE(0, a);
	ASSERT_EQ(1, write(c2, "!", 1));
	close(a);
	close(c1);
	close(c2);
	close(lfd);
	xt_ring_exit(&r);
}

TEST(connect_in_progress)
{
	set_accept_connect(true);
	XT_DIFF(connect_in_progress);
	set_accept_connect(false);
}

XT_SCENARIO(unix_path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct xt_ring r;
	int srv, c, a;

	/* a relative path: the submitter's cwd, not a kernel thread's */
	XT_RING(&r, kind, 8, NULL);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "xt-net-%d-%s",
		 getpid(), xt_kind_name(kind));
	unlink(sun.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, bind(srv, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_EQ(0, listen(srv, 4));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&sun, sizeof(sun));
	EXPECT_EQ(0, RUN("connect-relative"));
	a = accept(srv, NULL, NULL);
	ASSERT_LE(0, a);
	xuring_prep_send(SQE(), c, "u!", 2, 0);
	EXPECT_EQ(2, RUN("send"));
	close(a);
	close(c);

	/* and a datagram to a relative path with SENDMSG */
	close(srv);
	unlink(sun.sun_path);
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, bind(srv, (struct sockaddr *)&sun, sizeof(sun)));
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_LE(0, c);
	{
		struct iovec iov = { "dg", 2 };
		struct msghdr msg = {
			.msg_name = &sun, .msg_namelen = sizeof(sun),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		char buf[4] = "";

		xuring_prep_sendmsg(SQE(), c, &msg, 0);
		EXPECT_EQ(2, RUN("sendmsg-relative"));
		EXPECT_EQ(2, recv(srv, buf, sizeof(buf), MSG_DONTWAIT));
		EXPECT_EQ(0, memcmp(buf, "dg", 2));
	}
	close(c);
	close(srv);
	unlink(sun.sun_path);

	/* a path that does not exist */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	xuring_prep_connect(SQE(), c, (struct sockaddr *)&sun, sizeof(sun));
	EXPECT_EQ(-ENOENT, RUN("connect-missing"));
	close(c);
	xt_ring_exit(&r);
}

TEST(unix_paths_resolve_in_the_submitters_cwd)
{
	set_accept_connect(true);
	XT_DIFF(unix_path);
	set_accept_connect(false);
}

XT_SCENARIO(msg_errors)
{
	struct iovec iov = { "x", 1 };
	struct xuring_sqe *sqe;
	struct msghdr msg;
	struct xt_ring r;
	char buf[8], zeros[32];
	int sv[2], file;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	file = text_file(_metadata, "f");

	xuring_prep_send(SQE(), -1, "x", 1, 0);
	EXPECT_EQ(-EBADF, RUN("send-bad-fd"));
	xuring_prep_recv(SQE(), 0x7fffffff, buf, 1, 0);
	EXPECT_EQ(-EBADF, RUN("recv-bad-fd"));
	xuring_prep_send(SQE(), file, "x", 1, 0);
	EXPECT_EQ(-ENOTSOCK, RUN("send-not-socket"));
	xuring_prep_recv(SQE(), file, buf, 1, 0);
	EXPECT_EQ(-ENOTSOCK, RUN("recv-not-socket"));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	xuring_prep_sendmsg(SQE(), file, &msg, 0);
	EXPECT_EQ(-ENOTSOCK, RUN("sendmsg-not-socket"));
	xuring_prep_recvmsg(SQE(), file, &msg, 0);
	EXPECT_EQ(-ENOTSOCK, RUN("recvmsg-not-socket"));

	xuring_prep_send(SQE(), sv[0], xt_unmapped_page(), 16, 0);
	EXPECT_EQ(-EFAULT, RUN("send-efault"));
	ASSERT_EQ(3, send(sv[0], "abc", 3, 0));
	xuring_prep_recv(SQE(), sv[1], xt_unmapped_page(), 16, 0);
	EXPECT_EQ(-EFAULT, RUN("recv-efault"));
	xuring_prep_sendmsg(SQE(), sv[0], xt_unmapped_page(), 0);
	EXPECT_EQ(-EFAULT, RUN("sendmsg-bad-msghdr"));
	xuring_prep_recvmsg(SQE(), sv[1], xt_unmapped_page(), 0);
	EXPECT_EQ(-EFAULT, RUN("recvmsg-bad-msghdr"));

	/* sendmsg(2) and 5.10: -EMSGSIZE; io_uring 6.1 says -EINVAL */
	msg.msg_iovlen = UIO_MAXIOV + 1;
	xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
	RUN_510("sendmsg-iovlen", -EMSGSIZE);
	xuring_prep_recvmsg(SQE(), sv[1], &msg, 0);
	RUN_510("recvmsg-iovlen", -EMSGSIZE);
	msg.msg_iov = xt_unmapped_page();
	msg.msg_iovlen = 1;
	xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
	EXPECT_EQ(-EFAULT, RUN("sendmsg-bad-iov"));
	msg.msg_iov = &iov;
	msg.msg_name = buf;
	msg.msg_namelen = -1;
	xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
	EXPECT_EQ(-EINVAL, RUN("sendmsg-namelen"));
	xuring_prep_recvmsg(SQE(), sv[1], &msg, 0);
	EXPECT_EQ(-EINVAL, RUN("recvmsg-namelen"));
	msg.msg_name = NULL;
	msg.msg_namelen = 0;
	msg.msg_control = xt_unmapped_page();
	msg.msg_controllen = 64;
	xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
	EXPECT_EQ(-EFAULT, RUN("sendmsg-bad-control"));
	/* control data that is not a cmsghdr */
	memset(zeros, 0, sizeof(zeros));
	msg.msg_control = zeros;
	msg.msg_controllen = sizeof(zeros);
	xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
	EXPECT_EQ(-EINVAL, RUN("sendmsg-bad-cmsg"));

	/* fields a 5.10 SQE leaves zero and later kernels refuse */
	sqe = SQE();
	xuring_prep_send(sqe, sv[0], "x", 1, 0);
	sqe->ioprio = 0x8000;
	EXPECT_EQ(-EINVAL, RUN("send-ioprio"));
	sqe = SQE();
	xuring_prep_recv(sqe, sv[1], buf, 1, 0);
	sqe->ioprio = 0x8000;
	EXPECT_EQ(-EINVAL, RUN("recv-ioprio"));
	msg.msg_control = NULL;
	msg.msg_controllen = 0;
	sqe = SQE();
	xuring_prep_sendmsg(sqe, sv[0], &msg, 0);
	sqe->addr2 = 1;
	EXPECT_EQ(-EINVAL, RUN("sendmsg-addr2"));
	sqe = SQE();
	xuring_prep_recvmsg(sqe, sv[1], &msg, 0);
	sqe->addr2 = 1;
	EXPECT_EQ(-EINVAL, RUN("recvmsg-addr2"));
	sqe = SQE();
	xuring_prep_recv(sqe, sv[1], buf, 1, 0);
	sqe->splice_fd_in = 1;
	EXPECT_EQ(-EINVAL, RUN("recv-file-index"));

	close(file);
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(errors)
{
	XT_DIFF(msg_errors);
}

XT_SCENARIO(fixed_and_async)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char buf[16];
	int sv[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, xt_sys_register(kind, r.fd, XURING_REGISTER_FILES, sv, 2));

	sqe = SQE();
	xuring_prep_send(sqe, 0, "fixed", 5, 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(5, RUN("send-fixed"));
	memset(buf, 0, sizeof(buf));
	sqe = SQE();
	xuring_prep_recv(sqe, 1, buf, sizeof(buf), 0);
	sqe->flags = XURING_SQE_FIXED_FILE | XURING_SQE_ASYNC;
	EXPECT_EQ(5, RUN("recv-fixed-async"));
	EXPECT_STREQ("fixed", buf);

	/* ASYNC requests that have to wait */
	memset(buf, 0, sizeof(buf));
	sqe = SQE();
	xuring_prep_recv(sqe, sv[1], buf, sizeof(buf), 0);
	sqe->flags = XURING_SQE_ASYNC;
	submit_pending(_metadata, &r, log, "recv-async-wait");
	sqe = SQE();
	xuring_prep_send(sqe, sv[0], "later", 5, 0);
	sqe->flags = XURING_SQE_ASYNC;
	ASSERT_EQ(1, xt_submit(&r));
	EXPECT_EQ(5, wait1(_metadata, &r, kind, log, "async-1"));
	EXPECT_EQ(5, wait1(_metadata, &r, kind, log, "async-2"));
	EXPECT_STREQ("later", buf);

	{
		struct iovec iov = { "msg", 3 }, riov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct msghdr rmsg = { .msg_iov = &riov, .msg_iovlen = 1 };

		sqe = SQE();
		xuring_prep_sendmsg(sqe, 0, &msg, 0);
		sqe->flags = XURING_SQE_FIXED_FILE | XURING_SQE_ASYNC;
		EXPECT_EQ(3, RUN("sendmsg-fixed-async"));
		memset(buf, 0, sizeof(buf));
		sqe = SQE();
		xuring_prep_recvmsg(sqe, 1, &rmsg, 0);
		sqe->flags = XURING_SQE_FIXED_FILE | XURING_SQE_ASYNC;
		EXPECT_EQ(3, RUN("recvmsg-fixed-async"));
		EXPECT_STREQ("msg", buf);
	}
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(fixed_files_and_async)
{
	XT_DIFF(fixed_and_async);
}

XT_SCENARIO(msg_stable)
{
	struct iovec iov[2], riov;
	struct msghdr msg, rmsg;
	struct xt_ring r;
	char a[8], b[8], out[16];
	int sv[2];

	/*
	 * SUBMIT_STABLE: the msghdr and iovec array of a RECVMSG that waits
	 * are not read again after the submit call.
	 */
	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	iov[0].iov_base = a;
	iov[0].iov_len = 3;
	iov[1].iov_base = b;
	iov[1].iov_len = 5;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	xuring_prep_recvmsg(SQE(), sv[1], &msg, 0);
	submit_pending(_metadata, &r, log, "recvmsg");
	memset(iov, 0, sizeof(iov));
	msg.msg_iovlen = 0;
	msg.msg_iov = NULL;
	ASSERT_EQ(8, write(sv[0], "12345678", 8));
	EXPECT_EQ(8, wait1(_metadata, &r, kind, log, "recvmsg"));
	EXPECT_EQ(0, memcmp(a, "123", 3));
	EXPECT_EQ(0, memcmp(b, "45678", 5));

	/* same for a SENDMSG that waits for room */
	ASSERT_EQ(0, fcntl(sv[0], F_SETFL, O_NONBLOCK));
	{
		static char fill[65536];
		size_t filled = 0;
		ssize_t n;

		while ((n = write(sv[0], fill, sizeof(fill))) > 0)
			filled += n;
		ASSERT_EQ(0, fcntl(sv[0], F_SETFL, 0));
		iov[0].iov_base = "sta";
		iov[0].iov_len = 3;
		iov[1].iov_base = "ble";
		iov[1].iov_len = 3;
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = 2;
		xuring_prep_sendmsg(SQE(), sv[0], &msg, 0);
		submit_pending(_metadata, &r, log, "sendmsg");
		memset(iov, 0, sizeof(iov));
		memset(&msg, 0, sizeof(msg));
		while (filled) {
			n = read(sv[1], fill, filled < sizeof(fill) ?
						filled : sizeof(fill));
			ASSERT_LT(0, n);
			filled -= n;
		}
		EXPECT_EQ(6, wait1(_metadata, &r, kind, log, "sendmsg"));
		memset(out, 0, sizeof(out));
		memset(&rmsg, 0, sizeof(rmsg));
		riov.iov_base = out;
		riov.iov_len = 6;
		rmsg.msg_iov = &riov;
		rmsg.msg_iovlen = 1;
		ASSERT_EQ(6, recvmsg(sv[1], &rmsg, MSG_WAITALL));
		EXPECT_STREQ("stable", out);
	}
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(msghdr_copied_before_waiting)
{
	XT_DIFF(msg_stable);
}

/* ASYNC_CANCEL of the request with @target user_data. */
static void prep_cancel(struct xuring_sqe *sqe, uint64_t target, uint64_t ud)
{
	xt_prep(sqe, XURING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, ud);
	sqe->addr = target;
}

XT_SCENARIO(cancel_and_close)
{
	struct iovec iov;
	struct msghdr msg;
	struct xuring_cqe cqe[2];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	in_port_t port;
	char buf[16];
	int sv[2], lfd, i;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	lfd = tcp_listener(_metadata, 4, &port);

	/* waiting ACCEPT, RECVMSG and RECV, each canceled */
	sqe = SQE();
	xuring_prep_accept(sqe, lfd, NULL, NULL, 0);
	sqe->user_data = 100;
	submit_pending(_metadata, &r, log, "accept");
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	sqe = SQE();
	xuring_prep_recvmsg(sqe, sv[0], &msg, 0);
	sqe->user_data = 101;
	submit_pending(_metadata, &r, log, "recvmsg");
	sqe = SQE();
	xuring_prep_recv(sqe, sv[1], buf, sizeof(buf), 0);
	sqe->user_data = 102;
	submit_pending(_metadata, &r, log, "recv");
	for (i = 0; i < 3; i++) {
		prep_cancel(SQE(), 100 + i, 200 + i);
		ASSERT_EQ(1, xt_submit(&r));
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe[0]));
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe[1]));
		/* the canceled request's CQE first, or the cancel's */
		if (cqe[0].user_data != 100U + i) {
			struct xuring_cqe t = cqe[0];

			cqe[0] = cqe[1];
			cqe[1] = t;
		}
		EXPECT_EQ(100U + i, cqe[0].user_data);
		EXPECT_EQ(-ECANCELED, cqe[0].res);
		EXPECT_EQ(0, cqe[1].res);
		xt_rec(log, cqe[0].res, "canceled%d", i);
		xt_rec(log, cqe[1].res, "cancel%d", i);
	}
	/* nothing was taken from the sockets */
	ASSERT_EQ(2, write(sv[1], "ok", 2));
	EXPECT_EQ(2, recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));

	/* the ring closed under waiting requests */
	sqe = SQE();
	xuring_prep_accept(sqe, lfd, NULL, NULL, 0);
	submit_pending(_metadata, &r, log, "accept-close");
	sqe = SQE();
	xuring_prep_recvmsg(sqe, sv[0], &msg, 0);
	submit_pending(_metadata, &r, log, "recvmsg-close");
	sqe = SQE();
	xuring_prep_recv(sqe, sv[1], buf, sizeof(buf), 0);
	submit_pending(_metadata, &r, log, "recv-close");
	xt_ring_exit(&r);
	ASSERT_EQ(2, write(sv[1], "ok", 2));
	ASSERT_EQ(2, write(sv[0], "ok", 2));
	xt_sleep_ms(20);
	close(sv[0]);
	close(sv[1]);
	close(lfd);
}

TEST(cancel_and_close_with_waiting_requests)
{
	set_accept_connect(true);
	XT_DIFF(cancel_and_close);
	set_accept_connect(false);
}

TEST(accept_connect_refused_by_default)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct sockaddr_in to;
	struct xt_ring r;
	in_port_t port;
	int lfd, c;

	XT_NEED_XURING();
	set_accept_connect(false);
	XT_RING(&r, XT_XURING, 4, NULL);
	lfd = tcp_listener(_metadata, 4, &port);
	to = lo_addr(port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	sqe = xt_get_sqe(&r);
	xuring_prep_connect(sqe, c, (struct sockaddr *)&to, sizeof(to));
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&to, sizeof(to)));
	sqe = xt_get_sqe(&r);
	xuring_prep_accept(sqe, lfd, NULL, NULL, 0);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	/* the other network ops are not affected */
	sqe = xt_get_sqe(&r);
	xuring_prep_send(sqe, c, "s", 1, 0);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	close(c);
	close(lfd);
	xt_ring_exit(&r);
}

TEST(sqpoll_refuses_submitter_only_net_ops)
{
	struct xuring_params p = { .flags = XURING_SETUP_SQPOLL };
	struct iovec iov = { "x", 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	char buf[4];
	int sv[2];

	/*
	 * xuring's SQ thread has no fd table of the submitter's: SENDMSG and
	 * RECVMSG (fds and paths in messages) are -EINVAL there; SEND and
	 * RECV work. Native io_uring runs all four.
	 */
	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, &p);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, xt_sys_register(XT_XURING, r.fd, XURING_REGISTER_FILES,
				     sv, 2));
	sqe = xt_get_sqe(&r);
	xuring_prep_sendmsg(sqe, 0, &msg, 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	xt_flush(&r);
	xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	sqe = xt_get_sqe(&r);
	xuring_prep_send(sqe, 0, "y", 1, 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	xt_flush(&r);
	xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	sqe = xt_get_sqe(&r);
	xuring_prep_recv(sqe, 1, buf, sizeof(buf), 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	xt_flush(&r);
	xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	EXPECT_EQ('y', buf[0]);
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
