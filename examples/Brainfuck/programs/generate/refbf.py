#!/usr/bin/env python3
"""Reference Brainfuck interpreter (deliberately simple; used to produce the .out files).

Semantics:
  * cells are bytes that wrap (255+1 == 0, 0-1 == 255)
  * the tape starts with 30000 zero cells and grows to the right on demand
  * moving left of cell 0 is an error
  * ',' reads one byte of stdin; at EOF the cell is left unchanged
  * every character other than the eight commands is a comment

Usage: refbf.py PROGRAM.b [INPUT_FILE] > OUTPUT
       (without INPUT_FILE, stdin is used).  The number of executed commands
       (every executed command counts once, including each '[' and ']') is
       printed to stderr.
"""
import sys


def run(code, inp, limit=None):
    prog = [c for c in code if c in '+-<>[].,']
    # bracket matching
    match = [0] * len(prog)
    stack = []
    for i, c in enumerate(prog):
        if c == '[':
            stack.append(i)
        elif c == ']':
            if not stack:
                raise SyntaxError('unmatched ] at command %d' % i)
            j = stack.pop()
            match[i] = j
            match[j] = i
    if stack:
        raise SyntaxError('unmatched [ at command %d' % stack[-1])

    tape = [0] * 30000
    ptr = 0
    pc = 0
    inpos = 0
    out = bytearray()
    steps = 0
    n = len(prog)
    while pc < n:
        c = prog[pc]
        steps += 1
        if c == '+':
            tape[ptr] = (tape[ptr] + 1) & 255
        elif c == '-':
            tape[ptr] = (tape[ptr] - 1) & 255
        elif c == '>':
            ptr += 1
            if ptr == len(tape):
                tape.extend([0] * len(tape))
        elif c == '<':
            if ptr == 0:
                raise RuntimeError('moved left of cell 0 at command %d' % pc)
            ptr -= 1
        elif c == '[':
            if tape[ptr] == 0:
                pc = match[pc]
        elif c == ']':
            if tape[ptr] != 0:
                pc = match[pc]
        elif c == '.':
            out.append(tape[ptr])
        elif c == ',':
            if inpos < len(inp):
                tape[ptr] = inp[inpos]
                inpos += 1
        pc += 1
        if limit is not None and steps > limit:
            raise RuntimeError('step limit exceeded')
    return bytes(out), steps


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding='latin-1') as f:
        code = f.read()
    if len(sys.argv) > 2:
        with open(sys.argv[2], 'rb') as f:
            inp = f.read()
    else:
        inp = sys.stdin.buffer.read()
    out, steps = run(code, inp)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    print('executed commands: %d' % steps, file=sys.stderr)


if __name__ == '__main__':
    main()
