using System.Text;

namespace MetaJit.Examples.Tests.Fuzzing;

/// <summary>
/// Writes a random Brainfuck program from a seed, built so that it ends: every loop either counts a cell that its
/// body does not touch down to zero (a counter set to a small value first), stands for a multiply-add
/// (<c>[-&gt;+++&lt;]</c>, with steps of -1 or +1 and sometimes a detour the idiom must refuse), or runs once (an
/// "if" whose body ends by clearing its cell). Bodies come back to the cell they started at, so the generator
/// always knows where the head is. Loops nest up to three deep and output often, so a wrong value shows. One
/// program in eight moves left of the first cell partway through (a runtime error).
/// </summary>
public static class BfProgramGenerator
{
    private const int Start = 24; // cells left of the first head position, so bodies may move left

    /// <summary>The program of <paramref name="seed"/>.</summary>
    public static string Generate(int seed)
    {
        var writer = new Writer(new Random(seed));
        writer.Text.Append('>', Start);
        writer.Block(depth: 0, reserved: new HashSet<int>());
        if (seed % 8 == 0) writer.Text.Append('<', Start + 40).Append("+.");
        writer.Block(depth: 0, reserved: new HashSet<int>());
        return writer.Text.ToString();
    }

    private sealed class Writer(Random random)
    {
        public readonly StringBuilder Text = new();
        private int at; // head position relative to the first head position

        // A sequence of statements that leaves the head where it found it and never changes a reserved cell (the
        // counters of the loops around it).
        public void Block(int depth, HashSet<int> reserved)
        {
            int home = at;
            int statements = random.Next(2, depth == 0 ? 14 : 6);
            for (int i = 0; i < statements; i++) Statement(depth, reserved);
            MoveTo(home);
        }

        private void Statement(int depth, HashSet<int> reserved)
        {
            int choice = random.Next(depth >= 3 ? 4 : 7);
            switch (choice)
            {
                case 0: // move somewhere near
                    MoveTo(Math.Clamp(at + random.Next(-4, 5), -Start + 4, 30));
                    break;
                case 1: // change a free cell
                    if (!reserved.Contains(at)) Add(random.Next(-12, 13));
                    break;
                case 2:
                    Text.Append('.');
                    break;
                case 3:
                    MultiplyAdd(reserved);
                    break;
                case 4:
                case 5:
                    CountedLoop(depth, reserved);
                    break;
                default:
                    IfBlock(depth, reserved);
                    break;
            }
        }

        // [- >>+++ <<<-- > ] and the like: may become MulAdds; a detour past the changed cells keeps it a loop.
        private void MultiplyAdd(HashSet<int> reserved)
        {
            if (reserved.Contains(at)) return;
            int home = at;
            bool up = random.Next(2) == 0;
            Text.Append('[').Append(up ? '+' : '-');
            int targets = random.Next(1, 4);
            for (int i = 0; i < targets; i++)
            {
                int target = home + random.Next(-3, 4);
                if (target == home || reserved.Contains(target)) continue;
                MoveTo(target);
                Add(random.Next(-5, 6));
            }
            if (random.Next(4) == 0)
            {
                // A detour to a cell the loop leaves as it was: the head still goes there, so it stays a loop.
                MoveTo(home + (random.Next(2) == 0 ? 5 : -5));
                Text.Append("+-");
            }
            MoveTo(home);
            Text.Append(']');
        }

        // Counter set to a small value, counted down by the loop; the body leaves it alone.
        private void CountedLoop(int depth, HashSet<int> reserved)
        {
            if (reserved.Contains(at)) return;
            int counter = at;
            Text.Append("[-]");
            Add(random.Next(1, depth == 0 ? 40 : 5));
            Text.Append('[');
            var inner = new HashSet<int>(reserved) { counter };
            MoveTo(counter + (random.Next(2) == 0 ? 1 : -1) * random.Next(1, 4));
            Block(depth + 1, inner);
            MoveTo(counter);
            Text.Append("-]");
        }

        // Runs its body once if the cell is not zero: the body ends by clearing that cell.
        private void IfBlock(int depth, HashSet<int> reserved)
        {
            if (reserved.Contains(at)) return;
            int cell = at;
            Text.Append('[');
            Block(depth + 1, reserved);
            MoveTo(cell);
            Text.Append(random.Next(2) == 0 ? "[-]" : "[+]").Append(']');
        }

        private void Add(int delta) => Text.Append(delta >= 0 ? '+' : '-', Math.Abs(delta));

        private void MoveTo(int target)
        {
            Text.Append(target >= at ? '>' : '<', Math.Abs(target - at));
            at = target;
        }
    }
}
