/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap recording (warden-sim run --trace FILE): a trace in the format the
 * replayer reads (docs/abi.md 6), with the directives that rebuild the
 * same machine and one record per trap the core decided on.
 */
#ifndef WARDEN_SIM_RECORD_H
#define WARDEN_SIM_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <warden/trap.h>

/* Start writing @path ("warden-trace 1" header). 0 or -1 (errno set). */
int record_open(const char *path);

/* Finish the trace; 0, or -1 if writing failed anywhere. */
int record_close(void);

/* Is a trace being written? */
bool record_on(void);

/* One directive line, e.g. "machine ram=0x0 size=0x1000 cpus=4". */
void record_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The path of file @path as seen from the trace's directory. */
void record_path(const char *path, char *out, size_t out_len);

/*
 * One trap record: @t with its outcome; the cell's name is looked up from
 * the CPU (at the time of the trap).
 */
void record_trap(const struct wd_trap *t, const char *cell_name);

#endif /* !WARDEN_SIM_RECORD_H */
