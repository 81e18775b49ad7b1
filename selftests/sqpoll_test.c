// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_SETUP_SQPOLL: submission without any enter call, the idle thread
 * and XURING_SQ_NEED_WAKEUP / XURING_ENTER_SQ_WAKEUP, XURING_ENTER_SQ_WAIT,
 * XURING_SETUP_SQ_AFF, registered files, privilege. Against native, with
 * 5.10's rules where native has moved on (noted at each case).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define DONE_MS		5000
/* 5.11's IORING_FEAT_SQPOLL_NONFIXED: not in the 5.10 header */
#define FEAT_SQPOLL_NONFIXED	(1U << 7)

#define load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)

#define PREP(op, fd, addr, len, off, ud, flags) \
	XT_PREP(&r, op, fd, addr, len, off, ud, flags)

/* Reap n CQEs looking at the ring memory only: no system call but sleep. */
static unsigned int spin_reap(struct xt_ring *r, struct xuring_cqe *out,
			      unsigned int n, int ms)
{
	long long deadline = xt_now_ms() + ms;
	unsigned int got = 0;

	while (got < n && xt_now_ms() < deadline) {
		if (xt_peek_cqe(r, &out[got]) == 0)
			got++;
		else
			xt_sleep_ms(1);
	}
	qsort(out, got, sizeof(*out), xt_cqe_cmp);
	return got;
}

static void rec_cqes(struct xt_log *log, const char *tag,
		     const struct xuring_cqe *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		xt_rec(log, c[i].user_data, "%s.ud%u", tag, i);
		xt_rec(log, c[i].res, "%s.res%u", tag, i);
		xt_rec(log, c[i].flags, "%s.flags%u", tag, i);
	}
}

static void sqpoll_ring(struct __test_metadata *_metadata, struct xt_ring *r,
			enum xt_kind kind, unsigned int entries,
			unsigned int idle_ms, struct xuring_params *pp)
{
	struct xuring_params p;

	if (!pp)
		pp = &p;
	memset(pp, 0, sizeof(*pp));
	pp->flags = XURING_SETUP_SQPOLL;
	pp->sq_thread_idle = idle_ms;
	XT_RING(r, kind, entries, pp);
}

/* Wait until the SQ thread has gone idle and asks to be woken. */
static bool wait_need_wakeup(struct xt_ring *r, int ms)
{
	long long deadline = xt_now_ms() + ms;

	while (!(xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP)) {
		if (xt_now_ms() >= deadline)
			return false;
		xt_sleep_ms(5);
	}
	return true;
}

/*
 * Publish the SQ tail the way the man page says: store it, full barrier,
 * then wake the thread if it asked for it. Returns whether it had to.
 */
static bool submit_sq(struct xt_ring *r)
{
	xt_flush(r);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP))
		return false;
	xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	return true;
}

/*
 * Everything through registered files, and never an enter call: the SQ
 * thread consumes the SQEs as the tail moves, CQEs show up in the ring.
 *
 * 5.10 lets a new SQ thread spin for sq_thread_idle before its first
 * sleep, so SQEs queued right after setup need no wakeup; xuring does the
 * same. Native 6.1 starts its thread asleep (NEED_WAKEUP at once): there
 * the first SQE needs one SQ_WAKEUP, and what follows within the idle
 * time needs none.
 */
XT_SCENARIO(no_enter)
{
	static const char msg[] = "through the SQ thread";
	struct xuring_cqe cqes[6];
	char fbuf[64], pbuf[64], got_in_a[64], abuf[4];
	int fds[3], a[2], b[2], fd;
	struct xt_ring r;
	char path[64];
	unsigned int n;

	sqpoll_ring(_metadata, &r, kind, 8, 5000, NULL);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ((ssize_t)sizeof(msg), pwrite(fd, msg, sizeof(msg), 0));
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	fds[0] = fd;
	fds[1] = a[1];
	fds[2] = b[0];
	ASSERT_EQ(0, xt_register_files(&r, fds, 3));

	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 0, 0);
	if (kind == XT_XURING) {
		xt_flush(&r);
		EXPECT_FALSE(xt_sq_flags(&r) & XURING_SQ_NEED_WAKEUP)
			TH_LOG("a new SQ thread asks for a wakeup at once");
	} else {
		submit_sq(&r);
	}
	ASSERT_EQ(1U, spin_reap(&r, cqes, 1, DONE_MS));
	EXPECT_EQ(0, cqes[0].res);

	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 1, 0);
	PREP(XURING_OP_READ, 0, fbuf, sizeof(fbuf), 0, 2, XURING_SQE_FIXED_FILE);
	PREP(XURING_OP_WRITE, 1, msg, 5, 0, 3, XURING_SQE_FIXED_FILE);
	PREP(XURING_OP_READ, 2, pbuf, sizeof(pbuf), 0, 4, XURING_SQE_FIXED_FILE);
	PREP(XURING_OP_READ, 0, abuf, 4, 3, 5,
	     XURING_SQE_FIXED_FILE | XURING_SQE_ASYNC);
	xt_flush(&r);
	n = spin_reap(&r, cqes, 4, DONE_MS);
	ASSERT_EQ(4U, n) TH_LOG("%s: %u CQEs without enter", xt_kind_name(kind), n);
	EXPECT_EQ(r.sqe_tail, load_acquire(r.sq_head));
	EXPECT_EQ(0, cqes[0].res);
	EXPECT_EQ((int)sizeof(msg), cqes[1].res);
	EXPECT_EQ(0, memcmp(fbuf, msg, sizeof(msg)));
	EXPECT_EQ(5, cqes[2].res);
	EXPECT_EQ(5, read(a[0], got_in_a, sizeof(got_in_a)));
	EXPECT_EQ(5ULL, (unsigned long long)cqes[3].user_data);
	EXPECT_EQ(4, cqes[3].res);
	EXPECT_EQ(0, memcmp(abuf, msg + 3, 4));
	rec_cqes(log, "first", cqes, 4);
	/* the pipe read waits for data, still without enter */
	ASSERT_EQ(7, write(b[1], "waiting", 7));
	n = spin_reap(&r, cqes, 1, DONE_MS);
	ASSERT_EQ(1U, n);
	EXPECT_EQ(4ULL, (unsigned long long)cqes[0].user_data);
	EXPECT_EQ(7, cqes[0].res);
	EXPECT_EQ(0, memcmp(pbuf, "waiting", 7));
	rec_cqes(log, "pipe", cqes, 1);
	close(fd);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	xt_ring_exit(&r);
}

TEST(submit_without_enter)
{
	XT_DIFF(no_enter);
}

/*
 * 5.10: the SQ thread can only use registered files, a plain fd is -EBADF.
 * 5.11 lifted that (FEAT_SQPOLL_NONFIXED), so native 6.x reads it.
 */
XT_SCENARIO(nonfixed)
{
	struct xuring_params p;
	struct xuring_cqe cqe;
	struct xt_ring r;
	char buf[16];
	int fd, res;

	sqpoll_ring(_metadata, &r, kind, 4, 5000, &p);
	fd = xt_sparse_file(16);
	ASSERT_LE(0, fd);
	PREP(XURING_OP_READ, fd, buf, sizeof(buf), 0, 1, 0);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));
	res = cqe.res;
	if (kind == XT_XURING) {
		EXPECT_EQ(-EBADF, res);
		EXPECT_FALSE(p.features & FEAT_SQPOLL_NONFIXED);
	} else {
		EXPECT_EQ(16, res);
		EXPECT_TRUE(p.features & FEAT_SQPOLL_NONFIXED);
	}
	/* a NOP needs no file: fine on both */
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 2, 0);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));
	EXPECT_EQ(0, cqe.res);
	xt_rec(log, cqe.res, "nop");
	close(fd);
	xt_ring_exit(&r);
}

TEST(plain_fds_ebadf_as_in_5_10)
{
	XT_DIFF(nonfixed);
}

/*
 * Idle for sq_thread_idle: the thread sets NEED_WAKEUP and sleeps; an SQE
 * queued then waits until XURING_ENTER_SQ_WAKEUP.
 */
XT_SCENARIO(idle_wakeup)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int head;
	int ret;

	sqpoll_ring(_metadata, &r, kind, 4, 50, NULL);
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 1, 0);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));

	ASSERT_TRUE(wait_need_wakeup(&r, 3000))
		TH_LOG("%s: no NEED_WAKEUP after idling", xt_kind_name(kind));
	xt_rec(log, 1, "need_wakeup");
	head = load_acquire(r.sq_head);
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 2, 0);
	xt_flush(&r);
	xt_sleep_ms(300);
	EXPECT_EQ(head, load_acquire(r.sq_head))
		TH_LOG("the sleeping thread consumed an SQE");
	EXPECT_EQ(0U, xt_cq_ready(&r));
	EXPECT_TRUE(xt_sq_flags(&r) & XURING_SQ_NEED_WAKEUP);

	ret = xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "wakeup.ret");
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS))
		TH_LOG("%s: SQ_WAKEUP did not get the SQE processed",
		       xt_kind_name(kind));
	EXPECT_EQ(2ULL, (unsigned long long)cqe.user_data);
	rec_cqes(log, "woken", &cqe, 1);
	/* and it goes back to sleep */
	EXPECT_TRUE(wait_need_wakeup(&r, 3000));
	xt_ring_exit(&r);
}

TEST(idle_need_wakeup_then_wakeup)
{
	XT_DIFF(idle_wakeup);
}

/*
 * The protocol of the man page, many times against a thread that idles
 * after 2 ms: store the tail, full barrier, read the flags, wake if asked.
 * A lost wakeup shows as an SQE that is never consumed.
 */
XT_SCENARIO(wakeup_race)
{
	unsigned int i, woken = 0, lost = 0;
	uint64_t seed = 0x5eed;
	struct xuring_cqe cqe;
	struct xt_ring r;

	sqpoll_ring(_metadata, &r, kind, 4, 2, NULL);
	for (i = 0; i < 150; i++) {
		xt_sleep_ms(xt_rand(&seed) % 8);
		PREP(XURING_OP_NOP, -1, NULL, 0, 0, i, 0);
		xt_flush(&r);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (xt_sq_flags(&r) & XURING_SQ_NEED_WAKEUP) {
			ASSERT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP));
			woken++;
		}
		if (xt_wait_cqe_ms(&r, &cqe, 3000)) {
			lost++;
			TH_LOG("%s: SQE %u never consumed (flags %#x)",
			       xt_kind_name(kind), i, xt_sq_flags(&r));
			break;
		}
		EXPECT_EQ(i, cqe.user_data);
	}
	EXPECT_EQ(0U, lost);
	TH_LOG("%s: %u of %u submissions needed a wakeup", xt_kind_name(kind),
	       woken, i);
	EXPECT_LT(0U, woken);
	xt_rec(log, lost, "lost");
	xt_ring_exit(&r);
}

TEST(need_wakeup_protocol_loses_nothing)
{
	XT_DIFF(wakeup_race);
}

struct sq_waiter {
	struct xt_ring *r;
	int ret;
	long long ms;
	int done;
	pthread_t thread;
};

static void *sq_wait_fn(void *arg)
{
	struct sq_waiter *w = arg;
	long long t = xt_now_ms();

	w->ret = xt_enter(w->r, 0, 0, XURING_ENTER_SQ_WAIT);
	w->ms = xt_now_ms() - t;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* XURING_ENTER_SQ_WAIT sleeps while the SQ is full, until the thread eats. */
XT_SCENARIO(sq_wait)
{
	struct xuring_cqe cqes[4];
	struct sq_waiter w = { 0 };
	struct xt_ring r;
	long long t;
	int ret;

	sqpoll_ring(_metadata, &r, kind, 4, 50, NULL);
	/* room in the SQ: returns at once */
	t = xt_now_ms();
	ret = xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAIT);
	EXPECT_EQ(0, ret);
	EXPECT_GT(1000, xt_now_ms() - t);
	xt_rec(log, ret, "roomy.ret");

	ASSERT_TRUE(wait_need_wakeup(&r, 3000));
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 1));
	xt_flush(&r);
	ASSERT_EQ(NULL, xt_get_sqe(&r));	/* full */
	w.r = &r;
	ASSERT_EQ(0, pthread_create(&w.thread, NULL, sq_wait_fn, &w));
	xt_sleep_ms(300);
	EXPECT_EQ(0, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
		TH_LOG("SQ_WAIT returned with the SQ full");
	ASSERT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP));
	t = xt_now_ms();
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE) &&
	       xt_now_ms() - t < DONE_MS)
		xt_sleep_ms(5);
	EXPECT_EQ(1, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
		TH_LOG("SQ_WAIT still waiting with the SQ consumed");
	if (!w.done) {
		pthread_kill(w.thread, SIGKILL);
		return;
	}
	pthread_join(w.thread, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_LE(250, w.ms);
	xt_rec(log, w.ret, "full.ret");
	ASSERT_EQ(4U, spin_reap(&r, cqes, 4, DONE_MS));
	rec_cqes(log, "nops", cqes, 4);
	xt_ring_exit(&r);
}

TEST(sq_wait_sleeps_while_sq_full)
{
	XT_DIFF(sq_wait);
}

/* The SQ thread that appeared since before[] was taken (0: none). */
static pid_t new_sq_thread(enum xt_kind kind, const pid_t *before, int nb)
{
	pid_t now[64];
	int n, i, j;

	n = xt_sq_threads(kind, now, 64);
	for (i = 0; i < n && i < 64; i++) {
		for (j = 0; j < nb; j++)
			if (now[i] == before[j])
				break;
		if (j == nb)
			return now[i];
	}
	return 0;
}

/* SQ_AFF: the thread runs on sq_thread_cpu and nowhere else. */
XT_SCENARIO(sq_aff)
{
	int ncpu = get_nprocs(), cpus[2], i;
	struct xuring_params p;
	struct xuring_cqe cqe;
	char want[16], got[64];
	pid_t before[64], tid;
	struct xt_ring r;
	int nb;

	cpus[0] = 0;
	cpus[1] = ncpu - 1;
	for (i = 0; i < 2; i++) {
		long long deadline;

		nb = xt_sq_threads(kind, before, 64);
		ASSERT_LE(0, nb);
		ASSERT_GT(64, nb);
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_SQPOLL | XURING_SETUP_SQ_AFF;
		p.sq_thread_cpu = cpus[i];
		p.sq_thread_idle = 1000;
		XT_RING(&r, kind, 4, &p);
		PREP(XURING_OP_NOP, -1, NULL, 0, 0, 1, 0);
		submit_sq(&r);
		ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));
		tid = new_sq_thread(kind, before, nb);
		ASSERT_NE(0, tid) TH_LOG("%s: no new SQ thread", xt_kind_name(kind));
		snprintf(want, sizeof(want), "%d", cpus[i]);
		deadline = xt_now_ms() + 2000;
		do {
			ASSERT_EQ(0, xt_cpus_allowed(tid, got, sizeof(got)));
			if (!strcmp(got, want))
				break;
			xt_sleep_ms(10);
		} while (xt_now_ms() < deadline);
		EXPECT_STREQ(want, got)
			TH_LOG("%s: SQ thread %d allowed on %s", xt_kind_name(kind),
			       tid, got);
		xt_rec(log, !strcmp(got, want), "pinned%d", i);
		xt_ring_exit(&r);
	}
}

TEST(sq_aff_pins_the_thread)
{
	XT_DIFF(sq_aff);
}

XT_SCENARIO(sq_aff_bad)
{
	int bad[] = { get_nprocs_conf(), 4096, -1 }, ret, fd;
	struct xuring_params p;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_SQPOLL | XURING_SETUP_SQ_AFF;
		p.sq_thread_cpu = bad[i];
		ret = xt_sys_setup(kind, 4, &p, &fd);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("cpu %d", bad[i]);
		if (!ret)
			close(fd);
		xt_rec(log, ret, "cpu%u", i);
	}
	/* SQ_AFF means nothing without the thread */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQ_AFF;
	ret = xt_sys_setup(kind, 4, &p, &fd);
	EXPECT_EQ(-EINVAL, ret);
	if (!ret)
		close(fd);
	xt_rec(log, ret, "no-sqpoll");
}

TEST(sq_aff_bad_cpu_or_without_sqpoll_einval)
{
	XT_DIFF(sq_aff_bad);
}

/*
 * 5.10: SQPOLL is for CAP_SYS_ADMIN (-EPERM otherwise). Native allows it
 * to anyone since 5.11. The device is opened as root, then the child
 * gives up root; only the flag decides.
 */
XT_SCENARIO(privilege)
{
	int ret, status, rc;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct xuring_params p;
		int fd, dev = kind == XT_XURING ? xt_dev_open() : -1;

		alarm(10);
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_SQPOLL;
		if (kind == XT_XURING) {
			p.sq_entries = 4;
			ret = ioctl(dev, XURING_IOC_SETUP, &p) ? -errno : 0;
		} else {
			ret = xt_sys_setup(kind, 4, &p, &fd);
		}
		if (ret == 0)
			_exit(0);
		if (ret == -EPERM)
			_exit(1);
		_exit(2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	rc = WEXITSTATUS(status);
	ASSERT_NE(100, rc) TH_LOG("could not drop root");
	if (kind == XT_XURING) {
		EXPECT_EQ(1, rc) TH_LOG("unprivileged SQPOLL not -EPERM");
	} else {
		EXPECT_EQ(0, rc) TH_LOG("native refused unprivileged SQPOLL");
	}
	xt_rec(log, rc != 100, "dropped-root");
}

TEST(sqpoll_needs_cap_sys_admin_as_in_5_10)
{
	XT_DIFF(privilege);
}

/* Registered files come and go while the thread runs. */
XT_SCENARIO(files)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	char buf[8];
	int fd, ret;

	sqpoll_ring(_metadata, &r, kind, 4, 5000, NULL);
	fd = xt_sparse_file(8);
	ASSERT_LE(0, fd);
	ret = xt_register_files(&r, &fd, 0);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "reg0");
	ret = xt_sys_register(kind, r.fd, XURING_UNREGISTER_FILES, NULL, 0);
	EXPECT_EQ(-ENXIO, ret);
	xt_rec(log, ret, "unreg-none");
	ASSERT_EQ(0, xt_register_files(&r, &fd, 1));
	ret = xt_register_files(&r, &fd, 1);
	EXPECT_EQ(-EBUSY, ret);
	xt_rec(log, ret, "reg-twice");

	PREP(XURING_OP_READ, 0, buf, 8, 0, 1, XURING_SQE_FIXED_FILE);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS))
		TH_LOG("sq head %u tail %u flags %#x cq %u/%u", *r.sq_head,
		       *r.sq_tail, xt_sq_flags(&r), *r.cq_head, *r.cq_tail);
	EXPECT_EQ(8, cqe.res);
	rec_cqes(log, "read", &cqe, 1);
	/* an index past the table */
	PREP(XURING_OP_READ, 1, buf, 8, 0, 2, XURING_SQE_FIXED_FILE);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));
	EXPECT_EQ(-EBADF, cqe.res);
	rec_cqes(log, "past", &cqe, 1);

	ret = xt_sys_register(kind, r.fd, XURING_UNREGISTER_FILES, NULL, 0);
	EXPECT_EQ(0, ret);
	PREP(XURING_OP_READ, 0, buf, 8, 0, 3, XURING_SQE_FIXED_FILE);
	submit_sq(&r);
	ASSERT_EQ(1U, spin_reap(&r, &cqe, 1, DONE_MS));
	EXPECT_EQ(-EBADF, cqe.res);
	rec_cqes(log, "gone", &cqe, 1);
	close(fd);
	xt_ring_exit(&r);
}

TEST(registered_files_with_sqpoll)
{
	XT_DIFF(files);
}

/* The thread goes away with its last ring. */
XT_SCENARIO(thread_exits)
{
	pid_t before[64], tid, now[64];
	struct xt_ring r;
	long long deadline;
	int nb, n, i;
	bool gone;

	nb = xt_sq_threads(kind, before, 64);
	ASSERT_LE(0, nb);
	sqpoll_ring(_metadata, &r, kind, 4, 1000, NULL);
	deadline = xt_now_ms() + 2000;
	while (!(tid = new_sq_thread(kind, before, nb)) &&
	       xt_now_ms() < deadline)
		xt_sleep_ms(10);
	ASSERT_NE(0, tid);
	xt_ring_exit(&r);
	deadline = xt_now_ms() + 5000;
	do {
		n = xt_sq_threads(kind, now, 64);
		gone = true;
		for (i = 0; i < n && i < 64; i++)
			if (now[i] == tid)
				gone = false;
		if (gone)
			break;
		xt_sleep_ms(10);
	} while (xt_now_ms() < deadline);
	EXPECT_TRUE(gone) TH_LOG("%s: SQ thread %d still there", xt_kind_name(kind), tid);
	xt_rec(log, gone, "gone");
}

TEST(sq_thread_exits_with_its_ring)
{
	XT_DIFF(thread_exits);
}

/*
 * One SQPOLL ring: its creator forks a child that keeps the fd, and exits.
 * The child's ENTER then says -EOWNERDEAD: native 6.1's SQ thread dies with
 * its creator, and xuring's serves no ring whose creator has exited.
 */
static void owner_dead_creator(enum xt_kind kind, int wfd)
{
	struct xuring_params p = { .flags = XURING_SETUP_SQPOLL };
	pid_t creator = getpid();
	struct xt_ring r;
	int ret = -1000;

	if (xt_ring_init(&r, kind, 4, &p) || fork()) {
		if (write(wfd, &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
		_exit(0);	/* the creator exits at once */
	}
	while (getppid() == creator)
		xt_sleep_ms(10);
	xt_sleep_ms(200);	/* native's thread goes with its process */
	ret = xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	if (write(wfd, &ret, sizeof(ret)) != sizeof(ret))
		_exit(1);
	_exit(0);
}

XT_SCENARIO(owner_dead)
{
	int status, fds[2], ret = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		owner_dead_creator(kind, fds[1]);
	close(fds[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* the creator's own word when setup failed, then the child's */
	ASSERT_EQ(sizeof(ret), read(fds[0], &ret, sizeof(ret)));
	if (ret == -1000)
		ASSERT_EQ(sizeof(ret), read(fds[0], &ret, sizeof(ret)));
	close(fds[0]);
	EXPECT_EQ(-EOWNERDEAD, ret);
	xt_rec(log, ret, "enter after the creator exited");
}

TEST(enter_after_creator_exit_eownerdead)
{
	XT_DIFF(owner_dead);
}

TEST_HARNESS_MAIN
