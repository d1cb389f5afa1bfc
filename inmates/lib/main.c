/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the boot CPU does once the arch start-up code has a C environment:
 * check the comm region, set up the console, announce the test, run the
 * inmate, then idle answering the hypervisor's messages.
 */
#include <inmate.h>

void inmate_start(void)
{
	/* Progress fields start afresh, also when the image is restarted
	 * without being reloaded. */
	inmate_params.log_len = 0;
	inmate_params.checks = 0;
	inmate_params.failed = 0;
	inmate_params.cpus_up = 1;
	inmate_params.state = INMATE_STATE_RUNNING;
	if (comm_init()) {
		inmate_params.state = INMATE_STATE_COMM_REV;
		console_init(); /* a UART from the parameters only */
		printf("[fatal] no comm region revision %u at 0x%llx\n",
		       WD_COMM_REVISION,
		       (unsigned long long)inmate_params.comm_region);
		inmate_halt();
	}
	console_init();
	printf("[test] %s %s\n", inmate_name, ARCH_NAME);
	inmate_main();
	inmate_idle();
}

bool cpu_wait_started(uint32_t up)
{
	uint64_t until = time_ns() + 100 * 1000 * 1000ULL;

	while (inmate_params.cpus_up == up) {
		if (time_ns() > until)
			return false;
		cpu_relax();
	}
	return true;
}
