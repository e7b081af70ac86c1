namespace RcsViolations;

// Everything here is RC#: the checker must report nothing in this file.

public enum Kind { Add, Sub, Halt }

public abstract class Node
{
    public abstract int Eval(int x);
    public virtual string Name => "node";
}

public class AddNode : Node
{
    protected readonly int Amount;
    public AddNode(int amount) { Amount = amount; }
    public override int Eval(int x) => x + Amount;
    public override string Name => "add " + Amount.ToString();
}

public sealed class SubNode : AddNode
{
    public SubNode(int amount) : base(amount) { }
    public override int Eval(int x) => x - Amount;
}

public interface IStack<T>
{
    void Push(T value);
    T Pop();
}

public sealed class ArrayStack<T> : IStack<T>
{
    private T[] _items = new T[4];
    private int _count;

    public void Push(T value)
    {
        if (_count == _items.Length)
        {
            var grown = new T[_items.Length * 2];
            for (int i = 0; i < _count; i++) grown[i] = _items[i];
            _items = grown;
        }
        _items[_count++] = value;
    }

    public T Pop() => _count == 0 ? throw new InvalidOperationException("empty stack") : _items[--_count];
}

public sealed class Frame
{
    public int[] Registers = new int[8];
    public string Output = "";
}

public sealed class AllowedError : Exception
{
    public AllowedError(string message) : base(message) { }
}

public static class AllowedPortal
{
    private const int Limit = 1000;
    private static readonly JitDriver Driver = new(
        greens: new[] { "pc", "code" },
        reds: new[] { "frame", "stack" },
        printableLocation: g => "pc " + g[0]);
    private static readonly Node[] Nodes = { new AddNode(1), new SubNode(2) };
    private static readonly string Banner = "allowed";
    private static int s_steps;
    private static readonly Dictionary<string, int> Keywords = new() { ["and"] = 1, ["or"] = 2 };
    private static readonly Frame Initial = new() { Output = "start" };

    private static int Total(Node[] nodes, int x)
    {
        int total = 0;
        foreach (Node node in nodes) total += node.Eval(x);
        return total + Square(x);

        static int Square(int v) => v * v;
    }

    private static int Classify(string word, Kind kind)
    {
        int weight = kind switch { Kind.Add => 1, Kind.Sub => 2, _ => 3 };
        switch (word)
        {
            case "and": return weight;
            case "or": return weight * 2;
            case "not": return weight * 3;
            case "xor": return weight * 4;
            case "nand": return weight * 5;
            case "nor": return weight * 6;
            case "if": return weight * 7;
            case "else": return weight * 8;
            default:
                if (weight > 2) goto case "and";
                return Keywords.Count + Initial.Output.Length;
        }
    }

    public static int Run(Kind[] code, Frame frame)
    {
        int pc = 0;
        IStack<int> stack = new ArrayStack<int>();
        while (true)
        {
            Driver.JitMergePoint(pc, code, frame, stack);
            s_steps++;
            Kind kind = Jit.Promote(code[pc]);
            switch (kind)
            {
                case Kind.Add:
                    frame.Registers[0] += 1;
                    frame.Registers[1]++;
                    stack.Push(Nodes[pc & 1].Eval(frame.Registers[0]) + Total(Nodes, pc) + Classify("or", kind));
                    break;
                case Kind.Sub:
                    object boxed = Nodes[1];
                    if (boxed is SubNode sub) frame.Registers[2] = sub.Eval(stack.Pop());
                    var maybe = boxed as AddNode;
                    if (maybe != null) frame.Output = maybe.Name + " " + kind.ToString() + " " + pc.ToString() + Banner;
                    Jit.RecordExactClass(boxed, typeof(SubNode));
                    break;
                case Kind.Halt:
                    return frame.Registers[0];
                default:
                    throw new AllowedError("bad op " + ((int)kind).ToString());
            }
            try
            {
                if (frame.Registers[0] > Limit) throw new AllowedError("too big");
            }
            catch (AllowedError e)
            {
                frame.Output = e.Message;
            }
            finally
            {
                frame.Registers[3] = frame.Output.Length;
            }
            int target = pc + 1 < code.Length ? pc + 1 : 0;
            if (target <= pc)
            {
                pc = target;
                if (Driver.CanEnterJit(ref pc, ref code, ref frame, ref stack, out int result)) return result;
                continue;
            }
            pc = target;
        }
    }
}
