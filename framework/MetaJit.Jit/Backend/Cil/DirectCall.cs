using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// What a direct call (CilEmitter.DirectCalls.cs) does once its target ran, in one helper per result kind so each
/// call site's IL stays a call or two: a plain <see cref="ExitCodes.Finish"/> reads the result from slot 0 of the
/// argument frame and gives the frame back (only its first <c>refArgs</c> refs and slot 0 can hold anything);
/// any other code goes to the descr's <c>AfterDirect*</c>, which runs the rest of the invocation and takes the
/// frame back.
/// </summary>
public static class DirectCall
{
    /// <summary>Calls <paramref name="target"/> from <paramref name="entry"/> (<see cref="CilCompiledTrace.CallDirect"/>)
    /// and returns the portal's int-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Int(CilCompiledTrace target, DeadFrame frame, int entry, CallAssemblerDescr descr, int refArgs) =>
        IntAfter(target.CallDirect(frame, entry, descr), target, frame, descr, refArgs);

    /// <summary><see cref="Int"/> for a float-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Float(CilCompiledTrace target, DeadFrame frame, int entry, CallAssemblerDescr descr, int refArgs) =>
        FloatAfter(target.CallDirect(frame, entry, descr), target, frame, descr, refArgs);

    /// <summary><see cref="Int"/> for a reference result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? Ref(CilCompiledTrace target, DeadFrame frame, int entry, CallAssemblerDescr descr, int refArgs) =>
        RefAfter(target.CallDirect(frame, entry, descr), target, frame, descr, refArgs);

    /// <summary><see cref="Int"/> for a portal that returns nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Void(CilCompiledTrace target, DeadFrame frame, int entry, CallAssemblerDescr descr, int refArgs) =>
        VoidAfter(target.CallDirect(frame, entry, descr), target, frame, descr, refArgs);

    /// <summary>The int-kind result once <paramref name="ran"/> returned <paramref name="code"/> on <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long IntAfter(int code, CilCompiledTrace ran, DeadFrame frame, CallAssemblerDescr descr, int refArgs)
    {
        if (code != ExitCodes.Finish) return descr.AfterDirectInt(frame, code, ran);
        long result = frame.Ints[0];
        GiveBack(frame, descr, refArgs);
        return result;
    }

    /// <summary><see cref="IntAfter"/> for a float-kind result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double FloatAfter(int code, CilCompiledTrace ran, DeadFrame frame, CallAssemblerDescr descr, int refArgs)
    {
        if (code != ExitCodes.Finish) return descr.AfterDirectFloat(frame, code, ran);
        double result = frame.Floats[0];
        GiveBack(frame, descr, refArgs);
        return result;
    }

    /// <summary><see cref="IntAfter"/> for a reference result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object? RefAfter(int code, CilCompiledTrace ran, DeadFrame frame, CallAssemblerDescr descr, int refArgs)
    {
        if (code != ExitCodes.Finish) return descr.AfterDirectRef(frame, code, ran);
        object? result = frame.Refs[0];
        GiveBack(frame, descr, refArgs);
        return result;
    }

    /// <summary><see cref="IntAfter"/> for a portal that returns nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void VoidAfter(int code, CilCompiledTrace ran, DeadFrame frame, CallAssemblerDescr descr, int refArgs)
    {
        if (code != ExitCodes.Finish) descr.AfterDirectVoid(frame, code, ran);
        else GiveBack(frame, descr, refArgs);
    }

    private static void GiveBack(DeadFrame frame, CallAssemblerDescr descr, int refArgs)
    {
        if (descr.FramePool is { } pool) pool.GiveBack(frame, refArgs);
        else descr.Release(frame);
    }
}
