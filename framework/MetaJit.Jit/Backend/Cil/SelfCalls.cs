using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// What a self-call (CilEmitter.SelfCalls.cs) does once its target ran, one helper per result kind: a finish
/// reached without a frame left its result in the context; otherwise the call left through an exit, whose frame
/// the wrapper left in <see cref="CilTraceContext.ExitFrame"/> (none when the call raised: then a fresh one), and
/// the rest goes as after a direct call (<see cref="DirectCall"/>).
/// </summary>
public static class SelfCalls
{
    /// <summary>The int-kind result once the self-call returned <paramref name="code"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long IntAfter(int code, CilCompiledTrace ran, CilTraceContext context, CallAssemblerDescr descr)
    {
        if (code == ExitCodes.Finish && context.ExitFrame == null) return context.ResultInt;
        var frame = TakeFrame(context, descr);
        if (code != ExitCodes.Finish) return descr.AfterDirectInt(frame, code, ran);
        long value = frame.Ints[0];
        GiveBack(frame, descr);
        return value;
    }

    /// <summary><see cref="IntAfter"/> for a float-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double FloatAfter(int code, CilCompiledTrace ran, CilTraceContext context, CallAssemblerDescr descr)
    {
        if (code == ExitCodes.Finish && context.ExitFrame == null) return context.ResultFloat;
        var frame = TakeFrame(context, descr);
        if (code != ExitCodes.Finish) return descr.AfterDirectFloat(frame, code, ran);
        double value = frame.Floats[0];
        GiveBack(frame, descr);
        return value;
    }

    /// <summary><see cref="IntAfter"/> for a reference result (the context forgets it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? RefAfter(int code, CilCompiledTrace ran, CilTraceContext context, CallAssemblerDescr descr)
    {
        if (code == ExitCodes.Finish && context.ExitFrame == null)
        {
            var result = context.ResultRef;
            context.ResultRef = null;
            return result;
        }
        var frame = TakeFrame(context, descr);
        if (code != ExitCodes.Finish) return descr.AfterDirectRef(frame, code, ran);
        var value = frame.Refs[0];
        GiveBack(frame, descr);
        return value;
    }

    /// <summary><see cref="IntAfter"/> for a portal that returns nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void VoidAfter(int code, CilCompiledTrace ran, CilTraceContext context, CallAssemblerDescr descr)
    {
        if (code == ExitCodes.Finish && context.ExitFrame == null) return;
        var frame = TakeFrame(context, descr);
        if (code == ExitCodes.Finish) GiveBack(frame, descr);
        else descr.AfterDirectVoid(frame, code, ran);
    }

    /// <summary>The frame the call left through (the context forgets it), or a fresh one when it raised.</summary>
    private static DeadFrame TakeFrame(CilTraceContext context, CallAssemblerDescr descr)
    {
        var frame = context.ExitFrame ?? descr.FramePool!.Take();
        context.ExitFrame = null;
        return frame;
    }

    /// <summary>Gives back a frame the call finished in after leaving through an exit (any slot may hold a value).</summary>
    private static void GiveBack(DeadFrame frame, CallAssemblerDescr descr) => descr.FramePool!.GiveBack(frame);
}
