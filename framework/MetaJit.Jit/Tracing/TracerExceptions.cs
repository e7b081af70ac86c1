using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// Raising inside the trace, followed like any other path. Whatever raises records what makes the raise happen
// again in compiled code, and gives the exception a trace value:
//   a residual call (or a helper call)  ->  call_* + guard_exception(class); the guard's result is the exception
//   throw / rethrow / finally_end         ->  the thrown register's box, its class guarded
//   an implicit .NET check (null, bounds, cast, negative length)
//                                          ->  the guard that the check fails, then a call of the exception's
//                                              constructor (a fresh object per run, as natively)
// then throws TracedRaise, which Step catches: Raise finds the handler the way the blackhole does (innermost
// frame first, popping inlined frames) and tracing goes on there. An exception no traced frame handles escapes
// the portal: the trace aborts with that reason and the blackhole raises it from the intact frames.
internal sealed partial class Tracer
{
    /// <summary>Thrown by a tracing step that raised <see cref="Real"/>, whose trace value is <see cref="Box"/>.</summary>
    private sealed class TracedRaise(Exception real, Value box) : Exception
    {
        public Exception Real { get; } = real;
        public Value Box { get; } = box;
    }

    /// <summary>Continues at the handler of <paramref name="e"/>, or aborts when it leaves the portal.</summary>
    private void Raise(Exception e, Value box)
    {
        var type = e.GetType();
        for (var tf = _top; tf != null; tf = tf.Parent)
        {
            var handler = tf.Frame.Code.FindHandler(tf.Frame.Pc, type);
            if (handler == null) continue;
            for (var gone = _top; gone != tf; gone = gone.Parent!) CountReturnedCall(gone);
            _top = tf; // the inlined frames above it are gone, as natively
            tf.Frame.R[handler.ExceptionReg] = e;
            tf.BR[handler.ExceptionReg] = box;
            tf.Frame.Pc = handler.HandlerPc;
            return;
        }
        throw new TraceAbort("exception escaped the portal", e);
    }

    /// <summary>A call that raised <paramref name="e"/> when executed: the call (never folded: it raised) and
    /// guard_exception on the exception's exact class, whose result is the exception.</summary>
    private TracedRaise RaisedByCall(Exception e, CallDescr target, Value[] args)
    {
        var call = Record(CallOp(target.ResultKind, pure: false), args, target);
        var type = e.GetType();
        var guard = Guard(OpNum.GuardException, Array.Empty<Value>(), Descrs.Type(type), exceptionPending: true,
            callResult: target.ResultKind == ValueKind.Void ? null : call);
        _nonNull.Add(guard);
        _knownClass[guard] = type;
        return new TracedRaise(e, guard);
    }

    /// <summary>An implicit check failed (its guard already recorded): <paramref name="e"/> is created in the trace
    /// by calling its constructor with <paramref name="args"/> (constants), so each run gets a fresh exception.</summary>
    private TracedRaise RaisedImplicitly(Exception e, params Value[] args)
    {
        var type = e.GetType();
        var ctor = type.GetConstructor(args.Select(a => a.Kind == ValueKind.Ref ? typeof(string) : typeof(long)).ToArray())
            ?? throw new TraceAbort($"internal: no constructor of {type.Name} to raise it in a trace");
        var descr = Descrs.Call(ctor);
        descr.Effect = NewException;
        var exception = Record(OpNum.CallR, args, descr);
        _nonNull.Add(exception);
        _knownClass[exception] = type;
        return new TracedRaise(e, exception);
    }

    private static readonly EffectInfo NewException = new() { CanRaise = false, WritesAnything = false, CanInvalidate = false };

    /// <summary>A null dereference at this pc: guard that the reference is null, then raise.</summary>
    private TracedRaise RaisedByNull(Value box)
    {
        if (box is not Const) Guard(OpNum.GuardIsnull, new[] { box });
        return RaisedImplicitly(new NullReferenceException());
    }

    /// <summary><c>throw</c> of the exception in register <paramref name="reg"/> (or of null).</summary>
    private TracedRaise Thrown(int reg)
    {
        var value = _top.Frame.R[reg];
        var box = BR(reg);
        if (value is not Exception e) return RaisedByNull(box);
        if (box is not Const && !_nonNull.Contains(box)) Guard(OpNum.GuardNonnull, new[] { box });
        _nonNull.Add(box);
        GuardClass(box, e.GetType()); // the handler chosen depends on the class
        return new TracedRaise(e, box);
    }
}
