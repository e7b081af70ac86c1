namespace MetaJit.Examples.Brainfuck;

/// <summary>Source text to <see cref="BfProgram"/>. Runs at load time, natively; the JIT never sees it.</summary>
internal static class BfCompiler
{
    public static BfProgram Compile(string source, string fileName)
    {
        var ops = new List<int>();
        var args = new List<int>();
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
                        ops.RemoveRange(start, 2); args.RemoveRange(start, 2); lines.RemoveRange(start, 2);
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
        return new BfProgram(ops.ToArray(), args.ToArray(), lines.ToArray());

        void Emit(int op, int arg)
        {
            ops.Add(op);
            args.Add(arg);
            lines.Add(line);
        }

        void Fold(int op, int delta)
        {
            int last = ops.Count - 1;
            if (last >= 0 && ops[last] == op) { args[last] += delta; return; }
            Emit(op, delta);
        }
    }
}
