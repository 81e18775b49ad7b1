// SPDX-License-Identifier: MIT
/*
 * cat FILE... through an io_uring ring with READV, written to liburing's
 * API: up to QD vectored reads in flight per file, each into three
 * unevenly sized iovecs, written out in file order. Built twice from this
 * source: against liburing and against xuring's liburing-compatible header.
 *
 * usage: cat FILE...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <liburing.h>

#define QD	4
#define NVEC	3
static const size_t vec_len[NVEC] = { 1000, 4096, 3099 };	/* 8195 bytes */
#define SLOT_BYTES	(1000 + 4096 + 3099)

struct slot {
	off_t off;		/* where this read starts */
	int res;		/* its result, once done */
	int done;
	struct iovec iov[NVEC];
	char buf[SLOT_BYTES];
};

static struct slot slots[QD];

static int write_all(const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static void queue_read(struct io_uring *ring, int fd, unsigned int i,
		       off_t off)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct slot *s = &slots[i];
	size_t pos = 0;
	int v;

	for (v = 0; v < NVEC; v++) {
		s->iov[v].iov_base = s->buf + pos;
		s->iov[v].iov_len = vec_len[v];
		pos += vec_len[v];
	}
	s->off = off;
	s->done = 0;
	io_uring_prep_readv(sqe, fd, s->iov, NVEC, off);
	io_uring_sqe_set_data(sqe, s);
}

/*
 * Reads run ahead in QD slots; slot 'first' holds the lowest offset. Output
 * goes in order, and a short read (EOF, or a file that does not fill the
 * whole request) restarts the read-ahead after what it returned.
 */
static int cat_fd(struct io_uring *ring, int fd)
{
	unsigned int first = 0, inflight = 0, i;
	off_t next = 0;
	int eof = 0, ret;

	for (;;) {
		struct io_uring_cqe *cqes[QD];
		unsigned int n;

		while (!eof && inflight < QD) {
			queue_read(ring, fd, (first + inflight) % QD, next);
			next += SLOT_BYTES;
			inflight++;
		}
		if (!inflight)
			return 0;
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			return ret;

		n = io_uring_peek_batch_cqe(ring, cqes, QD);
		for (i = 0; i < n; i++) {
			struct slot *s = io_uring_cqe_get_data(cqes[i]);

			s->res = cqes[i]->res;
			s->done = 1;
		}
		io_uring_cq_advance(ring, n);

		/* Write out, in order, what has arrived. */
		while (inflight && slots[first].done) {
			struct slot *s = &slots[first];

			if (s->res < 0)
				return s->res;
			ret = write_all(s->buf, s->res);
			if (ret < 0)
				return ret;
			first = (first + 1) % QD;
			inflight--;
			if (s->res < SLOT_BYTES && !eof) {
				/* Reads queued past this point assumed a
				 * full one: drop their results and go on
				 * from here once they are back. */
				eof = 1;
				next = s->off + s->res;
				if (s->res)
					eof = 2;	/* short, maybe not EOF */
			}
			if (eof)
				break;
		}
		if (eof) {
			/* Let the others land, then carry on or stop. */
			while (inflight) {
				struct io_uring_cqe *cqe;

				if (!slots[first].done) {
					ret = io_uring_wait_cqe(ring, &cqe);
					if (ret < 0)
						return ret;
					((struct slot *)io_uring_cqe_get_data(cqe))->done = 1;
					io_uring_cqe_seen(ring, cqe);
					continue;
				}
				first = (first + 1) % QD;
				inflight--;
			}
			if (eof == 1)
				return 0;
			eof = 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	int i, ret, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: cat FILE...\n");
		return 2;
	}
	ret = io_uring_queue_init(QD, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "queue_init: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		ret = cat_fd(&ring, fd);
		if (ret < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(-ret));
			status = 1;
		}
		close(fd);
	}
	io_uring_queue_exit(&ring);
	return status;
}
