// SPDX-License-Identifier: GPL-2.0
/*
 * OPENAT, OPENAT2, CLOSE, STATX, FALLOCATE, FADVISE and SYNC_FILE_RANGE:
 * results, the fds that appear in (and leave) this process, the files made,
 * stat fields, blocks allocated, and the errors; every case against native
 * io_uring.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID		0x00001000U
#endif
#define STATX_MNT_ID_UNIQUE_	0x00004000U
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT	0x00002000
#endif
/* The kernel's O_LARGEFILE, which F_GETFL shows (glibc's is 0 on 64-bit). */
#define KO_LARGEFILE		0100000

#ifndef RESOLVE_CACHED
#define RESOLVE_CACHED		0x20
#endif

static int rec_cqe(struct __test_metadata *_metadata, struct xt_log *log,
		   const char *tag, const struct xuring_cqe *cqe)
{
	EXPECT_EQ(0U, cqe->flags) TH_LOG("%s", tag);
	xt_rec(log, cqe->res, "%s.res", tag);
	xt_rec(log, cqe->flags, "%s.flags", tag);
	return cqe->res;
}

/* Submit the SQE prepared last, wait for its CQE, record it. */
static int run1(struct __test_metadata *_metadata, struct xt_ring *r,
		struct xt_log *log, const char *tag)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_submit_one(r, &cqe)) TH_LOG("%s", tag);
	return rec_cqe(_metadata, log, tag, &cqe);
}

#define RUN(tag) run1(_metadata, &r, log, tag)

#define RUN_510(tag, want) xt_run_510(_metadata, &r, kind, tag, want)

#define SQE() xt_sqe_of(_metadata, &r)

/* Each scenario works in a fresh directory: the kind's own names. */
static void enter_dir(struct __test_metadata *_metadata, enum xt_kind kind,
		      const char *name, char *old, size_t len)
{
	char dir[64];

	ASSERT_NE(NULL, getcwd(old, len));
	snprintf(dir, sizeof(dir), "%s-%s-%d", name, xt_kind_name(kind),
		 getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(0, chdir(dir));
}

static void leave_dir(struct __test_metadata *_metadata, const char *old)
{
	ASSERT_EQ(0, chdir(old));
}

static void make_file(struct __test_metadata *_metadata, const char *path,
		      const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(text), write(fd, text, strlen(text)));
	close(fd);
}

/* @fd is open here, on @path, with these F_GETFL/F_GETFD flags. */
static void check_fd(struct __test_metadata *_metadata, struct xt_log *log,
		     const char *tag, int fd, const char *path)
{
	struct stat a, b;

	ASSERT_LE(0, fd) TH_LOG("%s", tag);
	ASSERT_EQ(0, fstat(fd, &a)) TH_LOG("%s", tag);
	if (path) {
		ASSERT_EQ(0, lstat(path, &b)) TH_LOG("%s", tag);
		EXPECT_EQ(b.st_ino, a.st_ino) TH_LOG("%s", tag);
		xt_rec(log, a.st_ino == b.st_ino, "%s.same", tag);
	}
	xt_rec(log, fcntl(fd, F_GETFL), "%s.fl", tag);
	xt_rec(log, fcntl(fd, F_GETFD), "%s.fd", tag);
	xt_rec(log, a.st_mode, "%s.mode", tag);
	xt_rec(log, a.st_size, "%s.size", tag);
	xt_rec(log, a.st_nlink, "%s.nlink", tag);
}

static char *read_all(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

XT_SCENARIO(openat_basic)
{
	char old[PATH_MAX], abs[PATH_MAX + 16], buf[64];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char *longname;
	int fd;

	XT_RING(&r, kind, 8, NULL);
	enter_dir(_metadata, kind, "openat", old, sizeof(old));
	umask(022);

	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_CREAT | O_RDWR, 0666);
	fd = RUN("create");
	check_fd(_metadata, log, "create", fd, "new");
	EXPECT_EQ(O_RDWR | KO_LARGEFILE, fcntl(fd, F_GETFL));
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	ASSERT_EQ(5, write(fd, "hello", 5));
	close(fd);
	{
		struct stat st;

		ASSERT_EQ(0, stat("new", &st));
		EXPECT_EQ(0644, st.st_mode & 07777);
	}

	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_RDONLY | O_CLOEXEC, 0);
	fd = RUN("existing");
	check_fd(_metadata, log, "existing", fd, "new");
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_STREQ("hello", read_all(fd, buf, sizeof(buf)));
	close(fd);

	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_WRONLY | O_TRUNC | O_APPEND,
			   0);
	fd = RUN("trunc-append");
	check_fd(_metadata, log, "trunc-append", fd, "new");
	close(fd);

	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_CREAT | O_EXCL | O_RDWR,
			   0600);
	EXPECT_EQ(-EEXIST, RUN("excl"));
	xuring_prep_openat(SQE(), AT_FDCWD, "missing", O_RDONLY, 0);
	EXPECT_EQ(-ENOENT, RUN("missing"));
	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_RDONLY | O_DIRECTORY, 0);
	EXPECT_EQ(-ENOTDIR, RUN("not-dir"));
	xuring_prep_openat(SQE(), AT_FDCWD, "new/", O_RDONLY, 0);
	EXPECT_EQ(-ENOTDIR, RUN("trailing-slash"));
	xuring_prep_openat(SQE(), AT_FDCWD, ".", O_WRONLY, 0);
	EXPECT_EQ(-EISDIR, RUN("dir-write"));
	xuring_prep_openat(SQE(), AT_FDCWD, "nodir/", O_CREAT | O_RDWR, 0600);
	EXPECT_EQ(-EISDIR, RUN("create-slash"));
	xuring_prep_openat(SQE(), AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, 0);
	fd = RUN("dot");
	check_fd(_metadata, log, "dot", fd, ".");
	close(fd);

	/* an absolute path; the dirfd does not matter then */
	ASSERT_NE(NULL, getcwd(abs, PATH_MAX));
	strcat(abs, "/new");
	xuring_prep_openat(SQE(), -1, abs, O_RDONLY, 0);
	fd = RUN("absolute");
	check_fd(_metadata, log, "absolute", fd, "new");
	close(fd);

	/* O_PATH keeps only what goes with it */
	xuring_prep_openat(SQE(), AT_FDCWD, "new", O_PATH | O_RDWR | O_TRUNC |
			   O_CREAT, 0777);
	fd = RUN("o_path");
	check_fd(_metadata, log, "o_path", fd, "new");
	EXPECT_EQ(O_PATH, fcntl(fd, F_GETFL));
	close(fd);

	/* an unnamed file in the directory */
	xuring_prep_openat(SQE(), AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
	fd = RUN("tmpfile");
	check_fd(_metadata, log, "tmpfile", fd, NULL);
	close(fd);

	/* names getname() refuses */
	xuring_prep_openat(SQE(), AT_FDCWD, "", O_RDONLY, 0);
	EXPECT_EQ(-ENOENT, RUN("empty"));
	xuring_prep_openat(SQE(), AT_FDCWD, xt_unmapped_page(), O_RDONLY, 0);
	EXPECT_EQ(-EFAULT, RUN("efault"));
	longname = malloc(PATH_MAX + 2);
	ASSERT_NE(NULL, longname);
	memset(longname, 'a', PATH_MAX + 1);
	longname[PATH_MAX + 1] = 0;
	xuring_prep_openat(SQE(), AT_FDCWD, longname, O_RDONLY, 0);
	EXPECT_EQ(-ENAMETOOLONG, RUN("too-long"));
	free(longname);

	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "new", O_RDONLY, 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, RUN("fixed-file"));
	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "new", O_RDONLY, 0);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));
	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "new", O_RDONLY, 0);
	sqe->ioprio = 1;
	fd = RUN_510("ioprio", -EINVAL);
	if (fd >= 0)
		close(fd);

	unlink("new");
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(openat_creates_and_opens_in_the_submitters_cwd)
{
	XT_DIFF(openat_basic);
}

XT_SCENARIO(openat_dirfd)
{
	char old[PATH_MAX], buf[64];
	struct xt_ring r;
	int d, p, f, fd;

	XT_RING(&r, kind, 8, NULL);
	enter_dir(_metadata, kind, "dirfd", old, sizeof(old));
	ASSERT_EQ(0, mkdir("d", 0755));
	ASSERT_EQ(0, mkdir("d/sub", 0755));
	make_file(_metadata, "top", "top");
	make_file(_metadata, "d/f", "in d");
	ASSERT_EQ(0, symlink("f", "d/rel-link"));
	ASSERT_EQ(0, symlink("../top", "d/up-link"));
	ASSERT_EQ(0, symlink("nowhere", "d/dangling"));
	d = open("d", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, d);
	p = open("d", O_PATH | O_DIRECTORY);
	ASSERT_LE(0, p);
	f = open("top", O_RDONLY);
	ASSERT_LE(0, f);

	xuring_prep_openat(SQE(), d, "f", O_RDONLY, 0);
	fd = RUN("rel");
	check_fd(_metadata, log, "rel", fd, "d/f");
	EXPECT_STREQ("in d", read_all(fd, buf, sizeof(buf)));
	close(fd);
	xuring_prep_openat(SQE(), p, "sub/../f", O_RDONLY, 0);
	fd = RUN("o_path-dirfd");
	check_fd(_metadata, log, "o_path-dirfd", fd, "d/f");
	close(fd);
	/* ".." above the dirfd, and a symlink that goes there */
	xuring_prep_openat(SQE(), d, "../top", O_RDONLY, 0);
	fd = RUN("dotdot");
	check_fd(_metadata, log, "dotdot", fd, "top");
	close(fd);
	xuring_prep_openat(SQE(), d, "up-link", O_RDONLY, 0);
	fd = RUN("up-link");
	check_fd(_metadata, log, "up-link", fd, "top");
	close(fd);
	xuring_prep_openat(SQE(), d, "rel-link", O_RDWR, 0);
	fd = RUN("rel-link");
	check_fd(_metadata, log, "rel-link", fd, "d/f");
	close(fd);
	xuring_prep_openat(SQE(), d, "rel-link", O_RDONLY | O_NOFOLLOW, 0);
	EXPECT_EQ(-ELOOP, RUN("nofollow"));
	xuring_prep_openat(SQE(), d, "rel-link", O_PATH | O_NOFOLLOW, 0);
	fd = RUN("path-nofollow");
	check_fd(_metadata, log, "path-nofollow", fd, "d/rel-link");
	close(fd);
	xuring_prep_openat(SQE(), d, "dangling", O_RDONLY, 0);
	EXPECT_EQ(-ENOENT, RUN("dangling"));

	/* creating relative to the dirfd */
	xuring_prep_openat(SQE(), d, "created", O_CREAT | O_WRONLY, 0600);
	fd = RUN("create");
	check_fd(_metadata, log, "create", fd, "d/created");
	EXPECT_EQ(O_WRONLY | KO_LARGEFILE, fcntl(fd, F_GETFL));
	close(fd);
	xuring_prep_openat(SQE(), d, "sub/made", O_CREAT | O_RDWR | O_CLOEXEC,
			   0640);
	fd = RUN("create-sub");
	check_fd(_metadata, log, "create-sub", fd, "d/sub/made");
	close(fd);
	xuring_prep_openat(SQE(), d, "created", O_CREAT | O_EXCL | O_RDWR,
			   0600);
	EXPECT_EQ(-EEXIST, RUN("create-excl"));
	xuring_prep_openat(SQE(), d, "created", O_CREAT | O_TRUNC | O_RDWR,
			   0600);
	fd = RUN("create-existing");
	check_fd(_metadata, log, "create-existing", fd, "d/created");
	close(fd);
	/* O_CREAT through a symlink that stays in the directory */
	xuring_prep_openat(SQE(), d, "rel-link", O_CREAT | O_RDWR, 0600);
	fd = RUN("create-via-link");
	check_fd(_metadata, log, "create-via-link", fd, "d/f");
	close(fd);
	xuring_prep_openat(SQE(), d, "rel-link", O_CREAT | O_EXCL | O_RDWR,
			   0600);
	EXPECT_EQ(-EEXIST, RUN("create-excl-link"));
	xuring_prep_openat(SQE(), d, "nosuchdir/x", O_CREAT | O_RDWR, 0600);
	EXPECT_EQ(-ENOENT, RUN("create-nodir"));
	xuring_prep_openat(SQE(), d, "sub/..", O_CREAT | O_RDWR, 0600);
	EXPECT_EQ(-EISDIR, RUN("create-dotdot"));
	xuring_prep_openat(SQE(), d, ".", O_TMPFILE | O_WRONLY, 0600);
	fd = RUN("tmpfile");
	check_fd(_metadata, log, "tmpfile", fd, NULL);
	close(fd);

	/* dirfds that are not directories, or not fds */
	xuring_prep_openat(SQE(), f, "x", O_RDONLY, 0);
	EXPECT_EQ(-ENOTDIR, RUN("file-dirfd"));
	xuring_prep_openat(SQE(), f, "x", O_CREAT | O_RDWR, 0600);
	EXPECT_EQ(-ENOTDIR, RUN("file-dirfd-create"));
	xuring_prep_openat(SQE(), -1, "x", O_RDONLY, 0);
	EXPECT_EQ(-EBADF, RUN("bad-dirfd"));
	xuring_prep_openat(SQE(), 0x7ffffff, "x", O_CREAT | O_RDWR, 0600);
	EXPECT_EQ(-EBADF, RUN("bad-dirfd-create"));

	close(d);
	close(p);
	close(f);
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(openat_relative_to_a_dirfd)
{
	XT_DIFF(openat_dirfd);
}

TEST(openat_create_above_the_dirfd_is_exdev)
{
	char old[PATH_MAX];
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int d;

	/*
	 * xuring's one openat(2) difference: creating a file on a path that
	 * leaves the dirfd on the way. openat(2) would make "out" beside
	 * "d"; xuring refuses rather than guess (see openclose.c).
	 */
	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	enter_dir(_metadata, XT_XURING, "exdev", old, sizeof(old));
	ASSERT_EQ(0, mkdir("d", 0755));
	d = open("d", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, d);
	sqe = xt_get_sqe(&r);
	xuring_prep_openat(sqe, d, "../out", O_CREAT | O_RDWR, 0600);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EXDEV, cqe.res);
	EXPECT_EQ(-1, access("out", F_OK));
	/* an existing file there opens as openat(2) opens it */
	make_file(_metadata, "out", "o");
	sqe = xt_get_sqe(&r);
	xuring_prep_openat(sqe, d, "../out", O_RDONLY, 0);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_LE(0, cqe.res);
	close(cqe.res);
	close(d);
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

static void how_set(struct open_how *how, __u64 flags, __u64 mode,
		    __u64 resolve)
{
	memset(how, 0, sizeof(*how));
	how->flags = flags;
	how->mode = mode;
	how->resolve = resolve;
}

XT_SCENARIO(openat2)
{
	char old[PATH_MAX], path[64], big[64];
	struct xuring_sqe *sqe;
	struct open_how how;
	struct xt_ring r;
	int d, fd;

	XT_RING(&r, kind, 8, NULL);
	enter_dir(_metadata, kind, "openat2", old, sizeof(old));
	ASSERT_EQ(0, mkdir("d", 0755));
	make_file(_metadata, "top", "top");
	make_file(_metadata, "d/f", "f");
	ASSERT_EQ(0, symlink("f", "d/link"));
	ASSERT_EQ(0, symlink("/top", "d/abs-link"));
	d = open("d", O_PATH | O_DIRECTORY);
	ASSERT_LE(0, d);

	how_set(&how, O_RDONLY, 0, 0);
	xuring_prep_openat2(SQE(), d, "f", &how);
	fd = RUN("plain");
	check_fd(_metadata, log, "plain", fd, "d/f");
	close(fd);

	how_set(&how, O_RDONLY, 0, RESOLVE_BENEATH);
	xuring_prep_openat2(SQE(), d, "f", &how);
	fd = RUN("beneath");
	check_fd(_metadata, log, "beneath", fd, "d/f");
	close(fd);
	xuring_prep_openat2(SQE(), d, "../top", &how);
	EXPECT_EQ(-EXDEV, RUN("beneath-dotdot"));
	xuring_prep_openat2(SQE(), d, "abs-link", &how);
	EXPECT_EQ(-EXDEV, RUN("beneath-abs-link"));
	how_set(&how, O_CREAT | O_RDWR, 0600, RESOLVE_BENEATH);
	xuring_prep_openat2(SQE(), d, "new-beneath", &how);
	fd = RUN("beneath-create");
	check_fd(_metadata, log, "beneath-create", fd, "d/new-beneath");
	close(fd);
	xuring_prep_openat2(SQE(), d, "../new-above", &how);
	EXPECT_EQ(-EXDEV, RUN("beneath-create-dotdot"));
	EXPECT_EQ(-1, access("new-above", F_OK));

	/* in root: "/" and ".." stay in the dirfd */
	how_set(&how, O_RDONLY, 0, RESOLVE_IN_ROOT);
	xuring_prep_openat2(SQE(), d, "/f", &how);
	fd = RUN("in-root-abs");
	check_fd(_metadata, log, "in-root-abs", fd, "d/f");
	close(fd);
	xuring_prep_openat2(SQE(), d, "../../f", &how);
	fd = RUN("in-root-dotdot");
	check_fd(_metadata, log, "in-root-dotdot", fd, "d/f");
	close(fd);
	xuring_prep_openat2(SQE(), d, "abs-link", &how);
	EXPECT_EQ(-ENOENT, RUN("in-root-abs-link"));
	how_set(&how, O_CREAT | O_RDWR, 0600, RESOLVE_IN_ROOT);
	xuring_prep_openat2(SQE(), d, "/../in-root-new", &how);
	fd = RUN("in-root-create");
	check_fd(_metadata, log, "in-root-create", fd, "d/in-root-new");
	close(fd);

	how_set(&how, O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
	xuring_prep_openat2(SQE(), d, "link", &how);
	EXPECT_EQ(-ELOOP, RUN("no-symlinks"));
	how_set(&how, O_CREAT | O_RDWR, 0600, RESOLVE_NO_SYMLINKS);
	xuring_prep_openat2(SQE(), d, "link", &how);
	EXPECT_EQ(-ELOOP, RUN("no-symlinks-create"));
	how_set(&how, O_RDONLY, 0, RESOLVE_NO_XDEV);
	xuring_prep_openat2(SQE(), AT_FDCWD, "/dev/null", &how);
	EXPECT_EQ(-EXDEV, RUN("no-xdev"));
	xuring_prep_openat2(SQE(), AT_FDCWD, "top", &how);
	fd = RUN("no-xdev-same");
	check_fd(_metadata, log, "no-xdev-same", fd, "top");
	close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", d);
	how_set(&how, O_RDONLY | O_DIRECTORY, 0, RESOLVE_NO_MAGICLINKS);
	xuring_prep_openat2(SQE(), AT_FDCWD, path, &how);
	EXPECT_EQ(-ELOOP, RUN("no-magiclinks"));
	how_set(&how, O_RDONLY | O_DIRECTORY, 0, 0);
	xuring_prep_openat2(SQE(), AT_FDCWD, path, &how);
	fd = RUN("magiclink");
	check_fd(_metadata, log, "magiclink", fd, "d");
	close(fd);

	/* cached lookups: yes for a warm path, -EAGAIN for what may write */
	how_set(&how, O_RDONLY, 0, RESOLVE_CACHED);
	xuring_prep_openat2(SQE(), AT_FDCWD, "top", &how);
	fd = RUN("cached");
	check_fd(_metadata, log, "cached", fd, "top");
	close(fd);
	how_set(&how, O_RDWR | O_CREAT, 0600, RESOLVE_CACHED);
	xuring_prep_openat2(SQE(), AT_FDCWD, "top", &how);
	EXPECT_EQ(-EAGAIN, RUN("cached-create"));

	/* what openat2(2) refuses */
	how_set(&how, O_RDONLY | (1ULL << 40), 0, 0);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("bad-flags"));
	how_set(&how, O_RDONLY, 0644, 0);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("mode-no-create"));
	how_set(&how, O_RDWR | O_CREAT, 010000, 0);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("bad-mode"));
	how_set(&how, O_RDONLY, 0, 0x400);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("bad-resolve"));
	how_set(&how, O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("two-scopes"));
	how_set(&how, O_PATH | O_RDWR, 0, 0);
	xuring_prep_openat2(SQE(), d, "f", &how);
	EXPECT_EQ(-EINVAL, RUN("path-rdwr"));
	how_set(&how, O_TMPFILE | O_RDONLY, 0, 0);
	xuring_prep_openat2(SQE(), d, ".", &how);
	EXPECT_EQ(-EINVAL, RUN("tmpfile-rdonly"));
	how_set(&how, O_RDONLY, 0, 0);
	sqe = SQE();
	xuring_prep_openat2(sqe, d, "f", &how);
	sqe->len = 16;
	EXPECT_EQ(-EINVAL, RUN("short-how"));
	memset(big, 0, sizeof(big));
	memcpy(big, &how, sizeof(how));
	sqe = SQE();
	xuring_prep_openat2(sqe, d, "f", (struct open_how *)big);
	sqe->len = sizeof(big);
	fd = RUN("long-how-zeroes");
	check_fd(_metadata, log, "long-how-zeroes", fd, "d/f");
	close(fd);
	big[40] = 1;
	sqe = SQE();
	xuring_prep_openat2(sqe, d, "f", (struct open_how *)big);
	sqe->len = sizeof(big);
	EXPECT_EQ(-E2BIG, RUN("long-how"));
	xuring_prep_openat2(SQE(), d, "f", xt_unmapped_page());
	EXPECT_EQ(-EFAULT, RUN("bad-how"));

	close(d);
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(openat2_resolve_flags_and_checks)
{
	XT_DIFF(openat2);
}

XT_SCENARIO(open_events)
{
	char old[PATH_MAX], ev[4096] __attribute__((aligned(8)));
	struct inotify_event *e;
	int in, fd, opens = 0, creates = 0;
	struct xt_ring r;
	ssize_t n, off;

	/* open(2)'s fsnotify events (closes in between: no merging) */
	XT_RING(&r, kind, 4, NULL);
	enter_dir(_metadata, kind, "events", old, sizeof(old));
	in = inotify_init1(IN_NONBLOCK);
	ASSERT_LE(0, in);
	ASSERT_LE(0, inotify_add_watch(in, ".", IN_OPEN | IN_CREATE | IN_CLOSE));
	xuring_prep_openat(SQE(), AT_FDCWD, "watched", O_CREAT | O_RDWR, 0600);
	fd = RUN("create");
	ASSERT_LE(0, fd);
	close(fd);
	xuring_prep_openat(SQE(), AT_FDCWD, "watched", O_RDONLY, 0);
	fd = RUN("open");
	ASSERT_LE(0, fd);
	close(fd);
	n = read(in, ev, sizeof(ev));
	for (off = 0; n > 0 && off < n; off += sizeof(*e) + e->len) {
		e = (struct inotify_event *)(ev + off);
		opens += !!(e->mask & IN_OPEN);
		creates += !!(e->mask & IN_CREATE);
	}
	EXPECT_EQ(2, opens);
	EXPECT_EQ(1, creates);
	xt_rec(log, opens, "opens");
	xt_rec(log, creates, "creates");
	close(in);
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(open_sends_fsnotify_events)
{
	int in = inotify_init1(0);

	/* the debug lane's kernel has no inotify */
	if (in < 0 && errno == ENOSYS)
		SKIP(return, "no inotify in this kernel");
	close(in);
	XT_DIFF(open_events);
}

XT_SCENARIO(close_ops)
{
	struct xuring_sqe *sqe;
	struct xt_ring r, other;
	int fd, p, s, before;

	XT_RING(&r, kind, 8, NULL);
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	before = fcntl(fd, F_GETFD);
	ASSERT_LE(0, before);
	xuring_prep_close(SQE(), fd);
	EXPECT_EQ(0, RUN("close"));
	EXPECT_EQ(-1, fcntl(fd, F_GETFD));
	EXPECT_EQ(EBADF, errno);
	xuring_prep_close(SQE(), fd);
	EXPECT_EQ(-EBADF, RUN("closed"));
	xuring_prep_close(SQE(), -1);
	EXPECT_EQ(-EBADF, RUN("minus-one"));
	xuring_prep_close(SQE(), 0x7fffffff);
	EXPECT_EQ(-EBADF, RUN("huge"));

	/* O_PATH fds and sockets close too */
	p = open(".", O_PATH);
	ASSERT_LE(0, p);
	xuring_prep_close(SQE(), p);
	EXPECT_EQ(0, RUN("o_path"));
	EXPECT_EQ(-1, fcntl(p, F_GETFD));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, s);
	xuring_prep_close(SQE(), s);
	EXPECT_EQ(0, RUN("socket"));
	EXPECT_EQ(-1, fcntl(s, F_GETFD));

	/* never the ring's own fd, nor another ring of the same kind */
	xuring_prep_close(SQE(), r.fd);
	EXPECT_EQ(-EBADF, RUN("own-ring"));
	EXPECT_LE(0, fcntl(r.fd, F_GETFD));
	XT_RING(&other, kind, 4, NULL);
	xuring_prep_close(SQE(), other.fd);
	EXPECT_EQ(-EBADF, RUN("other-ring"));
	EXPECT_LE(0, fcntl(other.fd, F_GETFD));
	xt_ring_exit(&other);

	/* a registered file is not closed by CLOSE */
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	sqe = SQE();
	xuring_prep_close(sqe, 0);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, RUN("fixed"));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->off = 1;
	EXPECT_EQ(-EINVAL, RUN("off"));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->addr = 1;
	EXPECT_EQ(-EINVAL, RUN("addr"));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->len = 1;
	EXPECT_EQ(-EINVAL, RUN("len"));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, RUN("rw_flags"));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));
	EXPECT_LE(0, fcntl(fd, F_GETFD));
	sqe = SQE();
	xuring_prep_close(sqe, fd);
	sqe->ioprio = 1;
	if (!RUN_510("ioprio", -EINVAL))
		fd = -1;
	if (fd >= 0)
		close(fd);
	xt_ring_exit(&r);
}

TEST(close_removes_the_fd)
{
	XT_DIFF(close_ops);
}

/* The results of three ops submitted by a child that dropped root. */
struct creds_res {
	int secret_open, secret_statx, public_open;
};

static void creds_child(enum xt_kind kind, int out)
{
	struct creds_res res = { 1, 1, 1 };
	struct xuring_cqe cqe;
	struct statx st;
	struct xt_ring r;

	/* the ring is made as root, the requests come from "nobody" */
	if (xt_ring_init(&r, kind, 4, NULL))
		_exit(2);
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		_exit(3);
	xuring_prep_openat(xt_get_sqe(&r), AT_FDCWD, "priv/secret", O_RDONLY,
			   0);
	if (!xt_submit_one(&r, &cqe))
		res.secret_open = cqe.res;
	xuring_prep_statx(xt_get_sqe(&r), AT_FDCWD, "priv/secret", 0,
			  STATX_BASIC_STATS, &st);
	if (!xt_submit_one(&r, &cqe))
		res.secret_statx = cqe.res;
	xuring_prep_openat(xt_get_sqe(&r), AT_FDCWD, "public", O_RDONLY, 0);
	if (!xt_submit_one(&r, &cqe))
		res.public_open = cqe.res >= 0 ? 0 : cqe.res;
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(4);
	_exit(0);
}

XT_SCENARIO(creds)
{
	struct creds_res res;
	char old[PATH_MAX];
	int status, p[2];
	pid_t pid;

	enter_dir(_metadata, kind, "creds", old, sizeof(old));
	ASSERT_EQ(0, chmod(".", 0755));
	ASSERT_EQ(0, mkdir("priv", 0700));
	make_file(_metadata, "priv/secret", "s");
	make_file(_metadata, "public", "p");
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[0]);
		creds_child(kind, p[1]);
	}
	close(p[1]);
	ASSERT_EQ((ssize_t)sizeof(res), read(p[0], &res, sizeof(res)));
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(-EACCES, res.secret_open);
	EXPECT_EQ(-EACCES, res.secret_statx);
	EXPECT_EQ(0, res.public_open);
	xt_rec(log, res.secret_open, "secret_open");
	xt_rec(log, res.secret_statx, "secret_statx");
	xt_rec(log, res.public_open, "public_open");
	leave_dir(_metadata, old);
}

TEST(paths_resolve_with_the_submitters_credentials)
{
	/* the parent directory must be searchable by "nobody" */
	if (geteuid())
		SKIP(return, "needs root");
	XT_DIFF(creds);
}

/*
 * The statx fields that must agree across kinds (each kind has its own
 * files: inode numbers and times are checked against statx(2) instead);
 * not the mount id, which xuring cannot report.
 */
static void rec_statx(struct xt_log *log, const char *tag,
		      const struct statx *st)
{
	xt_rec(log, st->stx_mask & ~(STATX_MNT_ID | STATX_MNT_ID_UNIQUE_),
	       "%s.mask", tag);
	xt_rec(log, st->stx_mode, "%s.mode", tag);
	xt_rec(log, st->stx_nlink, "%s.nlink", tag);
	xt_rec(log, st->stx_uid, "%s.uid", tag);
	xt_rec(log, st->stx_gid, "%s.gid", tag);
	xt_rec(log, st->stx_size, "%s.size", tag);
	xt_rec(log, st->stx_blocks, "%s.blocks", tag);
	xt_rec(log, st->stx_blksize, "%s.blksize", tag);
	xt_rec(log, st->stx_attributes, "%s.attr", tag);
	xt_rec(log, st->stx_attributes_mask, "%s.attr_mask", tag);
	xt_rec(log, st->stx_dev_major, "%s.dev_major", tag);
	xt_rec(log, st->stx_dev_minor, "%s.dev_minor", tag);
	xt_rec(log, st->stx_rdev_major, "%s.rdev_major", tag);
	xt_rec(log, st->stx_rdev_minor, "%s.rdev_minor", tag);
}

/* The same path through statx(2): what the CQE's buffer must say. */
static void same_as_syscall(struct __test_metadata *_metadata,
			    const char *tag, int dfd, const char *path,
			    int flags, unsigned int mask,
			    const struct statx *got)
{
	struct statx want;

	ASSERT_EQ(0, statx(dfd, path, flags, mask, &want)) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_mask & ~(STATX_MNT_ID | STATX_MNT_ID_UNIQUE_),
		  got->stx_mask & ~(STATX_MNT_ID | STATX_MNT_ID_UNIQUE_))
		TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_mode, got->stx_mode) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_ino, got->stx_ino) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_size, got->stx_size) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_nlink, got->stx_nlink) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_mtime.tv_sec, got->stx_mtime.tv_sec);
	EXPECT_EQ(want.stx_mtime.tv_nsec, got->stx_mtime.tv_nsec);
	EXPECT_EQ(want.stx_ctime.tv_nsec, got->stx_ctime.tv_nsec);
	EXPECT_EQ(want.stx_btime.tv_nsec, got->stx_btime.tv_nsec);
	EXPECT_EQ(want.stx_uid, got->stx_uid) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_blocks, got->stx_blocks) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_dev_minor, got->stx_dev_minor) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_attributes, got->stx_attributes) TH_LOG("%s", tag);
	EXPECT_EQ(want.stx_rdev_minor, got->stx_rdev_minor) TH_LOG("%s", tag);
}

XT_SCENARIO(statx_ops)
{
	char old[PATH_MAX];
	struct xuring_sqe *sqe;
	struct statx st;
	struct xt_ring r;
	int fd, d;

	XT_RING(&r, kind, 8, NULL);
	enter_dir(_metadata, kind, "statx", old, sizeof(old));
	make_file(_metadata, "f", "0123456789");
	ASSERT_EQ(0, symlink("f", "link"));
	ASSERT_EQ(0, mkdir("d", 0700));
	fd = open("f", O_RDONLY);
	ASSERT_LE(0, fd);
	d = open("d", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, d);

	memset(&st, 0xaa, sizeof(st));
	xuring_prep_statx(SQE(), AT_FDCWD, "f", 0, STATX_BASIC_STATS, &st);
	EXPECT_EQ(0, RUN("file"));
	EXPECT_EQ(10, st.stx_size);
	EXPECT_TRUE(S_ISREG(st.stx_mode));
	if (kind == XT_XURING)
		EXPECT_EQ(0U, st.stx_mask & STATX_MNT_ID);
	same_as_syscall(_metadata, "file", AT_FDCWD, "f", 0,
			STATX_BASIC_STATS, &st);
	rec_statx(log, "file", &st);

	xuring_prep_statx(SQE(), AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW,
			  STATX_ALL, &st);
	EXPECT_EQ(0, RUN("nofollow"));
	EXPECT_TRUE(S_ISLNK(st.stx_mode));
	same_as_syscall(_metadata, "nofollow", AT_FDCWD, "link",
			AT_SYMLINK_NOFOLLOW, STATX_ALL, &st);
	rec_statx(log, "nofollow", &st);
	xuring_prep_statx(SQE(), AT_FDCWD, "link", 0, STATX_ALL, &st);
	EXPECT_EQ(0, RUN("follow"));
	EXPECT_TRUE(S_ISREG(st.stx_mode));
	rec_statx(log, "follow", &st);

	xuring_prep_statx(SQE(), fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &st);
	EXPECT_EQ(0, RUN("empty-path"));
	EXPECT_EQ(10, st.stx_size);
	rec_statx(log, "empty-path", &st);
	xuring_prep_statx(SQE(), d, "..", AT_STATX_DONT_SYNC, STATX_TYPE, &st);
	EXPECT_EQ(0, RUN("dirfd"));
	same_as_syscall(_metadata, "dirfd", d, "..", AT_STATX_DONT_SYNC,
			STATX_TYPE, &st);
	rec_statx(log, "dirfd", &st);
	xuring_prep_statx(SQE(), AT_FDCWD, "/", AT_STATX_FORCE_SYNC,
			  STATX_BASIC_STATS | STATX_BTIME, &st);
	EXPECT_EQ(0, RUN("root"));
	EXPECT_EQ(STATX_ATTR_MOUNT_ROOT,
		  st.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	rec_statx(log, "root", &st);
	xuring_prep_statx(SQE(), AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS,
			  &st);
	EXPECT_EQ(0, RUN("chardev"));
	EXPECT_EQ(1U, st.stx_rdev_major);
	EXPECT_EQ(3U, st.stx_rdev_minor);
	rec_statx(log, "chardev", &st);

	xuring_prep_statx(SQE(), AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &st);
	EXPECT_EQ(-ENOENT, RUN("missing"));
	xuring_prep_statx(SQE(), AT_FDCWD, "", 0, STATX_BASIC_STATS, &st);
	EXPECT_EQ(-ENOENT, RUN("empty-no-flag"));
	xuring_prep_statx(SQE(), fd, "x", 0, STATX_BASIC_STATS, &st);
	EXPECT_EQ(-ENOTDIR, RUN("file-dirfd"));
	xuring_prep_statx(SQE(), -1, "x", 0, STATX_BASIC_STATS, &st);
	EXPECT_EQ(-EBADF, RUN("bad-dirfd"));
	xuring_prep_statx(SQE(), AT_FDCWD, "f", 0, STATX_BASIC_STATS,
			  xt_unmapped_page());
	EXPECT_EQ(-EFAULT, RUN("bad-buffer"));
	xuring_prep_statx(SQE(), AT_FDCWD, xt_unmapped_page(), 0,
			  STATX_BASIC_STATS, &st);
	EXPECT_EQ(-EFAULT, RUN("bad-path"));
	xuring_prep_statx(SQE(), AT_FDCWD, "f", 0x10000000, STATX_BASIC_STATS,
			  &st);
	EXPECT_EQ(-EINVAL, RUN("bad-flags"));
	xuring_prep_statx(SQE(), AT_FDCWD, "f",
			  AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
			  STATX_BASIC_STATS, &st);
	EXPECT_EQ(-EINVAL, RUN("both-syncs"));
	xuring_prep_statx(SQE(), AT_FDCWD, "f", 0, 0x80000000U, &st);
	EXPECT_EQ(-EINVAL, RUN("reserved-mask"));
	sqe = SQE();
	xuring_prep_statx(sqe, AT_FDCWD, "f", 0, STATX_BASIC_STATS, &st);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, RUN("fixed"));
	sqe = SQE();
	xuring_prep_statx(sqe, AT_FDCWD, "f", 0, STATX_BASIC_STATS, &st);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));
	sqe = SQE();
	xuring_prep_statx(sqe, AT_FDCWD, "f", 0, STATX_BASIC_STATS, &st);
	sqe->ioprio = 1;
	RUN_510("ioprio", -EINVAL);

	close(fd);
	close(d);
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(statx_fields)
{
	XT_DIFF(statx_ops);
}

/* A file of @len bytes of @c, unlinked; O_RDWR unless @flags says. */
static int data_file(struct __test_metadata *_metadata, size_t len, int flags)
{
	static char buf[65536];
	char path[64];
	int fd;

	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	memset(buf, 'd', sizeof(buf));
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		ASSERT_EQ((ssize_t)n, write(fd, buf, n));
		len -= n;
	}
	fd = xt_reopen_unlinked(fd, path, flags);
	ASSERT_LE(0, fd);
	return fd;
}

XT_SCENARIO(fallocate_ops)
{
	struct xuring_sqe *sqe;
	struct stat st;
	struct xt_ring r;
	int fd, ro, p[2];

	XT_RING(&r, kind, 8, NULL);
	fd = data_file(_metadata, 0, O_RDWR);
	ro = data_file(_metadata, 0, O_RDONLY);
	ASSERT_EQ(0, pipe(p));

	xuring_prep_fallocate(SQE(), fd, 0, 0, 1 << 20);
	EXPECT_EQ(0, RUN("alloc"));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(1 << 20, st.st_size);
	EXPECT_LE(2048, st.st_blocks);
	xt_rec(log, st.st_size, "alloc.size");
	xt_rec(log, st.st_blocks, "alloc.blocks");

	xuring_prep_fallocate(SQE(), fd, FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20);
	EXPECT_EQ(0, RUN("keep-size"));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(1 << 20, st.st_size);
	EXPECT_LE(4096, st.st_blocks);
	xt_rec(log, st.st_size, "keep.size");
	xt_rec(log, st.st_blocks, "keep.blocks");

	xuring_prep_fallocate(SQE(), fd,
			      FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			      1 << 19);
	EXPECT_EQ(0, RUN("punch"));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(1 << 20, st.st_size);
	xt_rec(log, st.st_blocks, "punch.blocks");

	xuring_prep_fallocate(SQE(), fd, FALLOC_FL_PUNCH_HOLE, 0, 4096);
	EXPECT_EQ(-EOPNOTSUPP, RUN("punch-no-keep"));
	xuring_prep_fallocate(SQE(), fd, 0, 0, 0);
	EXPECT_EQ(-EINVAL, RUN("len-0"));
	xuring_prep_fallocate(SQE(), fd, 0, (uint64_t)-4096, 4096);
	EXPECT_EQ(-EINVAL, RUN("neg-off"));
	xuring_prep_fallocate(SQE(), ro, 0, 0, 4096);
	EXPECT_EQ(-EBADF, RUN("rdonly"));
	xuring_prep_fallocate(SQE(), p[1], 0, 0, 4096);
	EXPECT_EQ(-ESPIPE, RUN("pipe"));
	xuring_prep_fallocate(SQE(), -1, 0, 0, 4096);
	EXPECT_EQ(-EBADF, RUN("bad-fd"));
	sqe = SQE();
	xuring_prep_fallocate(sqe, fd, 0, 0, 4096);
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, RUN("rw_flags"));
	sqe = SQE();
	xuring_prep_fallocate(sqe, fd, 0, 0, 4096);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));

	close(fd);
	close(ro);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(fallocate_allocates_blocks)
{
	XT_DIFF(fallocate_ops);
}

XT_SCENARIO(fadvise_ops)
{
	static const int advice[] = {
		POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
		POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
	};
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;
	char tag[32];
	int fd, p[2];

	XT_RING(&r, kind, 8, NULL);
	fd = data_file(_metadata, 65536, O_RDWR);
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		snprintf(tag, sizeof(tag), "advice%d", advice[i]);
		xuring_prep_fadvise(SQE(), fd, 4096, 8192, advice[i]);
		EXPECT_EQ(0, RUN(tag));
	}
	xuring_prep_fadvise(SQE(), fd, 0, 0, POSIX_FADV_WILLNEED);
	EXPECT_EQ(0, RUN("whole-file"));
	xuring_prep_fadvise(SQE(), fd, 0, 4096, 99);
	EXPECT_EQ(-EINVAL, RUN("bad-advice"));
	xuring_prep_fadvise(SQE(), p[0], 0, 4096, POSIX_FADV_NORMAL);
	EXPECT_EQ(-ESPIPE, RUN("pipe"));
	xuring_prep_fadvise(SQE(), -1, 0, 4096, POSIX_FADV_NORMAL);
	EXPECT_EQ(-EBADF, RUN("bad-fd"));
	/* 6.8+ reads a 64-bit length from addr; 5.10 wants it 0 */
	sqe = SQE();
	xuring_prep_fadvise(sqe, fd, 0, 4096, POSIX_FADV_NORMAL);
	sqe->addr = 1;
	RUN_510("addr", -EINVAL);
	sqe = SQE();
	xuring_prep_fadvise(sqe, fd, 0, 4096, POSIX_FADV_NORMAL);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));
	close(fd);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(fadvise_ops)
{
	XT_DIFF(fadvise_ops);
}

XT_SCENARIO(sfr_ops)
{
	static const unsigned int flags[] = {
		0, SYNC_FILE_RANGE_WAIT_BEFORE, SYNC_FILE_RANGE_WRITE,
		SYNC_FILE_RANGE_WAIT_AFTER,
		SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
		SYNC_FILE_RANGE_WAIT_AFTER,
	};
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;
	char tag[32];
	int fd, ro, p[2], d;

	XT_RING(&r, kind, 8, NULL);
	fd = data_file(_metadata, 65536, O_RDWR);
	ro = data_file(_metadata, 4096, O_RDONLY);
	ASSERT_EQ(0, pipe(p));
	d = open(".", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, d);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		snprintf(tag, sizeof(tag), "flags%u", flags[i]);
		xuring_prep_sync_file_range(SQE(), fd, 8192, 4096, flags[i]);
		EXPECT_EQ(0, RUN(tag));
	}
	xuring_prep_sync_file_range(SQE(), fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(0, RUN("to-eof"));
	xuring_prep_sync_file_range(SQE(), ro, 0, 0, SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(0, RUN("rdonly"));
	xuring_prep_sync_file_range(SQE(), d, 0, 0, SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(0, RUN("dir"));
	xuring_prep_sync_file_range(SQE(), fd, 4096, 0, 8);
	EXPECT_EQ(-EINVAL, RUN("bad-flags"));
	xuring_prep_sync_file_range(SQE(), fd, 4096, (uint64_t)-8192,
				    SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(-EINVAL, RUN("neg-off"));
	xuring_prep_sync_file_range(SQE(), fd, 0xffffffffU,
				    0x7fffffffffffff00ULL,
				    SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(-EINVAL, RUN("overflow"));
	xuring_prep_sync_file_range(SQE(), p[1], 0, 0, SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(-ESPIPE, RUN("pipe"));
	xuring_prep_sync_file_range(SQE(), -1, 0, 0, SYNC_FILE_RANGE_WRITE);
	EXPECT_EQ(-EBADF, RUN("bad-fd"));
	sqe = SQE();
	xuring_prep_sync_file_range(sqe, fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	sqe->addr = 1;
	EXPECT_EQ(-EINVAL, RUN("addr"));
	sqe = SQE();
	xuring_prep_sync_file_range(sqe, fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, RUN("buf_index"));
	close(fd);
	close(ro);
	close(d);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(sync_file_range_ops)
{
	XT_DIFF(sfr_ops);
}

XT_SCENARIO(batch)
{
	char old[PATH_MAX], buf[16];
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct statx st;
	struct xt_ring r;
	unsigned int i, seen = 0;
	int fds[4] = { -1, -1, -1, -1 };
	bool ok[4] = { false, false, false, false };

	/* opens, a stat and a create in one submit; then the closes */
	XT_RING(&r, kind, 16, NULL);
	enter_dir(_metadata, kind, "batch", old, sizeof(old));
	make_file(_metadata, "a", "aa");
	make_file(_metadata, "b", "bbb");
	memset(&st, 0, sizeof(st));
	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "a", O_RDONLY, 0);
	sqe->user_data = 0;
	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "b", O_RDONLY, 0);
	sqe->user_data = 1;
	sqe = SQE();
	xuring_prep_statx(sqe, AT_FDCWD, "b", 0, STATX_SIZE, &st);
	sqe->user_data = 2;
	sqe = SQE();
	xuring_prep_openat(sqe, AT_FDCWD, "c", O_CREAT | O_RDWR, 0600);
	sqe->user_data = 3;
	ASSERT_EQ(4, xt_submit_and_wait(&r, 4));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		ASSERT_GT(4ULL, (unsigned long long)cqe.user_data);
		seen |= 1U << cqe.user_data;
		EXPECT_LE(0, cqe.res);
		ok[cqe.user_data] = cqe.res >= 0;
		if (cqe.user_data != 2)
			fds[cqe.user_data] = cqe.res;
	}
	/* recorded by user_data: the four may complete in any order */
	for (i = 0; i < 4; i++)
		xt_rec(log, ok[i], "ok%u", i);
	EXPECT_EQ(0xfU, seen);
	EXPECT_EQ(3ULL, (unsigned long long)st.stx_size);
	ASSERT_LE(0, fds[1]);
	EXPECT_STREQ("bbb", read_all(fds[1], buf, sizeof(buf)));
	EXPECT_EQ(0, access("c", F_OK));
	for (i = 0; i < 4; i++)
		if (i != 2)
			xuring_prep_close(SQE(), fds[i]);
	ASSERT_EQ(3, xt_submit_and_wait(&r, 3));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		EXPECT_EQ(0, cqe.res);
	}
	for (i = 0; i < 4; i++)
		if (i != 2)
			EXPECT_EQ(-1, fcntl(fds[i], F_GETFD));
	leave_dir(_metadata, old);
	xt_ring_exit(&r);
}

TEST(open_stat_close_batch)
{
	XT_DIFF(batch);
}

TEST(sqpoll_refuses_path_and_fd_ops)
{
	struct xuring_params p = { .flags = XURING_SETUP_SQPOLL };
	struct xuring_cqe cqe;
	struct statx st;
	struct xt_ring r;
	int i;

	/* the SQ thread has no cwd, root or fd table of the submitter's */
	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, &p);
	xuring_prep_openat(xt_get_sqe(&r), AT_FDCWD, ".", O_RDONLY, 0);
	xuring_prep_statx(xt_get_sqe(&r), AT_FDCWD, ".", 0, STATX_TYPE, &st);
	xuring_prep_close(xt_get_sqe(&r), 0);
	xt_flush(&r);
	xt_enter(&r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(-EINVAL, cqe.res);
	}
	EXPECT_LE(0, fcntl(0, F_GETFD));
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
