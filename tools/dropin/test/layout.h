/* SPDX-License-Identifier: MIT */
/*
 * The structures a program built against liburing 2.3's header shares with
 * the library, and every field of the three liburing defines itself. One
 * list, compiled against Debian's <liburing.h> and against the drop-in's
 * dropin.h (layout-fields.c); layout-test.c compares the two tables.
 */
#ifndef DROPIN_LAYOUT_H
#define DROPIN_LAYOUT_H

#include <stddef.h>

struct layout_row {
	const char *name;
	size_t offset;		/* offsetof, or 0 for a whole struct */
	size_t size;		/* sizeof */
	size_t align;		/* _Alignof for a whole struct, 0 for a field */
};

/* liburing's own structures: every field (the compiler checks each name). */
#define LAYOUT_FIELDS(F) \
	F(io_uring_sq, khead) F(io_uring_sq, ktail) F(io_uring_sq, kring_mask) \
	F(io_uring_sq, kring_entries) F(io_uring_sq, kflags) \
	F(io_uring_sq, kdropped) F(io_uring_sq, array) F(io_uring_sq, sqes) \
	F(io_uring_sq, sqe_head) F(io_uring_sq, sqe_tail) \
	F(io_uring_sq, ring_sz) F(io_uring_sq, ring_ptr) \
	F(io_uring_sq, ring_mask) F(io_uring_sq, ring_entries) \
	F(io_uring_sq, pad) \
	F(io_uring_cq, khead) F(io_uring_cq, ktail) F(io_uring_cq, kring_mask) \
	F(io_uring_cq, kring_entries) F(io_uring_cq, kflags) \
	F(io_uring_cq, koverflow) F(io_uring_cq, cqes) \
	F(io_uring_cq, ring_sz) F(io_uring_cq, ring_ptr) \
	F(io_uring_cq, ring_mask) F(io_uring_cq, ring_entries) \
	F(io_uring_cq, pad) \
	F(io_uring, sq) F(io_uring, cq) F(io_uring, flags) F(io_uring, ring_fd) \
	F(io_uring, features) F(io_uring, enter_ring_fd) \
	F(io_uring, int_flags) F(io_uring, pad) F(io_uring, pad2)

/* Whole structures passed by pointer between program and library. */
#define LAYOUT_STRUCTS(S) \
	S(io_uring_sq) S(io_uring_cq) S(io_uring) \
	S(io_uring_sqe) S(io_uring_cqe) S(io_uring_params) \
	S(io_sqring_offsets) S(io_cqring_offsets) \
	S(io_uring_probe) S(io_uring_probe_op) S(io_uring_restriction) \
	S(io_uring_files_update) S(io_uring_rsrc_register) \
	S(io_uring_rsrc_update) S(io_uring_rsrc_update2) \
	S(io_uring_buf_reg) S(io_uring_getevents_arg) \
	S(io_uring_sync_cancel_reg) S(io_uring_file_index_range) \
	S(__kernel_timespec)

#endif
