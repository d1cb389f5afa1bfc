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

static void fill(struct wd_reason_record *r, struct cell *cell,
		 enum wd_reason reason, uint64_t item)
{
	r->code = reason;
	r->cell_id = cell ? cell->id : ~0U;
	r->cpu = hal_cpu_id();
	r->seq = ++reason_seq;
	r->item = item;
	wd_reason_describe(r->text, sizeof(r->text), reason, item);
}

long reject(struct cell *cell, enum wd_reason reason, uint64_t item, int err)
{
	fill(&last, cell, reason, item);
	if (cell)
		wd_memcpy(&cell->last_reason, &last, sizeof(last));
	/* e.g. warden: cell "a": port not assigned...: port 0x3f8 [pio_denied] */
	if (cell)
		console_cell_note(cell, "warden: cell \"%s\": %s [%s]\n",
				  cell_name(cell), last.text,
				  wd_reason_name(reason));
	else
		core_printk("warden: %s [%s]\n", last.text,
			    wd_reason_name(reason));
	return -err;
}

const struct wd_reason_record *core_last_reason(void)
{
	return &last;
}
