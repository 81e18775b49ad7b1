// SPDX-License-Identifier: MIT
/*
 * cp SRC DST through an io_uring ring, written to liburing's API. Each chunk
 * is a READ linked to the WRITE that stores it, when the ring takes
 * IOSQE_IO_LINK; otherwise each chunk is read, then written, unlinked.
 * Built twice from this source: against liburing and against xuring's
 * liburing-compatible header (tools/README.md, "Examples").
 *
 * usage: cp [-v] SRC DST    (-v: say on stderr whether links are used)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <liburing.h>

#define QD	8		/* chunks in flight */
#define CHUNK	(64 * 1024)

struct chunk {
	off_t off;
	unsigned int len;
	int read_res;		/* linked mode: the READ's result */
	int pending;		/* CQEs still to come for this chunk */
	int redo;		/* a step fell short: copy it again */
	char buf[CHUNK];
};

static struct chunk chunks[QD];

/* A lone NOP marked IOSQE_IO_LINK: 0 where links work, -EINVAL where the
 * ring refuses the flag. */
static int links_work(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	io_uring_prep_nop(sqe);
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	io_uring_sqe_set_data64(sqe, 0);
	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret == 0;
}

/* One step through the ring, unlinked: submit one SQE, return its res. */
static int one(struct io_uring *ring, int write, int fd, void *buf,
	       unsigned int len, off_t off)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (write)
		io_uring_prep_write(sqe, fd, buf, len, off);
	else
		io_uring_prep_read(sqe, fd, buf, len, off);
	io_uring_sqe_set_data64(sqe, 0);
	ret = io_uring_submit(ring);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* Copy [off, off + len) with unlinked steps; short reads and writes go on
 * where they stopped. */
static int copy_plain(struct io_uring *ring, int in, int out, char *buf,
		      off_t off, unsigned int len)
{
	while (len) {
		unsigned int done = 0;
		int n = one(ring, 0, in, buf, len, off);

		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;	/* the file shrank under us */
		while (done < (unsigned int)n) {
			int w = one(ring, 1, out, buf + done, n - done,
				    off + done);

			if (w < 0)
				return w;
			if (w == 0)
				return -EIO;
			done += w;
		}
		off += n;
		len -= n;
	}
	return 0;
}

static int copy_linked(struct io_uring *ring, int in, int out, off_t size,
		       unsigned int *nchunks)
{
	unsigned int inflight = 0, redo = 0, i;
	off_t next = 0;
	int ret;

	while (next < size || inflight) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;

		/* Fill every idle slot with a READ -> WRITE pair (none while a
		 * chunk waits to be redone: that needs the ring to itself). */
		for (i = 0; i < QD && next < size && !redo; i++) {
			struct chunk *c = &chunks[i];
			struct io_uring_sqe *sqe;

			if (c->pending)
				continue;
			c->off = next;
			c->len = size - next < CHUNK ? size - next : CHUNK;
			next += c->len;
			c->pending = 2;
			c->read_res = 0;
			sqe = io_uring_get_sqe(ring);
			io_uring_prep_read(sqe, in, c->buf, c->len, c->off);
			io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
			io_uring_sqe_set_data64(sqe, i * 2);
			sqe = io_uring_get_sqe(ring);
			io_uring_prep_write(sqe, out, c->buf, c->len, c->off);
			io_uring_sqe_set_data64(sqe, i * 2 + 1);
			inflight++;
			(*nchunks)++;
		}
		if (inflight) {
			ret = io_uring_submit_and_wait(ring, 1);
			if (ret < 0)
				return ret;
		}

		io_uring_for_each_cqe(ring, head, cqe) {
			struct chunk *c = &chunks[cqe->user_data / 2];

			if (cqe->user_data % 2 == 0)
				c->read_res = cqe->res;
			else if (cqe->res != (int)c->len)
				c->read_res = -1;
			seen++;
			if (--c->pending)
				continue;
			inflight--;
			/* A short or failed step broke the link. */
			if (c->read_res != (int)c->len) {
				c->redo = 1;
				redo++;
			}
		}
		io_uring_cq_advance(ring, seen);

		if (!redo || inflight)
			continue;
		/* The ring is idle: redo those chunks step by step. */
		for (i = 0; i < QD; i++) {
			struct chunk *c = &chunks[i];

			if (!c->redo)
				continue;
			ret = copy_plain(ring, in, out, c->buf, c->off, c->len);
			if (ret < 0)
				return ret;
			c->redo = 0;
		}
		redo = 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	unsigned int nchunks = 0;
	int verbose = 0, in, out, ret, linked;
	struct stat st;
	off_t off;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: cp [-v] SRC DST\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY);
	if (in < 0 || fstat(in, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(argv[2]);
		return 1;
	}
	ret = io_uring_queue_init(2 * QD, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "queue_init: %s\n", strerror(-ret));
		return 1;
	}

	linked = links_work(&ring);
	if (linked < 0) {
		fprintf(stderr, "link probe: %s\n", strerror(-linked));
		return 1;
	}
	if (verbose)
		fprintf(stderr, "cp: %s\n", linked ? "linked READ->WRITE" :
			"IOSQE_IO_LINK refused: unlinked READ then WRITE");

	if (linked) {
		ret = copy_linked(&ring, in, out, st.st_size, &nchunks);
	} else {
		ret = 0;
		for (off = 0; off < st.st_size && !ret; off += CHUNK) {
			unsigned int len = st.st_size - off < CHUNK ?
					   st.st_size - off : CHUNK;

			ret = copy_plain(&ring, in, out, chunks[0].buf, off, len);
			nchunks++;
		}
	}
	io_uring_queue_exit(&ring);
	if (ret < 0) {
		fprintf(stderr, "cp: %s\n", strerror(-ret));
		return 1;
	}
	if (close(out) < 0) {
		perror(argv[2]);
		return 1;
	}
	printf("copied %lld bytes in %u chunks\n", (long long)st.st_size,
	       nchunks);
	return 0;
}
