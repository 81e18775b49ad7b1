// SPDX-License-Identifier: GPL-2.0
/*
 * Rings going away with requests in flight: closed (also with O_DIRECT
 * reads just issued by workers), their process killed or exiting with the
 * rings still mapped, copied into a child by fork.
 * Whatever waited is canceled and lets go of its files (seen from the
 * other end of a pipe or socket); nothing hangs. Against native.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define QUIET_MS	100
#define DONE_MS		5000
/* a ring is closed in well under this, whatever it had in flight */
#define CLOSE_MS	1000
/* requests let go of their files within this once canceled */
#define RELEASE_MS	3000
#define BIG_SEGS	1024
#define BIG_SEG		(1 << 20)
#define BIG_LEN		(BIG_SEGS * BIG_SEG)
/* the long reads of the kill test, running on after the kill */
#define BUSY_SEGS	512
#define BUSY_LEN	(BUSY_SEGS * BIG_SEG)

#define PREP(r, op, fd, addr, len, off, ud, flags) \
	XT_PREP(r, op, fd, addr, len, off, ud, flags)

/* Cases that may take longer than the harness's default 30 s. */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/* Unmap and close a ring; returns how long that took. */
static long long close_ring(struct xt_ring *r)
{
	long long t = xt_now_ms();

	xt_ring_exit(r);
	return xt_now_ms() - t;
}

/* A working ring of this kind: NOPs and a pipe read that waits. */
static bool healthy(enum xt_kind kind)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	char buf[8];
	int p[2];
	bool ok;

	if (xt_ring_init(&r, kind, 4, NULL))
		return false;
	if (pipe(p)) {
		xt_ring_exit(&r);
		return false;
	}
	xt_queue_nops(&r, 2, 1);
	ok = xt_submit_and_wait(&r, 2) == 2 && !xt_peek_cqe(&r, &cqe) &&
	     !xt_peek_cqe(&r, &cqe) && cqe.user_data == 2;
	xt_prep(xt_get_sqe(&r), XURING_OP_READ, p[0], buf, 8, 0, 3);
	ok = ok && xt_submit(&r) == 1 && write(p[1], "healthy", 7) == 7 &&
	     !xt_wait_cqe_ms(&r, &cqe, DONE_MS) && cqe.res == 7;
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
	return ok;
}

/* The files of requests left waiting, and how to tell they are let go. */
#define NR_WAITERS	6
struct waiters {
	int p[2];		/* read waits on p[0] */
	int q[2];		/* write waits on the full q[1] */
	int sv[2];		/* read waits on sv[0] */
	int tv[2];		/* read waits on tv[1] (TCP) */
	int efd;		/* read waits on an eventfd */
	int udp;		/* read waits on a UDP socket nobody sends to */
	struct sockaddr_in udp_addr;
	char buf[NR_WAITERS][64];
};

/* The waiting ends, in user_data order (0x100 + i); i == 1 is a write. */
#define WAITER_FDS(w) { (w)->p[0], (w)->q[1], (w)->sv[0], (w)->tv[1], \
			(w)->efd, (w)->udp }
#define WAITER_OP(i)	((i) == 1 ? XURING_OP_WRITE : XURING_OP_READ)
#define WAITER_LEN(i)	((i) == 4 ? 8 : 64)

static void waiters_open(struct __test_metadata *_metadata, struct waiters *w)
{
	static char page[4096];

	ASSERT_EQ(0, pipe(w->p));
	ASSERT_EQ(0, pipe(w->q));
	ASSERT_EQ(4096, fcntl(w->q[1], F_SETPIPE_SZ, 4096));
	ASSERT_EQ(4096, write(w->q[1], page, sizeof(page)));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, w->sv));
	ASSERT_EQ(0, xt_tcp_pair(w->tv, 0));
	w->efd = eventfd(0, 0);
	ASSERT_LE(0, w->efd);
	w->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, w->udp);
	memset(&w->udp_addr, 0, sizeof(w->udp_addr));
	w->udp_addr.sin_family = AF_INET;
	w->udp_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(w->udp, (struct sockaddr *)&w->udp_addr,
			  sizeof(w->udp_addr)));
	{
		socklen_t len = sizeof(w->udp_addr);

		ASSERT_EQ(0, getsockname(w->udp, (struct sockaddr *)&w->udp_addr,
					 &len));
	}
}

/* Whether the UDP socket's port is free again within ms: it is closed. */
static bool udp_port_free(const struct sockaddr_in *addr, int ms)
{
	long long deadline = xt_now_ms() + ms;

	for (;;) {
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		bool ok = fd >= 0 && !bind(fd, (const struct sockaddr *)addr,
					   sizeof(*addr));

		if (fd >= 0)
			close(fd);
		if (ok)
			return true;
		if (xt_now_ms() >= deadline)
			return false;
		xt_sleep_ms(10);
	}
}

/* Queue the waiting requests (user_data 0x100 + i). */
static void waiters_queue(struct __test_metadata *_metadata, struct xt_ring *r,
			  struct waiters *w)
{
	int fds[NR_WAITERS] = WAITER_FDS(w);
	unsigned int i;

	for (i = 0; i < NR_WAITERS; i++)
		PREP(r, WAITER_OP(i), fds[i], w->buf[i], WAITER_LEN(i), 0,
		     0x100 + i, 0);
}

/* Our own references to the waiting ends go; only the rings hold them. */
static void waiters_drop_ends(struct waiters *w)
{
	close(w->p[0]);
	close(w->q[1]);
	close(w->sv[0]);
	close(w->tv[1]);
	close(w->efd);
	close(w->udp);
}

/* Not let go in time: wait on, so that nothing is left for later tests. */
static void late_release(struct __test_metadata *_metadata, const char *what,
			 bool (*released)(int fd, int ms), int fd)
{
	long long t = xt_now_ms();
	bool ok = released(fd, 120000);

	TH_LOG("%s: let go %s after %lld ms more", what, ok ? "only" : "not even",
	       xt_now_ms() - t);
}

/* After the rings are gone: every waiting end let go, seen from the other. */
static void waiters_check(struct __test_metadata *_metadata,
			  struct xt_log *log, struct waiters *w,
			  enum xt_kind kind)
{
	long long deadline = xt_now_ms() + RELEASE_MS;
	bool p, q, sv, tv, udp;

#define LEFT() ((int)(deadline > xt_now_ms() ? deadline - xt_now_ms() : 0))
	p = xt_pipe_released(w->p[1], LEFT());
	q = xt_read_eof(w->q[0], LEFT());
	sv = xt_read_eof(w->sv[1], LEFT());
	tv = xt_read_eof(w->tv[0], LEFT());
	udp = udp_port_free(&w->udp_addr, LEFT());
#undef LEFT
	EXPECT_TRUE(p) TH_LOG("%s: pipe read end still held", xt_kind_name(kind));
	EXPECT_TRUE(q) TH_LOG("%s: pipe write end still held", xt_kind_name(kind));
	EXPECT_TRUE(sv) TH_LOG("%s: unix socket still held", xt_kind_name(kind));
	EXPECT_TRUE(tv) TH_LOG("%s: TCP socket still held", xt_kind_name(kind));
	EXPECT_TRUE(udp) TH_LOG("%s: UDP socket still held", xt_kind_name(kind));
	if (!p)
		late_release(_metadata, "pipe read end", xt_pipe_released,
			     w->p[1]);
	if (!q)
		late_release(_metadata, "pipe write end", xt_read_eof, w->q[0]);
	if (!sv)
		late_release(_metadata, "unix socket", xt_read_eof, w->sv[1]);
	if (!tv)
		late_release(_metadata, "TCP socket", xt_read_eof, w->tv[0]);
	xt_rec(log, p, "pipe-read-released");
	xt_rec(log, q, "pipe-write-released");
	xt_rec(log, sv, "unix-released");
	xt_rec(log, tv, "tcp-released");
	xt_rec(log, udp || udp_port_free(&w->udp_addr, 60000), "udp-released");
	close(w->p[1]);
	close(w->q[0]);
	close(w->sv[1]);
	close(w->tv[0]);
}

XT_SCENARIO(close_waiting)
{
	struct waiters w;
	struct xt_ring r;
	long long ms;

	XT_RING(&r, kind, 8, NULL);
	waiters_open(_metadata, &w);
	waiters_queue(_metadata, &r, &w);
	ASSERT_EQ(NR_WAITERS, xt_submit(&r));
	xt_sleep_ms(QUIET_MS);
	ASSERT_EQ(0U, xt_cq_ready(&r));
	waiters_drop_ends(&w);
	ms = close_ring(&r);
	EXPECT_GT(CLOSE_MS, ms);
	waiters_check(_metadata, log, &w, kind);
	EXPECT_TRUE(healthy(kind));
}

TEST(close_with_requests_waiting_on_files)
{
	XT_DIFF(close_waiting);
}

/*
 * Close with the workers busy (two long reads of a sparse file) and more
 * queued behind them: close returns at once, the queued request lets go.
 */
XT_SCENARIO(close_busy)
{
	struct xuring_params p;
	struct iovec *iov;
	struct xt_ring r;
	int big, pp[2];
	unsigned int i;
	long long ms;
	char buf[64];
	void *data;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 8;
	XT_RING(&r, kind, 2, &p);
	big = xt_sparse_file(BIG_LEN);
	ASSERT_LE(0, big);
	ASSERT_EQ(0, pipe(pp));
	data = malloc(BIG_SEG);
	iov = calloc(BIG_SEGS, sizeof(*iov));
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, iov);
	for (i = 0; i < BIG_SEGS; i++)
		iov[i] = (struct iovec){ data, BIG_SEG };

	/* 512 MiB each: they run on after the close */
	PREP(&r, XURING_OP_READV, big, iov, 512, 0, 1, XURING_SQE_ASYNC);
	PREP(&r, XURING_OP_READV, big, iov, 512, 0, 2, XURING_SQE_ASYNC);
	ASSERT_EQ(2, xt_submit(&r));
	xt_sleep_ms(300);
	PREP(&r, XURING_OP_READ, pp[0], buf, sizeof(buf), 0, 3,
	     XURING_SQE_ASYNC);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 4, XURING_SQE_ASYNC);
	ASSERT_EQ(2, xt_submit(&r));
	close(pp[0]);
	ms = close_ring(&r);
	EXPECT_GT(CLOSE_MS, ms) TH_LOG("%s: close took %lld ms", xt_kind_name(kind), ms);
	xt_rec(log, xt_pipe_released(pp[1], RELEASE_MS), "queued-released");
	EXPECT_TRUE(healthy(kind));
	close(pp[1]);
	close(big);
	/* the running reads still write into these: leave them be */
}

TEST(close_with_busy_workers_and_queued_work)
{
	XT_DIFF(close_busy);
}

/*
 * Close with a read blocked in a worker: two reads wait on one pipe, one
 * byte wakes both, the loser blocks in its worker (6.1; on 6.12 it waits
 * on the pipe again). Closing the ring must stop it, as 5.10 does by
 * signalling the worker, and let go of the pipe while the writer lives.
 */
XT_SCENARIO(close_blocked)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	char a, b;
	int p[2];
	bool released;
	long long ms;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, pipe(p));
	PREP(&r, XURING_OP_READ, p[0], &a, 1, 0, 1, 0);
	PREP(&r, XURING_OP_READ, p[0], &b, 1, 0, 2, 0);
	ASSERT_EQ(2, xt_submit(&r));
	xt_sleep_ms(QUIET_MS);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, DONE_MS));
	EXPECT_EQ(1, cqe.res);
	xt_sleep_ms(300);
	close(p[0]);
	ms = close_ring(&r);
	EXPECT_GT(CLOSE_MS, ms);
	released = xt_pipe_released(p[1], RELEASE_MS);
	EXPECT_TRUE(released)
		TH_LOG("%s: a read blocked in a worker outlived its ring (the pipe's writer is alive)",
		       xt_kind_name(kind));
	xt_rec(log, released, "released");
	/* whatever happened, the writer going away ends the read */
	close(p[1]);
	EXPECT_TRUE(healthy(kind));
}

TEST(close_with_read_blocked_in_worker)
{
	XT_DIFF(close_blocked);
}

/*
 * Child side of the kill tests: three rings with requests waiting on
 * files, a CQ overflowed, an SQPOLL ring, a ring attached to another with
 * work queued for the workers - which, when busy, are kept busy by long
 * reads of a sparse file. Reports its setup by one byte on ready.
 */
static void child_rings(enum xt_kind kind, struct waiters *w, int ready,
			int pc_read, int big, unsigned char *shared)
{
	bool busy = shared;
	struct xuring_params p;
	struct xt_ring a, s, c;
	struct iovec *iov;
	char cbuf[8];
	unsigned int i;
	void *data;
	int fail = 0;

	alarm(60);
	/* a: everything waiting on its files, and an overflowing CQ */
	memset(&p, 0, sizeof(p));
	if (xt_ring_init(&a, kind, 8, &p))
		_exit(10);
	for (i = 0; i < NR_WAITERS; i++) {
		int fds[NR_WAITERS] = WAITER_FDS(w);

		xt_prep(xt_get_sqe(&a), WAITER_OP(i), fds[i], w->buf[i],
			WAITER_LEN(i), 0, 0x100 + i);
	}
	fail |= xt_submit(&a) != NR_WAITERS;
	/* 16 CQEs fill the CQ, 8 more wait on the overflow list */
	for (i = 0; i < 3 && !fail; i++) {
		xt_queue_nops(&a, 8, 0x200 + 8 * i);
		fail |= xt_submit(&a) != 8;
	}
	/*
	 * s: SQPOLL with the same kind of waiters through registered files
	 * (not with busy workers: the table would hold the files on its own)
	 */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	p.sq_thread_idle = 100;
	if (busy) {
		/* nothing */
	} else if (!fail && !xt_ring_init(&s, kind, 8, &p)) {
		int fds[NR_WAITERS] = WAITER_FDS(w);

		fail |= xt_register_files(&s, fds, NR_WAITERS) != 0;
		for (i = 0; i < NR_WAITERS && !fail; i++) {
			struct xuring_sqe *sqe = xt_get_sqe(&s);

			xt_prep(sqe, WAITER_OP(i), i, w->buf[i], WAITER_LEN(i),
				0, 0x300 + i);
			sqe->flags = XURING_SQE_FIXED_FILE;
		}
		xt_flush(&s);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (xt_sq_flags(&s) & XURING_SQ_NEED_WAKEUP)
			xt_enter(&s, 0, 0, XURING_ENTER_SQ_WAKEUP);
	} else {
		fail = 1;
	}
	/*
	 * c: attached to a, with a read queued for the workers; when busy,
	 * after two long reads of the big file, the last MiB of which lands
	 * in memory shared with the parent: it sees when they are done.
	 */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_ATTACH_WQ;
	p.wq_fd = a.fd;
	data = malloc(BIG_SEG);
	iov = calloc(BIG_SEGS, sizeof(*iov));
	if (!fail && data && iov && !xt_ring_init(&c, kind, 8, &p)) {
		struct xuring_sqe *sqe;

		for (i = 0; i < BUSY_SEGS; i++)
			iov[i] = (struct iovec){ data, BIG_SEG };
		iov[BUSY_SEGS - 1].iov_base = shared;
		for (i = 0; i < 5; i++) {
			sqe = xt_get_sqe(&c);
			if (busy && i < 2)
				xt_prep(sqe, XURING_OP_READV, big, iov,
					BUSY_SEGS, 0, i);
			else
				xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, i);
			sqe->flags = XURING_SQE_ASYNC;
		}
		sqe = xt_get_sqe(&c);
		xt_prep(sqe, XURING_OP_READ, pc_read, cbuf, 8, 0, 9);
		sqe->flags = XURING_SQE_ASYNC;
		fail |= xt_submit(&c) != 6;
	} else {
		fail = 1;
	}
	/* only the rings hold the waiting ends now */
	waiters_drop_ends(w);
	close(pc_read);
	xt_sleep_ms(300);
	if (write(ready, fail ? "F" : "R", 1) != 1)
		_exit(11);
	/* killed while waiting for what never comes */
	xt_enter(busy ? &c : &s, 0, 8, XURING_ENTER_GETEVENTS);
	pause();
	_exit(12);
}

static void sigkill(struct __test_metadata *_metadata, enum xt_kind kind,
		    struct xt_log *log, bool busy)
{
	static const char marker[] = "read to the end";
	unsigned char *shared = NULL;
	int sync[2], pc[2], status, big = -1;
	struct waiters w;
	bool pc_released;
	char c = 0;
	pid_t pid;

	if (busy) {
		shared = mmap(NULL, BIG_SEG, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, shared);
		big = xt_sparse_file(BUSY_LEN);
		ASSERT_LE(0, big);
		ASSERT_EQ((ssize_t)sizeof(marker),
			  pwrite(big, marker, sizeof(marker),
				 BUSY_LEN - sizeof(marker)));
	}
	waiters_open(_metadata, &w);
	ASSERT_EQ(0, pipe(sync));
	ASSERT_EQ(0, pipe(pc));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sync[0]);
		close(pc[1]);
		child_rings(kind, &w, sync[1], pc[0], big, shared);
	}
	close(sync[1]);
	waiters_drop_ends(&w);
	close(pc[0]);
	EXPECT_EQ(1, read(sync[0], &c, 1));
	EXPECT_EQ('R', c) TH_LOG("%s: the child could not set up its rings",
				 xt_kind_name(kind));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	if (busy) {
		/*
		 * Which comes first: the waiting pipe read let go, or the
		 * long reads done? (Watched before waitpid: native's exit
		 * waits for its workers.)
		 */
		const unsigned char *end = shared + BIG_SEG - sizeof(marker);
		long long t0 = xt_now_ms(), released_ms = -1, done_ms = -1;

		while (xt_now_ms() - t0 < 120000 &&
		       (released_ms < 0 || done_ms < 0)) {
			if (released_ms < 0 && xt_pipe_released(w.p[1], 0))
				released_ms = xt_now_ms() - t0;
			if (done_ms < 0 && !memcmp(end, marker, sizeof(marker)))
				done_ms = xt_now_ms() - t0;
			xt_sleep_ms(1);
		}
		TH_LOG("%s: waiting read let go after %lld ms, long reads done after %lld ms",
		       xt_kind_name(kind), released_ms, done_ms);
		ASSERT_LE(0, done_ms) TH_LOG("the long reads never finished");
		EXPECT_LE(0, released_ms);
		xt_rec(log, released_ms >= 0, "released");
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	waiters_check(_metadata, log, &w, kind);
	pc_released = xt_pipe_released(pc[1], RELEASE_MS);
	EXPECT_TRUE(pc_released) {
		TH_LOG("%s: queued read's pipe still held", xt_kind_name(kind));
		late_release(_metadata, "queued read's pipe", xt_pipe_released,
			     pc[1]);
	}
	xt_rec(log, pc_released, "queued-released");
	close(pc[1]);
	close(sync[0]);
	if (busy) {
		munmap(shared, BIG_SEG);
		close(big);
	}
	EXPECT_TRUE(healthy(kind));
}

XT_SCENARIO(sigkill_idle_workers)
{
	sigkill(_metadata, kind, log, false);
}

TEST(sigkill_with_rings_in_flight)
{
	XT_DIFF(sigkill_idle_workers);
}

/*
 * The same with two workers busy for a second or more. What waits on
 * files is let go - though not before those workers finish, on xuring
 * (they pin the process's mm, and with it the mapped rings) as on native
 * 6.1 (a dying task waits for its requests in flight). 5.10 canceled as
 * the task's files were closed, without waiting.
 */
XT_SCENARIO(sigkill_busy_workers)
{
	sigkill(_metadata, kind, log, true);
}

TEST_F_TIMEOUT(slow, sigkill_while_workers_busy, 120)
{
	XT_DIFF(sigkill_busy_workers);
}

/*
 * A child gets the ring by fork: it closes its copy, or exits with it, or
 * uses it and exits. The parent keeps submitting and reaping throughout,
 * and its own waiting read is not disturbed.
 */
XT_SCENARIO(fork_copies)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int i, mode;
	int p[2], status;
	char buf[16];
	pid_t pid;

	XT_RING(&r, kind, 16, NULL);
	ASSERT_EQ(0, pipe(p));
	PREP(&r, XURING_OP_READ, p[0], buf, sizeof(buf), 0, 0x51, 0);
	ASSERT_EQ(1, xt_submit(&r));

	for (mode = 0; mode < 3; mode++) {
		int sync[2];
		char c;

		ASSERT_EQ(0, pipe(sync));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			alarm(10);
			if (mode == 0) {
				xt_ring_exit(&r);	/* unmap and close */
			} else if (mode == 2) {
				/* one SQ: the parent waits for this submit */
				xt_queue_nops(&r, 1, 0x60);
				if (xt_submit(&r) != 1)
					_exit(1);
			}
			if (write(sync[1], "s", 1) != 1)
				_exit(2);
			xt_sleep_ms(20);
			_exit(0);
		}
		ASSERT_EQ(1, read(sync[0], &c, 1));
		close(sync[0]);
		close(sync[1]);
		/* the child may have moved the shared SQ tail: follow it */
		r.sqe_tail = __atomic_load_n(r.sq_tail, __ATOMIC_ACQUIRE);
		/* the parent goes on while the child lives and dies */
		for (i = 0; i < 20; i++) {
			ASSERT_EQ(0, xt_queue_nops(&r, 2, 0x1000 * (mode + 1) + 2 * i));
			ASSERT_EQ(2, xt_submit_and_wait(&r, 2));
			while (!xt_peek_cqe(&r, &cqe)) {
				if (cqe.user_data == 0x60)
					continue;	/* the child's NOP */
				EXPECT_GE(cqe.user_data, 0x1000ULL * (mode + 1));
				EXPECT_EQ(0, cqe.res);
			}
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	xt_sleep_ms(QUIET_MS);
	while (!xt_peek_cqe(&r, &cqe))
		EXPECT_NE(0x51ULL, (unsigned long long)cqe.user_data);
	ASSERT_EQ(6, write(p[1], "parent", 6));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, DONE_MS));
	EXPECT_EQ(0x51ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(6, cqe.res);
	xt_rec(log, cqe.res, "parent-read");
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

TEST(fork_children_leave_the_parent_ring_alone)
{
	XT_DIFF(fork_copies);
}

/*
 * @sock: the request is a RECVMSG of a unix socket, which xuring retries in
 * its submitter (it may install fds), not in a worker.
 */
static void fork_child_request(struct __test_metadata *_metadata,
			       enum xt_kind kind, struct xt_log *log, bool sock)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	int p[2], status, i;
	char buf[16];
	pid_t pid;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, p) : pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct iovec iov = { .iov_base = buf, .iov_len = 16 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

		alarm(10);
		if (sock)
			xt_prep(xt_get_sqe(&r), XURING_OP_RECVMSG, p[0], &msg,
				1, 0, 0x77);
		else
			xt_prep(xt_get_sqe(&r), XURING_OP_READ, p[0], buf, 16,
				0, 0x77);
		_exit(xt_submit(&r) == 1 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	r.sqe_tail = __atomic_load_n(r.sq_tail, __ATOMIC_ACQUIRE);
	xt_sleep_ms(QUIET_MS);
	TH_LOG("%s: %s at the child's exit", xt_kind_name(kind),
	       xt_cq_ready(&r) ? "canceled" : "still waiting");
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, DONE_MS))
		TH_LOG("%s: the exited child's read never completed", xt_kind_name(kind));
	EXPECT_EQ(0x77ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res)
		TH_LOG("%s: a dead child's read ended with %d", xt_kind_name(kind), cqe.res);
	xt_rec(log, cqe.res, "child-read");
	/* the data goes to the parent, not to a dead child's request */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	EXPECT_EQ(4, read(p[0], buf, sizeof(buf)))
		TH_LOG("the data was taken");
	/*
	 * The ring goes on: more waits on the same file, enough for the dead
	 * child's request to be reused (and to wait again) several times.
	 */
	fcntl(p[0], F_SETFL, 0);
	for (i = 0; i < 64; i++) {
		xt_prep(xt_get_sqe(&r), XURING_OP_READ, p[0], buf, 16, 0, 0x78);
		ASSERT_EQ(1, xt_submit(&r));
		ASSERT_EQ(4, write(p[1], "more", 4));
		ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, DONE_MS));
		EXPECT_EQ(0x78ULL, (unsigned long long)cqe.user_data);
		ASSERT_EQ(4, cqe.res);
	}
	EXPECT_TRUE(healthy(kind));
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

/*
 * A child submits a read that waits, on the ring it got by fork, and
 * exits without closing it. The request must never run for the dead
 * child: 5.10 cancels an exiting task's requests as its files are closed;
 * native 6.1 and 6.12 leave them until the file is ready, then cancel
 * them (their retry has no task to run in). Either way the CQE is
 * -ECANCELED, and the data is left for the parent.
 */
XT_SCENARIO(fork_child_request)
{
	fork_child_request(_metadata, kind, log, false);
}

XT_SCENARIO(fork_child_recvmsg)
{
	fork_child_request(_metadata, kind, log, true);
}

TEST(exited_child_request_never_runs)
{
	XT_DIFF(fork_child_request);
}

TEST(exited_child_recvmsg_never_runs)
{
	XT_DIFF(fork_child_recvmsg);
}

/*
 * The ring fd is closed but the rings stay mapped: the ring lives on (a
 * read completes, visible through the mapping), and goes when the
 * process exits without unmapping.
 */
XT_SCENARIO(exit_mapped)
{
	int p[2], q[2], sync[2], status;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	ASSERT_EQ(0, pipe(sync));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct xuring_cqe cqe;
		struct xt_ring r;
		char a[8], b[8];
		long long deadline;

		alarm(20);
		close(p[1]);
		close(q[1]);
		if (xt_ring_init(&r, kind, 4, NULL))
			_exit(1);
		xt_prep(xt_get_sqe(&r), XURING_OP_READ, p[0], a, 8, 0, 1);
		xt_prep(xt_get_sqe(&r), XURING_OP_READ, q[0], b, 8, 0, 2);
		if (xt_submit(&r) != 2)
			_exit(2);
		close(r.fd);		/* the mappings keep the ring */
		close(p[0]);
		close(q[0]);
		if (write(sync[1], "R", 1) != 1)
			_exit(3);
		/* the parent writes into p: the CQE shows in the mapping */
		deadline = xt_now_ms() + DONE_MS;
		while (xt_peek_cqe(&r, &cqe)) {
			if (xt_now_ms() > deadline)
				_exit(4);
			xt_sleep_ms(5);
		}
		if (cqe.user_data != 1 || cqe.res != 3 || memcmp(a, "abc", 3))
			_exit(5);
		_exit(0);	/* still mapped, the read on q in flight */
	}
	close(p[0]);
	close(q[0]);
	close(sync[1]);
	ASSERT_EQ(1, read(sync[0], &c, 1));
	ASSERT_EQ('R', c);
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	xt_rec(log, WEXITSTATUS(status), "child");
	xt_rec(log, xt_pipe_released(q[1], RELEASE_MS), "released");
	EXPECT_TRUE(xt_pipe_released(q[1], 0));
	close(p[1]);
	close(q[1]);
	close(sync[0]);
	EXPECT_TRUE(healthy(kind));
}

TEST(exit_with_ring_still_mapped)
{
	XT_DIFF(exit_mapped);
}

/* Rings closed right after submitting, over and over. */
XT_SCENARIO(churn)
{
	static char page[4096];
	unsigned int i, held = 0;
	struct iovec iov = { page, sizeof(page) };

	for (i = 0; i < 60; i++) {
		struct xt_ring r;
		int p[2], fd;
		char buf[8];

		XT_RING(&r, kind, 8, NULL);
		ASSERT_EQ(0, pipe(p));
		fd = xt_sparse_file(1 << 20);
		ASSERT_LE(0, fd);
		PREP(&r, XURING_OP_READ, p[0], buf, 8, 0, 1, 0);
		PREP(&r, XURING_OP_READ, p[0], buf, 8, 0, 2, XURING_SQE_ASYNC);
		PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, XURING_SQE_ASYNC);
		PREP(&r, XURING_OP_READV, fd, &iov, 1, 0, 4, XURING_SQE_ASYNC);
		PREP(&r, XURING_OP_WRITE, fd, page, sizeof(page), 0, 5, 0);
		PREP(&r, XURING_OP_READ, fd, page, sizeof(page), 4096, 6, 0);
		ASSERT_EQ(6, xt_submit(&r));
		/* sometimes enough for both reads: none is left blocking */
		if (i % 3 == 1)
			ASSERT_EQ(16, write(p[1], "0123456789abcdef", 16));
		close(p[0]);
		close(fd);
		xt_ring_exit(&r);
		held += !xt_pipe_released(p[1], RELEASE_MS);
		close(p[1]);
	}
	EXPECT_EQ(0U, held);
	xt_rec(log, held, "held");
	EXPECT_TRUE(healthy(kind));
}

TEST(rings_closed_right_after_submit)
{
	XT_DIFF(churn);
}

/*
 * O_DIRECT reads of a block device, issued by workers (IOSQE_ASYNC), their
 * rings closed at once, in a few processes at a time: a bio may complete,
 * and its ring be freed, while the worker that issued it is still on its
 * way back from read_iter. A request is not touched once it is queued
 * (KASAN on the debug lane reported a read of one freed with its ring).
 */
#define DIRECT_PROCS	4
#define DIRECT_ROUNDS	100
#define DIRECT_READS	32

/* null_blk, else brd, from the VM (see iopoll_test.c); NULL: none */
static const char *direct_dev(void)
{
	const char *dev = getenv("XURING_NULLB");

	if (!dev || !*dev)
		dev = getenv("XURING_RAMDISK");
	return dev && *dev ? dev : NULL;
}

XT_SCENARIO(close_direct)
{
	const char *dev = direct_dev();
	long long t = xt_now_ms();
	unsigned int p, failed = 0;
	int status;

	ASSERT_NE(NULL, dev);
	for (p = 0; p < DIRECT_PROCS; p++) {
		if (fork() == 0) {
			int fd = open(dev, O_RDONLY | O_DIRECT);
			char *buf = aligned_alloc(4096, DIRECT_READS * 4096);
			unsigned int i, j;

			if (fd < 0 || !buf)
				_exit(2);
			for (i = 0; i < DIRECT_ROUNDS; i++) {
				struct xt_ring r;

				if (xt_ring_init(&r, kind, DIRECT_READS, NULL))
					_exit(3);
				for (j = 0; j < DIRECT_READS; j++)
					xt_prep_sqe(&r, XURING_OP_READ, fd,
						    buf + j * 4096, 4096,
						    (i * DIRECT_READS + j) * 4096ULL,
						    j, XURING_SQE_ASYNC);
				if (xt_submit(&r) != DIRECT_READS)
					_exit(4);
				xt_ring_exit(&r);
			}
			_exit(0);
		}
	}
	for (p = 0; p < DIRECT_PROCS; p++) {
		ASSERT_LT(0, wait(&status));
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0U, failed);
	xt_rec(log, failed, "failed");
	TH_LOG("%s: %u rings of %u reads in %lld ms", xt_kind_name(kind),
	       DIRECT_PROCS * DIRECT_ROUNDS, DIRECT_READS, xt_now_ms() - t);
	EXPECT_TRUE(healthy(kind));
}

TEST_F_TIMEOUT(slow, direct_reads_in_workers_outlive_their_ring, 300)
{
	if (!direct_dev())
		SKIP(return, "no block device here (XURING_NULLB, XURING_RAMDISK)");
	XT_DIFF(close_direct);
}

TEST_HARNESS_MAIN
