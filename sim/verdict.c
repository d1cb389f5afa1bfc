// SPDX-License-Identifier: GPL-2.0
/*
 * A scenario's verdict and the cells that failed in it: a cell that fails
 * while the scenario expects nothing of it (no 'expect-state ID failed',
 * no 'expect-reason ID ...') fails the scenario, so an inmate that crashes
 * (or an image of the wrong architecture) never ends in "scenario passed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <warden/cell_config.h>
#include <warden/hypercall.h>

#include "../core/trace.h"
#include "../hal/observe.h"
#include "sim.h"
#include "verdict.h"

#define MAX_FAILED (4 * WD_MAX_CELLS)

/* One failure of one cell: open while that cell exists and is failed. */
static struct {
	unsigned int id;
	char name[WD_CELL_NAME_MAXLEN + 1];
	uint32_t reason;
	uint64_t item;
	bool open, expected;
} failed[MAX_FAILED];
static unsigned int num_failed;

static bool is_failed(struct cell *cell)
{
	const struct wd_comm_region *comm = core_cell_comm(cell);

	return comm && (comm->cell_state == WD_CELL_FAILED ||
			comm->cell_state == WD_CELL_FAILED_COMM_REV);
}

void verdict_reset(void)
{
	num_failed = 0;
}

void verdict_note(void)
{
	unsigned int i, cpu;
	struct cell *cell;

	for (i = 0; i < num_failed; i++) {
		cell = failed[i].open ? core_cell_by_id(failed[i].id) : NULL;
		if (!cell ||
		    strcmp(core_cell_config(cell)->name, failed[i].name) ||
		    !is_failed(cell))
			failed[i].open = false;
	}
	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		cell = core_cpu_cell(cpu);
		if (!cell || !core_cell_id(cell) || !is_failed(cell))
			continue;
		for (i = 0;
		     i < num_failed &&
		     !(failed[i].open && failed[i].id == core_cell_id(cell));
		     i++)
			;
		if (i < num_failed || num_failed == MAX_FAILED)
			continue;
		failed[i].id = core_cell_id(cell);
		snprintf(failed[i].name, sizeof(failed[i].name), "%s",
			 core_cell_config(cell)->name);
		failed[i].reason = core_cell_fail_reason(cell);
		failed[i].item = core_cell_fail_item(cell);
		failed[i].open = true;
		failed[i].expected = false;
		num_failed++;
	}
}

void verdict_expected(uint64_t id)
{
	unsigned int i;

	verdict_note();
	for (i = 0; i < num_failed; i++)
		if (failed[i].open && failed[i].id == id)
			failed[i].expected = true;
}

int verdict_unexpected(char *msg, size_t len)
{
	unsigned int i;

	verdict_note();
	for (i = 0; i < num_failed; i++) {
		if (failed[i].expected)
			continue;
		snprintf(msg, len,
			 "cell '%s' (id %u) failed (%s item=0x%" PRIx64
			 ") and the scenario does not expect it (no "
			 "'expect-state %u failed' or 'expect-reason %u ...' "
			 "after the failure)",
			 failed[i].name, failed[i].id,
			 wd_reason_name(failed[i].reason), failed[i].item,
			 failed[i].id, failed[i].id);
		return 1;
	}
	return 0;
}

void verdict_line(int ret, char *buf, size_t len)
{
	unsigned int i, n = 0;
	size_t at;

	at = (size_t)snprintf(buf, len, "%s",
			      ret ? "SCENARIO FAILED" : "scenario passed");
	for (i = 0; i < num_failed && at < len; i++) {
		at += (size_t)snprintf(
			buf + at, len - at, "%s%s%s",
			n++ ? ", " : "; failed cells: ", failed[i].name,
			failed[i].expected ? " (expected)" : " (NOT expected)");
	}
}
