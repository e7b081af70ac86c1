using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// Runs a trace on concrete values: the reference semantics of the trace IR, against which backends and the
/// optimizer's randomized tests are checked. Inputs in (boxed long/double/object), and out comes which guard
/// failed with its fail-arg values, or the finish value (<see cref="TraceResult"/>). label/jump loops are
/// followed up to an iteration cap. Fields go through <see cref="FieldDescr"/>, arrays through
/// <see cref="ArrayDescr"/>, calls through <see cref="CallDescr.Invoke"/>. Clarity over speed.
/// </summary>
/// <example><code>var result = new TraceInterpreter().Run(TraceParser.Parse(text, ns), 0L, node);</code></example>
public sealed class TraceInterpreter
{
    private readonly Dictionary<Value, object?> _env = new(ReferenceEqualityComparer.Instance);

    /// <summary>Number of jumps back to a label after which a run stops with <see cref="TraceExitKind.IterationLimit"/>.</summary>
    public long MaxIterations { get; set; } = 10_000_000;

    /// <summary>When true, <c>guard_not_invalidated</c> fails (the compiled code it stands for was invalidated).</summary>
    public bool Invalidated { get; set; }

    /// <summary>Runs <paramref name="trace"/> from its start with <paramref name="inputs"/>.</summary>
    public TraceResult Run(TreeLoop trace, params object?[] inputs) => Run(trace, inputs, null);

    /// <summary>Runs <paramref name="trace"/> from its start, or from label <paramref name="startAt"/> with the label's args as inputs.</summary>
    public TraceResult Run(TreeLoop trace, IReadOnlyList<object?> inputs, TargetToken? startAt)
    {
        _env.Clear();
        var ops = trace.Operations;
        int pc = 0;
        IReadOnlyList<Value> entry = trace.InputArgs;
        if (startAt != null)
        {
            pc = Array.FindIndex(ops, o => o.Num == OpNum.Label && o.Descr == startAt);
            if (pc < 0) throw new ArgumentException($"Label {startAt.Name} is not in the trace.", nameof(startAt));
            entry = ops[pc].Args;
            pc++;
        }
        if (inputs.Count != entry.Count) throw new ArgumentException($"The trace takes {entry.Count} inputs, got {inputs.Count}.", nameof(inputs));
        for (int i = 0; i < entry.Count; i++) _env[entry[i]] = Coerce(entry[i].Kind, inputs[i]);

        long iterations = 0;
        bool overflow = false;
        Exception? pending = null;
        while (true)
        {
            if (pc >= ops.Length) throw new InvalidOperationException($"Trace {trace.Name} ran past its end without finish or jump.");
            var op = ops[pc++];
            switch (op.Num)
            {
                case OpNum.Label:
                case OpNum.DebugMergePoint:
                case OpNum.QuasiimmutField:
                    continue;
                case OpNum.Jump:
                {
                    var target = ops.Select((o, i) => (o, i)).FirstOrDefault(x => x.o.Num == OpNum.Label && x.o.Descr == op.Descr);
                    var values = op.Args.Select(Get).ToArray();
                    if (target.o == null) return new TraceResult { Kind = TraceExitKind.Jump, Values = values, JumpTarget = (TargetToken?)op.Descr };
                    if (++iterations > MaxIterations) return new TraceResult { Kind = TraceExitKind.IterationLimit, Values = values };
                    for (int i = 0; i < values.Length; i++) _env[target.o.Args[i]] = values[i];
                    pc = target.i + 1;
                    continue;
                }
                case OpNum.Finish:
                    return new TraceResult { Kind = TraceExitKind.Finish, Values = op.Args.Select(Get).ToArray(), FinishDescr = op.Descr };
            }
            if (op.IsGuard)
            {
                var (passed, result) = CheckGuard(op, overflow, pending);
                if (!passed)
                    return new TraceResult { Kind = TraceExitKind.GuardFailed, Guard = op, Values = op.FailArgs!.Select(Get).ToArray(), Exception = pending };
                if (op.Kind != ValueKind.Void) _env[op] = result;
                pending = null;
                continue;
            }
            if (op.Info.IsCall)
            {
                try
                {
                    var r = Call(op);
                    if (op.Kind != ValueKind.Void) _env[op] = r;
                }
                catch (Exception e) when (pc < ops.Length && ops[pc].Num is OpNum.GuardNoException or OpNum.GuardException)
                {
                    pending = e;
                }
                continue;
            }
            if (op.Info.IsOvf)
            {
                long a = I(op.Args[0]), b = I(op.Args[1]);
                long r;
                (r, overflow) = op.Num switch
                {
                    OpNum.IntAddOvf => (a + b, ((a ^ (a + b)) & (b ^ (a + b))) < 0),
                    OpNum.IntSubOvf => (a - b, ((a ^ b) & (a ^ (a - b))) < 0),
                    _ => (a * b, Math.BigMul(a, b, out long low) != (low >> 63)),
                };
                _env[op] = r;
                continue;
            }
            var value = TraceSemantics.Evaluate(op, Get);
            if (op.Kind != ValueKind.Void) _env[op] = value;
        }
    }

    private (bool Passed, object? Result) CheckGuard(ResOperation op, bool overflow, Exception? pending)
    {
        switch (op.Num)
        {
            case OpNum.GuardTrue: return (I(op.Args[0]) != 0, null);
            case OpNum.GuardFalse: return (I(op.Args[0]) == 0, null);
            case OpNum.GuardValue:
                return (op.Args[0].Kind switch
                {
                    ValueKind.Int => I(op.Args[0]) == I(op.Args[1]),
                    ValueKind.Float => BitConverter.DoubleToInt64Bits(F(op.Args[0])) == BitConverter.DoubleToInt64Bits(F(op.Args[1])),
                    _ => ReferenceEquals(R(op.Args[0]), R(op.Args[1])),
                }, null);
            case OpNum.GuardClass:
            case OpNum.GuardNonnullClass:
                return (R(op.Args[0]) is { } o && o.GetType() == (Type)R(op.Args[1])!, null);
            case OpNum.GuardNonnull: return (R(op.Args[0]) != null, null);
            case OpNum.GuardIsnull: return (R(op.Args[0]) == null, null);
            case OpNum.GuardNoException: return (pending == null, null);
            case OpNum.GuardException:
                return (pending != null && pending.GetType() == ((TypeDescr)op.Descr!).Type, pending);
            case OpNum.GuardNoOverflow: return (!overflow, null);
            case OpNum.GuardOverflow: return (overflow, null);
            case OpNum.GuardNotInvalidated: return (!Invalidated, null);
            case OpNum.GuardNotForced: return (true, null); // forcing is not implemented yet: nothing can force a frame
            default: throw new NotSupportedException($"Guard {op.Name} is not supported by the trace interpreter.");
        }
    }

    private object? Call(ResOperation op)
    {
        if (op.Num is >= OpNum.CallAssemblerI and <= OpNum.CallAssemblerN)
            throw new NotSupportedException("call_assembler is not supported by the trace interpreter yet.");
        var descr = (CallDescr)op.Descr!;
        if (descr.ArgKinds.Length != op.Args.Length)
            throw new InvalidOperationException($"{op.Name} of {descr.Name} has {op.Args.Length} args; the method takes {descr.ArgKinds.Length}.");
        var result = descr.InvokeBoxed(op.Args.Select(Get).ToArray());
        return op.Kind == ValueKind.Void ? null : result;
    }

    private object? Get(Value v) => v is Const c ? c.Boxed
        : _env.TryGetValue(v, out var x) ? x
        : throw new InvalidOperationException($"Value {v} is used before it is defined.");

    private long I(Value v) => (long)Get(v)!;
    private double F(Value v) => (double)Get(v)!;
    private object? R(Value v) => Get(v);

    private static object? Coerce(ValueKind kind, object? value) => kind switch
    {
        ValueKind.Int => value is long ? value : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ValueKind.Float => value is double ? value : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
