// SPDX-License-Identifier: MIT
/*
 * libxuring's own tests: ring setup, SQ/CQ bookkeeping, overflow flushing,
 * -EINTR, register helpers and names. hostcheck links it with
 * native-shim.c to run on the host's io_uring; linked with the real
 * libxuring it runs against /dev/xuring.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/time.h>
#include <unistd.h>

#include <xuring/xuring.h>

static int failures;
static const char *cur_test;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			failures++;					\
			fprintf(stderr, "FAIL %s:%d [%s] %s: ", __FILE__,	\
				__LINE__, cur_test, #cond);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			return;						\
		}							\
	} while (0)

/* An SQE from a ring the test knows has room; none is a failure. */
static struct xuring_sqe *get_sqe(struct xuring *ring)
{
	struct xuring_sqe *sqe = xuring_get_sqe(ring);

	if (!sqe) {
		fprintf(stderr, "FAIL [%s]: no free SQE\n", cur_test);
		exit(1);
	}
	return sqe;
}

static void init_ring(struct xuring *ring, unsigned int entries, int *ret)
{
	*ret = xuring_queue_init(entries, ring, 0);
}

static void test_setup(void)
{
	struct xuring_params p;
	struct xuring ring;
	int ret;

	memset(&p, 0, sizeof(p));
	ret = xuring_queue_init_params(6, &ring, &p);
	CHECK(ret == 0, "init %d", ret);
	CHECK(p.sq_entries == 8, "sq_entries %u (6 rounds up to 8)",
	      p.sq_entries);
	CHECK(p.cq_entries == 16, "cq_entries %u", p.cq_entries);
	CHECK(*ring.sq.kring_entries == 8 && *ring.sq.kring_mask == 7,
	      "sq ring %u/%u", *ring.sq.kring_entries, *ring.sq.kring_mask);
	CHECK(*ring.cq.kring_entries == 16 && *ring.cq.kring_mask == 15,
	      "cq ring %u/%u", *ring.cq.kring_entries, *ring.cq.kring_mask);
	CHECK(ring.ring_fd >= 0, "fd %d", ring.ring_fd);
	CHECK(ring.features == p.features, "features");
	CHECK(xuring_sq_space_left(&ring) == 8, "space %u",
	      xuring_sq_space_left(&ring));
	xuring_queue_exit(&ring);
	CHECK(ring.ring_fd == -1, "fd after exit");

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 64;
	ret = xuring_queue_init_params(4, &ring, &p);
	CHECK(ret == 0, "init cqsize %d", ret);
	CHECK(*ring.cq.kring_entries == 64, "cq %u", *ring.cq.kring_entries);
	xuring_queue_exit(&ring);

	memset(&p, 0, sizeof(p));
	p.flags = 1U << 31;
	ret = xuring_queue_init_params(4, &ring, &p);
	CHECK(ret == -EINVAL, "unknown setup flag: %d", ret);
}

static void test_nop_batch(void)
{
	struct xuring_cqe *cqes[16], *cqe;
	struct xuring ring;
	unsigned int n;
	int ret, i;

	init_ring(&ring, 8, &ret);
	CHECK(ret == 0, "init %d", ret);

	ret = xuring_peek_cqe(&ring, &cqe);
	CHECK(ret == -EAGAIN && !cqe, "peek on empty ring: %d", ret);
	CHECK(xuring_peek_batch_cqe(&ring, cqes, 16) == 0, "batch on empty");

	for (i = 0; i < 8; i++) {
		struct xuring_sqe *sqe = get_sqe(&ring);

		CHECK(sqe, "sqe %d", i);
		xuring_prep_nop(sqe);
		xuring_sqe_set_data64(sqe, 100 + i);
	}
	CHECK(!xuring_get_sqe(&ring), "a 9th sqe from an 8-entry ring");
	CHECK(xuring_sq_ready(&ring) == 8, "sq_ready %u",
	      xuring_sq_ready(&ring));
	CHECK(xuring_sq_space_left(&ring) == 0, "space_left");

	ret = xuring_submit_and_wait(&ring, 8);
	CHECK(ret == 8, "submit_and_wait %d", ret);
	CHECK(xuring_sq_ready(&ring) == 0, "sq_ready after submit");
	CHECK(xuring_cq_ready(&ring) == 8, "cq_ready %u",
	      xuring_cq_ready(&ring));

	n = xuring_peek_batch_cqe(&ring, cqes, 5);
	CHECK(n == 5, "batch of 5: %u", n);
	for (i = 0; i < 5; i++)
		CHECK(cqes[i]->user_data == (uint64_t)(100 + i) &&
		      cqes[i]->res == 0, "cqe %d: %llu %d", i,
		      (unsigned long long)cqes[i]->user_data, cqes[i]->res);
	xuring_cq_advance(&ring, 5);
	n = xuring_peek_batch_cqe(&ring, cqes, 16);
	CHECK(n == 3, "rest: %u", n);
	CHECK(cqes[0]->user_data == 105, "order");
	xuring_cq_advance(&ring, n);
	CHECK(xuring_cq_ready(&ring) == 0, "cq empty");

	/* The SQ is free again. */
	for (i = 0; i < 8; i++) {
		struct xuring_sqe *sqe = get_sqe(&ring);

		CHECK(sqe, "sqe %d after reuse", i);
		xuring_prep_nop(sqe);
		xuring_sqe_set_data(sqe, &ring);
	}
	ret = xuring_submit(&ring);
	CHECK(ret == 8, "submit %d", ret);
	ret = xuring_wait_cqe_nr(&ring, &cqe, 8);
	CHECK(ret == 0 && cqe, "wait_nr 8: %d", ret);
	CHECK(xuring_cq_ready(&ring) == 8, "8 ready");
	for (i = 0; i < 8; i++) {
		ret = xuring_wait_cqe(&ring, &cqe);
		CHECK(ret == 0 && xuring_cqe_get_data(cqe) == &ring,
		      "wait %d: %d", i, ret);
		xuring_cqe_seen(&ring, cqe);
	}
	xuring_cqe_seen(&ring, NULL);
	CHECK(xuring_cq_ready(&ring) == 0, "cqe_seen(NULL) is a no-op");

	/* submit with nothing queued enters with 0. */
	ret = xuring_submit(&ring);
	CHECK(ret == 0, "empty submit %d", ret);
	xuring_queue_exit(&ring);
}

/* Fill a 4-entry ring's 8-entry CQ past full: 4 CQEs go to overflow. */
static int overflow_ring(struct xuring *ring)
{
	int ret, round, i;

	ret = xuring_queue_init(4, ring, 0);
	if (ret)
		return ret;
	if (!(ring->features & XURING_FEAT_NODROP))
		return -EOPNOTSUPP;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4; i++) {
			struct xuring_sqe *sqe = xuring_get_sqe(ring);

			if (!sqe)
				return -ENOSPC;
			xuring_prep_nop(sqe);
			xuring_sqe_set_data64(sqe, round * 4 + i);
		}
		ret = xuring_submit(ring);
		if (ret != 4)
			return ret < 0 ? ret : -EIO;
	}
	return 0;
}

static void test_overflow(void)
{
	struct xuring_cqe *cqes[16], *cqe;
	struct xuring ring;
	unsigned int n, seen = 0;
	int ret;

	/* peek_cqe flushes the overflow list. */
	ret = overflow_ring(&ring);
	if (ret == -EOPNOTSUPP) {
		printf("skip overflow: no FEAT_NODROP\n");
		xuring_queue_exit(&ring);
		return;
	}
	CHECK(ret == 0, "overflow ring %d", ret);
	CHECK(xuring_cq_ready(&ring) == 8, "cq full: %u",
	      xuring_cq_ready(&ring));
	CHECK(xuring_cq_has_overflow(&ring), "SQ_CQ_OVERFLOW set");
	while ((ret = xuring_peek_cqe(&ring, &cqe)) == 0) {
		CHECK(cqe->user_data == seen, "cqe %u: user_data %llu", seen,
		      (unsigned long long)cqe->user_data);
		xuring_cqe_seen(&ring, cqe);
		seen++;
	}
	CHECK(ret == -EAGAIN, "peek end %d", ret);
	CHECK(seen == 12, "peek saw %u of 12", seen);
	CHECK(!xuring_cq_has_overflow(&ring), "overflow flag cleared");
	xuring_queue_exit(&ring);

	/* peek_batch_cqe flushes too. */
	ret = overflow_ring(&ring);
	CHECK(ret == 0, "overflow ring %d", ret);
	n = xuring_peek_batch_cqe(&ring, cqes, 16);
	CHECK(n == 8, "first batch %u", n);
	xuring_cq_advance(&ring, n);
	n = xuring_peek_batch_cqe(&ring, cqes, 16);
	CHECK(n == 4, "batch after flush %u", n);
	CHECK(cqes[0]->user_data == 8 && cqes[3]->user_data == 11, "order");
	xuring_cq_advance(&ring, n);
	xuring_queue_exit(&ring);

	/* So does wait_cqe. */
	ret = overflow_ring(&ring);
	CHECK(ret == 0, "overflow ring %d", ret);
	for (seen = 0; seen < 12; seen++) {
		ret = xuring_wait_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == seen, "wait %u: %d", seen,
		      ret);
		xuring_cqe_seen(&ring, cqe);
	}
	CHECK(xuring_cq_ready(&ring) == 0, "drained");
	xuring_queue_exit(&ring);
}

/*
 * io_uring stops submitting at an SQE that fails to initialise (opcode 255):
 * the ones after it stay in the SQ ring, and the next submit must send them.
 */
static void test_short_submit(void)
{
	static const uint8_t ops[3] = { XURING_OP_NOP, 255, XURING_OP_NOP };
	struct xuring_cqe *cqe;
	struct xuring ring;
	int ret, i;

	init_ring(&ring, 4, &ret);
	CHECK(ret == 0, "init %d", ret);
	for (i = 0; i < 3; i++) {
		struct xuring_sqe *sqe = get_sqe(&ring);

		xuring_prep_nop(sqe);
		sqe->opcode = ops[i];
		sqe->user_data = (uint64_t)i;
	}
	ret = xuring_submit(&ring);
	CHECK(ret == 2, "first submit %d (stops after the bad SQE)", ret);
	CHECK(xuring_sq_ready(&ring) == 1, "left over %u",
	      xuring_sq_ready(&ring));
	ret = xuring_submit(&ring);
	CHECK(ret == 1, "second submit sends the leftover: %d", ret);
	CHECK(xuring_sq_ready(&ring) == 0, "sq empty");
	for (i = 0; i < 3; i++) {
		ret = xuring_wait_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == (uint64_t)i, "cqe %d", i);
		CHECK(cqe->res == (i == 1 ? -EINVAL : 0), "res %d", cqe->res);
		xuring_cqe_seen(&ring, cqe);
	}
	xuring_queue_exit(&ring);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_eintr(void)
{
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	struct sigaction sa, old;
	struct xuring_cqe *cqe;
	struct xuring ring;
	sigset_t set;
	int ret;

	init_ring(&ring, 4, &ret);
	CHECK(ret == 0, "init %d", ret);

	sigemptyset(&set);
	ret = xuring_enter(ring.ring_fd, 0, 0, XURING_ENTER_GETEVENTS, &set);
	CHECK(ret == 0, "enter with a sigmask: %d", ret);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	ret = xuring_wait_cqe(&ring, &cqe);
	sigaction(SIGALRM, &old, NULL);
	CHECK(ret == -EINTR && !cqe, "wait interrupted: %d", ret);
	xuring_queue_exit(&ring);
}

static void test_rw(void)
{
	char path[] = "/tmp/xuring-lib-test.XXXXXX";
	char wbuf[8192], rbuf[8192], a[3000], b[5192];
	struct iovec iov[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};
	struct xuring_sqe *sqe;
	struct xuring_cqe *cqe;
	struct xuring ring;
	int fd, ret, i;

	init_ring(&ring, 4, &ret);
	CHECK(ret == 0, "init %d", ret);
	fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	unlink(path);
	for (i = 0; i < (int)sizeof(wbuf); i++)
		wbuf[i] = (char)(i * 7 + 3);

	sqe = get_sqe(&ring);
	xuring_prep_write(sqe, fd, wbuf, sizeof(wbuf), 0);
	sqe->user_data = 1;
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->user_data == 1, "wait %d", ret);
	CHECK(cqe->res == (int)sizeof(wbuf), "write %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);

	sqe = get_sqe(&ring);
	xuring_prep_fsync(sqe, fd, XURING_FSYNC_DATASYNC);
	sqe->user_data = 2;
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->user_data == 2, "wait %d", ret);
	CHECK(cqe->res == 0, "fsync %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);

	sqe = get_sqe(&ring);
	xuring_prep_read(sqe, fd, rbuf, sizeof(rbuf), 0);
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == (int)sizeof(rbuf), "read %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);
	CHECK(!memcmp(rbuf, wbuf, sizeof(rbuf)), "read data");

	sqe = get_sqe(&ring);
	xuring_prep_readv(sqe, fd, iov, 2, 0);
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == (int)sizeof(rbuf), "readv %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);
	CHECK(!memcmp(a, wbuf, sizeof(a)) &&
	      !memcmp(b, wbuf + sizeof(a), sizeof(b)), "readv data");

	sqe = get_sqe(&ring);
	xuring_prep_writev(sqe, fd, iov, 2, sizeof(wbuf));
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == (int)sizeof(rbuf), "writev %d",
	      cqe->res);
	xuring_cqe_seen(&ring, cqe);

	sqe = get_sqe(&ring);
	xuring_prep_read(sqe, fd, rbuf, sizeof(rbuf), 3 * sizeof(wbuf));
	sqe = get_sqe(&ring);
	xuring_prep_read(sqe, -1, rbuf, sizeof(rbuf), 0);
	ret = xuring_submit_and_wait(&ring, 2);
	CHECK(ret == 2, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == 0, "read past EOF %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == -EBADF, "bad fd %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);

	close(fd);
	xuring_queue_exit(&ring);
}

static void test_probe_and_names(void)
{
	struct xuring_probe *probe;
	struct xuring ring;
	int ret;

	CHECK(!strcmp(xuring_op_name(XURING_OP_NOP), "NOP"), "NOP");
	CHECK(!strcmp(xuring_op_name(XURING_OP_TEE), "TEE"), "TEE");
	CHECK(!xuring_op_name(XURING_OP_LAST) && !xuring_op_name(-1), "range");
	CHECK(!strcmp(xuring_register_op_name(XURING_REGISTER_ENABLE_RINGS),
		      "REGISTER_ENABLE_RINGS"), "reg name");
	CHECK(!xuring_register_op_name(XURING_REGISTER_LAST), "reg range");
	CHECK(!strcmp(xuring_feature_name(XURING_FEAT_RW_CUR_POS),
		      "RW_CUR_POS"), "feature");
	CHECK(!xuring_feature_name(3) && !xuring_feature_name(0) &&
	      !xuring_feature_name(1U << 20), "feature range");

	probe = xuring_get_probe();
	CHECK(probe, "get_probe: %s", strerror(errno));
	CHECK(xuring_opcode_supported(probe, XURING_OP_NOP), "NOP supported");
	CHECK(!xuring_opcode_supported(probe, 255), "op 255");
	CHECK(!xuring_opcode_supported(probe, -1), "op -1");
	xuring_free_probe(probe);

	init_ring(&ring, 2, &ret);
	CHECK(ret == 0, "init %d", ret);
	probe = xuring_get_probe_ring(&ring);
	CHECK(probe && probe->last_op >= XURING_OP_NOP, "probe ring");
	CHECK(xuring_opcode_supported(probe, XURING_OP_READ), "READ");
	xuring_free_probe(probe);
	xuring_queue_exit(&ring);
}

/* Register opcodes a module may not have yet: -EINVAL means "skip". */
#define SKIP_IF_EINVAL(ret, what)					\
	do {								\
		if ((ret) == -EINVAL) {					\
			printf("skip %s: -EINVAL (not implemented?)\n",	\
			       #what);					\
			goto next_##what;				\
		}							\
	} while (0)

static void test_register(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct iovec iov = { .iov_base = page, .iov_len = sizeof(page) };
	struct xuring_restriction res;
	struct xuring_sqe *sqe;
	struct xuring_cqe *cqe;
	struct xuring ring;
	int fds[2], ret, efd, id;

	init_ring(&ring, 4, &ret);
	CHECK(ret == 0, "init %d", ret);

	ret = xuring_register_buffers(&ring, &iov, 1);
	SKIP_IF_EINVAL(ret, buffers);
	CHECK(ret == 0, "buffers %d", ret);
	CHECK(xuring_unregister_buffers(&ring) == 0, "unregister buffers");
	CHECK(xuring_unregister_buffers(&ring) == -ENXIO, "none registered");
next_buffers:

	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = -1;
	ret = xuring_register_files(&ring, fds, 2);
	SKIP_IF_EINVAL(ret, files);
	CHECK(ret == 0, "files %d", ret);
	CHECK(xuring_register_files_update(&ring, 1, fds, 1) == 1, "update");
	sqe = get_sqe(&ring);
	xuring_prep_read(sqe, 1, page, 16, 0);
	xuring_sqe_set_flags(sqe, XURING_SQE_FIXED_FILE);
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == 0, "fixed read of /dev/null: %d",
	      cqe->res);
	xuring_cqe_seen(&ring, cqe);
	CHECK(xuring_unregister_files(&ring) == 0, "unregister files");
next_files:
	close(fds[0]);

	efd = eventfd(0, 0);
	ret = xuring_register_eventfd(&ring, efd);
	SKIP_IF_EINVAL(ret, eventfd);
	CHECK(ret == 0, "eventfd %d", ret);
	CHECK(xuring_unregister_eventfd(&ring) == 0, "unregister eventfd");
	CHECK(xuring_register_eventfd_async(&ring, efd) == 0, "eventfd async");
	CHECK(xuring_unregister_eventfd(&ring) == 0, "unregister eventfd");
next_eventfd:
	close(efd);

	id = xuring_register_personality(&ring);
	SKIP_IF_EINVAL(id, personality);
	CHECK(id > 0, "personality %d", id);
	CHECK(xuring_unregister_personality(&ring, id) == 0, "unregister");
next_personality:
	xuring_queue_exit(&ring);

	ret = xuring_queue_init(4, &ring, XURING_SETUP_R_DISABLED);
	SKIP_IF_EINVAL(ret, restrictions);
	CHECK(ret == 0, "init disabled %d", ret);
	memset(&res, 0, sizeof(res));
	res.opcode = XURING_RESTRICTION_SQE_OP;
	res.sqe_op = XURING_OP_NOP;
	CHECK(xuring_register_restrictions(&ring, &res, 1) == 0, "restrict");
	CHECK(xuring_enable_rings(&ring) == 0, "enable");
	sqe = get_sqe(&ring);
	xuring_prep_read(sqe, 0, page, 16, 0);
	ret = xuring_submit_and_wait(&ring, 1);
	CHECK(ret == 1, "submit %d", ret);
	ret = xuring_wait_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == -EACCES, "restricted op: %d", cqe->res);
	xuring_cqe_seen(&ring, cqe);
	xuring_queue_exit(&ring);
next_restrictions:
	return;
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "setup", test_setup },
		{ "nop_batch", test_nop_batch },
		{ "overflow", test_overflow },
		{ "short_submit", test_short_submit },
		{ "eintr", test_eintr },
		{ "rw", test_rw },
		{ "probe_and_names", test_probe_and_names },
		{ "register", test_register },
	};
	int total_fail = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		failures = 0;
		cur_test = tests[i].name;
		tests[i].fn();
		printf("%s %s\n", failures ? "not ok" : "ok", tests[i].name);
		total_fail += failures;
	}
	return total_fail ? 1 : 0;
}
