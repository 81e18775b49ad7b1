// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: threads each driving a ring (two SQPOLL rings sharing one SQ
 * thread, rings sharing workers through ATTACH_WQ, plain ones), over a
 * million NOPs and a hundred thousand reads of a file and of pipes; every
 * SQE gets exactly one CQE with its user_data and the right result. Then
 * the same work killed half way: the module must be fine afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define THREADS		6
#define ENTRIES		128
#define PIPES		16	/* per thread; one read in flight on each */
#define SLOTS		64	/* per thread: file read buffers */
#define READ_SZ		4096
#define FILE_SZ		(1 << 20)

/* Per thread: 6 x these make 1.02M NOPs and 102k reads. */
#define NOPS		170000
#define FILE_READS	14000
#define PIPE_READS	3000

enum { T_NOP = 1, T_FILE, T_PIPE };

/* user_data: thread (8 bits), type (8), slot (16), sequence number (32) */
#define UD(t, type, slot, seq) ((uint64_t)(t) << 56 | (uint64_t)(type) << 48 | \
				(uint64_t)(slot) << 32 | (seq))
#define UD_T(ud)	((unsigned int)((ud) >> 56))
#define UD_TYPE(ud)	((unsigned int)((ud) >> 48) & 0xff)
#define UD_SLOT(ud)	((unsigned int)((ud) >> 32) & 0xffff)
#define UD_SEQ(ud)	((uint32_t)(ud))

static inline uint64_t pattern(uint64_t off)
{
	return off * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a5a5a5a5aULL;
}

struct worker {
	unsigned int t;
	struct xt_ring *r;
	bool sqpoll;		/* files by registered slots */
	bool async;		/* some requests with XURING_SQE_ASYNC */
	int file;
	int pipes[PIPES][2];
	/* quotas */
	unsigned int nops, file_reads, pipe_reads;
	/* state */
	unsigned char *seen;	/* one byte per sequence number */
	uint32_t seq;
	bool pipe_busy[PIPES];
	bool slot_busy[SLOTS];
	uint64_t pipe_buf[PIPES];
	struct iovec iov[SLOTS];
	unsigned char *bufs;
	bool *stop;		/* the kill test runs until killed */
	/* results */
	unsigned long done[4];
	unsigned int errors;
	char err[200];
	pthread_t thread;
};

static void fail(struct worker *w, const char *fmt, unsigned long long a,
		 long long b)
{
	if (!w->errors++)
		snprintf(w->err, sizeof(w->err), fmt, a, b);
}

/* Store the tail, full barrier, wake the SQ thread if it asks. */
static void submit_sq(struct xt_ring *r)
{
	xt_flush(r);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP)
		xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
}

static void check_cqe(struct worker *w, const struct xuring_cqe *cqe)
{
	uint64_t ud = cqe->user_data;
	unsigned int type = UD_TYPE(ud), slot = UD_SLOT(ud);
	uint32_t seq = UD_SEQ(ud);

	if (UD_T(ud) != w->t || seq >= w->seq || !type || type > T_PIPE) {
		fail(w, "foreign CQE: user_data %#llx res %lld", ud, cqe->res);
		return;
	}
	/* (the endless kill-test workers keep no record) */
	if (!w->stop && w->seen[seq]++) {
		fail(w, "second CQE for user_data %#llx (res %lld)", ud,
		     cqe->res);
		return;
	}
	w->done[type]++;
	if (cqe->flags)
		fail(w, "user_data %#llx: flags %lld", ud, cqe->flags);
	switch (type) {
	case T_NOP:
		if (cqe->res)
			fail(w, "NOP %#llx: res %lld", ud, cqe->res);
		break;
	case T_FILE: {
		const uint64_t *v = (const uint64_t *)w->iov[slot].iov_base;
		uint64_t off = (seq % (FILE_SZ / READ_SZ)) * READ_SZ;

		w->slot_busy[slot] = false;
		if (cqe->res != READ_SZ) {
			fail(w, "file read %#llx: res %lld", ud, cqe->res);
			break;
		}
		if (v[0] != pattern(off) || v[1] != pattern(off + 8) ||
		    v[511] != pattern(off + 4088))
			fail(w, "file read %#llx: wrong data at %lld", ud, off);
		break;
	}
	case T_PIPE:
		w->pipe_busy[slot] = false;
		if (cqe->res != 8 || w->pipe_buf[slot] != ud)
			fail(w, "pipe read %#llx: res %lld", ud, cqe->res);
		break;
	}
}

/* The next request's type, spreading the reads among the NOPs. */
static int next_type(struct worker *w, int *slot)
{
	unsigned int i;

	if (w->pipe_reads && w->seq % 7 == 3) {
		for (i = 0; i < PIPES; i++)
			if (!w->pipe_busy[i]) {
				*slot = i;
				return T_PIPE;
			}
	}
	if (w->file_reads && (w->seq % 5 == 1 || !w->nops)) {
		for (i = 0; i < SLOTS; i++)
			if (!w->slot_busy[(w->seq + i) % SLOTS]) {
				*slot = (w->seq + i) % SLOTS;
				return T_FILE;
			}
	}
	if (w->nops)
		return T_NOP;
	if (w->pipe_reads) {
		for (i = 0; i < PIPES; i++)
			if (!w->pipe_busy[i]) {
				*slot = i;
				return T_PIPE;
			}
	}
	return 0;	/* nothing that can go now */
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	unsigned int inflight = 0, total = w->nops + w->file_reads +
					   w->pipe_reads;
	/* ring-full of written pipe tags at most */
	int written[ENTRIES], nw;
	uint64_t tags[ENTRIES];
	struct xuring_cqe cqe;
	unsigned int i;

	while ((w->nops || w->file_reads || w->pipe_reads || inflight) &&
	       !(w->stop && __atomic_load_n(w->stop, __ATOMIC_RELAXED)) &&
	       w->errors < 10) {
		struct xuring_sqe *sqe;
		int type, slot = 0, n = 0, ret;

		nw = 0;
		while (inflight < ENTRIES && (sqe = xt_get_sqe(w->r))) {
			uint32_t seq = w->seq;
			uint64_t ud;

			type = next_type(w, &slot);
			if (!type) {
				w->r->sqe_tail--;	/* give it back */
				break;
			}
			ud = UD(w->t, type, slot, seq);
			switch (type) {
			case T_NOP:
				xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, ud);
				w->nops--;
				break;
			case T_FILE:
				w->iov[slot].iov_len = READ_SZ;
				if (seq & 1)
					xt_prep(sqe, XURING_OP_READ,
						w->sqpoll ? 0 : w->file,
						w->iov[slot].iov_base, READ_SZ,
						(seq % (FILE_SZ / READ_SZ)) *
						READ_SZ, ud);
				else
					xt_prep(sqe, XURING_OP_READV,
						w->sqpoll ? 0 : w->file,
						&w->iov[slot], 1,
						(seq % (FILE_SZ / READ_SZ)) *
						READ_SZ, ud);
				w->slot_busy[slot] = true;
				w->file_reads--;
				break;
			default:
				w->pipe_buf[slot] = 0;
				xt_prep(sqe, XURING_OP_READ,
					w->sqpoll ? 1 + slot : w->pipes[slot][0],
					&w->pipe_buf[slot], 8, 0, ud);
				w->pipe_busy[slot] = true;
				written[nw] = w->pipes[slot][1];
				tags[nw++] = ud;
				w->pipe_reads--;
				break;
			}
			if (w->sqpoll)
				sqe->flags |= XURING_SQE_FIXED_FILE;
			if (w->async && seq % 4 == 0)
				sqe->flags |= XURING_SQE_ASYNC;
			w->seq++;
			inflight++;
			n++;
		}
		if (n) {
			if (w->sqpoll) {
				submit_sq(w->r);
			} else {
				ret = xt_enter(w->r, xt_flush(w->r), 0, 0);
				if (ret != n) {
					fail(w, "submitted %llu of %lld",
					     ret, n);
					break;
				}
			}
		}
		/* the pipe reads just submitted get their data now */
		for (i = 0; i < (unsigned int)nw; i++)
			if (write(written[i], &tags[i], 8) != 8)
				fail(w, "pipe write %llu: %lld", i, errno);
		if (!inflight)
			continue;
		ret = xt_enter(w->r, 0, 1, XURING_ENTER_GETEVENTS);
		if (ret < 0 && ret != -EINTR) {
			fail(w, "wait: %llu %lld", 0, ret);
			break;
		}
		while (!xt_peek_cqe(w->r, &cqe)) {
			check_cqe(w, &cqe);
			inflight--;
		}
	}
	if (w->stop)
		return NULL;
	/* every SQE, exactly one CQE */
	for (i = 0; i < total; i++)
		if (w->seen[i] != 1) {
			fail(w, "sequence %llu: %lld CQEs", i, w->seen[i]);
			break;
		}
	if (w->seq != total)
		fail(w, "%llu SQEs for %lld", w->seq, total);
	if (*w->r->cq_overflow)
		fail(w, "%llu CQEs overflowed %lld", *w->r->cq_overflow, 0);
	return NULL;
}

struct stress {
	struct xt_ring rings[THREADS];
	struct worker w[THREADS];
	int file;
	bool stop;
};

/*
 * Thread roles: 0 SQPOLL; 1 SQPOLL attached to 0 (one SQ thread for
 * both); 2 plain; 3 plain attached to 2; 4 plain with ASYNC requests;
 * 5 plain attached to the SQPOLL ring 0 (its workers only).
 */
static int stress_setup(struct stress *s, enum xt_kind kind, unsigned int scale,
			bool endless)
{
	unsigned char *page;
	unsigned int t, i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->file = xt_sparse_file(0);
	if (s->file < 0)
		return s->file;
	page = malloc(FILE_SZ);
	if (!page)
		return -ENOMEM;
	for (i = 0; i < FILE_SZ / 8; i++)
		((uint64_t *)page)[i] = pattern(i * 8ULL);
	if (pwrite(s->file, page, FILE_SZ, 0) != FILE_SZ)
		return -EIO;
	free(page);

	for (t = 0; t < THREADS; t++) {
		struct worker *w = &s->w[t];
		struct xuring_params p;
		int fds[1 + PIPES];

		memset(&p, 0, sizeof(p));
		p.sq_thread_idle = 50;
		if (t == 0 || t == 1) {
			p.flags |= XURING_SETUP_SQPOLL;
			w->sqpoll = true;
		}
		if (t == 1 || t == 5) {
			p.flags |= XURING_SETUP_ATTACH_WQ;
			p.wq_fd = s->rings[0].fd;
		}
		if (t == 3) {
			p.flags |= XURING_SETUP_ATTACH_WQ;
			p.wq_fd = s->rings[2].fd;
		}
		ret = xt_ring_init(&s->rings[t], kind, ENTRIES, &p);
		if (ret)
			return ret;
		w->t = t;
		w->r = &s->rings[t];
		w->async = t == 4;
		w->file = s->file;
		w->nops = endless ? 1U << 30 : NOPS / scale;
		w->file_reads = endless ? 1U << 30 : FILE_READS / scale;
		w->pipe_reads = endless ? 1U << 30 : PIPE_READS / scale;
		w->stop = endless ? &s->stop : NULL;
		w->seen = calloc(endless ? 1 : w->nops + w->file_reads +
				 w->pipe_reads, 1);
		w->bufs = malloc(SLOTS * READ_SZ);
		if (!w->seen || !w->bufs)
			return -ENOMEM;
		for (i = 0; i < SLOTS; i++)
			w->iov[i] = (struct iovec){ w->bufs + i * READ_SZ,
						    READ_SZ };
		fds[0] = s->file;
		for (i = 0; i < PIPES; i++) {
			if (pipe(w->pipes[i]))
				return -errno;
			fds[1 + i] = w->pipes[i][0];
		}
		if (w->sqpoll) {
			ret = xt_register_files(w->r, fds, 1 + PIPES);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void stress_free(struct stress *s)
{
	unsigned int t, i;

	for (t = 0; t < THREADS; t++) {
		xt_ring_exit(&s->rings[t]);
		for (i = 0; i < PIPES; i++) {
			close(s->w[t].pipes[i][0]);
			close(s->w[t].pipes[i][1]);
		}
		free(s->w[t].seen);
		free(s->w[t].bufs);
	}
	close(s->file);
}

/*
 * How much less work for this kind on this lane. xuring always does it
 * all. On the debug lane (KASAN, lockdep) native io_uring takes about
 * three times as long as xuring for the same work (90 s), so there the
 * native half, a reference only, does a quarter of it.
 */
static unsigned int lane_scale(enum xt_kind kind)
{
	const char *lane = getenv("XURING_LANE");

	return kind == XT_NATIVE && lane && !strcmp(lane, "debug") ? 4 : 1;
}

FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

XT_SCENARIO(stress)
{
	unsigned long total[4] = { 0 };
	unsigned int t, scale = lane_scale(kind);
	struct stress *s = calloc(1, sizeof(*s));
	long long t0;
	int ret;

	ASSERT_NE(NULL, s);
	ret = stress_setup(s, kind, scale, false);
	ASSERT_EQ(0, ret) TH_LOG("%s: setup: %s", xt_kind_name(kind),
				 strerror(-ret));
	t0 = xt_now_ms();
	for (t = 0; t < THREADS; t++)
		ASSERT_EQ(0, pthread_create(&s->w[t].thread, NULL, worker_fn,
					    &s->w[t]));
	for (t = 0; t < THREADS; t++) {
		struct worker *w = &s->w[t];

		pthread_join(w->thread, NULL);
		EXPECT_EQ(0U, w->errors)
			TH_LOG("%s thread %u: %u errors, first: %s",
			       xt_kind_name(kind), t, w->errors, w->err);
		total[T_NOP] += w->done[T_NOP];
		total[T_FILE] += w->done[T_FILE];
		total[T_PIPE] += w->done[T_PIPE];
	}
	TH_LOG("%s: %lu NOPs, %lu file reads, %lu pipe reads in %lld ms%s",
	       xt_kind_name(kind), total[T_NOP], total[T_FILE], total[T_PIPE],
	       xt_now_ms() - t0, scale > 1 ? " (scaled down for this lane)" : "");
	EXPECT_EQ((unsigned long)THREADS * (NOPS / scale), total[T_NOP]);
	EXPECT_EQ((unsigned long)THREADS * (FILE_READS / scale), total[T_FILE]);
	EXPECT_EQ((unsigned long)THREADS * (PIPE_READS / scale), total[T_PIPE]);
	xt_rec(log, total[T_NOP] * scale == THREADS * NOPS, "all-nops");
	xt_rec(log, total[T_FILE] * scale == THREADS * FILE_READS,
	       "all-file-reads");
	xt_rec(log, total[T_PIPE] * scale == THREADS * PIPE_READS,
	       "all-pipe-reads");
	stress_free(s);
	free(s);
}

TEST_F_TIMEOUT(slow, million_nops_and_reads_over_six_rings, 280)
{
	XT_DIFF(stress);
}

/* The child side of the kill test: endless stress until killed. */
static void stress_child(enum xt_kind kind, int ready)
{
	struct stress *s = calloc(1, sizeof(*s));
	unsigned int t;

	alarm(60);
	if (!s || stress_setup(s, kind, 1, true))
		_exit(1);
	for (t = 0; t < THREADS; t++)
		if (pthread_create(&s->w[t].thread, NULL, worker_fn, &s->w[t]))
			_exit(2);
	if (write(ready, "R", 1) != 1)
		_exit(3);
	for (;;)
		pause();
}

/* A fresh ring does all kinds of work. */
static bool healthy(enum xt_kind kind)
{
	struct xuring_cqe cqe;
	struct xuring_params p;
	struct xt_ring r, q;
	char buf[8];
	int pp[2], ok;

	if (xt_ring_init(&r, kind, 8, NULL))
		return false;
	if (pipe(pp)) {
		xt_ring_exit(&r);
		return false;
	}
	xt_queue_nops(&r, 4, 1);
	ok = xt_submit_and_wait(&r, 4) == 4;
	while (!xt_peek_cqe(&r, &cqe))
		ok &= !cqe.res;
	xt_prep(xt_get_sqe(&r), XURING_OP_READ, pp[0], buf, 8, 0, 9);
	ok &= xt_submit(&r) == 1 && write(pp[1], "stillok", 7) == 7 &&
	      !xt_wait_cqe_ms(&r, &cqe, 5000) && cqe.res == 7;
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	if (!xt_ring_init(&q, kind, 4, &p)) {
		xt_queue_nops(&q, 1, 5);
		submit_sq(&q);
		ok &= !xt_wait_cqe_ms(&q, &cqe, 5000) && cqe.user_data == 5;
		xt_ring_exit(&q);
	} else {
		ok = 0;
	}
	xt_ring_exit(&r);
	close(pp[0]);
	close(pp[1]);
	return ok;
}

XT_SCENARIO(killed)
{
	unsigned int round;

	for (round = 0; round < 3; round++) {
		int sync[2], status;
		char c = 0;
		pid_t pid;

		ASSERT_EQ(0, pipe(sync));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			close(sync[0]);
			stress_child(kind, sync[1]);
		}
		close(sync[1]);
		ASSERT_EQ(1, read(sync[0], &c, 1));
		ASSERT_EQ('R', c);
		close(sync[0]);
		/* mid-way: rings full of work in every state */
		xt_sleep_ms(300 + 400 * round);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("%s: the stress child ended by itself (%#x)",
			       xt_kind_name(kind), status);
		EXPECT_TRUE(healthy(kind)) TH_LOG("%s: after kill %u",
						 xt_kind_name(kind), round);
	}
	xt_rec(log, healthy(kind), "healthy");
}

TEST_F_TIMEOUT(slow, killed_mid_stress, 120)
{
	XT_DIFF(killed);
}

TEST_HARNESS_MAIN
