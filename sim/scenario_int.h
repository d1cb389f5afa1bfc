/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the scenario runner: sim/scenario.c and sim/scenario_summary.c. */
#ifndef WARDEN_SIM_SCENARIO_INT_H
#define WARDEN_SIM_SCENARIO_INT_H

struct cell;

/* Cell @cell's log ring (docs/inmates.md 5-6), oldest byte first, in a
 * malloc'd string; NULL without a cell, parameter block or ring. */
char *scn_read_log(struct cell *cell);

/* -v: forget the cells seen; note the cells after a line; print the
 * consoles and the summary of a run that returned @ret. */
void scn_summary_reset(void);
void scn_summary_note(void);
void scn_summary_print(int ret);

#endif /* !WARDEN_SIM_SCENARIO_INT_H */
