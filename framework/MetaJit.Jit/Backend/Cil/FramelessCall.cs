using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// What compiled code calls for a frameless call (CilEmitter.FramelessCalls.cs), one helper per result kind.
/// <c>*After</c>, once a tree's frameless wrapper returned: a finish reached without a frame left its result in the
/// context; otherwise the call left through an exit, whose frame the wrapper left in
/// <see cref="CilTraceContext.ExitFrame"/> (none when the call raised: then a fresh one), and the rest goes as after a
/// direct call (<see cref="DirectCall"/>). <see cref="Int"/> and its siblings call another trace's label with the
/// arguments in the descr's <see cref="CallAssemblerDescr.ArgumentFrame"/>: through the frameless entry of the
/// target's current tree when it has one and is valid, else as a direct call with a pooled frame.
/// </summary>
public static class FramelessCall
{
    /// <summary>The int-kind result once the frameless call returned <paramref name="code"/>.</summary>
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
            if (context.ResultBox != 0) return BoxResult(context);
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

    /// <summary><see cref="RefAfter"/> for a caller that expects a result of the class numbered <paramref name="box"/>
    /// (CilEmitter.UnboxedResults.cs): a finish that returned such a result unboxed gives
    /// <see cref="ResultBox.Unboxed"/>, its value left in <paramref name="context"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? RefAfterUnboxing(int code, CilCompiledTrace ran, CilTraceContext context, CallAssemblerDescr descr, int box)
    {
        if (code != ExitCodes.Finish || context.ExitFrame != null) return RefAfter(code, ran, context, descr);
        if (context.ResultBox == box)
        {
            context.ResultBox = 0;
            descr.UnboxedResults++;
            return ResultBox.Unboxed;
        }
        if (context.ResultBox != 0) return BoxResult(context);
        var result = context.ResultRef;
        context.ResultRef = null;
        return result;
    }

    /// <summary>The result a finish returned unboxed, boxed now for a caller that does not expect it.</summary>
    private static object BoxResult(CilTraceContext context)
    {
        var box = ResultBox.WithId(context.ResultBox);
        context.ResultBox = 0;
        return box.Box(context);
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

    /// <summary>Calls label <paramref name="entry"/> of <paramref name="target"/> with the arguments in
    /// <paramref name="descr"/>'s argument frame; returns the portal's int-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Int(CilCompiledTrace target, int entry, CallAssemblerDescr descr) =>
        Entered(target) is { } context
            ? IntAfter(context.Frameless!(context, descr.ArgumentFrame, entry + context.LabelCount, descr), target, context, descr)
            : DirectCall.Int(target, WithArguments(target, descr, out int refs), entry, descr, refs);

    /// <summary><see cref="Int"/> for a float-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Float(CilCompiledTrace target, int entry, CallAssemblerDescr descr) =>
        Entered(target) is { } context
            ? FloatAfter(context.Frameless!(context, descr.ArgumentFrame, entry + context.LabelCount, descr), target, context, descr)
            : DirectCall.Float(target, WithArguments(target, descr, out int refs), entry, descr, refs);

    /// <summary><see cref="Int"/> for a reference result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? Ref(CilCompiledTrace target, int entry, CallAssemblerDescr descr) =>
        Entered(target) is { } context
            ? RefAfter(context.Frameless!(context, descr.ArgumentFrame, entry + context.LabelCount, descr), target, context, descr)
            : DirectCall.Ref(target, WithArguments(target, descr, out int refs), entry, descr, refs);

    /// <summary><see cref="Ref"/> for a caller that expects a result of the class numbered <paramref name="box"/>
    /// (<see cref="RefAfterUnboxing"/>): the value of an unboxed result is moved into the caller's
    /// <paramref name="into"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? RefUnboxing(CilCompiledTrace target, int entry, CallAssemblerDescr descr, int box, CilTraceContext into)
    {
        if (Entered(target) is not { } context)
            return DirectCall.Ref(target, WithArguments(target, descr, out int refs), entry, descr, refs);
        var result = RefAfterUnboxing(context.Frameless!(context, descr.ArgumentFrame, entry + context.LabelCount, descr), target, context, descr, box);
        if (ReferenceEquals(result, ResultBox.Unboxed)) ResultBox.Move(context, into);
        return result;
    }

    /// <summary><see cref="Int"/> for a portal that returns nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Void(CilCompiledTrace target, int entry, CallAssemblerDescr descr)
    {
        if (Entered(target) is { } context)
            VoidAfter(context.Frameless!(context, descr.ArgumentFrame, entry + context.LabelCount, descr), target, context, descr);
        else
            DirectCall.Void(target, WithArguments(target, descr, out int refs), entry, descr, refs);
    }

    /// <summary>The context of <paramref name="target"/>'s current tree when it has frameless entries and the target
    /// is still valid; null otherwise.</summary>
    private static CilTraceContext? Entered(CilCompiledTrace target) =>
        target.Context.Invalidated ? null : target.FramelessContext;

    /// <summary>A pooled frame holding the arguments of the argument frame, whose references are cleared.</summary>
    private static DeadFrame WithArguments(CilCompiledTrace target, CallAssemblerDescr descr, out int refs)
    {
        var args = descr.ArgumentFrame;
        var (ni, nf, nr) = (args.Ints.Length, args.Floats.Length, args.Refs.Length);
        var frame = descr.FramePool!.Take(ni, nf, nr);
        Array.Copy(args.Ints, frame.Ints, ni);
        Array.Copy(args.Floats, frame.Floats, nf);
        Array.Copy(args.Refs, frame.Refs, nr);
        Array.Clear(args.Refs);
        refs = nr;
        return frame;
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
