/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attack: tries each isolation property from inside a non-root cell and
 * reports each attempt. Refused hypercalls return an error and are checked
 * here; accesses the hypervisor must deny stop the cell, so each of those is
 * announced with "[run] NAME" first and reported as a failure only if it
 * returns. Parameter "select" runs one attempt alone (1-based number, see
 * docs/inmates.md); 0 runs them in order, which ends at the first denial.
 * Targets (another cell's RAM, hypervisor memory, ...) come from the
 * parameter block. The attempts after the arch ones (user-mode hypercall,
 * console control bytes and flood, a management-call loop) do not stop
 * the cell; the loop never ends, the root destroys the cell.
 */
#include "attack.h"

INMATE_NAME("attack");

static bool expect_eperm(long r, char *buf, size_t size)
{
	snprintf(buf, size, "result %ld", r);
	return r == -WD_EPERM;
}

static bool hc_disable(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_DISABLE, 0, 0), buf, size);
}

static bool hc_create(char *buf, size_t size)
{
	/* Any address will do: the caller is checked first. */
	return expect_eperm(hypercall(WD_HC_CELL_CREATE, 0x1000, 0), buf, size);
}

static bool hc_start(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_START, 1, 0), buf, size);
}

static bool hc_set_loadable(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_SET_LOADABLE, 1, 0), buf,
			    size);
}

static bool hc_destroy(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_DESTROY, 1, 0), buf, size);
}

static bool hc_state_root(char *buf, size_t size)
{
	return expect_eperm(hc_cell_get_state(0), buf, size);
}

static bool hc_reason_root(char *buf, size_t size)
{
	static struct wd_reason_record rec;

	return expect_eperm(hypercall(WD_HC_GET_REASON, 0, (uintptr_t)&rec),
			    buf, size);
}

static bool hc_cpu_info_root(char *buf, size_t size)
{
	/* CPU 0 belongs to the root cell in every demo machine. */
	return expect_eperm(hc_cpu_get_info(0, WD_CPU_INFO_STATE), buf, size);
}

static bool hc_putc(char *buf, size_t size)
{
	struct wd_comm_region *comm = comm_region();

	if (comm->flags &
	    (WD_COMM_FLAG_DBG_PUTC_PERMITTED | WD_COMM_FLAG_DBG_PUTC_ACTIVE)) {
		snprintf(buf, size, "skip: the cell may use the console");
		return true;
	}
	return expect_eperm(hc_debug_putc('!'), buf, size);
}

static bool pci_read_foreign(char *buf, size_t size)
{
	uint32_t v;

	if (!pci_available()) {
		snprintf(buf, size, "skip: no ECAM window");
		return true;
	}
	/* Not denied: a foreign function reads like an empty slot. */
	v = pci_read(inmate_params.attack_bdf, 0, 4);
	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return v == 0xffffffff;
}

static bool ram_other_read(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_ram);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool ram_other_write(char *buf, size_t size)
{
	mmio_write32(inmate_params.attack_ram, 0xbad);
	snprintf(buf, size, "write not denied");
	return false;
}

static bool hv_read(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_hv);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool hv_write(char *buf, size_t size)
{
	mmio_write32(inmate_params.attack_hv, 0xbad);
	snprintf(buf, size, "write not denied");
	return false;
}

static bool mmio_unassigned(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_mmio);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool pci_write_foreign(char *buf, size_t size)
{
	if (!pci_available()) {
		snprintf(buf, size, "skip: no ECAM window");
		return true;
	}
	pci_write(inmate_params.attack_bdf, 0x04, 0x0006, 2); /* command */
	snprintf(buf, size, "write not denied");
	return false;
}

/*
 * A cell that may print sends control bytes, a NUL and a forged hypervisor
 * line: the hypervisor must print them escaped, behind "[attack] ".
 */
static bool console_control(char *buf, size_t size)
{
	static const char forged[] = "\r\x1b[2Kwarden: cell \"tiny\" FAILED, "
				     "its CPUs are parked";
	static const char after[] = "after the NUL\n";
	struct wd_comm_region *comm = comm_region();
	unsigned int i, n = 0, bad = 0;

	if (!(comm->flags & (WD_COMM_FLAG_DBG_PUTC_PERMITTED |
			     WD_COMM_FLAG_DBG_PUTC_ACTIVE))) {
		snprintf(buf, size, "skip: the cell may not use the console");
		return true;
	}
	for (i = 0; i < sizeof(forged) - 1; i++, n++)
		bad += hc_debug_putc(forged[i]) != 0;
	bad += hc_debug_putc('\0') != 0;
	n++;
	for (i = 0; i < sizeof(after) - 1; i++, n++)
		bad += hc_debug_putc(after[i]) != 0;
	/* Every other byte that is not printable ASCII, on a line. */
	for (i = 1; i < 256; i++) {
		if (i == '\n' || (i >= 0x20 && i < 0x7f))
			continue;
		bad += hc_debug_putc((char)i) != 0;
		n++;
	}
	bad += hc_debug_putc('\n') != 0;
	snprintf(buf, size, "%u bytes sent, %u refused", n + 1, bad);
	return !bad;
}

/* 2,000 refused hypercalls: the console must not get 2,000 lines. */
static bool console_flood(char *buf, size_t size)
{
	unsigned int i, refused = 0;

	for (i = 0; i < 2000; i++)
		refused += hc_cell_get_state(0) == -WD_EPERM;
	snprintf(buf, size, "%u of 2000 refused", refused);
	return refused == 2000;
}

/*
 * Management calls in a loop, answering the hypervisor's messages in
 * between: the root's CELL_DESTROY must get the shutdown request through
 * and end promptly, never wait on the management lock. Never returns.
 */
static bool management_loop(char *buf, size_t size)
{
	static const unsigned long codes[] = { WD_HC_DISABLE, WD_HC_CELL_CREATE,
					       WD_HC_CELL_START,
					       WD_HC_CELL_SET_LOADABLE,
					       WD_HC_CELL_DESTROY };
	unsigned int i;

	for (;;) {
		for (i = 0; i < ARRAY_SIZE(codes); i++) {
			long r = hypercall(codes[i], i == 1 ? 0x1000 : 0, 0);

			if (r != -WD_EPERM) {
				snprintf(buf, size, "code %lu returned %ld",
					 codes[i], r);
				return false;
			}
		}
		comm_poll();
	}
}

/* Numbered from 1 in this order, then arch_attempts, then late_attempts
 * (docs/inmates.md). */
static const struct attempt common_attempts[] = {
	{ "attack.hc-disable", hc_disable, false },
	{ "attack.hc-cell-create", hc_create, false },
	{ "attack.hc-cell-start", hc_start, false },
	{ "attack.hc-cell-set-loadable", hc_set_loadable, false },
	{ "attack.hc-cell-destroy", hc_destroy, false },
	{ "attack.hc-get-state-root", hc_state_root, false },
	{ "attack.hc-get-reason-root", hc_reason_root, false },
	{ "attack.hc-cpu-info-root", hc_cpu_info_root, false },
	{ "attack.hc-putc-unpermitted", hc_putc, false },
	{ "attack.pci-read-foreign", pci_read_foreign, false },
	{ "attack.ram-other-read", ram_other_read, true },
	{ "attack.ram-other-write", ram_other_write, true },
	{ "attack.hv-read", hv_read, true },
	{ "attack.hv-write", hv_write, true },
	{ "attack.mmio-unassigned", mmio_unassigned, true },
	{ "attack.pci-write-foreign", pci_write_foreign, true },
};

/* After the arch attempts, so that the earlier numbers stay. */
static const struct attempt late_attempts[] = {
	{ "attack.hc-user-mode", arch_hc_user, false },
	{ "attack.console-control", console_control, false },
	{ "attack.console-flood", console_flood, false },
	{ "attack.hc-management-loop", management_loop, true },
};

/* No arch attempts after the late ones unless the arch part has some. */
__attribute__((weak)) const struct attempt arch_more_attempts[1];
__attribute__((weak)) const unsigned int num_arch_more_attempts;

static void try(const struct attempt *a)
{
	char detail[96] = "";
	bool ok;

	if (a->fatal)
		check_run(a->name);
	ok = a->run(detail, sizeof(detail));
	if (memcmp(detail, "skip: ", 6))
		check(a->name, ok, "%s", detail);
	else
		check_skip(a->name, detail + 6);
}

/* Attempt number @i (from 1). */
static const struct attempt *attempt(unsigned int i)
{
	unsigned int n = ARRAY_SIZE(common_attempts);

	if (i <= n)
		return &common_attempts[i - 1];
	if (i <= n + num_arch_attempts)
		return &arch_attempts[i - n - 1];
	n += num_arch_attempts;
	if (i <= n + ARRAY_SIZE(late_attempts))
		return &late_attempts[i - n - 1];
	return &arch_more_attempts[i - n - ARRAY_SIZE(late_attempts) - 1];
}

void inmate_main(void)
{
	unsigned int total = ARRAY_SIZE(common_attempts) + num_arch_attempts +
			     ARRAY_SIZE(late_attempts) + num_arch_more_attempts;
	unsigned int sel = inmate_params.select, i;

	printf("attack: %u attempts, select %u\n", total, sel);
	for (i = 1; i <= total; i++) {
		if (sel && sel != i)
			continue;
		try(attempt(i));
	}
	if (sel > total)
		check("attack.select", false, "no attempt %u", sel);
	test_verdict();
}
