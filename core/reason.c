/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Precise failure reasons: every rejection records a code and the offending
 * item, prints them on the console and keeps them for the root cell
 * (WD_HC_GET_REASON, WD_INFO_LAST_REASON). The console lines about a
 * non-root cell are rate-limited (console_cell_note); the records never.
 */
#include "core.h"

static struct wd_reason_record last;
static uint32_t reason_seq;

long reject(struct cell *cell, enum wd_reason reason, uint64_t item, int err)
{
	last.code = reason;
	last.cell_id = cell ? cell->id : ~0U;
	last.cpu = hal_cpu_id();
	last.seq = ++reason_seq;
	last.item = item;
	wd_reason_describe(last.text, sizeof(last.text), reason, item);
	if (cell)
		wd_memcpy(&cell->last_reason, &last, sizeof(last));
	/* e.g. warden: cell "a": port not assigned...: port 0x3f8 [pio_denied] */
	if (cell)
		console_cell_note(cell, last.text, wd_reason_name(reason));
	else
		core_printk("warden: %s [%s]\n", last.text,
			    wd_reason_name(reason));
	return -err;
}

const struct wd_reason_record *core_last_reason(void)
{
	return &last;
}
