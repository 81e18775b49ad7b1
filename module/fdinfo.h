/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/fdinfo/FD of a ring: its indices, pending SQEs and CQEs. */
#ifndef XR_FDINFO_H
#define XR_FDINFO_H

#include <linux/fs.h>
#include <linux/seq_file.h>

void xr_show_fdinfo(struct seq_file *m, struct file *file);

#endif /* XR_FDINFO_H */
