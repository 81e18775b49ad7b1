// SPDX-License-Identifier: GPL-2.0
/*
 * Threads: several submitters and one reaper on a shared ring, rings used
 * in parallel, entering a ring while another thread closes it, and
 * SINGLE_ISSUER's one submitting task.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
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
	struct xuring_params p;
	struct xt_ring r;
	pthread_t reaper;
	unsigned int i;

	ASSERT_NE(NULL, s);
	/*
	 * xuring gets a small CQ, so the reaper lags behind and submitters
	 * meet -EBUSY. Native gets room for everything: 6.1's own overflow
	 * flush under a sleeping waiter trips DEBUG_ATOMIC_SLEEP ("do not
	 * call blocking ops when !TASK_RUNNING") on the debug lane.
	 */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = kind == XT_XURING ? 16 : 2 * SUBMITTERS * PER_THREAD;
	XT_RING(&r, kind, 8, &p);
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

/* What another thread may do with a SINGLE_ISSUER ring. */
struct other {
	struct xt_ring *r;
	enum xt_kind kind;
	int sub, wait, probe, enable, sub_after;
	bool enable_it;
};

static void *other_fn(void *arg)
{
	struct other *o = arg;
	struct xuring_probe *probe = calloc(1, sizeof(*probe) +
					    8 * sizeof(probe->ops[0]));

	if (o->enable_it)
		o->enable = xt_sys_register(o->kind, o->r->fd,
					    XURING_REGISTER_ENABLE_RINGS,
					    NULL, 0);
	/* one NOP is queued: try to submit it */
	o->sub = xt_sys_enter(o->kind, o->r->fd, 1, 0, 0, NULL, 0);
	/* waiting is anyone's */
	o->wait = xt_sys_enter(o->kind, o->r->fd, 0, 0,
			       XURING_ENTER_GETEVENTS, NULL, 0);
	o->probe = probe ? xt_sys_register(o->kind, o->r->fd,
					   XURING_REGISTER_PROBE, probe, 8) :
			   -ENOMEM;
	free(probe);
	return NULL;
}

/*
 * A SINGLE_ISSUER ring with @flags and one NOP queued (@ud), and another
 * thread's go at it (enabling it first if @enable).
 */
static void other_run(struct __test_metadata *_metadata, struct xt_ring *r,
		      enum xt_kind kind, unsigned int flags, uint64_t ud,
		      bool enable, struct other *o)
{
	struct xuring_params p;
	pthread_t th;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SINGLE_ISSUER | flags;
	XT_RING(r, kind, 4, &p);
	ASSERT_EQ(0, xt_queue_nops(r, 1, ud));
	xt_flush(r);
	memset(o, 0, sizeof(*o));
	o->r = r;
	o->kind = kind;
	o->enable_it = enable;
	ASSERT_EQ(0, pthread_create(&th, NULL, other_fn, o));
	ASSERT_EQ(0, pthread_join(th, NULL));
}

/*
 * SINGLE_ISSUER (6.0): the task that set the ring up, or the one that
 * enabled a disabled ring, alone submits and registers (-EEXIST for
 * others, any register opcode); anyone waits; SQPOLL submits for itself.
 */
XT_SCENARIO(single_issuer)
{
	struct xuring_cqe cqe;
	struct other o;
	struct xt_ring r;
	int ret;

	other_run(_metadata, &r, kind, 0, 1, false, &o);
	EXPECT_EQ(-EEXIST, o.sub);
	EXPECT_EQ(0, o.wait);
	EXPECT_EQ(-EEXIST, o.probe);
	xt_rec(log, o.sub, "sub");
	xt_rec(log, o.wait, "wait");
	xt_rec(log, o.probe, "probe");
	/* an opcode nobody knows is -EEXIST too, not -EINVAL */
	ret = xt_sys_register(kind, r.fd, XURING_REGISTER_PROBE, NULL, 0);
	xt_rec(log, ret, "own-probe-null");
	ret = xt_submit_and_wait(&r, 1);
	EXPECT_EQ(1, ret);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	xt_rec(log, ret, "own");
	xt_ring_exit(&r);

	/* a disabled ring: the task that enables it is the issuer */
	other_run(_metadata, &r, kind, XURING_SETUP_R_DISABLED, 2, true, &o);
	EXPECT_EQ(0, o.enable);
	EXPECT_EQ(1, o.sub);
	EXPECT_EQ(0, o.probe);
	xt_rec(log, o.enable, "d-enable");
	xt_rec(log, o.sub, "d-sub");
	xt_rec(log, o.probe, "d-probe");
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 3));
	xt_flush(&r);
	ret = xt_enter(&r, 1, 0, 0);
	EXPECT_EQ(-EEXIST, ret);
	xt_rec(log, ret, "d-own");
	xt_ring_exit(&r);

	/* SQPOLL: the SQ thread submits; another thread's enter is fine */
	other_run(_metadata, &r, kind, XURING_SETUP_SQPOLL, 4, false, &o);
	EXPECT_EQ(1, o.sub);
	EXPECT_EQ(-EEXIST, o.probe);
	xt_rec(log, o.sub, "s-sub");
	xt_rec(log, o.probe, "s-probe");
	xt_ring_exit(&r);
}

TEST(single_issuer_submits_alone)
{
	XT_DIFF(single_issuer);
}

TEST_HARNESS_MAIN
