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
 * The trap records themselves come from the core (core_set_trap_sink, the
 * sink in record.c): each one is written when its trap ends, unless ...
 */

/* ... the replayer captures them: each into *@dst (NULL: stop). */
void record_capture(struct wd_trap *dst);
/* A record was captured since the last record_capture(@dst != NULL). */
bool record_captured(void);

/*
 * ... or, for CPU @cpu, it is held back until record_release(): the
 * scenario's management calls write the cells' answers ("respond" lines)
 * before their record. The other CPUs' records, of the cells that run
 * while the call waits for them, are written as they come.
 */
void record_hold(unsigned int cpu);
void record_release(void);

#endif /* !WARDEN_SIM_RECORD_H */
