/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included ahead of every file of the ARMv7 image (SConstruct, ARMV7_PIE):
 * the image is one position-independent executable whose symbols nobody
 * preempts, so all are hidden and code reaches data PC-relative, not
 * through the GOT (a load less for each global, fewer relocations).
 */
#pragma GCC visibility push(hidden)
