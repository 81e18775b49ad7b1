/* SPDX-License-Identifier: GPL-2.0 */
/* SEND, RECV, SENDMSG, RECVMSG, ACCEPT, CONNECT: sockets. */
#ifndef XR_NET_H
#define XR_NET_H

#include "types.h"

int xr_send_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_send(struct xr_req *req, unsigned int issue_flags);
int xr_recv_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_recv(struct xr_req *req, unsigned int issue_flags);

int xr_sendmsg_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_sendmsg(struct xr_req *req, unsigned int issue_flags);
int xr_recvmsg_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_recvmsg(struct xr_req *req, unsigned int issue_flags);
void xr_msg_cleanup(struct xr_req *req);

int xr_accept_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_accept(struct xr_req *req, unsigned int issue_flags);
int xr_connect_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_connect(struct xr_req *req, unsigned int issue_flags);

bool xr_accept_connect_available(void);

#endif /* XR_NET_H */
