// SPDX-License-Identifier: GPL-2.0
/*
 * OPENAT, OPENAT2 and CLOSE, in the submitter (submitter_only): paths
 * resolve against its cwd and root, fds go into and out of its table.
 *
 * do_filp_open() is not exported, so openat(2) is rebuilt from what is:
 *  - an absolute path, or one relative to AT_FDCWD, with no RESOLVE_ flag:
 *    filp_open(), which is openat(AT_FDCWD) itself;
 *  - otherwise, without O_CREAT: user_path_at() walks the path from dirfd
 *    with every RESOLVE_ flag as LOOKUP_ flags, and file_open_root() opens
 *    the dentry it found, with open(2)'s permission checks;
 *  - otherwise, with O_CREAT: the directory part is walked from dirfd with
 *    vfs_path_lookup() scoped beneath it (RESOLVE_IN_ROOT: inside it), and
 *    file_open_root() creates or opens the last component there. A path
 *    that leaves dirfd on the way (".." above it, an absolute symlink) is
 *    -EXDEV here, where openat(2) would follow it.
 */
#include <linux/fcntl.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/fsnotify.h>
#include <linux/namei.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "core.h"
#include "openclose.h"

/* What O_PATH may be combined with, as open(2) allows it. */
#define XR_O_PATH_FLAGS		(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define XR_WILL_CREATE(flags)	((flags) & (O_CREAT | __O_TMPFILE))

struct xr_open {
	const char __user *uname;
	int dfd;
	bool openat2;
	struct open_how how;
};

struct xr_close {
	int fd;
};

/*
 * The path, copied now (SUBMIT_STABLE) into req->async_data, which the core
 * frees. The errors are getname()'s.
 */
static int xr_open_copy_name(struct xr_req *req)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);
	char *name;
	long len;

	name = kmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!name)
		return -ENOMEM;
	req->async_data = name;
	len = strncpy_from_user(name, open->uname, PATH_MAX);
	if (len < 0)
		return len;
	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	if (!len)
		return -ENOENT;
	return 0;
}

static int xr_open_prep_common(struct xr_req *req,
			       const struct xuring_sqe *sqe)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);

	/* splice_fd_in: later kernels' fixed-file slot, not in xuring */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->buf_index) ||
		     READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;
	if (unlikely(req->flags & XURING_SQE_FIXED_FILE))
		return -EBADF;

	if (!(open->how.flags & O_PATH) && force_o_largefile())
		open->how.flags |= O_LARGEFILE;
	open->dfd = READ_ONCE(sqe->fd);
	open->uname = u64_to_user_ptr(READ_ONCE(sqe->addr));
	return xr_open_copy_name(req);
}

int xr_openat_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);
	u64 flags = (u32)READ_ONCE(sqe->open_flags);
	u64 mode = READ_ONCE(sqe->len);

	/* openat(2) drops what it does not know, as build_open_how() does */
	open->openat2 = false;
	open->how.flags = flags & VALID_OPEN_FLAGS;
	open->how.mode = mode & S_IALLUGO;
	open->how.resolve = 0;
	if (open->how.flags & O_PATH)
		open->how.flags &= XR_O_PATH_FLAGS;
	if (!XR_WILL_CREATE(open->how.flags))
		open->how.mode = 0;
	return xr_open_prep_common(req, sqe);
}

int xr_openat2_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);
	void __user *uhow = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	size_t len = READ_ONCE(sqe->len);
	int ret;

	open->openat2 = true;
	if (len < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&open->how, sizeof(open->how), uhow, len);
	if (ret)
		return ret;
	return xr_open_prep_common(req, sqe);
}

/* openat2(2) checks every argument; openat(2)'s were cleaned at prep. */
static int xr_openat2_check(const struct open_how *how)
{
	u64 flags = how->flags & ~(u64)O_CLOEXEC;

	if (flags & ~VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (XR_WILL_CREATE(flags)) {
		if (how->mode & ~S_IALLUGO)
			return -EINVAL;
	} else if (how->mode) {
		return -EINVAL;
	}
	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return -EINVAL;
	if (flags & __O_TMPFILE) {
		if (!(flags & O_DIRECTORY))
			return -EINVAL;
		if ((flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
	}
	if ((flags & O_PATH) && (flags & ~(u64)XR_O_PATH_FLAGS))
		return -EINVAL;
	/* a cached lookup cannot create or truncate */
	if ((how->resolve & RESOLVE_CACHED) &&
	    (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return 0;
}

/* The RESOLVE_ flags as LOOKUP_ flags; the scoping ones are the caller's. */
static unsigned int xr_resolve_lookup_flags(u64 resolve)
{
	unsigned int flags = 0;

	if (resolve & RESOLVE_NO_XDEV)
		flags |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		flags |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		flags |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_CACHED)
		flags |= LOOKUP_CACHED;
	return flags;
}

/* Open an existing file: the exact walk from dirfd, then the dentry. */
static struct file *xr_open_existing(struct xr_open *open)
{
	const struct open_how *how = &open->how;
	unsigned int lookup = xr_resolve_lookup_flags(how->resolve);
	struct file *file;
	struct path path;
	int ret;

	if (how->resolve & RESOLVE_BENEATH)
		lookup |= LOOKUP_BENEATH;
	if (how->resolve & RESOLVE_IN_ROOT)
		lookup |= LOOKUP_IN_ROOT;
	if (how->flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	if (!(how->flags & O_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	/* an open, unlike O_PATH, triggers an automount at the end */
	if (!(how->flags & O_PATH))
		lookup |= LOOKUP_AUTOMOUNT;

	ret = user_path_at(open->dfd, open->uname, lookup, &path);
	if (ret)
		return ERR_PTR(ret);
	file = file_open_root(&path, "", how->flags, how->mode);
	path_put(&path);
	return file;
}

/* Where a walk starts: the root, the cwd or dirfd, with a reference. */
static int xr_open_base(struct xr_open *open, bool root, struct path *base)
{
	struct file *file;

	if (root) {
		get_fs_root(current->fs, base);
		return 0;
	}
	if (open->dfd == AT_FDCWD) {
		get_fs_pwd(current->fs, base);
		return 0;
	}
	file = fget_raw(open->dfd);
	if (!file)
		return -EBADF;
	*base = file->f_path;
	path_get(base);
	fput(file);
	return 0;
}

/*
 * Walk @name from @base with @lookup flags. An unscoped walk is done
 * beneath @base, and retried when a rename or mount elsewhere made the
 * scoped walk unsure (-EAGAIN).
 */
static int xr_open_walk(const struct path *base, const char *name,
			unsigned int lookup, bool implicit_scope,
			struct path *path)
{
	int tries = 3, ret;

	if (!*name) {
		*path = *base;
		path_get(path);
		return 0;
	}
	do {
		ret = vfs_path_lookup(base->dentry, base->mnt, name, lookup,
				      path);
	} while (ret == -EAGAIN && implicit_scope && --tries);
	return ret;
}

/* Create, or open, the last component of the path in its directory. */
static struct file *xr_open_create(struct xr_open *open, const char *name)
{
	const struct open_how *how = &open->how;
	unsigned int lookup = xr_resolve_lookup_flags(how->resolve);
	bool in_root = how->resolve & RESOLVE_IN_ROOT;
	bool implicit = !(how->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT));
	size_t len = strlen(name);
	const char *last = strrchr(name, '/');
	struct path base, dir, target;
	bool from_root = false;
	struct file *file;
	char *dirname;
	int ret;

	/* a directory, or what the name says is one */
	last = last ? last + 1 : name;
	if (name[len - 1] == '/' || !strcmp(last, ".") || !strcmp(last, ".."))
		return ERR_PTR(-EISDIR);

	if (name[0] == '/' && !in_root) {
		if (how->resolve & RESOLVE_BENEATH)
			return ERR_PTR(-EXDEV);
		/* from the real root, ".." stays there: nothing to scope */
		from_root = true;
		implicit = false;
	} else {
		lookup |= in_root ? LOOKUP_IN_ROOT : LOOKUP_BENEATH;
	}
	ret = xr_open_base(open, from_root, &base);
	if (ret)
		return ERR_PTR(ret);

	dirname = kstrndup(name, last - name, GFP_KERNEL);
	if (!dirname) {
		file = ERR_PTR(-ENOMEM);
		goto out_base;
	}
	ret = xr_open_walk(&base, dirname, lookup | LOOKUP_FOLLOW |
			   LOOKUP_DIRECTORY, implicit, &dir);
	kfree(dirname);
	if (ret) {
		file = ERR_PTR(ret);
		goto out_base;
	}

	/*
	 * Opened from @dir as its root, a symlink in the last place would
	 * resolve differently: O_NOFOLLOW makes it say so (O_CREAT|O_EXCL
	 * never follows one anyway).
	 */
	file = file_open_root(&dir, last, how->flags | O_NOFOLLOW, how->mode);
	if (!IS_ERR(file)) {
		if (!(how->flags & O_NOFOLLOW))
			file->f_flags &= ~O_NOFOLLOW;
		goto out_dir;
	}
	if (PTR_ERR(file) != -ELOOP || (how->flags & O_NOFOLLOW) ||
	    (how->resolve & RESOLVE_NO_SYMLINKS))
		goto out_dir;

	/* a symlink: what it points to, if that is already there */
	ret = xr_open_walk(&base, name, lookup | LOOKUP_FOLLOW |
			   LOOKUP_AUTOMOUNT, implicit, &target);
	if (ret) {
		file = ERR_PTR(ret);
		goto out_dir;
	}
	if (d_is_dir(target.dentry))
		file = ERR_PTR(-EISDIR);
	else
		file = file_open_root(&target, "",
				      how->flags & ~(u64)(O_CREAT | O_EXCL), 0);
	path_put(&target);
out_dir:
	path_put(&dir);
out_base:
	path_put(&base);
	return file;
}

static struct file *xr_do_open(struct xr_req *req)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);
	const struct open_how *how = &open->how;
	const char *name = req->async_data;

	if (!how->resolve && (name[0] == '/' || open->dfd == AT_FDCWD))
		return filp_open(name, how->flags, how->mode);
	if (how->flags & O_CREAT)
		return xr_open_create(open, name);
	return xr_open_existing(open);
}

/*
 * Path walks and opens may wait for the disk: xuring does them in the
 * submit call, where they are the submitter's (5.10 did them in a worker).
 */
int xr_openat(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_open *open = xr_req_cmd(req, struct xr_open);
	struct file *file;
	int ret, fd;

	if (open->openat2) {
		ret = xr_openat2_check(&open->how);
		if (ret)
			goto out;
	}
	fd = get_unused_fd_flags(open->how.flags);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	file = xr_do_open(req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto out;
	}
	xr_fsnotify_open(file);
	fd_install(fd, file);
	ret = fd;
out:
	/* -EAGAIN from RESOLVE_CACHED is the answer, not a retry */
	if (ret < 0 && ret != -EAGAIN)
		return ret;
	xr_req_set_res(req, ret, 0);
	return XR_ISSUE_DONE;
}

int xr_close_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_close *close = xr_req_cmd(req, struct xr_close);

	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->off) ||
		     READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
		     READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->buf_index) ||
		     READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;
	/* a registered file is not closed this way, as in 5.10 */
	if (unlikely(req->flags & XURING_SQE_FIXED_FILE))
		return -EBADF;
	close->fd = READ_ONCE(sqe->fd);
	return 0;
}

int xr_close(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_close *close = xr_req_cmd(req, struct xr_close);
	struct file *file;
	bool flush;
	int ret;

	/* O_PATH fds are closed too: fget_raw() sees them */
	file = fget_raw(close->fd);
	if (!file)
		return -EBADF;
	/* not the ring's own fd, nor any ring's, as io_uring refuses its own */
	if (xr_is_ring_file(file)) {
		fput(file);
		return -EBADF;
	}
	flush = file->f_op->flush;
	fput(file);
	/* ->flush() may wait (NFS, FUSE): not in a non-blocking attempt */
	if (flush && (issue_flags & XR_ISSUE_F_NONBLOCK))
		return -EAGAIN;

	ret = close_fd(close->fd);
	/* as close(2): a flush cut short by a signal is -EINTR */
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		ret = -EINTR;
	if (ret)
		return ret;
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}
