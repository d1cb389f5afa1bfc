#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The AMD-V backend keeps itself hidden and intact against a cell's own
instructions (docs/x86.md, "Design of the AMD-V backend"), on QEMU and on
Bochs. Three hand-assembled real-mode cell images (no inmate library: the
CPU comes out of reset at 0xfff0 in real mode, as in any cell) run in the
tiny cell under the root-cell manager, through x86_manager.py's machinery:

  svm-ud      INVD (intercepted, carried out as WBINVD, resumed), then
              VMRUN: the cell must get #UD in its own interrupt vector
              table. The #UD handler touches COM1, which the cell does not
              own, so the cell fails with pio_denied port 0x3f8: that
              line proves the handler ran. Had VMRUN not raised #UD, the
              next instruction triple-faults (cpu_exception instead).
  svm-efer    WRMSR EFER with SVME set, then RDMSR: SVME must read back
              clear (the hypervisor's, hidden); then COM1 as above. If it
              reads set, the image triple-faults instead.
  svm-triple  a triple fault (IDT limit 0, INT3): the cell fails with
              cpu_exception item 8 (at the #DF, which the backend
              intercepts: Bochs would stop on the triple fault itself);
              the root cell and the machine go on.

Each run also needs the root's verdict (the manager destroyed the failed
cell and passed). Run from the top directory:
  python3 tests/qemu/x86_svm.py [-v] [--machine qemu|bochs|both]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import x86_manager  # noqa: E402

OUT = 'build/x86-svm'
RESET = 0xfff0
CODE = 0x1000


def real_mode_image(body):
    """A 64 KiB cell image: at the reset vector a jump to CODE, where the
    program starts with DS = SS = 0, SP = 0x8000 and IVT vector 6 (#UD)
    pointing at a handler that writes COM1 (port 0x3f8, not the cell's).
    @body: the bytes after that set-up; they may jump to 'triple' (given
    its offset from the start of the body as the second item)."""
    img = bytearray(0x10000)
    code = bytearray()
    code += bytes([0x31, 0xc0, 0x8e, 0xd8, 0x8e, 0xd0,  # DS = SS = 0
                   0xbc, 0x00, 0x80])                    # SP = 0x8000
    handler_at = len(code) + 4
    code += bytes([0xc7, 0x06, 0x18, 0x00, 0, 0])        # IVT[6].ip
    code += bytes([0xc7, 0x06, 0x1a, 0x00, 0, 0])        # IVT[6].cs = 0
    start = len(code)
    code += body(start)
    handler = CODE + len(code)
    code[handler_at:handler_at + 2] = handler.to_bytes(2, 'little')
    # #UD handler (and "success" path): COM1, then halt.
    code += bytes([0xba, 0xf8, 0x03, 0xb0, 0x55, 0xee, 0xfa, 0xf4])
    img[CODE:CODE + len(code)] = code
    rel = (CODE - (RESET + 3)) & 0xffff
    img[RESET:RESET + 3] = bytes([0xe9]) + rel.to_bytes(2, 'little')
    return bytes(img)


def triple_fault(at):
    """Bytes that triple-fault, placed at CODE + @at: LIDT of a zero
    descriptor, INT3."""
    desc = CODE + at + 7
    return bytes([0x0f, 0x01, 0x1e]) + desc.to_bytes(2, 'little') + \
        bytes([0xcc, 0xf4]) + bytes(6)


def svm_ud(start):
    # INVD; VMRUN (#UD -> handler); else: triple fault
    b = bytes([0x0f, 0x08, 0x0f, 0x01, 0xd8])
    return b + triple_fault(start + len(b))


def svm_efer(start):
    b = bytes([0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0,   # mov ecx, EFER
               0x0f, 0x32,                           # rdmsr
               0x66, 0x0d, 0x00, 0x10, 0x00, 0x00,   # or eax, SVME
               0x0f, 0x30,                           # wrmsr
               0x0f, 0x32,                           # rdmsr
               0x66, 0xa9, 0x00, 0x10, 0x00, 0x00])  # test eax, SVME
    # jnz -> triple fault (after the jmp); jmp -> handler (COM1)
    tf = start + len(b) + 4
    after = tf + len(triple_fault(0))
    jmp = (after - (start + len(b) + 4)) & 0xffff
    return b + bytes([0x75, 0x02, 0xeb, jmp & 0xff]) + triple_fault(tf)


def svm_triple(start):
    return triple_fault(start)


def denied_com1():
    return [r'^warden: cell "tiny": port not assigned to the cell: '
            r'port 0x3f8 \[pio_denied\]$',
            r'^warden: cell "tiny" FAILED, its CPUs are parked$']


RUNS = {
    'svm-ud': (svm_ud, denied_com1()),
    'svm-efer': (svm_efer, denied_com1()),
    'svm-triple': (svm_triple, [
        r'^warden: cell "tiny": unhandled exception in the cell: '
        r'vector/class 0x8 \[cpu_exception\]$',
        r'^warden: cell "tiny" FAILED, its CPUs are parked$']),
}


def main():
    args = sys.argv[1:]
    os.makedirs(OUT, exist_ok=True)
    plain_image = x86_manager.image

    def image(name):
        return os.path.join(OUT, name + '.bin') if name in RUNS else \
            plain_image(name)
    x86_manager.image = image
    for name, (body, lines) in RUNS.items():
        with open(image(name), 'wb') as f:
            f.write(real_mode_image(body))
        x86_manager.RUNS[name] = {
            'cell': 'tiny', 'image': name,
            'flags': x86_manager.KEEP_ENABLED,
            'expect': [r'^warden: created cell "tiny" \(id 1\)$',
                       r'^warden: started cell "tiny"$'] + lines + [
                r'^warden: destroyed cell "tiny"$',
                r'^\[manager\] CELL_DESTROY = 0$',
                x86_manager.VERDICT],
            'forbidden': [], 'ready': ('qemu', 'bochs'),
        }
    if not [a for a in args if not a.startswith('-')]:
        machine = [a for a in args if a.startswith('--machine')]
        args = [a for a in args if not a.startswith('--machine')] + \
            (machine or ['--machine', 'both']) + list(RUNS)
    return x86_manager.main(args)


if __name__ == '__main__':
    sys.exit(main())
