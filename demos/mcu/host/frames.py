#!/usr/bin/env python3
"""The largest stack frames of the firmware, read off each function's prologue.

Usage: host/frames.py ELF [COUNT]. For every function in `llvm-objdump -d` of the ELF,
adds what its first instructions reserve: `push` (4 bytes a register), `vpush` (8 bytes
a double register) and `sub sp` (an immediate, or a register loaded just before). This is
the frame LLVM gave the function after inlining, which is what the stack pays per call;
docs/embedded.md lists the frames on the client's deepest path. A function that adjusts
the stack again later (dynamic allocas: none in this firmware) would be undercounted.
"""
import re, subprocess, sys
elf = sys.argv[1]; top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
out = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", "--demangle", elf],
                     capture_output=True, text=True).stdout
frames = []
name = None; n = 0; size = 0; consts = {}
def flush():
    if name is not None and size: frames.append((size, name))
for line in out.splitlines():
    m = re.match(r'^[0-9a-f]+ <(.*)>:$', line)
    if m:
        flush(); name = m.group(1); n = 0; size = 0; consts = {}; continue
    if name is None: continue
    n += 1
    if n > 14: continue
    ins = line.split('\t')
    ins = [x.strip() for x in ins if x.strip()]
    if len(ins) < 2: continue
    op = ins[1]; args = ins[2] if len(ins) > 2 else ''
    if op.startswith('push'):
        size += 4 * len(re.findall(r'r\d+|lr|r\d+', args.replace('lr', 'r99')))
    elif op.startswith('vpush'):
        m2 = re.search(r'd(\d+)-d(\d+)', args)
        size += 8 * (int(m2.group(2)) - int(m2.group(1)) + 1) if m2 else 8 * len(re.findall(r'd\d+', args))
    elif op.startswith('sub') and args.startswith('sp'):
        m2 = re.search(r'#(0x[0-9a-f]+|\d+)', args)
        if m2: size += int(m2.group(1), 0)
        else:
            r = args.split(',')[-1].strip()
            size += consts.get(r, 0)
    elif op.startswith('movw') or op.startswith('mov.w') or op == 'mov':
        m2 = re.match(r'(r\d+), #(0x[0-9a-f]+|\d+)', args)
        if m2: consts[m2.group(1)] = int(m2.group(2), 0)
flush()
frames.sort(reverse=True)
for size, name in frames[:top]:
    print(f"{size:6d}  {name[:160]}")
