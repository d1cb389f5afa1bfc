/* SPDX-License-Identifier: GPL-2.0 */
/* The command line's text inputs (sim/input.c). */
#ifndef WARDEN_SIM_INPUT_H
#define WARDEN_SIM_INPUT_H

#include <stddef.h>

/*
 * Refuse what cannot be a @what file ("scenario", "trace") before parsing
 * it: a missing file, a directory (@hint, if not NULL, is appended to that
 * message), an empty file, binary data (a NUL byte in the first 4 KiB; an
 * ELF file, a DTB or a .cell config is named as such). Returns 0, or -1
 * with "PATH: what is wrong" in @err.
 */
int sim_input_check(const char *path, const char *what, const char *hint,
		    char *err, size_t err_len);

/*
 * An inmate image for a cell of architecture @arch (WD_ARCH_*): refuse an
 * ELF file (load takes the raw image) and a raw image whose ELF file next
 * to it (NAME.bin, NAME.elf: as the build writes them) is for another
 * machine. Returns 0, or -1 with "PATH ...: why" in @why.
 */
int sim_image_check(const char *path, const void *data, size_t len,
		    unsigned int arch, char *why, size_t why_len);

#endif /* !WARDEN_SIM_INPUT_H */
