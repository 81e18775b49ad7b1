// SPDX-License-Identifier: GPL-2.0
/*
 * Garbage at every entry point: bad ioctl argument pointers, unknown
 * ioctls, huge sizes, closed fds, random SQEs, enter and register
 * arguments, setup params, mmap requests and scribbled ring memory.
 * Each gets an errno or a CQE; the runner checks dmesg stays clean.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define KERNEL_PTR ((void *)0xffff888000000000UL)

static uint64_t seed(void)
{
	const char *e = getenv("XTEST_SEED");

	return e ? strtoull(e, NULL, 0) | 1 : 0x9e3779b97f4a7c15ULL;
}

/* The long random runs get more than the default 30 s (TCG, KASAN). */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* A copy of obj placed so that it ends `over` bytes into a faulting page. */
static void *straddle(const void *obj, size_t size, size_t over)
{
	size_t avail;
	char *end = xt_guarded_end(&avail);

	if (!end)
		return NULL;
	memcpy(end + avail - (size - over), obj, size - over);
	return end + avail - (size - over);
}

/* A copy of obj at an odd address. */
static void *misaligned(const void *obj, size_t size)
{
	char *p = malloc(size + 8);

	if (!p)
		return NULL;
	memcpy(p + 3, obj, size);
	return p + 3;
}

TEST(setup_bad_pointers_efault)
{
	struct xuring_params p;
	void *ptr;
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, xt_unmapped_page()));
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, KERNEL_PTR));
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, (void *)1));
	ptr = straddle(&p, sizeof(p), 8);
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, ptr));
	/* params readable but not writable: nothing to copy back into */
	ptr = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ptr);
	memcpy(ptr, &p, sizeof(p));
	ASSERT_EQ(0, mprotect(ptr, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, xioctl(fd, XURING_IOC_SETUP, ptr));
	/* none of that set a ring up: a good SETUP at an odd address works */
	ptr = misaligned(&p, sizeof(p));
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(0, xioctl(fd, XURING_IOC_SETUP, ptr));
	memcpy(&p, ptr, sizeof(p));
	EXPECT_EQ(4U, p.sq_entries);
	EXPECT_EQ(8U, p.cq_entries);
	EXPECT_EQ(0, xt_sys_enter(XT_XURING, fd, 0, 0, 0, NULL, 8));
	close(fd);
}

TEST(enter_bad_pointers_efault)
{
	struct xuring_enter_args a;
	struct xt_ring r;
	void *ptr;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 7));
	xt_flush(&r);
	memset(&a, 0, sizeof(a));
	a.to_submit = 1;
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_ENTER, NULL));
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_ENTER, xt_unmapped_page()));
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_ENTER, KERNEL_PTR));
	ptr = straddle(&a, sizeof(a), 4);
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_ENTER, ptr));
	/* nothing was submitted by those */
	EXPECT_EQ(0U, *r.sq_head);
	ptr = misaligned(&a, sizeof(a));
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(1, ioctl(r.fd, XURING_IOC_ENTER, ptr));
	EXPECT_EQ(1U, *r.sq_head);
	xt_ring_exit(&r);
}

TEST(register_bad_pointers_efault)
{
	struct xuring_register_args a;
	struct xuring_probe *probe;
	struct xt_ring r;
	void *ptr;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	probe = calloc(1, sizeof(*probe) + 4 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	memset(&a, 0, sizeof(a));
	a.opcode = XURING_REGISTER_PROBE;
	a.nr_args = 4;
	a.arg = (uintptr_t)probe;
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER, NULL));
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER,
				  xt_unmapped_page()));
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER, KERNEL_PTR));
	ptr = straddle(&a, sizeof(a), 4);
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER, ptr));
	ptr = misaligned(&a, sizeof(a));
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(0, xioctl(r.fd, XURING_IOC_REGISTER, ptr));
	EXPECT_EQ(4, probe->ops_len);
	/* and the pointer inside the args */
	a.arg = (uintptr_t)xt_unmapped_page();
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER, &a));
	a.arg = (uintptr_t)KERNEL_PTR;
	EXPECT_EQ(-EFAULT, xioctl(r.fd, XURING_IOC_REGISTER, &a));
	xt_ring_exit(&r);
	free(probe);
}

static void check_unknown_ioctls(struct __test_metadata *_metadata, int fd)
{
	const unsigned long cmds[] = {
		_IO(XURING_IOC_MAGIC, 0x03),
		_IO(XURING_IOC_MAGIC, 0xff),
		_IO(XURING_IOC_MAGIC, 0x00),
		_IOWR(XURING_IOC_MAGIC, 0x00, char[64]),	/* SETUP, other size */
		_IOR(XURING_IOC_MAGIC, 0x00, struct xuring_params),
		_IOW(XURING_IOC_MAGIC, 0x01, char[16]),	/* ENTER, other size */
		_IOWR(XURING_IOC_MAGIC, 0x01, struct xuring_enter_args),
		_IOW(XURING_IOC_MAGIC, 0x02, char[8]),
		_IOW(XURING_IOC_MAGIC + 1, 0x00, struct xuring_params),
		_IO('U', 0),
		TCGETS,
		0,
		0x12345678,
		0xffffffffUL,
	};
	char buf[256];
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		EXPECT_EQ(-ENOTTY, xioctl(fd, cmds[i], buf))
			TH_LOG("ioctl 0x%lx", cmds[i]);
		EXPECT_EQ(-ENOTTY, xioctl(fd, cmds[i], NULL))
			TH_LOG("ioctl 0x%lx, NULL", cmds[i]);
	}
}

TEST(unknown_ioctls_enotty)
{
	struct xt_ring r;
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	check_unknown_ioctls(_metadata, fd);
	close(fd);
	XT_RING(&r, XT_XURING, 4, NULL);
	check_unknown_ioctls(_metadata, r.fd);
	/* the ring is not disturbed */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	EXPECT_EQ(1, xt_submit_and_wait(&r, 1));
	xt_ring_exit(&r);
}

TEST(huge_sizes)
{
	struct xuring_params p;
	struct xt_ring r;
	char probe[16 + 8 * 4];
	void *m;
	int fd = -1;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(-EINVAL, xt_sys_setup(XT_XURING, 0xffffffffU, &p, &fd));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 0xffffffffU;
	EXPECT_EQ(-EINVAL, xt_sys_setup(XT_XURING, 0xffffffffU, &p, &fd));
	XT_RING(&r, XT_XURING, 4, NULL);
	EXPECT_EQ(0, xt_enter(&r, 0xffffffffU, 0, 0));
	ASSERT_EQ(0, xt_queue_nops(&r, 2, 0));
	xt_flush(&r);
	EXPECT_EQ(2, xt_enter(&r, 0xffffffffU, 0, XURING_ENTER_GETEVENTS));
	*r.cq_head = *r.cq_tail;
	memset(probe, 0, sizeof(probe));
	EXPECT_EQ(-EINVAL, xt_sys_register(XT_XURING, r.fd,
					   XURING_REGISTER_PROBE, probe,
					   0xffffffffU));
	EXPECT_EQ(-EINVAL, xt_sys_enter(XT_XURING, r.fd, 0, 1,
					XURING_ENTER_GETEVENTS, probe,
					~0ULL));
	m = mmap(NULL, 1UL << 40, PROT_READ, MAP_SHARED | MAP_NORESERVE, r.fd,
		 XURING_OFF_SQ_RING);
	EXPECT_EQ(MAP_FAILED, m);
	m = mmap(NULL, 1UL << 40, PROT_READ, MAP_SHARED | MAP_NORESERVE, r.fd,
		 XURING_OFF_SQES);
	EXPECT_EQ(MAP_FAILED, m);
	xt_ring_exit(&r);
}

TEST(ioctls_on_closed_fd_ebadf)
{
	struct xuring_params p;
	struct xuring_enter_args e;
	struct xuring_register_args a;
	int fd;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	memset(&a, 0, sizeof(a));
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	p.sq_entries = 4;
	ASSERT_EQ(0, xioctl(fd, XURING_IOC_SETUP, &p));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-EBADF, xioctl(fd, XURING_IOC_SETUP, &p));
	EXPECT_EQ(-EBADF, xioctl(fd, XURING_IOC_ENTER, &e));
	EXPECT_EQ(-EBADF, xioctl(fd, XURING_IOC_REGISTER, &a));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
}

/* Random SQEs, in a child whose stdio is /dev/null; results land here. */
struct garbage_result {
	unsigned int iterations, submitted, completed, dropped, pending;
	unsigned int enter_errors, bad_user_data, duplicate, lost;
	int last_errno;
	char first_problem[160];
};

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static void note(struct garbage_result *res, const char *fmt,
		 unsigned long long a, long long b)
{
	if (!res->first_problem[0])
		snprintf(res->first_problem, sizeof(res->first_problem), fmt,
			 a, b);
}

static void run_garbage(struct garbage_result *res, unsigned int iters)
{
	static unsigned char scratch[8192] __attribute__((aligned(64)));
	static unsigned char seen[4096];
	struct itimerval it = { { 0, 0 }, { 0, 500000 } };
	struct sigaction sa;
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	uint64_t rnd = seed();
	unsigned int i, w;
	char path[64];
	int nul, file, ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	nul = open("/dev/null", O_RDWR);
	dup2(nul, 0);
	dup2(nul, 1);
	dup2(nul, 2);
	file = xt_tmpfile(path, sizeof(path));
	unlink(path);
	if (file >= 0)
		ftruncate(file, 65536);
	if (xt_ring_init(&r, XT_XURING, 8, NULL)) {
		note(res, "ring init failed%llu%lld", 0, 0);
		return;
	}
	for (i = 0; i < iters && i < sizeof(seen); i++) {
		unsigned int slot = r.sqe_tail & 7;
		uint64_t *words;

		res->iterations++;
		sqe = &r.sqes[slot];
		words = (uint64_t *)sqe;
		for (w = 0; w < 8; w++)
			words[w] = xt_rand(&rnd);
		switch (xt_rand(&rnd) % 4) {
		case 0:		/* an opcode 5.10 knows */
			sqe->opcode %= XURING_OP_LAST;
			break;
		case 1:		/* one the trunk implements */
			sqe->opcode = (unsigned int[]){ 0, 1, 2, 3, 22, 23 }
				      [xt_rand(&rnd) % 6];
			break;
		}
		switch (xt_rand(&rnd) % 3) {
		case 0:		/* a real fd: stdio (/dev/null), ring, file */
			sqe->fd = xt_rand(&rnd) % 6;
			break;
		case 1:
			sqe->fd = -1;
			break;
		}
		if (xt_rand(&rnd) % 2) {	/* a real buffer */
			sqe->addr = (uintptr_t)scratch;
			sqe->len %= sizeof(scratch) / 16;
			if (sqe->opcode == XURING_OP_READV ||
			    sqe->opcode == XURING_OP_WRITEV) {
				struct iovec *iov = (struct iovec *)scratch;

				sqe->len %= 8;
				for (w = 0; w < 8; w++) {
					iov[w].iov_base = scratch + 4096 +
							  w * 512;
					iov[w].iov_len = xt_rand(&rnd) % 512;
				}
			}
		}
		if (xt_rand(&rnd) % 2)
			sqe->flags &= 0x3f;
		if (xt_rand(&rnd) % 2)
			sqe->off %= 65536;
		sqe->user_data = i;
		/* now and then a bad index instead of the slot */
		r.sq_array[slot] = xt_rand(&rnd) % 16 ? slot :
				   (unsigned int)xt_rand(&rnd) | 8;
		r.sqe_tail++;
		xt_flush(&r);
		ret = xt_enter(&r, 1, 0, 0);
		if (ret == 1) {
			res->submitted++;
			seen[i] = 1;
		} else if (ret == 0) {
			res->dropped++;
		} else {
			res->enter_errors++;
			res->last_errno = -ret;
			note(res, "enter failed at %llu: %lld", i, ret);
			/* do not leave it queued */
			r.sqe_tail--;
			xt_flush(&r);
		}
		/* reap; wait briefly if nothing came */
		if (!xt_cq_ready(&r) && res->submitted > res->completed +
							  res->pending) {
			alarmed = 0;
			setitimer(ITIMER_REAL, &it, NULL);
			ret = xt_enter(&r, 0, 1, XURING_ENTER_GETEVENTS);
			setitimer(ITIMER_REAL,
				  &(struct itimerval){ { 0, 0 }, { 0, 0 } },
				  NULL);
			if (ret == -EINTR && alarmed)
				res->pending++;
		}
		while (!xt_peek_cqe(&r, &cqe)) {
			if (cqe.user_data >= sizeof(seen) ||
			    !seen[cqe.user_data]) {
				res->bad_user_data++;
				note(res, "unexpected user_data %llu res %lld",
				     cqe.user_data, cqe.res);
				continue;
			}
			if (seen[cqe.user_data] == 2) {
				res->duplicate++;
				note(res, "second CQE for %llu res %lld",
				     cqe.user_data, cqe.res);
			}
			seen[cqe.user_data] = 2;
			res->completed++;
		}
	}
	for (i = 0; i < sizeof(seen); i++)
		res->lost += seen[i] == 1;
	res->lost -= res->lost > res->pending ? res->pending : res->lost;
	xt_ring_exit(&r);
	if (file >= 0)
		close(file);
}

TEST_F_TIMEOUT(slow, garbage_sqes, 150)
{
	struct garbage_result *res;
	int status;
	pid_t pid;

	XT_NEED_XURING();
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	memset(res, 0, sizeof(*res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		run_garbage(res, 3000);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	TH_LOG("seed 0x%llx: %u iterations, %u submitted, %u completed, %u dropped, %u pending",
	       (unsigned long long)seed(), res->iterations, res->submitted,
	       res->completed, res->dropped, res->pending);
	if (res->first_problem[0])
		TH_LOG("first problem: %s", res->first_problem);
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("child died: status 0x%x",
					       status);
	EXPECT_EQ(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	EXPECT_EQ(3000U, res->iterations);
	EXPECT_EQ(0U, res->enter_errors) TH_LOG("last errno %d",
						res->last_errno);
	EXPECT_EQ(0U, res->bad_user_data);
	EXPECT_EQ(0U, res->duplicate);
	EXPECT_EQ(0U, res->lost);
	EXPECT_EQ(res->submitted, res->completed + res->pending);
	EXPECT_EQ(3000U, res->submitted + res->dropped);
	EXPECT_GT(res->dropped, 0U);
}

TEST_F_TIMEOUT(slow, garbage_enter_args, 120)
{
	static unsigned char scratch[256] __attribute__((aligned(8)));
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	struct xuring_enter_args a;
	struct sigaction sa;
	struct xt_ring r;
	uint64_t rnd = seed() ^ 0xe17e5;
	unsigned int i, errors = 0, oks = 0;
	int ret;

	XT_NEED_XURING();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	XT_RING(&r, XT_XURING, 8, NULL);
	for (i = 0; i < 1000; i++) {
		uint64_t *words = (uint64_t *)&a;

		words[0] = xt_rand(&rnd);
		words[1] = xt_rand(&rnd);
		words[2] = xt_rand(&rnd);
		words[3] = xt_rand(&rnd);
		if (xt_rand(&rnd) % 2)
			a.flags &= 7;
		if (xt_rand(&rnd) % 2)
			a.resv = 0;
		if (xt_rand(&rnd) % 2)
			a.min_complete %= 4;
		switch (xt_rand(&rnd) % 4) {
		case 0:
			a.sigmask = 0;
			break;
		case 1:
			/* a real mask, never blocking our timer */
			for (unsigned int k = 0; k < sizeof(scratch); k++)
				scratch[k] = xt_rand(&rnd);
			sigdelset((sigset_t *)scratch, SIGALRM);
			a.sigmask = (uintptr_t)scratch;
			a.sigmask_sz = xt_rand(&rnd) % 2 ? _NSIG / 8 :
				       a.sigmask_sz;
			break;
		case 2:
			a.sigmask = (uintptr_t)xt_unmapped_page();
			break;
		}
		if (xt_rand(&rnd) % 3 == 0) {
			xt_queue_nops(&r, xt_rand(&rnd) % 4, i);
			xt_flush(&r);
		}
		/* a wait for more than can come is ended by the timer */
		setitimer(ITIMER_REAL, &it, NULL);
		ret = ioctl(r.fd, XURING_IOC_ENTER, &a);
		setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } },
			  NULL);
		if (ret < 0)
			errors++;
		else
			oks++;
		/* keep the CQ from filling up */
		*r.cq_head = *r.cq_tail;
	}
	TH_LOG("%u calls failed, %u succeeded", errors, oks);
	EXPECT_EQ(1000U, errors + oks);
	/* the ring still works */
	r.sqe_tail = *r.sq_head;
	xt_flush(&r);
	*r.cq_head = *r.cq_tail;
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 99));
	EXPECT_EQ(1, xt_submit_and_wait(&r, 1));
	xt_ring_exit(&r);
}

TEST(garbage_register_args)
{
	static unsigned char scratch[4096] __attribute__((aligned(64)));
	struct xuring_register_args a;
	struct xt_ring r;
	uint64_t rnd = seed() ^ 0x4e6;
	unsigned int i, k;
	int ret, nul;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 8, NULL);
	nul = open("/dev/null", O_RDWR);
	ASSERT_LE(0, nul);
	for (i = 0; i < 1500; i++) {
		a.opcode = xt_rand(&rnd) % 2 ? xt_rand(&rnd) % 16 :
					       (unsigned int)xt_rand(&rnd);
		a.nr_args = xt_rand(&rnd) % 2 ? xt_rand(&rnd) % 8 :
						(unsigned int)xt_rand(&rnd);
		switch (xt_rand(&rnd) % 4) {
		case 0:
			a.arg = 0;
			break;
		case 1:
			a.arg = (uintptr_t)xt_unmapped_page();
			break;
		case 2:
			a.arg = xt_rand(&rnd);
			break;
		default:
			/* real memory: zeros, small numbers, or garbage */
			for (k = 0; k < sizeof(scratch); k += 4) {
				uint32_t v = xt_rand(&rnd) % 3 == 0 ? 0 :
					     xt_rand(&rnd) % 2 ? (uint32_t)nul :
					     (uint32_t)xt_rand(&rnd);
				memcpy(scratch + k, &v, 4);
			}
			a.arg = (uintptr_t)scratch;
			if (a.nr_args > 64)
				a.nr_args %= 64;
			break;
		}
		ret = ioctl(r.fd, XURING_IOC_REGISTER, &a);
		(void)ret;
	}
	/* whatever got registered, the ring still runs NOPs */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 5));
	EXPECT_EQ(1, xt_submit_and_wait(&r, 1));
	close(nul);
	xt_ring_exit(&r);
}

TEST(garbage_setup_params)
{
	struct xuring_params p;
	uint64_t rnd = seed() ^ 0x5e7;
	unsigned int i, w, ok = 0;
	struct xt_ring r;
	int fd, ret;

	XT_NEED_XURING();
	for (i = 0; i < 1000; i++) {
		uint64_t *words = (uint64_t *)&p;

		for (w = 0; w < sizeof(p) / 8; w++)
			words[w] = xt_rand(&rnd);
		if (xt_rand(&rnd) % 2)
			memset(p.resv, 0, sizeof(p.resv));
		if (xt_rand(&rnd) % 2)
			p.flags &= XURING_SETUP_CQSIZE | XURING_SETUP_CLAMP;
		if (xt_rand(&rnd) % 2)
			p.cq_entries %= 256;
		ret = xt_sys_setup(XT_XURING, xt_rand(&rnd) % 2 ?
				   xt_rand(&rnd) % 300 :
				   (unsigned int)xt_rand(&rnd), &p, &fd);
		if (ret)
			continue;
		ok++;
		/* whatever was accepted is a sane ring */
		EXPECT_EQ(0U, p.sq_entries & (p.sq_entries - 1));
		EXPECT_EQ(0U, p.cq_entries & (p.cq_entries - 1));
		EXPECT_LE(p.sq_entries, 32768U);
		EXPECT_LE(p.cq_entries, 65536U);
		EXPECT_LE(p.sq_entries, p.cq_entries);
		if (xt_ring_map(&r, XT_XURING, fd, &p) == 0) {
			EXPECT_EQ(p.sq_entries, *r.sq_entries);
			xt_ring_exit(&r);
		} else {
			close(fd);
		}
	}
	TH_LOG("%u of 1000 random setups accepted", ok);
	EXPECT_GT(ok, 0U);
}

TEST(garbage_mmap)
{
	static const off_t bases[] = {
		XURING_OFF_SQ_RING, XURING_OFF_CQ_RING, XURING_OFF_SQES,
	};
	uint64_t rnd = seed() ^ 0x3a9;
	long pg = sysconf(_SC_PAGESIZE);
	struct xuring_params p;
	unsigned int i;
	size_t len;
	off_t off;
	void *m;
	int fd = -1;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, xt_sys_setup(XT_XURING, 16, &p, &fd));
	for (i = 0; i < 2000; i++) {
		off = xt_rand(&rnd) % 2 ? bases[xt_rand(&rnd) % 3] :
		      (off_t)(xt_rand(&rnd) & 0xfffffff000ULL);
		if (xt_rand(&rnd) % 4 == 0)
			off += pg * (xt_rand(&rnd) % 4);
		len = xt_rand(&rnd) % 2 ? 1 + xt_rand(&rnd) % (8 * pg) :
		      xt_rand(&rnd) & 0xffffffffULL;
		m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE, fd, off);
		if (m == MAP_FAILED)
			continue;
		/* only the three offsets may map */
		EXPECT_TRUE(off == bases[0] || off == bases[1] ||
			    off == bases[2])
			TH_LOG("offset 0x%llx mapped", (long long)off);
		/* read the first word; the region is at least a page */
		(void)*(volatile unsigned int *)m;
		munmap(m, len);
	}
	close(fd);
}

TEST_F_TIMEOUT(slow, scribbled_ring_memory, 120)
{
	struct itimerval it = { { 0, 0 }, { 0, 200000 } };
	uint64_t rnd = seed() ^ 0x5c21b;
	struct sigaction sa;
	struct xt_ring r;
	unsigned int i, k;
	int ret;

	/*
	 * The user owns the shared memory: masks, sizes, heads, tails and
	 * the SQ array can hold anything. The module must trust none of it.
	 */
	XT_NEED_XURING();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	XT_RING(&r, XT_XURING, 8, NULL);
	for (i = 0; i < 500; i++) {
		uint32_t *sq = r.sq_ptr, *cq = r.cq_ptr;

		for (k = 0; k < r.sq_sz / 4; k++)
			if (xt_rand(&rnd) % 4 == 0)
				sq[k] = xt_rand(&rnd);
		for (k = 0; k < r.cq_sz / 4; k++)
			if (xt_rand(&rnd) % 8 == 0)
				cq[k] = xt_rand(&rnd);
		for (k = 0; k < 8; k++)
			xt_prep(&r.sqes[k], XURING_OP_NOP, -1, NULL, 0, 0, k);
		setitimer(ITIMER_REAL, &it, NULL);
		ret = xt_enter(&r, xt_rand(&rnd) % 16,
			       xt_rand(&rnd) % 4,
			       xt_rand(&rnd) % 2 ? XURING_ENTER_GETEVENTS : 0);
		setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } },
			  NULL);
		/* anything goes but a crash: an errno or a count */
		EXPECT_GE(ret, -4095);
		EXPECT_LE(ret, 16);
	}
	xt_ring_exit(&r);
	/* and the module still serves fresh rings */
	XT_RING(&r, XT_XURING, 8, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 3, 0));
	EXPECT_EQ(3, xt_submit_and_wait(&r, 3));
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
