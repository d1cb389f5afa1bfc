/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A gdb stub for one simulated CPU (sim/gdbstub.c): the remote serial
 * protocol on 127.0.0.1:PORT, one client.
 */
#ifndef WARDEN_SIM_GDBSTUB_H
#define WARDEN_SIM_GDBSTUB_H

#include <stddef.h>

/* Seconds the stub waits for the debugger to connect or to send a packet. */
#define GDBSTUB_TIMEOUT 60

/*
 * Listen on 127.0.0.1:@port, wait (GDBSTUB_TIMEOUT) for the debugger to
 * connect and hook @cpu's engines (call after exec_init()). The CPU stops
 * before its first instruction and whenever it reaches a breakpoint or
 * finishes a step; the whole simulation waits for the debugger meanwhile.
 * Returns 0, or -1 with a message in @err.
 */
int gdbstub_start(unsigned int port, unsigned int cpu, char *err,
		  size_t err_len);

/* Close the connection (the debugger sees the process exit). */
void gdbstub_stop(int status);

#endif /* !WARDEN_SIM_GDBSTUB_H */
