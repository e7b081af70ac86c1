#!/usr/bin/env python3
"""Generator for the bundled Brainfuck test programs (hello, squares, primes,
mandel, echo, wrap, nested).

Regenerate everything (run from any directory):

    python3 examples/Brainfuck/programs/generate/bfgen.py

This rewrites the NAME.b files in examples/Brainfuck/programs/.  The expected
outputs NAME.out are then produced with the reference interpreters:

    python3 examples/Brainfuck/programs/generate/bfgen.py --outputs

which runs refbf.py on the small programs and refbf.c (compiled with gcc into
a temporary directory) on mandel.b, and cross-checks mandel.out against a
direct Python model of the same fixed-point algorithm.

All programs are composed from the small macro library below.  The generator
keeps track of the tape pointer statically: every variable lives in a fixed
cell, and every loop starts and ends on the same cell, so pointer movement is
computed by the generator.  The only place where the pointer position differs
between paths is the constant-time "if zero" idiom in BF.if_zero, which is
constructed so that both paths end on the same cell.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.dirname(HERE)
COMMANDS = set('+-<>[].,')


class BF:
    """A tiny macro assembler for Brainfuck with static pointer tracking."""

    def __init__(self):
        self.code = []
        self.pos = 0
        self.free = 0

    # --- allocation -----------------------------------------------------
    def alloc(self, n=1):
        c = self.free
        self.free += n
        return c

    def alloc_test(self):
        """A cell that can be tested with if_zero: the two cells to its
        right are reserved and must always be zero between operations."""
        c = self.free
        self.free += 3
        return c

    # --- primitive emission ---------------------------------------------
    def emit(self, s):
        self.code.append(s)

    def at(self, c):
        d = c - self.pos
        if d > 0:
            self.emit('>' * d)
        elif d < 0:
            self.emit('<' * -d)
        self.pos = c

    def add(self, c, n):
        n %= 256
        if n == 0:
            return
        self.at(c)
        self.emit('+' * n if n <= 128 else '-' * (256 - n))

    def out(self, c):
        self.at(c)
        self.emit('.')

    def inp(self, c):
        self.at(c)
        self.emit(',')

    def clear(self, c):
        self.at(c)
        self.emit('[-]')

    def loop(self, c, body):
        """while cell c != 0: body.  The body must leave the pointer
        anywhere; we return to c before the closing bracket."""
        self.at(c)
        self.emit('[')
        body()
        self.at(c)
        self.emit(']')

    def once(self, flag, body):
        """if flag (a 0/1 cell): clear flag, run body."""
        def b():
            self.add(flag, -1)
            body()
        self.loop(flag, b)

    def move(self, src, dsts):
        """Add src*factor to every (cell, factor) of dsts; src becomes 0."""
        def body():
            self.add(src, -1)
            for d, f in dsts:
                self.add(d, f)
        self.loop(src, body)

    def copy(self, src, dsts, tmp):
        """Like move but src is preserved (via the zero cell tmp)."""
        self.move(src, list(dsts) + [(tmp, 1)])
        self.move(tmp, [(src, 1)])

    def if_zero(self, x, body):
        """if cell x == 0: body.  x must come from alloc_test (x+1 and x+2
        are zero).  Constant cost.  Layout [x, t, z]:
            t=1; at x: [>-]  -> x!=0: ends on t (now 0);  x==0: stays on x
            >                -> x!=0: on z (0);           x==0: on t (1)
            [- BODY >]       -> only entered when x==0; ends on z (0)
        Both paths end on z.  The body runs with the pointer on t (already
        reset to 0) and must leave t and z zero."""
        t, z = x + 1, x + 2
        self.add(t, 1)
        self.at(x)
        self.emit('[>-]>[-')
        self.pos = t
        body()
        self.at(z)
        self.emit(']')
        self.pos = z

    def divmod(self, n, d, q, r, cnt):
        """q += n // d, r += n % d, n becomes 0.  d is a constant, cnt a
        test cell (zero before and after)."""
        self.add(cnt, d)

        def unit():
            self.add(n, -1)
            self.add(r, 1)
            self.add(cnt, -1)

            def wrap():
                self.add(cnt, d)
                self.add(r, -d)
                self.add(q, 1)
            self.if_zero(cnt, wrap)
        self.loop(n, unit)
        self.clear(cnt)

    def set_string_cell(self, cell, text, helper, cur=0):
        """Print text using a single working cell (value cur on entry) and a
        zero helper cell; returns the final value of the working cell."""
        for ch in text.encode('latin-1'):
            diff = (ch - cur) % 256
            if diff > 128:
                diff -= 256
            a = abs(diff)
            sign = 1 if diff >= 0 else -1
            if a > 15:
                # a = m*k + rest with a small loop on the helper cell
                best = None
                for m in range(2, 16):
                    k, rest = divmod(a, m)
                    cost = m + k + rest
                    if rest > m // 2:
                        k, rest = k + 1, rest - m
                        cost = m + k + abs(rest)
                    if best is None or cost < best[0]:
                        best = (cost, m, k, rest)
                _, m, k, rest = best
                self.add(helper, m)

                def body(k=k):
                    self.add(helper, -1)
                    self.add(cell, sign * k)
                self.loop(helper, body)
                self.add(cell, sign * rest)
            else:
                self.add(cell, diff)
            self.out(cell)
            cur = ch
        return cur

    def text(self, comment=None, width=72):
        body = ''.join(self.code)
        lines = [body[i:i + width] for i in range(0, len(body), width)]
        head = ''
        if comment:
            bad = set(comment) & COMMANDS
            assert not bad, 'comment contains BF commands: %r' % bad
            head = comment.rstrip('\n') + '\n\n'
        return head + '\n'.join(lines) + '\n'


# ---------------------------------------------------------------------------
# Decimal helpers shared by several programs
# ---------------------------------------------------------------------------

class Decimal:
    """An unsigned decimal counter stored as one cell per digit (low digit
    first), each digit cell being a test cell."""

    def __init__(self, bf, ndigits):
        self.bf = bf
        self.d = [bf.alloc_test() for _ in range(ndigits)]
        self.tests = [bf.alloc_test() for _ in range(ndigits)]
        self.tmp = bf.alloc()
        self.flag = bf.alloc()
        self.started = bf.alloc()
        self.pc = bf.alloc()

    def set(self, value):
        for i, c in enumerate(self.d):
            self.bf.add(c, (value // 10 ** i) % 10)

    def inc(self):
        """Add one, propagating carries (nested: a level is only examined
        when the level below wrapped)."""
        bf = self.bf
        bf.add(self.d[0], 1)

        def level(i):
            if i + 1 >= len(self.d):
                return
            t = self.tests[i]
            bf.copy(self.d[i], [(t, 1)], self.tmp)
            bf.add(t, -10)

            def carry():
                bf.add(self.d[i], -10)
                bf.add(self.d[i + 1], 1)
                level(i + 1)
            bf.if_zero(t, carry)
            bf.add(t, 10)
            bf.clear(t)
        level(0)

    def print(self):
        """Print the number without leading zeros (0 prints as 0)."""
        bf = self.bf
        for i in range(len(self.d) - 1, -1, -1):
            if i > 0:
                t = self.tests[i]
                bf.copy(self.d[i], [(t, 1)], self.tmp)
                bf.add(self.flag, 1)
                bf.if_zero(t, lambda: bf.add(self.flag, -1))
                # digit != 0: started = 1
                bf.once(self.flag, lambda: (bf.clear(self.started),
                                            bf.add(self.started, 1)))
                bf.clear(t)
                bf.copy(self.started, [(self.flag, 1)], self.tmp)
            else:
                bf.add(self.flag, 1)

            def show(i=i):
                bf.copy(self.d[i], [(self.pc, 1)], self.tmp)
                bf.add(self.pc, ord('0'))
                bf.out(self.pc)
                bf.clear(self.pc)
            bf.once(self.flag, show)
        bf.clear(self.started)


def print_byte_decimal(bf, v, scratch):
    """Print cell v (preserved) in decimal.  scratch: dict of cells."""
    dec = scratch['dec']
    n, q1, cnt, tmp = scratch['n'], scratch['q1'], scratch['cnt'], scratch['tmp']
    for c in dec.d:
        bf.clear(c)
    bf.copy(v, [(n, 1)], tmp)
    bf.divmod(n, 10, q1, dec.d[0], cnt)
    bf.divmod(q1, 10, dec.d[2], dec.d[1], cnt)
    dec.print()
    for c in dec.d:
        bf.clear(c)


def byte_printer(bf):
    dec = Decimal(bf, 3)
    return {'dec': dec, 'n': bf.alloc(), 'q1': bf.alloc(),
            'cnt': bf.alloc_test(), 'tmp': bf.alloc()}


# ---------------------------------------------------------------------------
# hello.b
# ---------------------------------------------------------------------------

def gen_hello():
    bf = BF()
    cell, helper = bf.alloc(), bf.alloc()
    bf.set_string_cell(cell, 'Hello World!\n', helper)
    return bf.text(
        'hello world: prints "Hello World!" and a newline\n'
        'generated by generate/bfgen_py')


# ---------------------------------------------------------------------------
# squares.b
# ---------------------------------------------------------------------------

def gen_squares():
    bf = BF()
    sq = Decimal(bf, 5)
    odd, count, lcount, nl = bf.alloc(), bf.alloc(), bf.alloc(), bf.alloc()
    bf.add(odd, 1)
    bf.add(count, 101)

    def step():
        sq.print()
        bf.add(nl, 10)
        bf.out(nl)
        bf.clear(nl)
        # sq += odd ; odd += 2   (n^2 + 2n + 1 = (n+1)^2)
        bf.copy(odd, [(lcount, 1)], sq.tmp)
        bf.loop(lcount, lambda: (bf.add(lcount, -1), sq.inc()))
        bf.add(odd, 2)
        bf.add(count, -1)
    bf.loop(count, step)
    return bf.text(
        'squares: prints n times n for n from 0 to 100 in decimal\n'
        'one number per line; the square is kept as a five digit decimal\n'
        'counter and advanced by the odd numbers 1 3 5 and so on\n'
        'generated by generate/bfgen_py')


# ---------------------------------------------------------------------------
# primes.b
# ---------------------------------------------------------------------------

def gen_primes():
    bf = BF()
    num = Decimal(bf, 3)
    iters, comp, nl = bf.alloc(), bf.alloc_test(), bf.alloc()
    divs = list(range(2, 16))
    k = {d: bf.alloc_test() for d in divs}
    # num starts at 1.  k[d] counts down to the next multiple of d that is
    # a proper multiple (2d, 3d, ...); it starts at 2d-1.
    num.set(1)
    for d in divs:
        bf.add(k[d], 2 * d - 1)
    bf.add(iters, 254)                      # num = 2 .. 255

    def step():
        num.inc()
        for d in divs:
            bf.add(k[d], -1)

            def hit(d=d):
                bf.add(k[d], d)
                bf.add(comp, 1)
            bf.if_zero(k[d], hit)

        def prime():
            num.print()
            bf.add(nl, 10)
            bf.out(nl)
            bf.clear(nl)
        bf.if_zero(comp, prime)
        bf.clear(comp)
        bf.add(iters, -1)
    bf.loop(iters, step)
    return bf.text(
        'primes: prints every prime below 256 in decimal one per line\n'
        'for each n from 2 to 255 one countdown counter per divisor d in\n'
        '2 to 15 tracks the next proper multiple of d; n is prime when no\n'
        'counter reaches zero (every composite below 256 has a factor\n'
        'below 16)\n'
        'generated by generate/bfgen_py')


# ---------------------------------------------------------------------------
# echo.b
# ---------------------------------------------------------------------------

def gen_echo():
    # read; while the byte is nonzero: print it, zero the cell, read again.
    # Zeroing before each read makes EOF (cell left unchanged) read as 0.
    body = ',[.[-],]'
    return ('echo: copies stdin to stdout until EOF\n'
            'the cell is zeroed before every read so that EOF (which leaves\n'
            'the cell unchanged) ends the loop; input must not contain NUL\n'
            '\n' + body + '\n')


# ---------------------------------------------------------------------------
# wrap.b
# ---------------------------------------------------------------------------

def gen_wrap():
    bf = BF()
    pr = byte_printer(bf)
    a, b, c, nl, tmp = bf.alloc(), bf.alloc(), bf.alloc(), bf.alloc(), bf.alloc()

    def newline():
        bf.add(nl, 10)
        bf.out(nl)
        bf.clear(nl)

    # 1: 0 - 1 == 255
    bf.add(a, -1)
    print_byte_decimal(bf, a, pr)
    newline()
    # 2: 255 + 1 == 0
    bf.add(a, 1)
    print_byte_decimal(bf, a, pr)
    newline()
    # 3: starting from 1, incrementing until the cell wraps to 0 takes 255
    #    steps (counted in b)
    bf.add(a, 1)
    bf.loop(a, lambda: (bf.add(a, 1), bf.add(b, 1)))
    print_byte_decimal(bf, b, pr)
    newline()
    bf.clear(b)
    # 4: from 0, subtract 1 then loop subtracting 3: 255 / 3 = 85 steps
    bf.add(a, -1)
    bf.loop(a, lambda: (bf.add(a, -3), bf.add(b, 1)))
    print_byte_decimal(bf, b, pr)
    newline()
    bf.out(b)                                # 85 is 'U'
    newline()
    bf.clear(b)
    # 5: 7 * 37 = 259 == 3 (mod 256)
    bf.add(a, 7)
    bf.loop(a, lambda: (bf.add(a, -1), bf.add(b, 37)))
    print_byte_decimal(bf, b, pr)
    newline()
    bf.clear(b)
    # 6: a wrapping down-counter: starting from 0, subtract 2 until zero
    #    again: 128 steps (0 254 252 ... 2 0)
    bf.add(a, -2)
    bf.add(b, 1)
    bf.loop(a, lambda: (bf.add(a, -2), bf.add(b, 1)))
    print_byte_decimal(bf, b, pr)
    newline()
    bf.clear(b)
    # 7: 200 + 100 == 44 and 100 - 200 == 156
    bf.add(a, 200)
    bf.add(c, 100)
    bf.copy(c, [(a, 1)], tmp)
    print_byte_decimal(bf, a, pr)
    newline()
    bf.clear(a)
    bf.add(a, 100)
    bf.add(c, 100)                           # c = 200
    bf.move(c, [(a, -1)])
    print_byte_decimal(bf, a, pr)
    newline()
    bf.clear(a)
    return bf.text(
        'wrap: exercises byte wrap around; expected output lines are\n'
        '255 (0 minus 1)   0 (255 plus 1)   255 (steps from 1 up to 0)\n'
        '85 and U (255 divided by 3 by a wrapping loop)   3 (7 times 37)\n'
        '128 (steps of minus 2 from 0 back to 0)   44 (200 plus 100)\n'
        '156 (100 minus 200)\n'
        'generated by generate/bfgen_py')


# ---------------------------------------------------------------------------
# nested.b
# ---------------------------------------------------------------------------

def gen_nested():
    bf = BF()
    pr = byte_printer(bf)
    nl = bf.alloc()

    def newline():
        bf.add(nl, 10)
        bf.out(nl)
        bf.clear(nl)

    # Part 1: five literally nested counting loops computing 3^5 = 243.
    lv = [bf.alloc() for _ in range(6)]

    def nest(i):
        if i == 5:
            bf.add(lv[5], 1)
            return
        bf.add(lv[i], 3)
        bf.loop(lv[i], lambda: (bf.add(lv[i], -1), nest(i + 1)))
    nest(0)
    print_byte_decimal(bf, lv[5], pr)
    newline()
    bf.clear(lv[5])

    # Part 2: for i in 1..10: total += number of (j, k, l) with
    # i >= j >= k >= l >= 1, printed after each i.  These are the
    # tetrahedral numbers 1 4 10 20 35 56 84 120 165 220.
    i_cnt, i_val, j_cnt, j_val, k_cnt, k_val, l_cnt = \
        [bf.alloc() for _ in range(7)]
    total, tmp = bf.alloc(), bf.alloc()
    # count per row only (reset each row) to keep values small:
    bf.add(i_cnt, 10)

    def row():
        bf.add(i_cnt, -1)
        bf.add(i_val, 1)
        bf.copy(i_val, [(j_cnt, 1)], tmp)

        def jloop():
            # j runs i, i-1, ..., 1
            bf.copy(j_cnt, [(k_cnt, 1)], tmp)

            def kloop():
                bf.copy(k_cnt, [(l_cnt, 1)], tmp)
                bf.loop(l_cnt, lambda: (bf.add(l_cnt, -1), bf.add(total, 1)))
                bf.add(k_cnt, -1)
            bf.loop(k_cnt, kloop)
            bf.add(j_cnt, -1)
        bf.loop(j_cnt, jloop)
        print_byte_decimal(bf, total, pr)
        newline()
        bf.clear(total)
    bf.loop(i_cnt, row)
    return bf.text(
        'nested: deeply nested loops\n'
        'first five literally nested loops of three iterations compute 243\n'
        'then for i from 1 to 10 a triple nested loop counts the triples\n'
        'j k l with i at least j at least k at least l at least 1 and\n'
        'prints the count (the tetrahedral numbers 1 4 10 20 35 56 84 120\n'
        '165 220) one per line\n'
        'generated by generate/bfgen_py')


# ---------------------------------------------------------------------------
# mandel.b -- fixed-point Mandelbrot set
# ---------------------------------------------------------------------------
#
# Numbers are sign-magnitude fixed point: a sign cell (0 = +, 1 = -) and NDIG
# magnitude digits in base BASE (least significant first, one cell each),
# FRAC of which are fractional, so a number holds  +-M / BASE**FRAC  with
# 0 <= M < BASE**NDIG.  Products are truncated toward zero.

BASE = 4
FRAC = 5             # 10 fractional bits: unit = 1/1024
NDIG = 7             # 2 integer digits: magnitudes below 16
SCALE = BASE ** FRAC

MAXITER = 30
COLS = 76
ROWS = 30
DX = 37              # x step in units of 1/SCALE   (about 0.0361)
DY = 80              # y step (text cells are about twice as tall as wide)
XMIN = -2205         # about -2.15
YMAX = (ROWS - 1) * DY // 2  # rows are symmetric around y = 0
# iteration count -> character; MAXITER (never escaped) -> '@'
PALETTE = [(1, ' '), (2, '.'), (3, ':'), (4, '-'), (5, '='), (7, '+'),
           (10, '*'), (15, '%'), (MAXITER, '#'), (MAXITER + 1, '@')]


def palette_char(count):
    for limit, ch in PALETTE:
        if count < limit:
            return ch
    raise ValueError(count)


def mandel_model():
    """Direct integer model of exactly what mandel.b computes."""
    def tmul(a, b):
        m = (abs(a) * abs(b)) // SCALE
        return -m if (a < 0) != (b < 0) else m
    lines = []
    for r in range(ROWS):
        cy = YMAX - r * DY
        row = []
        for c in range(COLS):
            cx = XMIN + c * DX
            x = y = 0
            count = 0
            while True:
                if abs(x) >= 2 * SCALE or abs(y) >= 2 * SCALE:
                    break
                xx, yy = tmul(x, x), tmul(y, y)
                if xx + yy >= 4 * SCALE:
                    break
                xy2 = tmul(2 * x, y)
                x, y = xx - yy + cx, xy2 + cy
                for v in (x, y):
                    assert abs(v) < BASE ** NDIG
                count += 1
                if count == MAXITER:
                    break
            row.append(palette_char(count))
        lines.append(''.join(row) + '\n')
    return ''.join(lines)


class Num:
    """Sign cell and digit cells; every cell is followed by its own zero
    temporary, so copying a digit only travels to the destination once."""

    def __init__(self, bf):
        self.s = bf.alloc(2)
        self.d = [bf.alloc(2) for _ in range(NDIG)]

    def cells(self):
        return [self.s] + self.d


class Mandel:
    def __init__(self):
        bf = self.bf = BF()
        # x and y (the operands of every multiplication) sit right next to
        # the scratch block in which the per-unit loops run
        self.cx = Num(bf)
        self.t1 = Num(bf)
        self.xx = Num(bf)
        self.x = Num(bf)
        self.L = bf.alloc()
        self.A = bf.alloc()
        self.A2 = bf.alloc()
        self.N = bf.alloc()
        self.R = bf.alloc()
        self.CNT = bf.alloc_test()
        self.Q = bf.alloc()
        self.X = bf.alloc_test()       # sign combination / borrow tests
        self.G = bf.alloc_test()       # integer-part comparisons
        self.E = bf.alloc()
        self.SAME = bf.alloc()
        self.DIFF = bf.alloc()
        self.F1 = bf.alloc()
        self.F2 = bf.alloc()
        self.OK = bf.alloc()
        self.y = Num(bf)
        self.yy = Num(bf)
        self.xy = Num(bf)
        self.cy = Num(bf)
        self.dx = Num(bf)
        self.dy = Num(bf)
        self.xmin = Num(bf)
        # control
        self.GO = bf.alloc()
        self.K = bf.alloc_test()       # iterations left
        self.COUNT = bf.alloc_test()   # iterations done
        self.ROWS = bf.alloc()
        self.COLS = bf.alloc()
        self.P = bf.alloc()            # output character

    # --- number helpers --------------------------------------------------
    def cp(self, src, dsts):
        """Copy a number cell, using its private temporary (src + 1)."""
        self.bf.copy(src, dsts, src + 1)

    def set_const(self, num, value):
        bf = self.bf
        if value < 0:
            bf.add(num.s, 1)
        m = abs(value)
        for i in range(NDIG):
            bf.add(num.d[i], (m // BASE ** i) % BASE)
        assert m < BASE ** NDIG

    def clear_num(self, num):
        for c in num.cells():
            self.bf.clear(c)

    def move_num(self, src, dst):
        for a, b in zip(src.cells(), dst.cells()):
            self.bf.move(a, [(b, 1)])

    def copy_num(self, src, dst):
        for a, b in zip(src.cells(), dst.cells()):
            self.cp(a, [(b, 1)])

    def norm(self, dst):
        """N holds a column value: dst += N % BASE (dst None: dropped),
        Q += N // BASE."""
        bf = self.bf
        bf.divmod(self.N, BASE, self.Q, self.R, self.CNT)
        if dst is None:
            bf.clear(self.R)
        else:
            bf.move(self.R, [(dst, 1)])

    def mul(self, a, b, out, scale=1):
        """out = scale * a * b (truncated toward zero); out must be zero."""
        bf = self.bf
        square = a is b
        maxcol = 0
        for k in range(2 * NDIG - 1):
            col = 0
            for i in range(NDIG):
                j = k - i
                if not 0 <= j < NDIG or (square and j < i):
                    continue
                factor = (2 if square and j != i else 1) * scale
                col += factor * (BASE - 1) ** 2
                # N += factor * a_i * b_j
                self.cp(b.d[j], [(self.L, 1)])
                self.cp(a.d[i], [(self.A, 1)])

                def unit(factor=factor):
                    bf.add(self.L, -1)
                    bf.move(self.A, [(self.N, factor), (self.A2, 1)])
                    bf.move(self.A2, [(self.A, 1)])
                bf.loop(self.L, unit)
                bf.clear(self.A)
            # column sum plus carry must fit a cell
            maxcol = col + maxcol // BASE
            assert maxcol <= 255, maxcol
            self.norm(out.d[k - FRAC] if FRAC <= k < FRAC + NDIG else None)
            bf.move(self.Q, [(self.N, 1)])
        bf.clear(self.N)      # carry out of the top column (zero)
        if not square:
            # sign = a.s xor b.s
            self.cp(a.s, [(self.X, 1)])
            self.cp(b.s, [(self.X, 1)])
            bf.add(self.X, -1)
            bf.if_zero(self.X, lambda: bf.add(out.s, 1))
            bf.add(self.X, 1)
            bf.clear(self.X)

    def add_signed(self, a, b, out):
        """out = a + b; out must be zero; a and b are preserved."""
        bf = self.bf
        self.cp(a.s, [(self.X, 1)])
        self.cp(b.s, [(self.X, 1)])
        bf.add(self.X, -1)
        bf.if_zero(self.X, lambda: bf.add(self.DIFF, 1))
        bf.add(self.X, 1)
        bf.clear(self.X)
        bf.add(self.SAME, 1)

        def diff():
            bf.add(self.SAME, -1)
            # out = |a| - |b| digit by digit; Q = 1 - borrow
            bf.add(self.Q, 1)
            for i in range(NDIG):
                self.cp(a.d[i], [(self.N, 1)])
                bf.add(self.N, BASE - 1)
                bf.move(self.Q, [(self.N, 1)])
                self.cp(b.d[i], [(self.N, -1)])
                self.norm(out.d[i])
            bf.move(self.Q, [(self.X, 1)])
            bf.add(self.E, 1)

            def borrow():
                # |a| < |b|: out = BASE**NDIG - out, sign of b
                bf.add(self.E, -1)
                bf.add(self.Q, 1)
                for i in range(NDIG):
                    bf.add(self.N, BASE - 1)
                    bf.move(out.d[i], [(self.N, -1)])
                    bf.move(self.Q, [(self.N, 1)])
                    self.norm(out.d[i])
                bf.clear(self.Q)
                self.cp(b.s, [(out.s, 1)])
            bf.if_zero(self.X, borrow)
            bf.once(self.E, lambda: self.cp(a.s, [(out.s, 1)]))
            bf.clear(self.X)
        bf.once(self.DIFF, diff)

        def same():
            for i in range(NDIG):
                self.cp(a.d[i], [(self.N, 1)])
                self.cp(b.d[i], [(self.N, 1)])
                bf.move(self.Q, [(self.N, 1)])
                self.norm(out.d[i])
            bf.clear(self.Q)
            self.cp(a.s, [(out.s, 1)])
        bf.once(self.SAME, same)

    def int_below(self, num, limit, flag):
        """flag += 1 if the integer part of |num| is below limit."""
        bf = self.bf
        for i in range(FRAC, NDIG):
            self.cp(num.d[i], [(self.G, BASE ** (i - FRAC))])
        for _ in range(limit):
            bf.if_zero(self.G, lambda: bf.add(flag, 1))
            bf.add(self.G, -1)
        bf.add(self.G, limit)
        bf.clear(self.G)

    # --- the program -----------------------------------------------------
    def iteration(self):
        """One z -> z^2 + c step (or escape); sets GO when continuing."""
        bf = self.bf
        # escape if |x| >= 2 or |y| >= 2 (keeps the squares in range)
        self.int_below(self.x, 2, self.F1)
        self.int_below(self.y, 2, self.F2)
        bf.once(self.F1, lambda: bf.once(self.F2, lambda: bf.add(self.OK, 1)))
        bf.clear(self.F2)

        def inside_box():
            self.mul(self.x, self.x, self.xx)
            self.mul(self.y, self.y, self.yy)
            self.add_signed(self.xx, self.yy, self.t1)
            self.int_below(self.t1, 4, self.F1)
            self.clear_num(self.t1)

            def inside_circle():
                self.mul(self.x, self.y, self.xy, 2)
                self.clear_num(self.x)
                self.clear_num(self.y)
                # x = xx - yy + cx
                bf.add(self.yy.s, 1)
                self.add_signed(self.xx, self.yy, self.t1)
                self.add_signed(self.t1, self.cx, self.x)
                self.clear_num(self.t1)
                # y = 2 xy + cy   (xy already holds 2 x y)
                self.add_signed(self.xy, self.cy, self.y)
                self.clear_num(self.xy)
                bf.add(self.COUNT, 1)
                bf.add(self.K, -1)
                bf.add(self.GO, 1)
                bf.if_zero(self.K, lambda: bf.add(self.GO, -1))
            bf.once(self.F1, inside_circle)
            self.clear_num(self.xx)
            self.clear_num(self.yy)
        bf.once(self.OK, inside_box)

    def pixel(self):
        bf = self.bf
        bf.add(self.K, MAXITER)
        bf.add(self.GO, 1)
        bf.loop(self.GO, lambda: (bf.add(self.GO, -1), self.iteration()))
        # print the character for COUNT
        for v in range(MAXITER + 1):
            def show(v=v):
                bf.add(self.P, ord(palette_char(v)))
                bf.out(self.P)
                bf.clear(self.P)
            bf.if_zero(self.COUNT, show)
            bf.add(self.COUNT, -1)
        bf.add(self.COUNT, MAXITER + 1)
        bf.clear(self.COUNT)
        bf.clear(self.K)
        self.clear_num(self.x)
        self.clear_num(self.y)

    def program(self):
        bf = self.bf
        self.set_const(self.dx, DX)
        self.set_const(self.dy, -DY)
        self.set_const(self.xmin, XMIN)
        self.set_const(self.cy, YMAX)
        bf.add(self.ROWS, ROWS)

        def row():
            self.copy_num(self.xmin, self.cx)
            bf.add(self.COLS, COLS)

            def col():
                self.pixel()
                self.add_signed(self.cx, self.dx, self.t1)
                self.clear_num(self.cx)
                self.move_num(self.t1, self.cx)
                bf.add(self.COLS, -1)
            bf.loop(self.COLS, col)
            self.clear_num(self.cx)
            bf.add(self.P, 10)
            bf.out(self.P)
            bf.clear(self.P)
            self.add_signed(self.cy, self.dy, self.t1)
            self.clear_num(self.cy)
            self.move_num(self.t1, self.cy)
            bf.add(self.ROWS, -1)
        bf.loop(self.ROWS, row)
        return bf


def gen_mandel():
    bf = Mandel().program()
    comment = (
        'mandel: ASCII picture of the Mandelbrot set computed in fixed point\n'
        '\n'
        'For each of %(rows)d rows and %(cols)d columns the point c = cx plus\n'
        'i cy is iterated as z becomes z squared plus c starting from z = 0\n'
        'for at most %(maxiter)d steps; a point escapes when the real or\n'
        'imaginary part of z reaches 2 in magnitude or when the squared\n'
        'magnitude of z reaches 4; the number of completed steps selects the\n'
        'character (points that never escape print an at sign)\n'
        '\n'
        'Arithmetic is sign and magnitude fixed point with %(ndig)d base\n'
        '%(base)d digits (one digit per cell) of which %(frac)d are\n'
        'fractional so the unit is 1/%(scale)d; multiplication is schoolbook\n'
        'column by column with carries normalised by a divmod loop and\n'
        'truncates toward zero; addition of different signs subtracts\n'
        'with borrow and negates the result if the borrow is left over\n'
        '\n'
        'cx runs from %(xmin)d/%(scale)d in steps of %(dx)d/%(scale)d and\n'
        'cy from %(ymax)d/%(scale)d down in steps of %(dy)d/%(scale)d\n'
        '\n'
        'This is a long running benchmark: see generate/bfgen_py for the\n'
        'generator and for a direct integer model of the same computation\n'
        % dict(rows=ROWS, cols=COLS, maxiter=MAXITER, ndig=NDIG, base=BASE,
               frac=FRAC, scale=SCALE, xmin=XMIN, dx=DX, ymax=YMAX, dy=DY))
    comment = comment.replace('-', ' minus ')
    return bf.text(comment)


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------

ECHO_INPUT = (
    'The quick brown fox jumps over the lazy dog.\n'
    'Grüße aus Köln — naïve café, smörgåsbord, 日本語, Ελληνικά, 🦊!\n'
    'Tabs\tand   spaces,  symbols +-<>[].,  and the end.\n'
).encode('utf-8')

GENERATORS = {
    'hello': gen_hello,
    'squares': gen_squares,
    'primes': gen_primes,
    'mandel': gen_mandel,
    'echo': gen_echo,
    'wrap': gen_wrap,
    'nested': gen_nested,
}


def write_programs(names):
    for name in names:
        text = GENERATORS[name]()
        with open(os.path.join(PROGRAMS, name + '.b'), 'w', encoding='ascii') as f:
            f.write(text)
        print('wrote %s.b (%d commands)' % (name, sum(ch in COMMANDS for ch in text)))
    if 'echo' in names:
        with open(os.path.join(PROGRAMS, 'echo.in'), 'wb') as f:
            f.write(ECHO_INPUT)


def write_outputs(names):
    sys.path.insert(0, HERE)
    import refbf
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, 'refbf')
        subprocess.check_call(['gcc', '-O2', '-o', exe, os.path.join(HERE, 'refbf.c')])
        for name in names:
            prog = os.path.join(PROGRAMS, name + '.b')
            inpath = os.path.join(PROGRAMS, name + '.in')
            inp = open(inpath, 'rb').read() if os.path.exists(inpath) else b''
            res = subprocess.run([exe, prog], input=inp, capture_output=True, check=True)
            cout = res.stdout
            print('%s: C reference: %s' % (name, res.stderr.decode().strip()))
            if name == 'mandel':
                expect = mandel_model().encode()
                assert cout == expect, 'mandel.b disagrees with the Python model'
                print('mandel: output matches the Python model')
            else:
                with open(prog, encoding='latin-1') as f:
                    pout, steps = refbf.run(f.read(), inp)
                assert pout == cout, '%s: Python and C references disagree' % name
                print('%s: Python reference: %d commands (agrees)' % (name, steps))
            with open(os.path.join(PROGRAMS, name + '.out'), 'wb') as f:
                f.write(cout)


def main():
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith('--')] or list(GENERATORS)
    if '--model' in args:
        sys.stdout.write(mandel_model())
        return
    if '--outputs' in args:
        write_outputs(names)
    else:
        write_programs(names)


if __name__ == '__main__':
    main()
