/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The comm region (docs/abi.md, section 4): check it at start-up, answer
 * the hypervisor's messages, report the cell's state. The hypervisor never
 * interrupts the cell for a message: the cell polls (comm_poll()).
 */
#include <inmate.h>

static struct wd_comm_region *comm;
static shutdown_handler_t shutdown_handler;

struct wd_comm_region *comm_region(void)
{
	return comm;
}

int comm_init(void)
{
	struct wd_comm_region *c =
		(struct wd_comm_region *)(uintptr_t)inmate_params.comm_region;

	if (!c || memcmp(c->signature, WD_COMM_SIGNATURE, 6) ||
	    c->revision != WD_COMM_REVISION) {
		/* Tell the root cell we do not speak this revision. */
		if (c)
			c->cell_state = WD_CELL_FAILED_COMM_REV;
		return -1;
	}
	comm = c;
	return 0;
}

void comm_set_shutdown_handler(shutdown_handler_t handler)
{
	shutdown_handler = handler;
}

void comm_reply(uint32_t reply)
{
	/* Consume the message first, so that a fast poll loop cannot see it
	 * again and reply twice (Jailhouse does the same). */
	comm->msg_to_cell = WD_MSG_NONE;
	memory_barrier();
	comm->reply_from_cell = reply;
}

void comm_set_state(uint32_t state)
{
	memory_barrier();
	comm->cell_state = state;
}

uint32_t comm_poll(void)
{
	uint32_t msg, reply;

	if (!comm)
		return WD_MSG_NONE;
	msg = comm->msg_to_cell;
	memory_barrier();
	switch (msg) {
	case WD_MSG_NONE:
		return msg;
	case WD_MSG_SHUTDOWN_REQUEST:
		reply = shutdown_handler ? shutdown_handler() :
					   WD_MSG_REQUEST_APPROVED;
		break;
	case WD_MSG_RECONFIG_COMPLETED:
		reply = WD_MSG_RECEIVED;
		break;
	default:
		reply = WD_MSG_UNKNOWN;
	}
	if (reply != WD_MSG_NONE)
		comm_reply(reply);
	if (reply == WD_MSG_REQUEST_APPROVED)
		inmate_halt(); /* the hypervisor parks us next */
	return msg;
}

void inmate_idle(void)
{
	for (;;) {
		comm_poll();
		cpu_relax();
	}
}
