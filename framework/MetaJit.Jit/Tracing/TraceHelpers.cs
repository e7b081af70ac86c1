using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// Operations that have no trace op of their own (unsigned division, checked conversions, boxing, ...) are
/// recorded as calls to the very methods that define them for the blackhole (<see cref="IntOps"/>,
/// <see cref="BoxOps"/>, <see cref="FloatOps"/>), with effect info saying what they may do.
/// </summary>
internal static class TraceHelpers
{
    private static readonly EffectInfo PureCanRaise = new() { IsElidable = true, CanRaise = true, WritesAnything = false, CanInvalidate = false };
    private static readonly EffectInfo PureNoRaise = new() { IsElidable = true, CanRaise = false, WritesAnything = false, CanInvalidate = false };
    private static readonly EffectInfo AllocatesOnly = new() { CanRaise = false, WritesAnything = false, CanInvalidate = false };

    public static readonly CallDescr Div = Pure(typeof(IntOps), nameof(IntOps.Div), raises: true);
    public static readonly CallDescr Mod = Pure(typeof(IntOps), nameof(IntOps.Mod), raises: true);
    public static readonly CallDescr AddOvf = Pure(typeof(IntOps), nameof(IntOps.AddOvf), raises: true);
    public static readonly CallDescr SubOvf = Pure(typeof(IntOps), nameof(IntOps.SubOvf), raises: true);
    public static readonly CallDescr MulOvf = Pure(typeof(IntOps), nameof(IntOps.MulOvf), raises: true);
    public static readonly CallDescr UDiv = Pure(typeof(IntOps), nameof(IntOps.UDiv), raises: true);
    public static readonly CallDescr UMod = Pure(typeof(IntOps), nameof(IntOps.UMod), raises: true);
    public static readonly CallDescr URshift = Pure(typeof(IntOps), nameof(IntOps.URshift), raises: false);
    public static readonly CallDescr UAddOvf = Pure(typeof(IntOps), nameof(IntOps.UAddOvf), raises: true);
    public static readonly CallDescr USubOvf = Pure(typeof(IntOps), nameof(IntOps.USubOvf), raises: true);
    public static readonly CallDescr UMulOvf = Pure(typeof(IntOps), nameof(IntOps.UMulOvf), raises: true);
    public static readonly CallDescr ConvOvf = Pure(typeof(IntOps), nameof(IntOps.ConvOvf), raises: true);
    public static readonly CallDescr UToFloat = Pure(typeof(IntOps), nameof(IntOps.UToFloat), raises: false);
    public static readonly CallDescr FromFloat = Pure(typeof(IntOps), nameof(IntOps.FromFloat), raises: false);
    public static readonly CallDescr FromFloatOvf = Pure(typeof(IntOps), nameof(IntOps.FromFloatOvf), raises: true);
    public static readonly CallDescr FloatMod = Pure(typeof(FloatOps), nameof(FloatOps.Mod), raises: false);
    public static readonly CallDescr Round32 = Pure(typeof(FloatOps), nameof(FloatOps.Round32), raises: false);
    public static readonly CallDescr Unbox = Pure(typeof(BoxOps), nameof(BoxOps.Unbox), raises: true);
    public static readonly CallDescr UnboxFloat = Pure(typeof(BoxOps), nameof(BoxOps.UnboxFloat), raises: true);
    public static readonly CallDescr Box = With(typeof(BoxOps), nameof(BoxOps.Box), AllocatesOnly);
    public static readonly CallDescr BoxFloat = With(typeof(BoxOps), nameof(BoxOps.BoxFloat), AllocatesOnly);

    private static CallDescr Pure(Type type, string name, bool raises) => With(type, name, raises ? PureCanRaise : PureNoRaise);

    private static CallDescr With(Type type, string name, EffectInfo effect)
    {
        var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(type.Name, name);
        var descr = Descrs.Call(method);
        descr.Effect = effect;
        return descr;
    }
}
