// SPDX-License-Identifier: GPL-2.0
/*
 * ENTER with GETEVENTS: waiting for min_complete, interruption by signals,
 * the sigmask argument, EXT_ARG (a timeout and the mask in a
 * getevents_arg), and enter's argument validation.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/time_types.h>

#include "kselftest_harness.h"
#include "xtest.h"

static volatile sig_atomic_t hits;

static void on_signal(int sig)
{
	(void)sig;
	hits++;
}

/* A handler without SA_RESTART, so an interrupted wait reports EINTR. */
static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	hits = 0;
}

/*
 * Send sig to one thread every ms until stopped, from a helper thread, so
 * a wait that starts late is still interrupted.
 */
struct kicker {
	pthread_t target;
	pthread_t thread;
	int sig;
	unsigned int ms;
	volatile bool stop;
};

static void *kick_fn(void *arg)
{
	struct kicker *k = arg;
	unsigned int i;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (i = 0; i < 100; i++) {
		xt_sleep_ms(k->ms);
		if (k->stop)
			break;
		pthread_kill(k->target, k->sig);
	}
	return NULL;
}

static int kick_start(struct kicker *k, int sig, unsigned int ms)
{
	k->target = pthread_self();
	k->sig = sig;
	k->ms = ms;
	k->stop = false;
	return pthread_create(&k->thread, NULL, kick_fn, k);
}

static void kick_stop(struct kicker *k)
{
	k->stop = true;
	pthread_join(k->thread, NULL);
}

XT_SCENARIO(ready)
{
	struct xt_ring r;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 0));
	ret = xt_submit_and_wait(&r, 4);
	EXPECT_EQ(4, ret);
	EXPECT_GE(xt_cq_ready(&r), 4U);
	xt_rec(log, ret, "ret");
	/* with them there, waiting for <= 4 returns at once */
	ret = xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	ret = xt_enter(&r, 0, 1, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	ret = xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "ret0");
	/* min_complete is clamped to the CQ size */
	ASSERT_EQ(0, xt_queue_nops(&r, 8, 4));
	ret = xt_enter(&r, xt_flush(&r), 0, 0);
	EXPECT_EQ(8, ret);
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 12));
	ret = xt_enter(&r, xt_flush(&r), 1000, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(4, ret);
	xt_rec(log, ret, "ret-clamped");
	EXPECT_EQ(16U, xt_cq_ready(&r));
	ret = xt_enter(&r, 0, 0xffffffffU, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	xt_ring_exit(&r);
}

TEST(getevents_returns_when_ready)
{
	XT_DIFF(ready);
}

XT_SCENARIO(waits)
{
	struct xt_delayed d1 = { 0 }, d2 = { 0 };
	struct xt_ring r;
	long long t0, dt;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	/* another thread completes 2 NOPs at ~50 ms and 2 more at ~300 ms */
	d1.r = &r;
	d1.delay_ms = 50;
	d1.count = 2;
	ASSERT_EQ(0, xt_delayed_start(&d1));
	ASSERT_EQ(2, xt_delayed_join(&d1));
	t0 = xt_now_ms();
	d2.r = &r;
	d2.delay_ms = 300;
	d2.count = 2;
	d2.first_ud = 2;
	ASSERT_EQ(0, xt_delayed_start(&d2));
	ret = xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS);
	dt = xt_now_ms() - t0;
	EXPECT_EQ(0, ret);
	EXPECT_EQ(2, xt_delayed_join(&d2));
	EXPECT_GE(xt_cq_ready(&r), 4U);
	/* it waited for the second pair */
	EXPECT_GE(dt, 250) TH_LOG("%s returned after %lld ms",
				  xt_kind_name(kind), dt);
	xt_rec(log, ret, "ret");
	xt_rec(log, xt_cq_ready(&r), "ready");
	xt_ring_exit(&r);
}

TEST(getevents_waits_for_min_complete)
{
	XT_DIFF(waits);
}

XT_SCENARIO(eintr)
{
	struct xt_ring r;
	struct kicker k;
	long long t0, dt;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	catch(SIGUSR1);
	ASSERT_EQ(0, kick_start(&k, SIGUSR1, 100));
	t0 = xt_now_ms();
	ret = xt_enter(&r, 0, 1, XURING_ENTER_GETEVENTS);
	dt = xt_now_ms() - t0;
	kick_stop(&k);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_LE(1, hits);
	EXPECT_GE(dt, 80);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	xt_rec(log, ret, "ret");
	xt_rec(log, hits >= 1, "hits");
	/* the ring is fine afterwards */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 5));
	EXPECT_EQ(1, xt_submit_and_wait(&r, 1));
	xt_ring_exit(&r);
}

TEST(signal_interrupts_wait)
{
	XT_DIFF(eintr);
}

XT_SCENARIO(alarm_eintr)
{
	struct itimerval it = { { 0, 0 }, { 0, 150000 } };
	struct xt_ring r;
	int ret;

	/* SIGALRM from a timer, the classic way */
	XT_RING(&r, kind, 4, NULL);
	catch(SIGALRM);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	ret = xt_enter(&r, 0, 2, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ(1, hits);
	xt_rec(log, ret, "ret");
	signal(SIGALRM, SIG_DFL);
	xt_ring_exit(&r);
}

TEST(alarm_interrupts_wait)
{
	XT_DIFF(alarm_eintr);
}

XT_SCENARIO(mask_blocks)
{
	struct xt_delayed d = { 0 };
	sigset_t mask, now;
	struct xt_ring r;
	struct kicker k;
	long long t0, dt;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	catch(SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	/*
	 * SIGUSR1 every 50 ms is blocked by the wait's mask; a NOP at 1 s
	 * (late enough that a loaded machine still kicks during the wait)
	 */
	d.r = &r;
	d.delay_ms = 1000;
	d.count = 1;
	ASSERT_EQ(0, xt_delayed_start(&d));
	ASSERT_EQ(0, kick_start(&k, SIGUSR1, 50));
	t0 = xt_now_ms();
	ret = xt_sys_enter(kind, r.fd, 0, 1, XURING_ENTER_GETEVENTS, &mask,
			   _NSIG / 8);
	dt = xt_now_ms() - t0;
	kick_stop(&k);
	EXPECT_EQ(1, xt_delayed_join(&d));
	EXPECT_EQ(0, ret) TH_LOG("%s: %s", xt_kind_name(kind),
				 ret < 0 ? strerror(-ret) : "");
	EXPECT_GE(dt, 250);
	EXPECT_EQ(1U, xt_cq_ready(&r));
	/* the original (empty) mask is back: the pending signal arrived */
	EXPECT_LE(1, hits);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_FALSE(sigismember(&now, SIGUSR1));
	xt_rec(log, ret, "ret");
	xt_rec(log, hits >= 1, "hits");
	xt_ring_exit(&r);
}

TEST(sigmask_blocks_signal_during_wait)
{
	XT_DIFF(mask_blocks);
}

XT_SCENARIO(mask_unblocks)
{
	sigset_t empty, block, now;
	struct xt_ring r;
	struct kicker k;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	catch(SIGUSR2);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &block, NULL));
	sigemptyset(&empty);
	/* blocked in the process, unblocked for the wait only */
	ASSERT_EQ(0, kick_start(&k, SIGUSR2, 100));
	ret = xt_sys_enter(kind, r.fd, 0, 1, XURING_ENTER_GETEVENTS, &empty,
			   _NSIG / 8);
	kick_stop(&k);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_LE(1, hits);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_TRUE(sigismember(&now, SIGUSR2));
	xt_rec(log, ret, "ret");
	xt_rec(log, hits >= 1, "hits");
	xt_rec(log, sigismember(&now, SIGUSR2), "restored");

	/* a signal already pending is taken as soon as the wait starts */
	hits = 0;
	ASSERT_EQ(0, raise(SIGUSR2));
	EXPECT_EQ(0, hits);
	ret = xt_sys_enter(kind, r.fd, 0, 1, XURING_ENTER_GETEVENTS, &empty,
			   _NSIG / 8);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ(1, hits);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_TRUE(sigismember(&now, SIGUSR2));
	xt_rec(log, ret, "pending-ret");
	xt_ring_exit(&r);
}

TEST(sigmask_unblocks_signal_during_wait)
{
	XT_DIFF(mask_unblocks);
}

XT_SCENARIO(mask_size)
{
	static const size_t sizes[] = { 0, 4, 7, 9, 16, 128, 1UL << 40 };
	sigset_t mask;
	struct xt_ring r;
	unsigned int i;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	sigemptyset(&mask);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ret = xt_sys_enter(kind, r.fd, 0, 1, XURING_ENTER_GETEVENTS,
				   &mask, sizes[i]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("sigmask_sz %zu", sizes[i]);
		xt_rec(log, ret, "sz%zu", sizes[i]);
	}
	/* a mask pointer that faults */
	ret = xt_sys_enter(kind, r.fd, 0, 1, XURING_ENTER_GETEVENTS,
			   xt_unmapped_page(), _NSIG / 8);
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "efault");
	xt_ring_exit(&r);
}

TEST(bad_sigmask_size_einval)
{
	XT_DIFF(mask_size);
}

TEST(enter_resv_einval)
{
	struct xuring_enter_args a;
	struct xt_ring r;
	unsigned int bit;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	xt_flush(&r);
	for (bit = 0; bit < 32; bit++) {
		memset(&a, 0, sizeof(a));
		a.to_submit = 1;
		a.resv = 1U << bit;
		EXPECT_EQ(-1, ioctl(r.fd, XURING_IOC_ENTER, &a));
		EXPECT_EQ(EINVAL, errno) TH_LOG("resv bit %u", bit);
	}
	/* nothing was submitted by the refused calls */
	EXPECT_EQ(0U, *r.sq_head);
	EXPECT_EQ(1, xt_enter(&r, 1, 1, XURING_ENTER_GETEVENTS));
	xt_ring_exit(&r);
}

XT_SCENARIO(enter_flags)
{
	struct xt_ring r;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	xt_flush(&r);
	ret = xt_enter(&r, 1, 0, 1U << 31);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "bit31");
	ret = xt_enter(&r, 1, 0, 0xffff0000U);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "high");
	EXPECT_EQ(0U, *r.sq_head);
	/* SQ_WAKEUP/SQ_WAIT without SQPOLL are accepted and ignored */
	ret = xt_enter(&r, 1, 0, XURING_ENTER_SQ_WAKEUP | XURING_ENTER_SQ_WAIT);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "sq-flags");
	xt_ring_exit(&r);
}

TEST(unknown_enter_flags_einval)
{
	struct xt_ring r;
	unsigned int bit;

	/*
	 * Bits 0..3 are known (3 is EXT_ARG). REGISTERED_RING (4) cannot be
	 * had through an ioctl, which looks its fd up anyway: refused as by
	 * a kernel without it (native 6.1 takes it, so xuring alone).
	 */
	if (xt_xuring_present()) {
		XT_RING(&r, XT_XURING, 4, NULL);
		ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
		xt_flush(&r);
		for (bit = 4; bit < 32; bit++)
			EXPECT_EQ(-EINVAL, xt_enter(&r, 1, 0, 1U << bit))
				TH_LOG("enter flag bit %u", bit);
		EXPECT_EQ(0U, *r.sq_head);
		xt_ring_exit(&r);
	}
	XT_DIFF(enter_flags);
}

/* EXT_ARG: ENTER's sigmask and sigmask_sz name a getevents_arg. */
static int enter_ext(enum xt_kind kind, int fd, unsigned int to_submit,
		     unsigned int min_complete, const sigset_t *mask,
		     const struct __kernel_timespec *ts)
{
	struct xuring_getevents_arg arg = {
		.sigmask = (uint64_t)(uintptr_t)mask,
		.sigmask_sz = mask ? _NSIG / 8 : 0,
		.ts = (uint64_t)(uintptr_t)ts,
	};

	return xt_sys_enter(kind, fd, to_submit, min_complete,
			    XURING_ENTER_GETEVENTS | XURING_ENTER_EXT_ARG,
			    &arg, sizeof(arg));
}

/*
 * Whether native io_uring reads getevents_arg's pad as a minimum wait
 * (6.12's IORING_FEAT_MIN_TIMEOUT) rather than refusing it, as 6.1 does.
 */
static bool native_reads_pad(void)
{
	struct utsname u;
	unsigned int major, minor;

	return !uname(&u) && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	       (major > 6 || (major == 6 && minor >= 12));
}

XT_SCENARIO(ext_timeout)
{
	struct __kernel_timespec ts = { .tv_nsec = 50 * 1000000 };
	struct xuring_cqe cqe;
	struct xt_ring r;
	long long t0, dt;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	EXPECT_TRUE(r.p.features & XURING_FEAT_EXT_ARG);
	xt_rec(log, !!(r.p.features & XURING_FEAT_EXT_ARG), "feature");

	/* nothing comes: -ETIME, not before the timeout */
	t0 = xt_now_ms();
	ret = enter_ext(kind, r.fd, 0, 1, NULL, &ts);
	dt = xt_now_ms() - t0;
	EXPECT_EQ(-ETIME, ret);
	EXPECT_GE(dt, 45) TH_LOG("%s: -ETIME after %lld ms",
				 xt_kind_name(kind), dt);
	xt_rec(log, ret, "empty");

	/* enough there already: 0 at once, the timeout never read */
	ASSERT_EQ(0, xt_queue_nops(&r, 2, 1));
	EXPECT_EQ(2, xt_submit(&r));
	ret = enter_ext(kind, r.fd, 0, 2, NULL, xt_unmapped_page());
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "ready-bad-ts");

	/* fewer than asked when the time is up: CQEs to reap, so 0 */
	ret = enter_ext(kind, r.fd, 0, 3, NULL, &ts);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "short");
	EXPECT_EQ(0, xt_peek_cqe(&r, &cqe));
	EXPECT_EQ(0, xt_peek_cqe(&r, &cqe));

	/* a timeout it has to read, and cannot */
	ret = enter_ext(kind, r.fd, 0, 1, NULL, xt_unmapped_page());
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "bad-ts");

	/* submitting and timing out: the submitted count */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 3));
	ret = enter_ext(kind, r.fd, xt_flush(&r), 2, NULL, &ts);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "submitted");
	EXPECT_EQ(1U, xt_cq_ready(&r));

	/* no timespec: no timeout, and the CQE there is enough */
	ret = enter_ext(kind, r.fd, 0, 1, NULL, NULL);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "no-ts");

	/* past and zero timeouts end the wait at once */
	EXPECT_EQ(0, xt_peek_cqe(&r, &cqe));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	ret = enter_ext(kind, r.fd, 0, 1, NULL, &ts);
	EXPECT_EQ(-ETIME, ret);
	xt_rec(log, ret, "negative");
	ts.tv_sec = 0;
	ret = enter_ext(kind, r.fd, 0, 1, NULL, &ts);
	EXPECT_EQ(-ETIME, ret);
	xt_rec(log, ret, "zero");
	xt_ring_exit(&r);
}

TEST(ext_arg_timeout_ends_wait)
{
	XT_DIFF(ext_timeout);
}

XT_SCENARIO(ext_wakes)
{
	struct __kernel_timespec ts = { .tv_sec = 10 };
	struct xt_delayed d = { 0 };
	struct xt_ring r;
	long long t0, dt;
	int ret;

	/* CQEs from another thread at ~100 ms end a 10 s wait */
	XT_RING(&r, kind, 8, NULL);
	d.r = &r;
	d.delay_ms = 100;
	d.count = 2;
	ASSERT_EQ(0, xt_delayed_start(&d));
	t0 = xt_now_ms();
	ret = enter_ext(kind, r.fd, 0, 2, NULL, &ts);
	dt = xt_now_ms() - t0;
	EXPECT_EQ(2, xt_delayed_join(&d));
	EXPECT_EQ(0, ret);
	EXPECT_LT(dt, 5000) TH_LOG("%s: woken after %lld ms",
				   xt_kind_name(kind), dt);
	EXPECT_EQ(2U, xt_cq_ready(&r));
	xt_rec(log, ret, "ret");
	xt_rec(log, xt_cq_ready(&r), "ready");
	xt_ring_exit(&r);
}

TEST(ext_arg_wait_ends_with_cqes)
{
	XT_DIFF(ext_wakes);
}

XT_SCENARIO(ext_mask)
{
	struct __kernel_timespec ts = { .tv_nsec = 400 * 1000000 };
	sigset_t mask, now;
	struct xt_ring r;
	struct kicker k;
	int ret;

	/* the mask in the arg blocks SIGUSR1 for the wait: it times out */
	XT_RING(&r, kind, 4, NULL);
	catch(SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	ASSERT_EQ(0, kick_start(&k, SIGUSR1, 50));
	ret = enter_ext(kind, r.fd, 0, 1, &mask, &ts);
	kick_stop(&k);
	EXPECT_EQ(-ETIME, ret);
	/* the old mask is back: the blocked signal came after */
	EXPECT_LE(1, hits);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_FALSE(sigismember(&now, SIGUSR1));
	xt_rec(log, ret, "blocked");
	xt_rec(log, hits >= 1, "hits");

	/* without it in the mask, the signal ends the timed wait */
	sigemptyset(&mask);
	hits = 0;
	ASSERT_EQ(0, kick_start(&k, SIGUSR1, 50));
	ret = enter_ext(kind, r.fd, 0, 1, &mask, &ts);
	kick_stop(&k);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_LE(1, hits);
	xt_rec(log, ret, "unblocked");
	signal(SIGUSR1, SIG_DFL);
	xt_ring_exit(&r);
}

TEST(ext_arg_sigmask_during_timed_wait)
{
	XT_DIFF(ext_mask);
}

XT_SCENARIO(ext_bad)
{
	static const size_t sizes[] = { 0, 8, 23, 25, 32, 1UL << 40 };
	struct __kernel_timespec ts = { .tv_nsec = 1000000 };
	struct xuring_getevents_arg arg = { .ts = (uintptr_t)&ts };
	const unsigned int f = XURING_ENTER_GETEVENTS | XURING_ENTER_EXT_ARG;
	sigset_t mask;
	struct xt_ring r;
	unsigned int i;
	size_t avail;
	char *end;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ret = xt_sys_enter(kind, r.fd, 0, 1, f, &arg, sizes[i]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("argsz %zu", sizes[i]);
		xt_rec(log, ret, "sz%zu", sizes[i]);
	}
	/* the arg itself faults, wholly or in its last byte */
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, xt_unmapped_page(),
			   sizeof(arg));
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "efault");
	end = xt_guarded_end(&avail);
	ASSERT_NE(NULL, end);
	memcpy(end + avail - sizeof(arg) + 1, &arg, sizeof(arg) - 1);
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, end + avail - sizeof(arg) + 1,
			   sizeof(arg));
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "efault-tail");
	/* a sigmask of the wrong size, inside the arg */
	sigemptyset(&mask);
	arg.sigmask = (uintptr_t)&mask;
	arg.sigmask_sz = 4;
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, &arg, sizeof(arg));
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "mask-sz");
	/* a sigmask that faults */
	arg.sigmask = (uintptr_t)xt_unmapped_page();
	arg.sigmask_sz = _NSIG / 8;
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, &arg, sizeof(arg));
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "mask-efault");
	/* EXT_ARG without GETEVENTS: the arg is never read */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	ret = xt_sys_enter(kind, r.fd, xt_flush(&r), 0, XURING_ENTER_EXT_ARG,
			   xt_unmapped_page(), 3);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "no-getevents");
	/* submitted, then a refused arg: the count, as the error is lost */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 2));
	ret = xt_sys_enter(kind, r.fd, xt_flush(&r), 1, f, &arg, 3);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "submitted-bad-sz");
	/* pad: 6.1 refuses it (6.12 reads a minimum wait there) */
	arg.sigmask = 0;
	arg.sigmask_sz = 0;
	arg.pad = 1;
	ret = xt_sys_enter(kind, r.fd, 0, 8, f, &arg, sizeof(arg));
	if (kind == XT_XURING || !native_reads_pad())
		EXPECT_EQ(-EINVAL, ret);
	if (!native_reads_pad())
		xt_rec(log, ret, "pad");
	xt_ring_exit(&r);
}

TEST(ext_arg_bad_arguments)
{
	XT_DIFF(ext_bad);
}

XT_SCENARIO(ext_rings)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000000 };
	struct xuring_getevents_arg arg = { .pad = 1 };
	const unsigned int f = XURING_ENTER_GETEVENTS | XURING_ENTER_EXT_ARG;
	struct xuring_params p;
	struct xt_ring r;
	int ret;

	/* IOPOLL polls: only the arg's size and readability are checked */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_IOPOLL;
	XT_RING(&r, kind, 4, &p);
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, &arg, 8);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "iopoll-sz");
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, xt_unmapped_page(),
			   sizeof(arg));
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "iopoll-efault");
	ret = xt_sys_enter(kind, r.fd, 0, 1, f, &arg, sizeof(arg));
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "iopoll-pad");
	xt_ring_exit(&r);

	/* SQPOLL: the wait times out as any other */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	XT_RING(&r, kind, 4, &p);
	ret = enter_ext(kind, r.fd, 0, 1, NULL, &ts);
	EXPECT_EQ(-ETIME, ret);
	xt_rec(log, ret, "sqpoll");
	/* the SQ thread's CQE ends a 10 s wait (it may be asleep by now) */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	ASSERT_EQ(1, xt_enter(&r, xt_flush(&r), 0, XURING_ENTER_SQ_WAKEUP));
	ts.tv_sec = 10;
	ret = enter_ext(kind, r.fd, 0, 1, NULL, &ts);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(1U, xt_cq_ready(&r));
	xt_rec(log, ret, "sqpoll-nop");
	xt_ring_exit(&r);
}

TEST(ext_arg_on_iopoll_and_sqpoll_rings)
{
	XT_DIFF(ext_rings);
}

XT_SCENARIO(submit_and_wait)
{
	struct xt_ring r;
	int ret;

	/* submit and wait in one call returns the number submitted */
	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 6, 0));
	ret = xt_enter(&r, xt_flush(&r), 6, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(6, ret);
	EXPECT_EQ(6U, xt_cq_ready(&r));
	xt_rec(log, ret, "ret");
	/* GETEVENTS with nothing to submit and enough ready */
	ret = xt_enter(&r, 0, 6, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "ret2");
	xt_ring_exit(&r);
}

TEST(submit_and_wait_in_one_call)
{
	XT_DIFF(submit_and_wait);
}

struct waiter {
	struct xt_ring *r;
	pthread_t thread;
	unsigned int min;
	int ret;
};

static void *wait_fn(void *arg)
{
	struct waiter *w = arg;

	w->ret = xt_enter(w->r, 0, w->min, XURING_ENTER_GETEVENTS);
	return NULL;
}

XT_SCENARIO(two_waiters)
{
	struct waiter w[2];
	struct xt_ring r;
	unsigned int i;

	/* each completion wakes a waiter; both get out */
	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < 2; i++) {
		w[i].r = &r;
		w[i].min = 1;
		w[i].ret = 1;
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, wait_fn, &w[i]));
	}
	xt_sleep_ms(100);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(100);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	ASSERT_EQ(1, xt_submit(&r));
	for (i = 0; i < 2; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].ret);
		xt_rec(log, w[i].ret, "waiter%u", i);
	}
	EXPECT_EQ(2U, xt_cq_ready(&r));
	xt_ring_exit(&r);
}

TEST(two_waiters_both_woken)
{
	XT_DIFF(two_waiters);
}

XT_SCENARIO(close_waiting)
{
	struct waiter w;
	struct xt_ring r;

	/*
	 * close() while another thread waits on the ring: the waiter holds
	 * the file; a signal gets it out, then the ring is released.
	 */
	XT_RING(&r, kind, 4, NULL);
	catch(SIGUSR1);
	w.r = &r;
	w.min = 1;
	w.ret = 1;
	ASSERT_EQ(0, pthread_create(&w.thread, NULL, wait_fn, &w));
	xt_sleep_ms(100);
	ASSERT_EQ(0, close(r.fd));
	xt_sleep_ms(50);
	ASSERT_EQ(0, pthread_kill(w.thread, SIGUSR1));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(-EINTR, w.ret);
	xt_rec(log, w.ret, "ret");
	r.fd = -1;
	xt_ring_exit(&r);
}

TEST(close_while_another_thread_waits)
{
	XT_DIFF(close_waiting);
}

XT_SCENARIO(short_submit)
{
	struct itimerval it = { { 0, 0 }, { 1, 0 } };
	struct xt_ring r;
	int ret;

	/* fewer submitted than asked: enter returns without waiting */
	XT_RING(&r, kind, 4, NULL);
	catch(SIGALRM);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	xt_flush(&r);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	ret = xt_enter(&r, 4, 3, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(1, ret);
	EXPECT_EQ(0, hits);
	xt_rec(log, ret, "ret");
	it.it_value.tv_sec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	xt_ring_exit(&r);
}

TEST(short_submit_skips_wait)
{
	XT_DIFF(short_submit);
}

TEST_HARNESS_MAIN
