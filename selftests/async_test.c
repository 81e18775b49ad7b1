// SPDX-License-Identifier: GPL-2.0
/*
 * Requests that must wait: reads and writes on pipes, unix and loopback TCP
 * sockets and eventfd that cannot finish at submit time, and
 * XURING_SQE_ASYNC on files, pipes and sockets; COOP_TASKRUN and
 * TASKRUN_FLAG for the retries that run in the submitter. Every case
 * against native.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

/* A submit that does not block returns well within this, even under TCG. */
#define PROMPT_MS	1000
/* How long a waiting request is watched for not completing. */
#define QUIET_MS	100
/* How long a request that was made ready gets to complete. */
#define DONE_MS		5000

static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + seed * 13 + (i >> 9));
}

#define PREP(op, fd, addr, len, off, ud, flags) \
	XT_PREP(&r, op, fd, addr, len, off, ud, flags)

/*
 * Submit what is queued: the call returns n promptly, and nothing
 * completes while the requests have nothing to work with.
 */
static void submit_waiting(struct __test_metadata *_metadata,
			   struct xt_ring *r, int n)
{
	long long t = xt_now_ms();
	int ret = xt_submit(r);

	t = xt_now_ms() - t;
	ASSERT_EQ(n, ret);
	EXPECT_GT(PROMPT_MS, t) TH_LOG("submit took %lld ms", t);
	xt_sleep_ms(QUIET_MS);
	EXPECT_EQ(0U, xt_cq_ready(r)) {
		/* look, do not consume: the test goes on */
		const struct xuring_cqe *cqe =
			&r->cqes[*r->cq_head & (r->p.cq_entries - 1)];

		TH_LOG("completed with nothing to read or room to write: ud %llu res %d",
		       (unsigned long long)cqe->user_data, cqe->res);
	}
}

#define SUBMIT_WAITING(n) submit_waiting(_metadata, &r, n)

/* Wait for one CQE, check its user_data, record res and flags. */
static int done(struct __test_metadata *_metadata, struct xt_ring *r,
		struct xt_log *log, const char *tag, uint64_t ud)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_wait_cqe_ms(r, &cqe, DONE_MS))
		TH_LOG("%s: no completion once ready", tag);
	EXPECT_EQ(ud, cqe.user_data);
	xt_rec(log, cqe.res, "%s.res", tag);
	xt_rec(log, cqe.flags, "%s.flags", tag);
	return cqe.res;
}

#define DONE(tag, ud) done(_metadata, &r, log, tag, ud)

/* Submit queued SQEs that can finish at once; return the one CQE's res. */
#define NOW(tag, ud) ({							\
	ASSERT_EQ(1, xt_submit(&r));					\
	DONE(tag, ud);							\
})

/* Read exactly len bytes from a blocking fd, with a deadline. */
static ssize_t read_all(int fd, void *buf, size_t len, int ms)
{
	long long deadline = xt_now_ms() + ms;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (poll(&pfd, 1, (int)(deadline - xt_now_ms())) <= 0)
			break;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* A pipe holding one page, and filled: no room for another byte. */
static void small_full_pipe(struct __test_metadata *_metadata, int p[2])
{
	static char page[4096];
	struct pollfd pfd;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(4096, fcntl(p[1], F_SETPIPE_SZ, 4096));
	ASSERT_EQ(4096, write(p[1], page, sizeof(page)));
	pfd.fd = p[1];
	pfd.events = POLLOUT;
	ASSERT_EQ(0, poll(&pfd, 1, 0));
}

XT_SCENARIO(pipe_reads_wait)
{
	unsigned char want[100], a[100], b[100];
	struct iovec iov[2] = { { b, 50 }, { b + 50, 50 } };
	struct xt_ring r;
	int pa[2], pb[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(pa));
	ASSERT_EQ(0, pipe(pb));
	fill(want, sizeof(want), 1);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));

	PREP(XURING_OP_READ, pa[0], a, sizeof(a), 0, 1, 0);
	PREP(XURING_OP_READV, pb[0], iov, 2, 0, 2, 0);
	SUBMIT_WAITING(2);

	/* a read takes what the pipe has, not all it asked for */
	ASSERT_EQ(30, write(pa[1], want, 30));
	EXPECT_EQ(30, DONE("read", 1));
	EXPECT_EQ(0, memcmp(a, want, 30));
	xt_sleep_ms(QUIET_MS);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	ASSERT_EQ(100, write(pb[1], want, 100));
	EXPECT_EQ(100, DONE("readv", 2));
	EXPECT_EQ(0, memcmp(b, want, 100));

	/* again on the same pipe, and the writer going away: EOF */
	PREP(XURING_OP_READ, pa[0], a, sizeof(a), 0, 3, 0);
	SUBMIT_WAITING(1);
	close(pa[1]);
	EXPECT_EQ(0, DONE("eof", 3));
	close(pa[0]);
	close(pb[0]);
	close(pb[1]);
	xt_ring_exit(&r);
}

TEST(pipe_reads_wait_for_data)
{
	XT_DIFF(pipe_reads_wait);
}

XT_SCENARIO(pipe_writes_wait)
{
	unsigned char want[1000], got[4096];
	struct iovec iov[2] = { { want, 300 }, { want + 300, 200 } };
	struct xt_ring r;
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	fill(want, sizeof(want), 2);
	small_full_pipe(_metadata, p);

	PREP(XURING_OP_WRITE, p[1], want, sizeof(want), 0, 1, 0);
	SUBMIT_WAITING(1);
	ASSERT_EQ(4096, read(p[0], got, 4096));
	EXPECT_EQ(1000, DONE("write", 1));
	ASSERT_EQ(1000, read_all(p[0], got, 1000, DONE_MS));
	EXPECT_EQ(0, memcmp(got, want, 1000));

	/* full again, a WRITEV this time */
	ASSERT_EQ(4096, write(p[1], got, 4096));
	PREP(XURING_OP_WRITEV, p[1], iov, 2, 0, 2, 0);
	SUBMIT_WAITING(1);
	ASSERT_EQ(4096, read(p[0], got, 4096));
	EXPECT_EQ(500, DONE("writev", 2));
	ASSERT_EQ(500, read_all(p[0], got, 500, DONE_MS));
	EXPECT_EQ(0, memcmp(got, want, 500));

	/* full, and the reader goes away: -EPIPE (SIGPIPE ignored) */
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(4096, write(p[1], got, 4096));
	PREP(XURING_OP_WRITE, p[1], want, 100, 0, 3, 0);
	SUBMIT_WAITING(1);
	close(p[0]);
	EXPECT_EQ(-EPIPE, DONE("epipe", 3));
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(pipe_writes_wait_for_room)
{
	XT_DIFF(pipe_writes_wait);
}

/*
 * Reads and writes on a connected stream socket pair (sv[0], sv[1]) that
 * have to wait: for data, and for room in a socket filled to the brim.
 */
static void stream_waits(struct __test_metadata *_metadata,
			 enum xt_kind kind, struct xt_log *log, int sv[2],
			 unsigned int flags)
{
	unsigned char want[100], got[100], *sink;
	struct xt_ring r;
	size_t filled;

	XT_RING(&r, kind, 8, NULL);
	fill(want, sizeof(want), 3);

	/* each end waits for the other */
	PREP(XURING_OP_READ, sv[0], got, sizeof(got), 0, 1, flags);
	SUBMIT_WAITING(1);
	ASSERT_EQ(10, write(sv[1], want, 10));
	EXPECT_EQ(10, DONE("read0", 1));
	EXPECT_EQ(0, memcmp(got, want, 10));
	PREP(XURING_OP_READ, sv[1], got, sizeof(got), 0, 2, flags);
	SUBMIT_WAITING(1);
	ASSERT_EQ(100, write(sv[0], want, 100));
	EXPECT_EQ(100, DONE("read1", 2));
	EXPECT_EQ(0, memcmp(got, want, 100));

	/* sv[0] full: a write waits until sv[1] drains it */
	filled = xt_fill_socket(sv[0]);
	ASSERT_LT(0U, filled);
	PREP(XURING_OP_WRITE, sv[0], want, sizeof(want), 0, 3, flags);
	SUBMIT_WAITING(1);
	sink = malloc(filled + 100);
	ASSERT_NE(NULL, sink);
	ASSERT_EQ((ssize_t)(filled + 100),
		  read_all(sv[1], sink, filled + 100, DONE_MS));
	EXPECT_EQ(100, DONE("write", 3));
	EXPECT_EQ(0, memcmp(sink + filled, want, 100));
	free(sink);

	/* the peer shuts its side: a waiting read sees EOF */
	PREP(XURING_OP_READ, sv[0], got, sizeof(got), 0, 4, flags);
	SUBMIT_WAITING(1);
	ASSERT_EQ(0, shutdown(sv[1], SHUT_WR));
	EXPECT_EQ(0, DONE("eof", 4));
	xt_ring_exit(&r);
}

XT_SCENARIO(unix_stream_waits)
{
	int sv[2], sz = 8192;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)));
	stream_waits(_metadata, kind, log, sv, 0);
	close(sv[0]);
	close(sv[1]);
}

TEST(unix_socket_reads_and_writes_wait)
{
	XT_DIFF(unix_stream_waits);
}

XT_SCENARIO(tcp_waits)
{
	int sv[2];

	ASSERT_EQ(0, xt_tcp_pair(sv, 16384));
	stream_waits(_metadata, kind, log, sv, 0);
	close(sv[0]);
	close(sv[1]);
}

TEST(tcp_reads_and_writes_wait)
{
	XT_DIFF(tcp_waits);
}

XT_SCENARIO(eventfd_waits)
{
	uint64_t val = 0, five = 5;
	struct xt_ring r;
	int efd;

	XT_RING(&r, kind, 4, NULL);
	efd = eventfd(0, 0);
	ASSERT_LE(0, efd);
	PREP(XURING_OP_READ, efd, &val, 8, 0, 1, 0);
	SUBMIT_WAITING(1);
	ASSERT_EQ(8, write(efd, &five, 8));
	EXPECT_EQ(8, DONE("read", 1));
	EXPECT_EQ(5ULL, (unsigned long long)val);
	close(efd);
	xt_ring_exit(&r);
}

TEST(eventfd_read_waits_for_count)
{
	XT_DIFF(eventfd_waits);
}

/* Many reads waiting at once, each on its own pipe, woken out of order. */
#define MANY 48

XT_SCENARIO(many_waiting)
{
	uint64_t got[MANY];
	struct xuring_cqe cqes[MANY];
	int p[MANY][2];
	struct xt_ring r;
	unsigned int i, n;

	XT_RING(&r, kind, MANY, NULL);
	for (i = 0; i < MANY; i++) {
		ASSERT_EQ(0, pipe(p[i]));
		got[i] = 0;
		PREP(XURING_OP_READ, p[i][0], &got[i], 8, 0, 100 + i, 0);
	}
	/* far more than the workers: waiting for a file takes none */
	SUBMIT_WAITING(MANY);
	for (i = MANY; i-- > 0;) {
		uint64_t tag = 0x7a9000 + i;

		ASSERT_EQ(8, write(p[i][1], &tag, 8));
	}
	n = xt_reap_sorted(&r, cqes, MANY, DONE_MS * 2);
	ASSERT_EQ(MANY, n);
	for (i = 0; i < MANY; i++) {
		EXPECT_EQ(100 + i, cqes[i].user_data);
		EXPECT_EQ(8, cqes[i].res);
		EXPECT_EQ(0x7a9000ULL + i, (unsigned long long)got[i]);
		xt_rec(log, cqes[i].res, "read%u", i);
		close(p[i][0]);
		close(p[i][1]);
	}
	xt_ring_exit(&r);
}

TEST(many_reads_wait_at_once)
{
	XT_DIFF(many_waiting);
}

/* XURING_SQE_ASYNC on a tmpfs file: same results as inline. */
XT_SCENARIO(async_file)
{
	unsigned char want[8192], got[8192];
	struct iovec iov[2];
	struct xt_ring r;
	char path[64];
	int fd;

	XT_RING(&r, kind, 4, NULL);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	fill(want, sizeof(want), 4);

	PREP(XURING_OP_WRITE, fd, want, 5000, 0, 1, XURING_SQE_ASYNC);
	EXPECT_EQ(5000, NOW("write", 1));
	iov[0] = (struct iovec){ want + 5000, 1000 };
	iov[1] = (struct iovec){ want + 6000, 2192 };
	PREP(XURING_OP_WRITEV, fd, iov, 2, 5000, 2, XURING_SQE_ASYNC);
	EXPECT_EQ(3192, NOW("writev", 2));
	PREP(XURING_OP_FSYNC, fd, NULL, 0, 0, 3, XURING_SQE_ASYNC);
	EXPECT_EQ(0, NOW("fsync", 3));

	memset(got, 0, sizeof(got));
	PREP(XURING_OP_READ, fd, got, sizeof(got), 0, 4, XURING_SQE_ASYNC);
	EXPECT_EQ(8192, NOW("read", 4));
	EXPECT_EQ(0, memcmp(got, want, sizeof(want)));
	memset(got, 0, sizeof(got));
	iov[0] = (struct iovec){ got, 100 };
	iov[1] = (struct iovec){ got + 100, 4000 };
	PREP(XURING_OP_READV, fd, iov, 2, 4000, 5, XURING_SQE_ASYNC);
	EXPECT_EQ(4100, NOW("readv", 5));
	EXPECT_EQ(0, memcmp(got, want + 4000, 4100));
	/* at EOF, and short at the end */
	PREP(XURING_OP_READ, fd, got, 100, 8192, 6, XURING_SQE_ASYNC);
	EXPECT_EQ(0, NOW("eof", 6));
	PREP(XURING_OP_READ, fd, got, 1000, 8000, 7, XURING_SQE_ASYNC);
	EXPECT_EQ(192, NOW("short", 7));
	/* the file position (offset -1) moves as with inline requests */
	ASSERT_EQ(100, lseek(fd, 100, SEEK_SET));
	PREP(XURING_OP_READ, fd, got, 1000, -1ULL, 8, XURING_SQE_ASYNC);
	EXPECT_EQ(1000, NOW("cur1", 8));
	EXPECT_EQ(0, memcmp(got, want + 100, 1000));
	PREP(XURING_OP_READ, fd, got, 1000, -1ULL, 9, XURING_SQE_ASYNC);
	EXPECT_EQ(1000, NOW("cur2", 9));
	EXPECT_EQ(0, memcmp(got, want + 1100, 1000));
	EXPECT_EQ(2100, lseek(fd, 0, SEEK_CUR));
	xt_rec(log, lseek(fd, 0, SEEK_CUR), "pos");
	/* errors found before going async are the same */
	PREP(XURING_OP_READ, 9999, got, 10, 0, 10, XURING_SQE_ASYNC);
	EXPECT_EQ(-EBADF, NOW("ebadf", 10));
	PREP(XURING_OP_READ, fd, xt_unmapped_page(), 10, 0, 11,
	     XURING_SQE_ASYNC);
	EXPECT_EQ(-EFAULT, NOW("efault", 11));
	/* and a NOP */
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 12, XURING_SQE_ASYNC);
	EXPECT_EQ(0, NOW("nop", 12));
	close(fd);
	xt_ring_exit(&r);
}

TEST(async_flag_on_regular_file)
{
	XT_DIFF(async_file);
}

XT_SCENARIO(async_pipe)
{
	unsigned char want[2000], got[2000], page[4096];
	struct xt_ring r;
	int p[2];

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, pipe(p));
	fill(want, sizeof(want), 5);

	/* data there already */
	ASSERT_EQ(500, write(p[1], want, 500));
	PREP(XURING_OP_READ, p[0], got, sizeof(got), 0, 1, XURING_SQE_ASYNC);
	EXPECT_EQ(500, NOW("ready", 1));
	EXPECT_EQ(0, memcmp(got, want, 500));
	/* empty: waits */
	PREP(XURING_OP_READ, p[0], got, sizeof(got), 0, 2, XURING_SQE_ASYNC);
	SUBMIT_WAITING(1);
	ASSERT_EQ(700, write(p[1], want, 700));
	EXPECT_EQ(700, DONE("wait", 2));
	EXPECT_EQ(0, memcmp(got, want, 700));
	/* writes: room, then none */
	PREP(XURING_OP_WRITE, p[1], want, 2000, 0, 3, XURING_SQE_ASYNC);
	EXPECT_EQ(2000, NOW("write", 3));
	ASSERT_EQ(2000, read_all(p[0], got, 2000, DONE_MS));
	EXPECT_EQ(0, memcmp(got, want, 2000));
	close(p[0]);
	close(p[1]);

	small_full_pipe(_metadata, p);
	PREP(XURING_OP_WRITE, p[1], want, 1000, 0, 4, XURING_SQE_ASYNC);
	SUBMIT_WAITING(1);
	ASSERT_EQ(4096, read(p[0], page, sizeof(page)));
	EXPECT_EQ(1000, DONE("write-wait", 4));
	ASSERT_EQ(1000, read_all(p[0], got, 1000, DONE_MS));
	EXPECT_EQ(0, memcmp(got, want, 1000));
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(async_flag_on_pipe)
{
	XT_DIFF(async_pipe);
}

XT_SCENARIO(async_unix)
{
	int sv[2], sz = 8192;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)));
	stream_waits(_metadata, kind, log, sv, XURING_SQE_ASYNC);
	close(sv[0]);
	close(sv[1]);
}

TEST(async_flag_on_unix_socket)
{
	XT_DIFF(async_unix);
}

XT_SCENARIO(async_tcp)
{
	int sv[2];

	ASSERT_EQ(0, xt_tcp_pair(sv, 16384));
	stream_waits(_metadata, kind, log, sv, XURING_SQE_ASYNC);
	close(sv[0]);
	close(sv[1]);
}

TEST(async_flag_on_tcp_socket)
{
	XT_DIFF(async_tcp);
}

/*
 * XURING_FEAT_SUBMIT_STABLE: once submitted, the SQE and the iovec array
 * may be reused, even for a request still waiting (inline or ASYNC).
 */
XT_SCENARIO(submit_stable)
{
	unsigned char want[64], a[64], b[64];
	struct iovec iov[2][2];
	struct xt_ring r;
	int pa[2], pb[2];
	unsigned int i;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, pipe(pa));
	ASSERT_EQ(0, pipe(pb));
	fill(want, sizeof(want), 6);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	iov[0][0] = (struct iovec){ a, 32 };
	iov[0][1] = (struct iovec){ a + 32, 32 };
	iov[1][0] = (struct iovec){ b, 32 };
	iov[1][1] = (struct iovec){ b + 32, 32 };
	PREP(XURING_OP_READV, pa[0], iov[0], 2, 0, 1, 0);
	PREP(XURING_OP_READV, pb[0], iov[1], 2, 0, 2, XURING_SQE_ASYNC);
	SUBMIT_WAITING(2);
	/* scribble over everything the SQEs pointed at */
	memset(iov, 0, sizeof(iov));
	memset(r.sqes, 0xff, r.sqes_sz);
	for (i = 0; i < 2; i++)
		xt_prep(&r.sqes[i], XURING_OP_NOP, -1, NULL, 0, 0, 0xdead);
	ASSERT_EQ(64, write(pa[1], want, 64));
	EXPECT_EQ(64, DONE("readv", 1));
	ASSERT_EQ(64, write(pb[1], want, 64));
	EXPECT_EQ(64, DONE("readv-async", 2));
	EXPECT_EQ(0, memcmp(a, want, 64));
	EXPECT_EQ(0, memcmp(b, want, 64));
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
	xt_ring_exit(&r);
}

TEST(waiting_requests_keep_their_sqe_and_iovecs)
{
	XT_DIFF(submit_stable);
}

TEST(feature_fast_poll_reported)
{
	struct xuring_params p;
	struct xt_ring r;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	XT_RING(&r, XT_XURING, 4, &p);
	EXPECT_TRUE(p.features & XURING_FEAT_FAST_POLL);
	xt_ring_exit(&r);
	if (!xt_native_available())
		return;
	memset(&p, 0, sizeof(p));
	XT_RING(&r, XT_NATIVE, 4, &p);
	EXPECT_TRUE(p.features & XURING_FEAT_FAST_POLL);
	xt_ring_exit(&r);
}

/* COOP_TASKRUN and TASKRUN_FLAG (5.19): who may have them. */
XT_SCENARIO(taskrun_setup)
{
	static const struct {
		unsigned int flags;
		const char *tag;
	} cases[] = {
		{ XURING_SETUP_COOP_TASKRUN, "coop" },
		{ XURING_SETUP_TASKRUN_FLAG, "flag-alone" },
		{ XURING_SETUP_COOP_TASKRUN | XURING_SETUP_TASKRUN_FLAG, "both" },
		{ XURING_SETUP_SQPOLL | XURING_SETUP_COOP_TASKRUN, "sqpoll-coop" },
		{ XURING_SETUP_SQPOLL | XURING_SETUP_COOP_TASKRUN |
		  XURING_SETUP_TASKRUN_FLAG, "sqpoll-both" },
	};
	struct xuring_params p;
	unsigned int i;
	int fd, ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = cases[i].flags;
		fd = -1;
		ret = xt_sys_setup(kind, 4, &p, &fd);
		if (!ret)
			close(fd);
		xt_rec(log, ret, "%s", cases[i].tag);
		EXPECT_EQ(i == 0 || i == 2 ? 0 : -EINVAL, ret)
			TH_LOG("%s", cases[i].tag);
	}
}

TEST(coop_taskrun_setup_rules)
{
	XT_DIFF(taskrun_setup);
}

struct late_send {
	int fd;
	pthread_t th;
};

static void *late_send_fn(void *arg)
{
	struct late_send *ls = arg;

	xt_sleep_ms(50);
	return (void *)(intptr_t)send(ls->fd, "ping", 4, 0);
}

/*
 * A RECVMSG that waited for data resumes in its submitter, as task_work.
 * With COOP_TASKRUN that does not interrupt the task with an IPI, and
 * TASKRUN_FLAG says in the SQ ring's flags that it waits. The data comes
 * from another thread while this one spins without a syscall; the next
 * timer tick may still run the work, so the flag is only sure to be seen
 * in some of the rounds, and once the CQE is there it is gone.
 */
#define TASKRUN_ROUNDS	20

XT_SCENARIO(taskrun_flag)
{
	struct xuring_params p = {
		.flags = XURING_SETUP_COOP_TASKRUN | XURING_SETUP_TASKRUN_FLAG,
	};
	unsigned int round, seen = 0, bad = 0;
	struct xuring_cqe cqe;
	struct late_send ls;
	struct msghdr msg;
	struct iovec iov;
	struct xt_ring r;
	char buf[8];
	long long deadline;
	int sv[2];
	void *sent;

	XT_RING(&r, kind, 4, &p);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (round = 0; round < TASKRUN_ROUNDS; round++) {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		PREP(XURING_OP_RECVMSG, sv[0], &msg, 1, 0, 1, 0);
		ASSERT_EQ(1, xt_submit(&r));
		EXPECT_EQ(0U, *r.sq_flags & XURING_SQ_TASKRUN);
		ls.fd = sv[1];
		ASSERT_EQ(0, pthread_create(&ls.th, NULL, late_send_fn, &ls));
		/* no syscall in here: the clock is the vDSO's */
		deadline = xt_now_ms() + DONE_MS;
		while (xt_now_ms() < deadline && !xt_cq_ready(&r)) {
			if (__atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE) &
			    XURING_SQ_TASKRUN) {
				seen++;
				break;
			}
		}
		ASSERT_EQ(0, pthread_join(ls.th, &sent));
		EXPECT_EQ(4, (int)(intptr_t)sent);
		/* an enter runs it if no tick did: the CQE, no flag */
		ASSERT_EQ(0, xt_enter(&r, 0, 1, XURING_ENTER_GETEVENTS));
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		bad += cqe.res != 4 || (*r.sq_flags & XURING_SQ_TASKRUN);
	}
	EXPECT_LT(0U, seen) TH_LOG("%s: the flag never seen in %u rounds",
				   xt_kind_name(kind), TASKRUN_ROUNDS);
	EXPECT_EQ(0U, bad);
	xt_rec(log, seen > 0, "flag-seen");
	xt_rec(log, bad, "bad");
	close(sv[0]);
	close(sv[1]);
	xt_ring_exit(&r);
}

TEST(taskrun_flag_until_the_task_enters)
{
	XT_DIFF(taskrun_flag);
}

TEST_HARNESS_MAIN
