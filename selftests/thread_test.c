// SPDX-License-Identifier: GPL-2.0
/*
 * Threads: several submitters and one reaper on a shared ring, rings used
 * in parallel, and entering a ring while another thread closes it.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define SUBMITTERS	4
#define PER_THREAD	400

struct shared {
	struct xt_ring *r;
	pthread_mutex_t sq_lock;	/* the SQ has one writer at a time */
	unsigned int reaped, dup, bad, busy;
	unsigned char seen[SUBMITTERS * PER_THREAD];
	int err;
};

struct submitter {
	struct shared *s;
	pthread_t thread;
	unsigned int id;
};

static void *submit_fn(void *arg)
{
	struct submitter *t = arg;
	struct shared *s = t->s;
	unsigned int done = 0, n;
	int ret;

	while (done < PER_THREAD) {
		n = 1 + (done + t->id) % 4;
		if (n > PER_THREAD - done)
			n = PER_THREAD - done;
		pthread_mutex_lock(&s->sq_lock);
		if (xt_queue_nops(s->r, n, t->id * PER_THREAD + done)) {
			pthread_mutex_unlock(&s->sq_lock);
			s->err = -ENOSPC;
			return NULL;
		}
		ret = xt_submit(s->r);
		if (ret == -EBUSY) {
			/* 5.10: the CQ backlog must drain first; try again */
			s->r->sqe_tail -= n;
			xt_flush(s->r);
			pthread_mutex_unlock(&s->sq_lock);
			__atomic_fetch_add(&s->busy, 1, __ATOMIC_RELAXED);
			xt_sleep_ms(1);
			continue;
		}
		pthread_mutex_unlock(&s->sq_lock);
		if (ret != (int)n) {
			s->err = ret < 0 ? ret : -EPROTO;
			return NULL;
		}
		done += n;
	}
	return NULL;
}

static void *reap_fn(void *arg)
{
	struct shared *s = arg;
	const unsigned int total = SUBMITTERS * PER_THREAD;
	struct xuring_cqe cqe;
	int ret;

	while (s->reaped < total && !s->err) {
		if (xt_peek_cqe(s->r, &cqe)) {
			ret = xt_enter(s->r, 0, 1, XURING_ENTER_GETEVENTS);
			if (ret < 0 && ret != -EINTR && ret != -EBUSY) {
				s->err = ret;
				break;
			}
			continue;
		}
		if (cqe.user_data >= total || cqe.res) {
			s->bad++;
			continue;
		}
		if (s->seen[cqe.user_data]++)
			s->dup++;
		s->reaped++;
	}
	return NULL;
}

XT_SCENARIO(shared_ring)
{
	struct submitter t[SUBMITTERS];
	struct shared *s = calloc(1, sizeof(*s));
	struct xt_ring r;
	pthread_t reaper;
	unsigned int i;

	ASSERT_NE(NULL, s);
	XT_RING(&r, kind, 8, NULL);
	s->r = &r;
	pthread_mutex_init(&s->sq_lock, NULL);
	ASSERT_EQ(0, pthread_create(&reaper, NULL, reap_fn, s));
	for (i = 0; i < SUBMITTERS; i++) {
		t[i].s = s;
		t[i].id = i;
		ASSERT_EQ(0, pthread_create(&t[i].thread, NULL, submit_fn,
					    &t[i]));
	}
	for (i = 0; i < SUBMITTERS; i++)
		pthread_join(t[i].thread, NULL);
	pthread_join(reaper, NULL);
	EXPECT_EQ(0, s->err);
	EXPECT_EQ((unsigned int)(SUBMITTERS * PER_THREAD), s->reaped);
	EXPECT_EQ(0U, s->dup);
	EXPECT_EQ(0U, s->bad);
	EXPECT_EQ(0U, *r.cq_overflow);
	TH_LOG("%s: %u submits refused with EBUSY", xt_kind_name(kind),
	       s->busy);
	xt_rec(log, s->reaped, "reaped");
	xt_rec(log, s->dup + s->bad, "dup+bad");
	xt_ring_exit(&r);
	free(s);
}

TEST(submitters_and_reaper_share_ring)
{
	XT_DIFF(shared_ring);
}

struct solo {
	enum xt_kind kind;
	pthread_t thread;
	unsigned int done;
	int err;
};

static void *solo_fn(void *arg)
{
	struct solo *w = arg;
	unsigned char buf[512], back[512];
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char path[64];
	unsigned int i;
	int fd, ret;

	fd = xt_tmpfile(path, sizeof(path));
	if (fd < 0) {
		w->err = fd;
		return NULL;
	}
	unlink(path);
	ret = xt_ring_init(&r, w->kind, 4, NULL);
	if (ret) {
		w->err = ret;
		close(fd);
		return NULL;
	}
	for (i = 0; i < 300 && !w->err; i++) {
		memset(buf, i, sizeof(buf));
		sqe = xt_get_sqe(&r);
		xt_prep(sqe, XURING_OP_WRITE, fd, buf, sizeof(buf),
			i * sizeof(buf), i);
		if (xt_submit_one(&r, &cqe) || cqe.res != sizeof(buf))
			w->err = -EIO;
		sqe = xt_get_sqe(&r);
		xt_prep(sqe, XURING_OP_READ, fd, back, sizeof(back),
			i * sizeof(buf), i);
		if (xt_submit_one(&r, &cqe) || cqe.res != sizeof(back) ||
		    memcmp(buf, back, sizeof(buf)))
			w->err = -EIO;
		w->done++;
	}
	xt_ring_exit(&r);
	close(fd);
	return NULL;
}

XT_SCENARIO(parallel)
{
	struct solo w[4];
	unsigned int i, done = 0;

	for (i = 0; i < 4; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].kind = kind;
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, solo_fn, &w[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].err) TH_LOG("thread %u", i);
		done += w[i].done;
	}
	EXPECT_EQ(1200U, done);
	xt_rec(log, done, "done");
}

TEST(rings_in_parallel_threads)
{
	XT_DIFF(parallel);
}

struct racer {
	struct xt_ring *r;
	int fd;
	pthread_t thread;
	unsigned int calls;
	int last;
};

static void *race_fn(void *arg)
{
	struct racer *x = arg;
	struct xuring_probe probe[2];

	for (;;) {
		memset(probe, 0, sizeof(probe));
		x->last = xt_sys_enter(x->r->kind, x->fd, 0, 0,
				       XURING_ENTER_GETEVENTS, NULL, 8);
		if (x->last == -EBADF)
			break;
		x->last = xt_sys_register(x->r->kind, x->fd,
					  XURING_REGISTER_PROBE, probe, 1);
		if (x->last == -EBADF)
			break;
		x->calls++;
	}
	return NULL;
}

XT_SCENARIO(close_race)
{
	struct racer x[2];
	struct xt_ring r;
	unsigned int round, i;

	for (round = 0; round < 20; round++) {
		XT_RING(&r, kind, 4, NULL);
		for (i = 0; i < 2; i++) {
			x[i].r = &r;
			x[i].fd = r.fd;
			x[i].calls = 0;
			ASSERT_EQ(0, pthread_create(&x[i].thread, NULL, race_fn,
						    &x[i]));
		}
		xt_sleep_ms(round % 5);
		ASSERT_EQ(0, close(r.fd));
		for (i = 0; i < 2; i++) {
			pthread_join(x[i].thread, NULL);
			EXPECT_EQ(-EBADF, x[i].last);
		}
		r.fd = -1;
		xt_ring_exit(&r);
	}
	xt_rec(log, x[0].last, "last");
}

TEST(enter_and_register_race_close)
{
	XT_DIFF(close_race);
}

TEST_HARNESS_MAIN
