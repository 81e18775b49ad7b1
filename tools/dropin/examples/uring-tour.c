// SPDX-License-Identifier: MIT
/*
 * uring-tour: a liburing 2.3 program touching most of the library (setup,
 * probe, registered files and buffers, fixed reads, batches, peek_batch,
 * timed waits, poll, eventfd, CQ overflow, SQPOLL, the raw system call
 * wrappers with io_uring_queue_mmap, registered ring fd,
 * buffer rings) with the
 * same stdout on any backend and kernel: where a 2.3 feature is missing it
 * takes the old-kernel fallback and says so on stderr only.
 * Built against Debian's <liburing.h>, linked -luring.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int fails;

#define CHECK(cond, ...) do {					\
	if (!(cond)) {						\
		printf("FAIL line %d: ", __LINE__);		\
		printf(__VA_ARGS__);				\
		printf("\n");					\
		fails++;					\
	}							\
} while (0)

/*
 * A CQ of 4 and 8 NOPs submitted in two batches without reaping: 4 wait on
 * the overflow list (NODROP) until a wait flushes them.
 */
static void cq_overflow(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	unsigned long long sum = 0;
	int i, b, ret, got = 0;

	ret = io_uring_queue_init_params(4, &ring, &p);
	if (ret) {
		printf("overflow ring: %s\n", strerror(-ret));
		fails++;
		return;
	}
	for (b = 0; b < 2; b++) {
		for (i = 0; i < 4; i++) {
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_nop(sqe);
			sqe->user_data = (__u64)(b * 4 + i + 1);
		}
		ret = io_uring_submit(&ring);
		if (ret != 4) {
			printf("FAIL overflow submit %d: %d\n", b, ret);
			fails++;
		}
	}
	printf("overflow: %u CQEs in the ring, overflow flagged %d\n",
	       io_uring_cq_ready(&ring), io_uring_cq_has_overflow(&ring));
	while (got < 8 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		sum += cqe->user_data;
		got++;
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("overflow: reaped %d, user_data sum %llu, overflow flagged %d\n",
	       got, sum, io_uring_cq_has_overflow(&ring));
	io_uring_queue_exit(&ring);
}

/* An SQ thread picks NOPs up without io_uring_enter(2) submitting them. */
static void sqpoll(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 100 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int i, ret, got = 0;

	ret = io_uring_queue_init_params(8, &ring, &p);
	if (ret) {
		/* SQPOLL wants CAP_SYS_ADMIN before 5.11 and on xuring */
		printf("sqpoll: not available\n");
		fprintf(stderr, "uring-tour: sqpoll: %s\n", strerror(-ret));
		return;
	}
	for (i = 0; i < 16; i++) {
		if (io_uring_sqring_wait(&ring) < 0 ||
		    !(sqe = io_uring_get_sqe(&ring)))
			break;
		io_uring_prep_nop(sqe);
		sqe->user_data = (__u64)i;
		io_uring_submit(&ring);
		while (io_uring_peek_cqe(&ring, &cqe) == 0) {
			got++;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	while (got < 16 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		got++;
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("sqpoll: %d NOPs completed\n", got);
	io_uring_queue_exit(&ring);
}

/* liburing 2.3's raw calls: setup, then the ring mapped from its fd. */
static void raw_calls(void)
{
	struct io_uring_probe *probe;
	struct io_uring_params p;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd, ret;

	ret = io_uring_setup(4, NULL);
	printf("raw: io_uring_setup(4, NULL): %s\n", strerror(-ret));
	memset(&p, 0, sizeof(p));
	fd = io_uring_setup(4, &p);
	if (fd < 0) {
		printf("FAIL raw setup: %s\n", strerror(-fd));
		fails++;
		return;
	}
	ret = io_uring_queue_mmap(fd, &p, &ring);
	printf("raw: queue_mmap %d, %u SQ entries\n", ret, ring.sq.ring_entries);
	if (ret) {
		fails++;
		close(fd);
		return;
	}
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	ret = io_uring_submit(&ring);
	if (ret != 1) {
		printf("FAIL raw submit: %d\n", ret);
		fails++;
	}
	/* the fd's own enter: wait without submitting */
	ret = io_uring_enter((unsigned int)fd, 0, 1, IORING_ENTER_GETEVENTS, NULL);
	printf("raw: io_uring_enter GETEVENTS min 1: %d, %u CQE ready\n", ret,
	       io_uring_cq_ready(&ring));
	if (io_uring_peek_cqe(&ring, &cqe) == 0)
		io_uring_cqe_seen(&ring, cqe);
	probe = calloc(1, sizeof(*probe) + 64 * sizeof(probe->ops[0]));
	ret = io_uring_register((unsigned int)fd, IORING_REGISTER_PROBE, probe, 64);
	printf("raw: io_uring_register PROBE: %d, NOP %d\n", ret,
	       probe && !ret ? io_uring_opcode_supported(probe, IORING_OP_NOP) : -1);
	free(probe);
	ret = io_uring_enter((unsigned int)fd, 0, 0, 1U << 31, NULL);
	printf("raw: io_uring_enter with an unknown flag: %s\n", strerror(-ret));
	io_uring_queue_exit(&ring);
}

static struct io_uring_cqe *wait_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = NULL;
	int ret = io_uring_wait_cqe(ring, &cqe);

	CHECK(ret == 0 && cqe, "wait_cqe: %d", ret);
	return cqe;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "uring-tour.tmp";
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 50000000 };
	struct io_uring_cqe *cqe, *cqes[8];
	struct io_uring_probe *probe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char wbuf[4096], rbuf[4096];
	struct iovec iov = { rbuf, sizeof(rbuf) };
	unsigned long long sum = 0;
	int fd, pfd[2], efd, ret, i;
	eventfd_t count;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret) {
		printf("queue_init: %s\n", strerror(-ret));
		return 1;
	}
	printf("ring: %u SQ entries, %u CQ entries\n", ring.sq.ring_entries,
	       ring.cq.ring_entries);

	probe = io_uring_get_probe_ring(&ring);
	CHECK(probe, "get_probe_ring");
	if (probe) {
		printf("probe: nop %d readv %d read %d write %d timeout %d\n",
		       io_uring_opcode_supported(probe, IORING_OP_NOP),
		       io_uring_opcode_supported(probe, IORING_OP_READV),
		       io_uring_opcode_supported(probe, IORING_OP_READ),
		       io_uring_opcode_supported(probe, IORING_OP_WRITE),
		       io_uring_opcode_supported(probe, IORING_OP_TIMEOUT));
		io_uring_free_probe(probe);
	}

	/* a file written through the ring, read back fixed */
	for (i = 0; i < (int)sizeof(wbuf); i++)
		wbuf[i] = (char)('a' + i % 26);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open %s", path);
	CHECK(io_uring_register_files(&ring, &fd, 1) == 0, "register_files");
	CHECK(io_uring_register_buffers(&ring, &iov, 1) == 0, "register_buffers");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 0, wbuf, sizeof(wbuf), 0);
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
	sqe->user_data = 1;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, 0, rbuf, sizeof(rbuf), 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = 2;
	ret = io_uring_submit_and_wait(&ring, 2);
	CHECK(ret == 2, "submit_and_wait: %d", ret);
	for (i = 0; i < 2; i++) {
		cqe = wait_one(&ring);
		if (!cqe)
			break;
		printf("rw: user_data %llu res %d\n",
		       (unsigned long long)cqe->user_data, cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("read back: %s\n", memcmp(wbuf, rbuf, sizeof(rbuf)) ? "differs" : "same");
	CHECK(io_uring_unregister_buffers(&ring) == 0, "unregister_buffers");
	CHECK(io_uring_unregister_files(&ring) == 0, "unregister_files");
	close(fd);
	unlink(path);

	/* a batch of NOPs reaped with peek_batch_cqe */
	for (i = 1; i <= 6; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, (__u64)i * 10);
	}
	ret = io_uring_submit_and_wait(&ring, 6);
	CHECK(ret == 6, "submit 6 nops: %d", ret);
	ret = (int)io_uring_peek_batch_cqe(&ring, cqes, 8);
	for (i = 0; i < ret; i++)
		sum += io_uring_cqe_get_data64(cqes[i]);
	io_uring_cq_advance(&ring, (unsigned)ret);
	printf("nops: %d CQEs, user_data sum %llu, %u left\n", ret, sum,
	       io_uring_cq_ready(&ring));

	/* timed waits: nothing to wait for, then a NOP */
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	printf("empty wait_cqe_timeout: %s\n", ret == -ETIME ? "-ETIME" : strerror(-ret));
	ret = io_uring_peek_cqe(&ring, &cqe);
	printf("peek on empty ring: %s\n", ret == -EAGAIN ? "-EAGAIN" : strerror(-ret));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 77;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	CHECK(ret >= 0 && cqe, "submit_and_wait_timeout: %d", ret);
	if (ret >= 0 && cqe) {
		printf("submit_and_wait_timeout: user_data %llu res %d\n",
		       (unsigned long long)cqe->user_data, cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}

	/* poll a pipe, with an eventfd counting the CQEs */
	CHECK(pipe(pfd) == 0, "pipe");
	efd = eventfd(0, 0);
	CHECK(io_uring_register_eventfd(&ring, efd) == 0, "register_eventfd");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, pfd[0], POLLIN);
	sqe->user_data = 5;
	CHECK(io_uring_submit(&ring) == 1, "submit poll");
	CHECK(write(pfd[1], "x", 1) == 1, "write pipe");
	cqe = wait_one(&ring);
	if (cqe) {
		printf("poll: user_data %llu POLLIN %d\n",
		       (unsigned long long)cqe->user_data, !!(cqe->res & POLLIN));
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK(eventfd_read(efd, &count) == 0, "eventfd_read");
	printf("eventfd: %llu\n", (unsigned long long)count);
	CHECK(io_uring_unregister_eventfd(&ring) == 0, "unregister_eventfd");
	close(efd);
	close(pfd[0]);
	close(pfd[1]);

	cq_overflow();
	sqpoll();
	raw_calls();

	/* 2.2/2.3 features: use them when there, else the old way */
	ret = io_uring_register_ring_fd(&ring);
	fprintf(stderr, "uring-tour: register_ring_fd: %d%s\n", ret,
		ret == 1 ? "" : " (old kernel: enter by fd)");
	CHECK(ret == 1 || ret == -EINVAL, "register_ring_fd: %d", ret);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 9;
	CHECK(io_uring_submit(&ring) == 1, "submit after register_ring_fd");
	cqe = wait_one(&ring);
	if (cqe) {
		printf("nop after register_ring_fd: user_data %llu res %d\n",
		       (unsigned long long)cqe->user_data, cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	{
		struct io_uring_buf_reg reg = { .ring_entries = 8, .bgid = 1 };
		void *br;

		if (posix_memalign(&br, 4096, 4096) == 0) {
			reg.ring_addr = (unsigned long)br;
			ret = io_uring_register_buf_ring(&ring, &reg, 0);
			fprintf(stderr, "uring-tour: register_buf_ring: %d%s\n", ret,
				ret ? " (old kernel: PROVIDE_BUFFERS)" : "");
			CHECK(ret == 0 || ret == -EINVAL, "register_buf_ring: %d", ret);
			if (!ret)
				io_uring_unregister_buf_ring(&ring, 1);
			free(br);
		}
	}
	fprintf(stderr, "uring-tour: mlock_size(8): %zd\n", io_uring_mlock_size(8, 0));

	io_uring_queue_exit(&ring);
	printf("%s\n", fails ? "uring-tour: FAILED" : "uring-tour: done");
	return fails ? 1 : 0;
}
