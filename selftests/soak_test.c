// SPDX-License-Identifier: GPL-2.0
/*
 * A mixed workload that checks everything it gets back: threads with their
 * own rings (plain, SQPOLL, sharing workers) write patterned blocks to a
 * file and read them back, bounce data through pipes and sockets, fsync,
 * cancel reads that never get data, and now and then replace their ring or
 * fork a child that uses one. Every SQE must get exactly one CQE and every
 * byte read must be the byte written.
 *
 * In `make check` it runs for a few seconds; `make soak` runs it for
 * XURING_SOAK_SECS and prints what it did.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define NTHREADS	4
#define BLK		4096
#define NBLK		64
#define DEPTH		16

struct soak_stats {
	unsigned long long sqes, cqes, bytes_checked, cancels, rings, forks;
	unsigned long long fsyncs, bad_data, bad_res, lost, dup;
	char problem[256];
};

struct soak_thread {
	unsigned int id;
	long long deadline;
	int file;		/* shared; each thread owns a region */
	int attach_fd;		/* a ring whose workers to share, or -1 */
	struct soak_stats st;
	pthread_t th;
};

static void note(struct soak_stats *st, const char *what, unsigned long long a,
		 long long b)
{
	if (!st->problem[0])
		snprintf(st->problem, sizeof(st->problem), "%s (%llu, %lld)",
			 what, a, b);
}

static void fill(unsigned char *p, unsigned int tag, unsigned int blk)
{
	unsigned int i;

	for (i = 0; i < BLK; i++)
		p[i] = (unsigned char)(tag * 31 + blk * 7 + i);
}

/*
 * Submit the @n SQEs just queued and reap their @n CQEs into @out. Waits
 * are poll(2)s on the ring fd, so a CQE that never comes fails the run
 * after 30 s instead of hanging it.
 */
static int run_batch(struct xt_ring *r, struct xuring_cqe *out, unsigned int n,
		     struct soak_stats *st)
{
	bool sqpoll = r->p.flags & XURING_SETUP_SQPOLL;
	long long deadline = xt_now_ms() + 30000;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	unsigned int got = 0;
	int ret;

	st->sqes += n;
	while (got < n) {
		if (!xt_peek_cqe(r, &out[got])) {
			got++;
			continue;
		}
		if (sqpoll) {
			xt_flush(r);
			if (xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP)
				xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
		} else {
			ret = xt_enter(r, xt_flush(r), 0, XURING_ENTER_GETEVENTS);
			if (ret < 0 && ret != -EINTR && ret != -EBUSY)
				return ret;
		}
		if (xt_cq_ready(r))
			continue;
		if (xt_now_ms() > deadline) {
			st->lost += n - got;
			note(st, "CQEs missing after 30 s", n - got, n);
			st->cqes += got;
			return -ETIMEDOUT;
		}
		poll(&pfd, 1, sqpoll ? 1 : 100);
	}
	st->cqes += got;
	return 0;
}

/* Write NBLK patterned blocks, fsync, read them back and compare. */
static void file_round(struct xt_ring *r, struct soak_thread *t,
		       unsigned int round, bool fixed)
{
	static __thread unsigned char wbuf[DEPTH][BLK], rbuf[DEPTH][BLK];
	struct xuring_cqe cqe[DEPTH + 1];
	unsigned int b, i, k;
	uint64_t base = (uint64_t)t->id * NBLK * BLK;
	int fd = fixed ? 0 : t->file;

	for (b = 0; b < NBLK; b += DEPTH) {
		for (i = 0; i < DEPTH; i++) {
			struct xuring_sqe *sqe = xt_get_sqe(r);

			fill(wbuf[i], round, b + i);
			xt_prep(sqe, XURING_OP_WRITE, fd, wbuf[i], BLK,
				base + (uint64_t)(b + i) * BLK, i);
			if (fixed)
				sqe->flags |= XURING_SQE_FIXED_FILE;
		}
		if (run_batch(r, cqe, DEPTH, &t->st))
			return note(&t->st, "write batch failed", b, 0);
		for (i = 0; i < DEPTH; i++)
			if (cqe[i].res != BLK) {
				t->st.bad_res++;
				note(&t->st, "write res", cqe[i].user_data,
				     cqe[i].res);
			}
	}
	if (round % 4 == 0) {
		xt_prep(xt_get_sqe(r), XURING_OP_FSYNC, fd, NULL, 0, 0, 99);
		if (fixed)
			r->sqes[(r->sqe_tail - 1) & (r->p.sq_entries - 1)].flags |=
				XURING_SQE_FIXED_FILE;
		if (run_batch(r, cqe, 1, &t->st) || cqe[0].res) {
			t->st.bad_res++;
			note(&t->st, "fsync res", 0, cqe[0].res);
		}
		t->st.fsyncs++;
	}
	for (b = 0; b < NBLK; b += DEPTH) {
		for (i = 0; i < DEPTH; i++) {
			struct xuring_sqe *sqe = xt_get_sqe(r);

			memset(rbuf[i], 0, BLK);
			xt_prep(sqe, XURING_OP_READ, fd, rbuf[i], BLK,
				base + (uint64_t)(b + i) * BLK, i);
			if (fixed)
				sqe->flags |= XURING_SQE_FIXED_FILE;
		}
		if (run_batch(r, cqe, DEPTH, &t->st))
			return note(&t->st, "read batch failed", b, 0);
		for (i = 0; i < DEPTH; i++) {
			k = cqe[i].user_data;
			if (cqe[i].res != BLK || k >= DEPTH) {
				t->st.bad_res++;
				note(&t->st, "read res", k, cqe[i].res);
				continue;
			}
			fill(wbuf[0], round, b + k);
			if (memcmp(rbuf[k], wbuf[0], BLK)) {
				t->st.bad_data++;
				note(&t->st, "read data differs at block", b + k,
				     round);
			}
			t->st.bytes_checked += BLK;
		}
	}
}

/* Bytes through a pipe and a socket pair: READs armed before the WRITEs. */
static void bounce_round(struct xt_ring *r, struct soak_thread *t,
			 unsigned int round, int *pfd, int *sfd)
{
	static __thread unsigned char out[2][512], in[2][512];
	struct xuring_cqe cqe[4];
	unsigned int i, len = 1 + round % 512;
	int rd[2] = { pfd[0], sfd[1] }, wr[2] = { pfd[1], sfd[0] };

	if (r->p.flags & XURING_SETUP_SQPOLL)
		return;		/* plain fds: not for the SQ thread */
	for (i = 0; i < 2; i++) {
		memset(out[i], (int)(round + i), len);
		memset(in[i], 0, len);
		xt_prep(xt_get_sqe(r), XURING_OP_READ, rd[i], in[i], len, 0,
			10 + i);
	}
	for (i = 0; i < 2; i++)
		xt_prep(xt_get_sqe(r), XURING_OP_WRITE, wr[i], out[i], len, 0,
			20 + i);
	if (run_batch(r, cqe, 4, &t->st))
		return note(&t->st, "bounce batch failed", round, 0);
	for (i = 0; i < 4; i++) {
		if (cqe[i].res != (int)len) {
			/* a stream read may come back short: fine, not lost */
			if (cqe[i].user_data >= 10 && cqe[i].user_data < 12 &&
			    cqe[i].res > 0)
				continue;
			t->st.bad_res++;
			note(&t->st, "bounce res", cqe[i].user_data, cqe[i].res);
		}
	}
	for (i = 0; i < 2; i++) {
		if (memcmp(in[i], out[i], 1)) {
			t->st.bad_data++;
			note(&t->st, "bounce data", round, i);
		}
		t->st.bytes_checked += len;
	}
	/* a short stream read leaves bytes behind: drain them */
	for (i = 0; i < 2; i++) {
		fcntl(rd[i], F_SETFL, O_NONBLOCK);
		while (read(rd[i], in[0], sizeof(in[0])) > 0)
			;
		fcntl(rd[i], F_SETFL, 0);
	}
}

/* A read that never gets data, canceled: one CQE each, no more. */
static void cancel_round(struct xt_ring *r, struct soak_thread *t, int *pfd)
{
	struct xuring_cqe cqe[2];
	static __thread char buf[8];
	unsigned int i;

	if (r->p.flags & XURING_SETUP_SQPOLL)
		return;
	xt_prep(xt_get_sqe(r), XURING_OP_READ, pfd[0], buf, 8, 0, 30);
	/* the read goes in first; run_batch counts it with the cancel */
	if (xt_submit(r) != 1)
		return note(&t->st, "cancel: submit", 0, 0);
	xt_prep(xt_get_sqe(r), XURING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 31);
	r->sqes[(r->sqe_tail - 1) & (r->p.sq_entries - 1)].addr = 30;
	if (run_batch(r, cqe, 2, &t->st))
		return note(&t->st, "cancel batch failed", 0, 0);
	for (i = 0; i < 2; i++) {
		long long want = cqe[i].user_data == 30 ? -ECANCELED : 0;

		if (cqe[i].res != want) {
			t->st.bad_res++;
			note(&t->st, "cancel res", cqe[i].user_data, cqe[i].res);
		}
	}
	t->st.cancels++;
}

static int ring_for(struct soak_thread *t, struct xt_ring *r,
		    unsigned int round)
{
	struct xuring_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	if (t->id == 1) {
		p.flags = XURING_SETUP_SQPOLL;
		p.sq_thread_idle = 20;
	} else if (t->id == 2 && t->attach_fd >= 0 && round % 2) {
		p.flags = XURING_SETUP_ATTACH_WQ;
		p.wq_fd = t->attach_fd;
	}
	ret = xt_ring_init(r, XT_XURING, 64, &p);
	if (ret)
		return ret;
	t->st.rings++;
	/* the SQ thread needs registered files */
	if (p.flags & XURING_SETUP_SQPOLL)
		ret = xt_sys_register(XT_XURING, r->fd, XURING_REGISTER_FILES,
				      &t->file, 1);
	return ret;
}

static void *soak_fn(void *arg)
{
	struct soak_thread *t = arg;
	int pfd[2], sfd[2], ret;
	unsigned int round = 0;
	struct xt_ring r;

	if (pipe(pfd) || socketpair(AF_UNIX, SOCK_STREAM, 0, sfd))
		return NULL;
	ret = ring_for(t, &r, 0);
	if (ret) {
		note(&t->st, "ring setup", t->id, ret);
		return NULL;
	}
	while (xt_now_ms() < t->deadline && !t->st.problem[0]) {
		round++;
		file_round(&r, t, round, r.p.flags & XURING_SETUP_SQPOLL);
		bounce_round(&r, t, round, pfd, sfd);
		if (round % 3 == 0)
			cancel_round(&r, t, pfd);
		if (round % 50 == 0) {	/* a fresh ring now and then */
			xt_ring_exit(&r);
			ret = ring_for(t, &r, round);
			if (ret) {
				note(&t->st, "ring setup", round, ret);
				break;
			}
		}
	}
	xt_ring_exit(&r);
	close(pfd[0]);
	close(pfd[1]);
	close(sfd[0]);
	close(sfd[1]);
	return NULL;
}

/* A child with its own ring, NOPs and reads, killed or exiting. */
static void fork_round(struct soak_stats *st, unsigned int n)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct xt_ring r;

		if (xt_ring_init(&r, XT_XURING, 32, NULL))
			_exit(1);
		for (;;) {
			xt_queue_nops(&r, 16, 0);
			if (xt_submit_and_wait(&r, 16) != 16)
				_exit(2);
			*r.cq_head = *r.cq_tail;
		}
	}
	if (pid < 0)
		return;
	xt_sleep_ms(20 + n % 50);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (!WIFSIGNALED(status))
		note(st, "forked child ended by itself", status, 0);
	st->forks++;
}

FIXTURE(soak) {
	int unused;
};

FIXTURE_SETUP(soak)
{
}

FIXTURE_TEARDOWN(soak)
{
}

/* make soak sets the length; the harness limit is two hours. */
TEST_F_TIMEOUT(soak, mixed_workload, 7200)
{
	const char *e = getenv("XURING_SOAK_SECS");
	const char *lane = getenv("XURING_LANE");
	unsigned long secs = e ? strtoul(e, NULL, 0) :
			     lane && !strcmp(lane, "debug") ? 10 : 5;
	struct soak_thread t[NTHREADS];
	struct soak_stats sum;
	struct xt_ring keeper;
	long long start = xt_now_ms(), next_report;
	char path[64];
	unsigned int i, n = 0;
	int file;

	XT_NEED_XURING();
	file = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, file);
	unlink(path);
	/* a ring whose workers thread 2 shares (ATTACH_WQ) */
	XT_RING(&keeper, XT_XURING, 8, NULL);
	memset(t, 0, sizeof(t));
	for (i = 0; i < NTHREADS; i++) {
		t[i].id = i;
		t[i].file = file;
		t[i].attach_fd = keeper.fd;
		t[i].deadline = start + secs * 1000;
		ASSERT_EQ(0, pthread_create(&t[i].th, NULL, soak_fn, &t[i]));
	}
	next_report = start + 60000;
	while (xt_now_ms() < start + (long long)secs * 1000) {
		fork_round(&t[0].st, n++);
		xt_sleep_ms(200);
		if (xt_now_ms() > next_report) {
			TH_LOG("%lld s: %llu SQEs, %llu CQEs, %llu bytes checked so far",
			       (xt_now_ms() - start) / 1000,
			       t[0].st.sqes + t[1].st.sqes + t[2].st.sqes + t[3].st.sqes,
			       t[0].st.cqes + t[1].st.cqes + t[2].st.cqes + t[3].st.cqes,
			       t[0].st.bytes_checked + t[1].st.bytes_checked +
			       t[2].st.bytes_checked + t[3].st.bytes_checked);
			next_report += 60000;
		}
	}
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < NTHREADS; i++) {
		const unsigned long long *a = &t[i].st.sqes;
		unsigned long long *b = &sum.sqes;
		unsigned int k;

		pthread_join(t[i].th, NULL);
		for (k = 0; k < offsetof(struct soak_stats, problem) / 8; k++)
			b[k] += a[k];
		if (t[i].st.problem[0]) {
			TH_LOG("thread %u: %s", i, t[i].st.problem);
			EXPECT_TRUE(0);
		}
	}
	xt_ring_exit(&keeper);
	close(file);
	sum.lost += sum.sqes > sum.cqes + sum.lost ? sum.sqes - sum.cqes - sum.lost : 0;
	sum.dup = sum.cqes > sum.sqes ? sum.cqes - sum.sqes : 0;
	TH_LOG("soak: %.0f s, %u threads, %llu rings, %llu forks killed: %llu SQEs, %llu CQEs, %llu bytes read back and checked, %llu fsyncs, %llu cancels",
	       (xt_now_ms() - start) / 1000.0, NTHREADS, sum.rings, sum.forks,
	       sum.sqes, sum.cqes, sum.bytes_checked, sum.fsyncs, sum.cancels);
	TH_LOG("soak: %llu lost, %llu extra CQEs, %llu wrong results, %llu wrong bytes",
	       sum.lost, sum.dup, sum.bad_res, sum.bad_data);
	EXPECT_EQ(0ULL, sum.lost);
	EXPECT_EQ(0ULL, sum.dup);
	EXPECT_EQ(0ULL, sum.bad_res);
	EXPECT_EQ(0ULL, sum.bad_data);
	EXPECT_GT(sum.bytes_checked, 0ULL);
}

TEST_HARNESS_MAIN
