/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tiny: the smallest inmate. Prints a greeting, checks what the hypervisor
 * put into the comm region and what it answers about the cell itself, gives
 * its verdict and halts (answering shutdown requests).
 */
#include <inmate.h>

INMATE_NAME("tiny");

void inmate_main(void)
{
	struct wd_comm_region *comm = comm_region();
	long state;

	printf("Hello from %s on %s, CPU %llu\n", inmate_name, ARCH_NAME,
	       (unsigned long long)cpu_hw_id());

	check("tiny.comm-signature",
	      !memcmp(comm->signature, WD_COMM_SIGNATURE, 6), NULL);
	check_eq("tiny.comm-revision", comm->revision, WD_COMM_REVISION);
	check_eq("tiny.comm-state", comm->cell_state, WD_CELL_RUNNING);
	/* A non-root cell may ask for its own state only; it does not know
	 * its id, but the root cell (0) must be refused. */
	state = hc_cell_get_state(0);
	check("tiny.get-state-root-refused", state == -WD_EPERM, "result %ld",
	      state);
	test_verdict();
}
