// SPDX-License-Identifier: GPL-2.0
/*
 * Registered resources. The fixed file table holds a reference to each
 * registered file; a request using XURING_SQE_FIXED_FILE takes a reference
 * of its own, so unregistering or updating a slot never pulls a file from
 * under a request. The table changes and is looked up under uring_lock.
 *
 * Fixed buffers are pinned user pages, charged to the ring creator's
 * RLIMIT_MEMLOCK unless it had CAP_IPC_LOCK. The table is refcounted: the
 * ring holds one reference and each READ_FIXED/WRITE_FIXED in flight
 * another, so unregistering returns at once and the pages are unpinned
 * (and the memory uncharged) when the last request using them completes.
 */
#include <linux/bvec.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "kbuf.h"
#include "register.h"
#include "rsrc.h"

/* One registered buffer: the pages behind [ubuf, ubuf + len). */
struct xr_mapped_buf {
	u64 ubuf;
	size_t len;
	unsigned long acct_pages;	/* charged for this buffer */
	unsigned int nr_bvecs;
	struct bio_vec *bvec;		/* one per page */
};

struct xr_buf_table {
	/* the ring's (until unregistered), plus one per request using it */
	refcount_t refs;
	struct xr_ring_ctx *ctx;	/* outlives every request, so the table */
	struct llist_node dead_node;	/* on ctx->dead_buf_tables */
	unsigned int nr;
	struct xr_mapped_buf bufs[];
};

void xr_rsrc_ctx_init(struct xr_ring_ctx *ctx)
{
	init_llist_head(&ctx->dead_buf_tables);
	xa_init_flags(&ctx->personalities, XA_FLAGS_ALLOC1);
	spin_lock_init(&ctx->kbuf_lock);
	xa_init(&ctx->kbuf_groups);
	spin_lock_init(&ctx->iopoll_lock);
	INIT_LIST_HEAD(&ctx->iopoll_list);
	INIT_LIST_HEAD(&ctx->iopoll_issued);
	atomic_set(&ctx->iopoll_inflight, 0);
}

/* XURING_IOC_SETUP succeeded: state that depends on the flags. */
void xr_rsrc_setup(struct xr_ring_ctx *ctx)
{
	ctx->r_disabled = ctx->flags & XURING_SETUP_R_DISABLED;
}

/* Charge @nr_pages to @user's locked memory, within RLIMIT_MEMLOCK. */
static int xr_user_account(struct user_struct *user, unsigned long nr_pages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	unsigned long cur = atomic_long_read(&user->locked_vm), new;

	do {
		new = cur + nr_pages;
		if (new > limit)
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));
	return 0;
}

/*
 * XURING_IOC_SETUP, before the ring memory is allocated. As in 5.10, the
 * creator's user pays for pinned pages from now on, and for the ring's
 * own @nr_pages here, within RLIMIT_MEMLOCK, unless it has CAP_IPC_LOCK:
 * -ENOMEM past it. (6.x charges the memory cgroup instead; xuring does
 * both.)
 */
int xr_rsrc_account_ring(struct xr_ring_ctx *ctx, unsigned long nr_pages)
{
	int ret;

	if (capable(CAP_IPC_LOCK))
		return 0;
	ctx->user = get_uid(current_user());
	ret = xr_user_account(ctx->user, nr_pages);
	if (ret) {
		free_uid(ctx->user);
		ctx->user = NULL;
		return ret;
	}
	ctx->ring_pages = nr_pages;
	return 0;
}

/* Setup failed after xr_rsrc_account_ring(), or the ring is freed. */
void xr_rsrc_unaccount_ring(struct xr_ring_ctx *ctx)
{
	if (!ctx->user)
		return;
	atomic_long_sub(ctx->ring_pages, &ctx->user->locked_vm);
	free_uid(ctx->user);
	ctx->user = NULL;
	ctx->ring_pages = 0;
}

/* ---- fixed files ---- */

static void xr_free_file_table(struct file **files, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (files[i])
			fput(files[i]);
	kvfree(files);
}

/* REGISTER_FILES: an array of fds, -1 for an empty slot. */
int xr_register_files(struct xr_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args)
	__must_hold(&ctx->uring_lock)
{
	__s32 __user *fds = arg;
	struct file **files;
	unsigned int i;
	int ret;

	lockdep_assert_held(&ctx->uring_lock);
	if (ctx->user_files)
		return -EBUSY;
	if (!nr_args)
		return -EINVAL;
	if (nr_args > XR_MAX_FIXED_FILES)
		return -EMFILE;

	files = kvcalloc(nr_args, sizeof(*files), GFP_KERNEL_ACCOUNT);
	if (!files)
		return -ENOMEM;
	for (i = 0; i < nr_args; i++) {
		struct file *file;
		__s32 fd;

		ret = -EFAULT;
		if (copy_from_user(&fd, &fds[i], sizeof(fd)))
			goto fail;
		if (fd == -1)
			continue;
		ret = -EBADF;
		file = fget(fd);
		if (!file)
			goto fail;
		/* a ring in a ring's table could keep itself alive */
		if (xr_is_ring_file(file)) {
			fput(file);
			goto fail;
		}
		files[i] = file;
	}
	ctx->user_files = files;
	ctx->nr_user_files = nr_args;
	return 0;
fail:
	xr_free_file_table(files, nr_args);
	return ret;
}

int xr_unregister_files(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->uring_lock)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (!ctx->user_files)
		return -ENXIO;
	xr_free_file_table(ctx->user_files, ctx->nr_user_files);
	ctx->user_files = NULL;
	ctx->nr_user_files = 0;
	return 0;
}

/* A reference to the file in slot @fd, or NULL when there is none. */
struct file *xr_file_get_fixed(struct xr_ring_ctx *ctx, int fd)
	__must_hold(&ctx->uring_lock)
{
	struct file *file;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely((unsigned int)fd >= ctx->nr_user_files))
		return NULL;
	file = ctx->user_files[array_index_nospec(fd, ctx->nr_user_files)];
	if (file)
		get_file(file);
	return file;
}

/*
 * Put the @nr fds at @fds into the slots from @offset on: -1 empties a
 * slot. As 5.10: the slot's old file goes first, then the new fd is looked
 * up; the first failure stops, and the result is the number of slots done,
 * or that failure when none was. Requests using an old file keep their own
 * reference to it.
 */
static int __xr_files_update(struct xr_ring_ctx *ctx, u32 offset,
			     __s32 __user *fds, unsigned int nr)
	__must_hold(&ctx->uring_lock)
{
	unsigned int done;
	int err = 0;
	u32 end;

	lockdep_assert_held(&ctx->uring_lock);
	if (check_add_overflow(offset, nr, &end))
		return -EOVERFLOW;
	if (end > ctx->nr_user_files)
		return -EINVAL;

	for (done = 0; done < nr; done++) {
		unsigned int i = array_index_nospec(offset + done,
						    ctx->nr_user_files);
		struct file *file;
		__s32 fd;

		if (copy_from_user(&fd, &fds[done], sizeof(fd))) {
			err = -EFAULT;
			break;
		}
		if (ctx->user_files[i]) {
			fput(ctx->user_files[i]);
			ctx->user_files[i] = NULL;
		}
		if (fd == -1)
			continue;
		file = fget(fd);
		if (!file) {
			err = -EBADF;
			break;
		}
		if (xr_is_ring_file(file)) {
			fput(file);
			err = -EBADF;
			break;
		}
		ctx->user_files[i] = file;
	}
	return done ? done : err;
}

/* REGISTER_FILES_UPDATE: a struct xuring_files_update and @nr_args fds. */
int xr_register_files_update(struct xr_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args)
{
	struct xuring_files_update up;

	if (!ctx->user_files)
		return -ENXIO;
	if (!nr_args)
		return -EINVAL;
	if (copy_from_user(&up, arg, sizeof(up)))
		return -EFAULT;
	if (up.resv)
		return -EINVAL;
	return __xr_files_update(ctx, up.offset, u64_to_user_ptr(up.fds),
				 nr_args);
}

struct xr_files_update_cmd {
	u64 fds;
	u32 offset;
	u32 nr;
};

/* FILES_UPDATE: sqe->addr points at sqe->len fds, sqe->off is the slot. */
int xr_files_update_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_files_update_cmd *up = xr_req_cmd(req,
						    struct xr_files_update_cmd);

	if (req->flags & (XURING_SQE_FIXED_FILE | XURING_SQE_BUFFER_SELECT))
		return -EINVAL;
	if (READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->rw_flags))
		return -EINVAL;
	/* 5.10 keeps the low 32 bits of the offset */
	up->offset = (u32)READ_ONCE(sqe->off);
	up->nr = READ_ONCE(sqe->len);
	if (!up->nr)
		return -EINVAL;
	up->fds = READ_ONCE(sqe->addr);
	return 0;
}

/*
 * It looks fds up in the submitter's table (a submitter_only op), so it
 * runs in the submit call, under uring_lock.
 */
int xr_files_update(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_files_update_cmd *up = xr_req_cmd(req,
						    struct xr_files_update_cmd);
	struct xr_ring_ctx *ctx = req->ctx;
	bool locked = issue_flags & XR_ISSUE_F_INLINE;
	int ret;

	if (!locked)
		mutex_lock(&ctx->uring_lock);
	ret = __xr_files_update(ctx, up->offset, u64_to_user_ptr(up->fds),
				up->nr);
	if (!locked)
		mutex_unlock(&ctx->uring_lock);
	xr_req_set_res(req, ret, 0);
	return XR_ISSUE_DONE;
}

/* ---- fixed buffers ---- */

static int xr_account_mem(struct xr_ring_ctx *ctx, unsigned long nr_pages)
{
	int ret;

	if (ctx->user && nr_pages) {
		ret = xr_user_account(ctx->user, nr_pages);
		if (ret)
			return ret;
	}
	atomic64_add(nr_pages, &ctx->mm->pinned_vm);
	return 0;
}

static void xr_unaccount_mem(struct xr_ring_ctx *ctx, unsigned long nr_pages)
{
	if (ctx->user)
		atomic_long_sub(nr_pages, &ctx->user->locked_vm);
	atomic64_sub(nr_pages, &ctx->mm->pinned_vm);
}

static void xr_unmap_buf(struct xr_ring_ctx *ctx, struct xr_mapped_buf *mb)
{
	unsigned int i;

	for (i = 0; i < mb->nr_bvecs; i++)
		unpin_user_page(mb->bvec[i].bv_page);
	xr_unaccount_mem(ctx, mb->acct_pages);
	kvfree(mb->bvec);
}

static void xr_buf_table_free(struct xr_buf_table *table)
{
	unsigned int i;

	for (i = 0; i < table->nr; i++)
		xr_unmap_buf(table->ctx, &table->bufs[i]);
	kvfree(table);
}

/* Tables whose last user went away where they could not be freed. */
static void xr_free_dead_buf_tables(struct xr_ring_ctx *ctx)
{
	struct xr_buf_table *table, *tmp;
	struct llist_node *list;

	list = llist_del_all(&ctx->dead_buf_tables);
	llist_for_each_entry_safe(table, tmp, list, dead_node)
		xr_buf_table_free(table);
}

/* Any context: unpinning sleeps, so atomic callers leave it for later. */
static void xr_buf_table_put(struct xr_buf_table *table)
{
	if (!refcount_dec_and_test(&table->refs))
		return;
	if (preemptible())
		xr_buf_table_free(table);
	else
		llist_add(&table->dead_node, &table->ctx->dead_buf_tables);
}

static int xr_copy_iov(struct iovec *iov, void __user *arg, unsigned int i)
{
#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		struct compat_iovec __user *ciovs = arg;
		struct compat_iovec ciov;

		if (copy_from_user(&ciov, &ciovs[i], sizeof(ciov)))
			return -EFAULT;
		iov->iov_base = compat_ptr(ciov.iov_base);
		iov->iov_len = ciov.iov_len;
		return 0;
	}
#endif
	if (copy_from_user(iov, (struct iovec __user *)arg + i, sizeof(*iov)))
		return -EFAULT;
	return 0;
}

/*
 * As 5.10: memory backed by a file (other than hugetlbfs) cannot be a
 * fixed buffer. The pages are pinned already; this looks at the mappings.
 */
static int xr_check_buf_vmas(unsigned long start, unsigned long end)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	while (start < end) {
		vma = find_vma(mm, start);
		if (!vma || vma->vm_start > start) {
			ret = -EFAULT;
			break;
		}
		if (vma->vm_file && !(vma->vm_flags & VM_HUGETLB)) {
			ret = -EOPNOTSUPP;
			break;
		}
		start = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* Whether compound page @head is charged already (5.10 charges it once). */
static bool xr_head_charged(struct xr_buf_table *table, struct page **pages,
			    unsigned int nr_pages, struct page *head)
{
	unsigned int i, j;

	for (i = 0; i < nr_pages; i++)
		if (PageCompound(pages[i]) && compound_head(pages[i]) == head)
			return true;
	for (i = 0; i < table->nr; i++) {
		struct xr_mapped_buf *mb = &table->bufs[i];

		for (j = 0; j < mb->nr_bvecs; j++) {
			struct page *page = mb->bvec[j].bv_page;

			if (PageCompound(page) && compound_head(page) == head)
				return true;
		}
	}
	return false;
}

/* Pages to charge: each page, and each huge page as a whole, once. */
static unsigned long xr_buf_acct_pages(struct xr_buf_table *table,
				       struct page **pages,
				       unsigned int nr_pages)
{
	struct page *last_head = NULL;
	unsigned long acct = 0;
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		struct page *head;

		if (!PageCompound(pages[i])) {
			acct++;
			continue;
		}
		head = compound_head(pages[i]);
		if (head == last_head)
			continue;
		last_head = head;
		if (!xr_head_charged(table, pages, i, head))
			acct += page_size(head) >> PAGE_SHIFT;
	}
	return acct;
}

/* Pin, charge and describe one buffer the user registers. */
static int xr_map_buf(struct xr_ring_ctx *ctx, struct xr_buf_table *table,
		      const struct iovec *iov)
{
	struct xr_mapped_buf *mb = &table->bufs[table->nr];
	unsigned long ubuf = (unsigned long)iov->iov_base;
	unsigned long first, last, end, off;
	size_t left = iov->iov_len;
	struct page **pages;
	int nr_pages, pinned, ret;
	unsigned int i;

	/* as 5.10: neither empty nor over 1 GiB */
	if (!ubuf || !iov->iov_len || iov->iov_len > SZ_1G)
		return -EFAULT;
	if (check_add_overflow(ubuf, iov->iov_len, &end))
		return -EFAULT;
	first = ubuf >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;
	nr_pages = last - first + 1;

	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	mb->bvec = kvmalloc_array(nr_pages, sizeof(*mb->bvec),
				  GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!pages || !mb->bvec)
		goto fail;

	pinned = pin_user_pages_fast(ubuf & PAGE_MASK, nr_pages,
				     FOLL_WRITE | FOLL_LONGTERM, pages);
	if (pinned != nr_pages) {
		ret = pinned < 0 ? pinned : -EFAULT;
		if (pinned > 0)
			unpin_user_pages(pages, pinned);
		goto fail;
	}
	ret = xr_check_buf_vmas(ubuf & PAGE_MASK, end);
	if (!ret) {
		mb->acct_pages = xr_buf_acct_pages(table, pages, nr_pages);
		ret = xr_account_mem(ctx, mb->acct_pages);
	}
	if (ret) {
		unpin_user_pages(pages, nr_pages);
		goto fail;
	}

	off = ubuf & ~PAGE_MASK;
	for (i = 0; i < nr_pages; i++) {
		size_t len = min_t(size_t, left, PAGE_SIZE - off);

		mb->bvec[i].bv_page = pages[i];
		mb->bvec[i].bv_len = len;
		mb->bvec[i].bv_offset = off;
		off = 0;
		left -= len;
	}
	mb->ubuf = ubuf;
	mb->len = iov->iov_len;
	mb->nr_bvecs = nr_pages;
	kvfree(pages);
	return 0;
fail:
	kvfree(mb->bvec);
	mb->bvec = NULL;
	kvfree(pages);
	return ret;
}

/* REGISTER_BUFFERS: an array of @nr_args iovecs, each pinned. */
int xr_register_buffers(struct xr_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args)
	__must_hold(&ctx->uring_lock)
{
	struct xr_buf_table *table;
	struct iovec iov;
	int ret = 0;

	lockdep_assert_held(&ctx->uring_lock);
	/* what an earlier table still holds is given back first */
	xr_free_dead_buf_tables(ctx);
	if (ctx->buf_table)
		return -EBUSY;
	if (!nr_args || nr_args > XR_MAX_FIXED_BUFS)
		return -EINVAL;

	table = kvzalloc(struct_size(table, bufs, nr_args), GFP_KERNEL_ACCOUNT);
	if (!table)
		return -ENOMEM;
	refcount_set(&table->refs, 1);
	table->ctx = ctx;
	while (table->nr < nr_args) {
		ret = xr_copy_iov(&iov, arg, table->nr);
		if (!ret)
			ret = xr_map_buf(ctx, table, &iov);
		if (ret)
			break;
		table->nr++;
		cond_resched();
	}
	if (ret) {
		xr_buf_table_free(table);
		return ret;
	}
	ctx->buf_table = table;
	return 0;
}

/* UNREGISTER_BUFFERS: requests still using the buffers keep them. */
int xr_unregister_buffers(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->uring_lock)
{
	struct xr_buf_table *table = ctx->buf_table;

	lockdep_assert_held(&ctx->uring_lock);
	if (!table)
		return -ENXIO;
	ctx->buf_table = NULL;
	xr_buf_table_put(table);
	xr_free_dead_buf_tables(ctx);
	return 0;
}

/*
 * READ_FIXED/WRITE_FIXED prep: hold the table req->buf_index is in, and
 * mark the request XR_REQ_F_FIXED_BUF; unmarked when there is no such buffer.
 */
void xr_buf_table_get(struct xr_req *req)
	__must_hold(&req->ctx->uring_lock)
{
	struct xr_buf_table *table = req->ctx->buf_table;

	lockdep_assert_held(&req->ctx->uring_lock);
	if (unlikely(!table || req->buf_index >= table->nr))
		return;
	refcount_inc(&table->refs);
	req->buf_table = table;
	req->flags |= XR_REQ_F_FIXED_BUF;
}

/*
 * @iter over [@addr, @addr + @len), which must lie inside the registered
 * buffer req->buf_index, through its pages.
 */
int xr_import_fixed(struct xr_req *req, int ddir, u64 addr, size_t len,
		    struct iov_iter *iter)
{
	struct xr_buf_table *table = req->buf_table;
	struct xr_mapped_buf *mb;
	size_t off, skip = 0;
	u64 end;

	mb = &table->bufs[array_index_nospec(req->buf_index, table->nr)];
	if (check_add_overflow(addr, (u64)len, &end))
		return -EFAULT;
	if (addr < mb->ubuf || end > mb->ubuf + mb->len)
		return -EFAULT;

	/*
	 * Every page but the first and last is whole: start the iterator at
	 * the page holding @addr instead of advancing through the others.
	 */
	off = addr - mb->ubuf;
	if (off >= mb->bvec[0].bv_len) {
		off -= mb->bvec[0].bv_len;
		skip = 1 + (off >> PAGE_SHIFT);
		off &= ~PAGE_MASK;
	}
	iov_iter_bvec(iter, ddir, mb->bvec + skip, mb->nr_bvecs - skip,
		      off + len);
	iov_iter_advance(iter, off);
	return 0;
}

/* ---- the ring and its requests ---- */

/* What a finished request holds of the registered state. Any context. */
void xr_req_put_rsrc(struct xr_req *req)
{
	if (req->flags & XR_REQ_F_FIXED_BUF)
		xr_buf_table_put(req->buf_table);
	if (req->flags & XR_REQ_F_BUFFER_SELECTED)
		xr_kbuf_drop(req);
	if (req->flags & XR_REQ_F_IOPOLL)
		atomic_dec(&req->ctx->iopoll_inflight);
	req->flags &= ~XR_REQ_F_RSRC;
}

/* The ring is freed: no request is left. uring_lock held. */
void xr_rsrc_ctx_free(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->uring_lock)
{
	xr_unregister_files(ctx);
	xr_unregister_buffers(ctx);
	xr_free_dead_buf_tables(ctx);
	xr_kbuf_ctx_free(ctx);
	xr_register_ctx_free(ctx);
	xr_rsrc_unaccount_ring(ctx);
}
