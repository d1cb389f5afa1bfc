/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * shutdown: cooperates with the comm region protocol (docs/abi.md, 4.4).
 * Idles polling the comm region and answers each shutdown request as the
 * parameters say: approve (after deny_count denials), deny every time, or
 * ignore (the hypervisor's timeout then fails the cell). With the LOCK
 * flag it holds the configuration lock (RUNNING_LOCKED) while it runs and
 * releases it just before approving.
 */
#include <inmate.h>

INMATE_NAME("shutdown");

static uint32_t requests;
static bool ignored;

static uint32_t on_shutdown(void)
{
	uint32_t mode = inmate_params.shutdown & ~INMATE_SHUTDOWN_LOCK;
	char name[32];

	if (mode == INMATE_SHUTDOWN_IGNORE) {
		if (!ignored)
			check("shutdown.request-ignored", true, NULL);
		if (!ignored)
			test_verdict();
		ignored = true;
		return WD_MSG_NONE;
	}
	requests++;
	snprintf(name, sizeof(name), "shutdown.request-%u",
		 (unsigned int)requests);
	if (mode == INMATE_SHUTDOWN_DENY ||
	    requests <= inmate_params.deny_count) {
		check(name, true, "denied");
		test_verdict();
		return WD_MSG_REQUEST_DENIED;
	}
	check(name, true, "approved");
	test_verdict(); /* before the reply: the CPU is parked right after */
	if (inmate_params.shutdown & INMATE_SHUTDOWN_LOCK)
		comm_set_state(WD_CELL_RUNNING);
	return WD_MSG_REQUEST_APPROVED;
}

void inmate_main(void)
{
	struct wd_comm_region *comm = comm_region();

	check_eq("shutdown.running", comm->cell_state, WD_CELL_RUNNING);
	if (inmate_params.shutdown & INMATE_SHUTDOWN_LOCK) {
		comm_set_state(WD_CELL_RUNNING_LOCKED);
		check_eq("shutdown.locked", comm->cell_state,
			 WD_CELL_RUNNING_LOCKED);
	}
	comm_set_shutdown_handler(on_shutdown);
	printf("shutdown: waiting for requests (mode %u, deny %u)\n",
	       (unsigned int)inmate_params.shutdown,
	       (unsigned int)inmate_params.deny_count);
	/* Returning idles in inmate_idle(), which polls the comm region. */
}
