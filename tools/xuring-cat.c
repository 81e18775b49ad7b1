// SPDX-License-Identifier: MIT
/*
 * xuring-cat: cat(1) through an xuring ring. Keeps a few READs in flight
 * per file and writes the data to stdout in file order.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xuring/xuring.h>

#define DEF_DEPTH	4
#define MAX_DEPTH	64
#define DEF_BS		(128 * 1024)

static const char *prog = "xuring-cat";

/* One READ slot; slots are used round-robin, so completion order is free. */
struct slot {
	char *buf;
	unsigned long long off;	/* file offset of buf[0] */
	unsigned int len;	/* bytes asked for */
	unsigned int got;	/* bytes already in buf (short reads) */
	int res;		/* result of the last read */
	bool busy;		/* a READ is in flight */
	bool done;		/* completed, waiting to be written out */
};

struct cat {
	struct xuring ring;
	struct slot slots[MAX_DEPTH];
	unsigned int depth;
	unsigned int bs;
	unsigned int inflight;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-d DEPTH] [-b BYTES] [FILE...]\n"
		"Concatenate FILEs (or stdin, or '-') to stdout, reading them\n"
		"through an xuring ring with DEPTH reads of BYTES in flight\n"
		"(defaults %d and %d; DEPTH at most %d).\n",
		prog, DEF_DEPTH, DEF_BS, MAX_DEPTH);
}

static int write_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Queue a READ for slot i (the part of it not yet filled). */
static int queue_read(struct cat *c, int fd, unsigned int i, bool stream)
{
	struct slot *s = &c->slots[i];
	struct xuring_sqe *sqe = xuring_get_sqe(&c->ring);

	if (!sqe)
		return -EBUSY;	/* cannot happen: depth <= SQ entries */
	/* Streams read at the file position (offset -1, as read(2)). */
	xuring_prep_read(sqe, fd, s->buf + s->got, s->len - s->got,
			 stream ? (uint64_t)-1 : s->off + s->got);
	xuring_sqe_set_data64(sqe, i);
	s->busy = true;
	s->done = false;
	c->inflight++;
	return 0;
}

/* Wait for at least one completion (submitting what is queued). */
static int reap(struct cat *c)
{
	struct xuring_cqe *cqe;
	int ret;

	if (xuring_sq_ready(&c->ring)) {
		ret = xuring_submit(&c->ring);
		if (ret < 0)
			return ret;
	}
	do {
		ret = xuring_wait_cqe(&c->ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0)
		return ret;

	do {
		struct slot *s;

		if (cqe->user_data >= c->depth) {
			xuring_cqe_seen(&c->ring, cqe);
			return -EPROTO;
		}
		s = &c->slots[cqe->user_data];
		s->res = cqe->res;
		s->busy = false;
		s->done = true;
		c->inflight--;
		xuring_cqe_seen(&c->ring, cqe);
	} while (xuring_peek_cqe(&c->ring, &cqe) == 0);
	return 0;
}

/*
 * Copy one open file to stdout. Returns 0, or a negative errno with *what
 * saying which side failed ("read" or "write").
 */
static int cat_fd(struct cat *c, int fd, const char **what)
{
	unsigned long long next_off = 0;
	unsigned int head = 0, tail = 0;	/* slot ring: head is next out */
	unsigned int queued = 0;		/* slots between head and tail */
	unsigned int depth = c->depth;
	bool eof = false, stream;
	struct stat st;
	int err = 0, ret;

	*what = "read";
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	/* Parallel reads at explicit offsets only where offsets mean
	 * something; pipes, ttys, sockets get one read at a time. */
	stream = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	if (stream) {
		depth = 1;
	} else {
		/* Start where the file position is (0 unless it is an
		 * inherited stdin somebody has read from already). */
		off_t pos = lseek(fd, 0, SEEK_CUR);

		if (pos > 0)
			next_off = (unsigned long long)pos;
	}

	for (;;) {
		/* Keep the pipeline full. */
		while (!eof && !err && queued < depth) {
			struct slot *s = &c->slots[tail];

			s->off = next_off;
			s->len = c->bs;
			s->got = 0;
			ret = queue_read(c, fd, tail, stream);
			if (ret < 0) {
				err = ret;
				break;
			}
			next_off += c->bs;
			tail = (tail + 1) % depth;
			queued++;
		}
		if (!c->inflight)
			break;

		ret = reap(c);
		if (ret < 0) {
			/* The ring itself failed: nothing more to be done. */
			return ret;
		}

		/* Write out, in order, whatever is complete at the head. */
		while (queued && c->slots[head].done) {
			struct slot *s = &c->slots[head];

			s->done = false;
			if (eof || err) {
				/* Draining: discard. */
			} else if (s->res < 0) {
				err = s->res;
			} else if (s->res == 0) {
				eof = true;
			} else {
				ret = write_all(s->buf + s->got,
						(size_t)s->res);
				if (ret < 0) {
					*what = "write";
					err = ret;
				} else if (!stream &&
					   s->got + (unsigned int)s->res <
					   s->len) {
					/* Short read: fetch the rest of this
					 * slot before moving on. */
					s->got += (unsigned int)s->res;
					ret = queue_read(c, fd, head, stream);
					if (ret < 0)
						err = ret;
					else
						break;
				}
			}
			head = (head + 1) % depth;
			queued--;
		}
	}
	return err;
}

static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct cat c = { .depth = DEF_DEPTH, .bs = DEF_BS };
	char **files;
	int status = 0, opt, ret;

	if (argv[0] && argv[0][0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	while ((opt = getopt(argc, argv, "d:b:h")) != -1) {
		switch (opt) {
		case 'd':
			if (parse_uint(optarg, 1, MAX_DEPTH, &c.depth)) {
				fprintf(stderr, "%s: bad depth '%s'\n", prog,
					optarg);
				return 2;
			}
			break;
		case 'b':
			if (parse_uint(optarg, 1, 1U << 30, &c.bs)) {
				fprintf(stderr, "%s: bad block size '%s'\n",
					prog, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	files = optind < argc ? argv + optind : stdin_only;

	ret = xuring_queue_init(c.depth, &c.ring, 0);
	if (ret < 0) {
		fprintf(stderr, "%s: setting up a ring on %s: %s\n", prog,
			XURING_DEV_PATH, strerror(-ret));
		if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO)
			fprintf(stderr, "%s: is the module loaded? "
				"(insmod xuring.ko)\n", prog);
		else if (ret == -EACCES || ret == -EPERM)
			fprintf(stderr, "%s: %s is root-only by default\n",
				prog, XURING_DEV_PATH);
		return 1;
	}
	for (unsigned int i = 0; i < c.depth; i++) {
		c.slots[i].buf = malloc(c.bs);
		if (!c.slots[i].buf) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return 1;
		}
	}

	for (; *files; files++) {
		const char *name = *files;
		const char *what = "read";
		bool is_stdin = !strcmp(name, "-");
		int fd = is_stdin ? STDIN_FILENO :
				    open(name, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, name,
				strerror(errno));
			status = 1;
			continue;
		}
		ret = cat_fd(&c, fd, &what);
		if (ret < 0) {
			if (!strcmp(what, "write"))
				fprintf(stderr, "%s: write error: %s\n", prog,
					strerror(-ret));
			else
				fprintf(stderr, "%s: %s: %s\n", prog,
					is_stdin ? "stdin" : name,
					strerror(-ret));
			status = 1;
		}
		if (!is_stdin)
			close(fd);
		if (c.inflight) {
			/* Only after the ring failed outright. */
			fprintf(stderr, "%s: ring failed with reads in "
				"flight; giving up\n", prog);
			return 1;
		}
		if (ret < 0 && !strcmp(what, "write"))
			break;
	}

	xuring_queue_exit(&c.ring);
	for (unsigned int i = 0; i < c.depth; i++)
		free(c.slots[i].buf);
	return status;
}
