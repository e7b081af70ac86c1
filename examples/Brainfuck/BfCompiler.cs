namespace MetaJit.Examples.Brainfuck;

/// <summary>Source text to <see cref="BfProgram"/>. Runs at load time, natively; the JIT never sees it.</summary>
internal static class BfCompiler
{
    public static BfProgram Compile(string source, string fileName)
    {
        var ops = new List<int>();
        var args = new List<int>();
        var offsets = new List<int>();
        var lines = new List<int>();
        var open = new Stack<(int Index, int Line, int Column)>();
        int line = 1, column = 0;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            column++;
            if (c == '\n') { line++; column = 0; continue; }
            switch (c)
            {
                case '+': case '-':
                    Fold(BfOp.Add, c == '+' ? 1 : -1);
                    break;
                case '>': case '<':
                    Fold(BfOp.Move, c == '>' ? 1 : -1);
                    break;
                case '.': Emit(BfOp.Output, 0); break;
                case ',': Emit(BfOp.Input, 0); break;
                case '[':
                    open.Push((ops.Count, line, column));
                    Emit(BfOp.JumpIfZero, -1);
                    break;
                case ']':
                    if (open.Count == 0) throw new BfSyntaxError(fileName, line, column, "unmatched ']'");
                    var start = open.Pop().Index;
                    if (ops.Count == start + 2 && ops[start + 1] == BfOp.Add && (args[start + 1] & 1) == 1)
                    {
                        // [-] / [+] (any odd step reaches zero): a clear.
                        Truncate(start);
                        Emit(BfOp.Clear, 0);
                        break;
                    }
                    if (BalancedLoop(start + 1) is { } products)
                    {
                        Truncate(start);
                        foreach (var (offset, factor) in products) Emit(BfOp.MulAdd, factor, offset);
                        Emit(BfOp.Clear, 0);
                        break;
                    }
                    Emit(BfOp.JumpIfNonZero, start + 1);
                    args[start] = ops.Count;
                    break;
            }
        }
        if (open.Count > 0)
        {
            var (_, l, col) = open.Peek();
            throw new BfSyntaxError(fileName, l, col, "unmatched '['");
        }
        return new BfProgram(ops.ToArray(), args.ToArray(), offsets.ToArray(), lines.ToArray());

        void Emit(int op, int arg, int offset = 0)
        {
            ops.Add(op);
            args.Add(arg);
            offsets.Add(offset);
            lines.Add(line);
        }

        void Truncate(int count)
        {
            int removed = ops.Count - count;
            ops.RemoveRange(count, removed); args.RemoveRange(count, removed);
            offsets.RemoveRange(count, removed); lines.RemoveRange(count, removed);
        }

        // A loop body of moves and adds that comes back to its start cell and steps that cell by 1 or -1 runs
        // exactly v times (v the cell's value, or 256 - v), so each other cell it touches gains v times a
        // constant: returns those (offset, factor) pairs, or null if the body is not of that form. The head must
        // not go past the cells it changes (the MulAdds check those offsets against the tape's ends).
        List<(int Offset, int Factor)>? BalancedLoop(int first)
        {
            int at = 0, low = 0, high = 0;
            var deltas = new List<(int Offset, int Delta)>();
            for (int i = first; i < ops.Count; i++)
            {
                if (ops[i] == BfOp.Move)
                {
                    at += args[i];
                    low = Math.Min(low, at);
                    high = Math.Max(high, at);
                }
                else if (ops[i] == BfOp.Add)
                {
                    int k = deltas.FindIndex(d => d.Offset == at);
                    if (k < 0) deltas.Add((at, args[i]));
                    else deltas[k] = (at, deltas[k].Delta + args[i]);
                }
                else
                {
                    return null;
                }
            }
            int self = deltas.FindIndex(d => d.Offset == 0);
            if (at != 0 || self < 0) return null;
            int step = ((deltas[self].Delta % 256) + 256) % 256;
            if (step != 1 && step != 255) return null;
            var products = new List<(int Offset, int Factor)>();
            int lowChanged = 0, highChanged = 0;
            foreach (var (offset, delta) in deltas)
            {
                // Stepping by -1 runs v times; by +1, 256 - v times, i.e. -v modulo 256.
                int factor = (((step == 255 ? delta : -delta) % 256) + 256) % 256;
                if (offset == 0 || factor == 0) continue;
                products.Add((offset, factor));
                lowChanged = Math.Min(lowChanged, offset);
                highChanged = Math.Max(highChanged, offset);
            }
            return low == lowChanged && high == highChanged ? products : null;
        }

        void Fold(int op, int delta)
        {
            int last = ops.Count - 1;
            if (last >= 0 && ops[last] == op) { args[last] += delta; return; }
            Emit(op, delta);
        }
    }
}
