/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ioctl interface of Linux's warden driver (/dev/warden), shared by
 * driver/ and tools/warden.c. Jailhouse's request shapes with warden's
 * numbers (docs/linux.md).
 */
#ifndef WARDEN_DRIVER_H
#define WARDEN_DRIVER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define WARDEN_DEVICE "/dev/warden"
#define WARDEN_SYSFS "/sys/devices/warden"

/* A config in the caller's memory (ENABLE: system, CELL_CREATE: cell). */
struct warden_config {
	__u64 address; /* user pointer */
	__u32 size;
	__u32 padding;
};

#define WARDEN_NAME_LEN 32

/* A cell by id (>= 0) or, with id = -1, by name. */
struct warden_cell_id {
	__s32 id;
	__u32 padding;
	char name[WARDEN_NAME_LEN];
};

struct warden_image {
	__u64 source; /* user pointer */
	__u64 size;
	__u64 target; /* cell guest-physical address */
	__u64 padding;
};

#define WARDEN_MAX_IMAGES 16

struct warden_cell_load {
	struct warden_cell_id cell;
	__u32 num_images;
	__u32 padding;
	struct warden_image image[];
};

/* The reason of the last refused request (struct wd_reason_record of
 * <warden/hypercall.h>: 104 bytes). */
#define WARDEN_REASON_SIZE 104

#define WARDEN_ENABLE _IOW('W', 0, struct warden_config)
#define WARDEN_DISABLE _IO('W', 1)
#define WARDEN_CELL_CREATE _IOW('W', 2, struct warden_config)
#define WARDEN_CELL_LOAD _IOW('W', 3, struct warden_cell_load)
#define WARDEN_CELL_START _IOW('W', 4, struct warden_cell_id)
#define WARDEN_CELL_SHUTDOWN _IOW('W', 5, struct warden_cell_id)
#define WARDEN_CELL_DESTROY _IOW('W', 6, struct warden_cell_id)
#define WARDEN_LAST_REASON _IOR('W', 7, char[WARDEN_REASON_SIZE])

#endif /* !WARDEN_DRIVER_H */
