#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The VT-x backend (build/x86-intel) on Bochs, for `scons test`
(docs/x86.md, "VT-x"): x86_manager.py's runs with --machine vmx (every
warden run on corei7_haswell_4770 and corei7_skylake_x, vmx-refusal on
corei5_lynnfield_750, which warden refuses at enable), and three
hand-assembled real-mode cell images in the tiny cell, as
tests/qemu/x86_svm.py does for AMD-V (the same image builder):

  vmx-ud      INVD (exits, carried out as WBINVD, resumed), then VMXON:
              the cell must get #UD; the handler touches COM1, which the
              cell does not own: pio_denied port 0x3f8 proves it ran,
              else the next instruction triple-faults (cpu_exception).
  vmx-cr4     CR4 as the cell reads it has no VMXE (VMX keeps it set,
              the read shadow hides it), and setting it raises #GP (the
              handler: COM1 as above); either failing triple-faults.
  vmx-triple  a triple fault: the cell fails with cpu_exception item 8 at
              the #DF (exception bitmap), the root and the machine go on.

Without RUN names, every run ready on the Intel machines, where the
cases of tests/qemu/x86_equivalence.py boot on intel under the trap-log
image (x86_equivalence.py --machine intel: the run's lines, then its
outcome records identical to the simulator's, which the AMD-V runs match
too, and its trap records replayed). Arguments go to x86_manager.py
after --machine vmx (-v and -j also to x86_equivalence.py).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('X86_MANAGER_PROG', 'x86_vmx.py')

import x86_manager  # noqa: E402
import x86_svm  # noqa: E402

OUT = 'build/x86-vmx'
# IVT[13] (#GP) = IVT[6] (#UD): mov ax, [0x18]; mov [0x34], ax;
# mov ax, [0x1a]; mov [0x36], ax.
GP_TOO = bytes([0xa1, 0x18, 0x00, 0xa3, 0x34, 0x00,
                0xa1, 0x1a, 0x00, 0xa3, 0x36, 0x00])


def vmx_ud(start):
    # INVD; VMXON [0] (#UD -> handler); else: triple fault
    b = bytes([0x0f, 0x08, 0xf3, 0x0f, 0xc7, 0x36, 0x00, 0x00])
    return b + x86_svm.triple_fault(start + len(b))


def vmx_cr4(start):
    b = GP_TOO + bytes([0x0f, 0x20, 0xe0,                    # mov eax, cr4
                        0x66, 0xa9, 0x00, 0x20, 0x00, 0x00])  # test VMXE
    tail = bytes([0x66, 0x0d, 0x00, 0x20, 0x00, 0x00,         # or VMXE
                  0x0f, 0x22, 0xe0])                          # mov cr4, eax
    # jnz (VMXE seen) -> triple fault; no #GP -> triple fault
    b += bytes([0x75, len(tail)]) + tail
    return b + x86_svm.triple_fault(start + len(b))


def vmx_triple(start):
    return x86_svm.triple_fault(start)


RUNS = {
    'vmx-ud': (vmx_ud, x86_svm.denied_com1()),
    'vmx-cr4': (vmx_cr4, x86_svm.denied_com1()),
    'vmx-triple': (vmx_triple, [
        r'^warden: cell "tiny": unhandled exception in the cell: '
        r'vector/class 0x8 \[cpu_exception\]$',
        r'^warden: cell "tiny" FAILED, its CPUs are parked$']),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    plain_image = x86_manager.image

    def image(name):
        return os.path.join(OUT, name + '.bin') if name in RUNS else \
            plain_image(name)
    x86_manager.image = image
    for name, (body, lines) in RUNS.items():
        with open(image(name), 'wb') as f:
            f.write(x86_svm.real_mode_image(body))
        x86_manager.RUNS[name] = {
            'cell': 'tiny', 'image': name,
            'flags': x86_manager.KEEP_ENABLED,
            'expect': [r'^warden: created cell "tiny" \(id 1\)$',
                       r'^warden: started cell "tiny"$'] + lines + [
                r'^warden: destroyed cell "tiny"$',
                r'^\[manager\] CELL_DESTROY = 0$',
                x86_manager.VERDICT],
            'forbidden': [], 'ready': x86_manager.VMX,
            'machines': x86_manager.VMX, 'qemu_status': 1,
        }
    args = sys.argv[1:]
    if [a for a in args if not a.startswith('-')] or \
            [a for a in args if a in ('--list', '--all', '--demo')]:
        return x86_manager.main(['--machine', 'vmx'] + args)
    # The default list: the cases of x86_equivalence.py boot on intel
    # under the trap-log image there (their own lines checked too, then
    # the outcome records against the simulator's and the trap records
    # replayed), not twice; everything else as x86_manager.py runs.
    import x86_equivalence  # noqa: E402
    for name, _ in x86_equivalence.CASES:
        run = x86_manager.RUNS[name]
        run['ready'] = tuple(m for m in run['ready'] if m != 'intel')
    eq_args, i = [], 0
    while i < len(args):
        if args[i] in ('-v', '--verbose') or args[i].startswith('-j') or \
                args[i].startswith('--jobs'):
            eq_args.append(args[i])
            if args[i] in ('-j', '--jobs') and i + 1 < len(args):
                eq_args.append(args[i + 1])
                i += 1
        i += 1
    bad = x86_manager.main(['--machine', 'vmx'] + args)
    return x86_equivalence.main(['--machine', 'intel'] + eq_args) or bad


if __name__ == '__main__':
    sys.exit(main())
