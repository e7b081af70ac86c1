using MetaJit.Engine.Execution;

namespace MetaJit.Engine.Runtime;

// The engine's side of CanEnterJit, one class per arity (greens + reds), so the CLR specialises each for the
// interpreter's types: counting a backward jump costs a few register conversions and one hash probe.
// Only a hot key (or blackhole mode) builds a JitFrame and calls PortalRuntime.Enter.

internal sealed class PortalHook1<T1, TResult> : EnterHook<T1, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook1(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook2<T1, T2, TResult> : EnterHook<T1, T2, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook2(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook3<T1, T2, T3, TResult> : EnterHook<T1, T2, T3, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook3(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook4<T1, T2, T3, T4, TResult> : EnterHook<T1, T2, T3, T4, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook4(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        if (3 < g) Slots.Put(t, 3, a4);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        Slots.Store(frame, regs[3], a4);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        a4 = Slots.Load<T4>(at, back[3]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook5<T1, T2, T3, T4, T5, TResult> : EnterHook<T1, T2, T3, T4, T5, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook5(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        if (3 < g) Slots.Put(t, 3, a4);
        if (4 < g) Slots.Put(t, 4, a5);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        Slots.Store(frame, regs[3], a4);
        Slots.Store(frame, regs[4], a5);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        a4 = Slots.Load<T4>(at, back[3]);
        a5 = Slots.Load<T5>(at, back[4]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook6<T1, T2, T3, T4, T5, T6, TResult> : EnterHook<T1, T2, T3, T4, T5, T6, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook6(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        if (3 < g) Slots.Put(t, 3, a4);
        if (4 < g) Slots.Put(t, 4, a5);
        if (5 < g) Slots.Put(t, 5, a6);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        Slots.Store(frame, regs[3], a4);
        Slots.Store(frame, regs[4], a5);
        Slots.Store(frame, regs[5], a6);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        a4 = Slots.Load<T4>(at, back[3]);
        a5 = Slots.Load<T5>(at, back[4]);
        a6 = Slots.Load<T6>(at, back[5]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook7<T1, T2, T3, T4, T5, T6, T7, TResult> : EnterHook<T1, T2, T3, T4, T5, T6, T7, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook7(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        if (3 < g) Slots.Put(t, 3, a4);
        if (4 < g) Slots.Put(t, 4, a5);
        if (5 < g) Slots.Put(t, 5, a6);
        if (6 < g) Slots.Put(t, 6, a7);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        Slots.Store(frame, regs[3], a4);
        Slots.Store(frame, regs[4], a5);
        Slots.Store(frame, regs[5], a6);
        Slots.Store(frame, regs[6], a7);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        a4 = Slots.Load<T4>(at, back[3]);
        a5 = Slots.Load<T5>(at, back[4]);
        a6 = Slots.Load<T6>(at, back[5]);
        a7 = Slots.Load<T7>(at, back[6]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}

internal sealed class PortalHook8<T1, T2, T3, T4, T5, T6, T7, T8, TResult> : EnterHook<T1, T2, T3, T4, T5, T6, T7, T8, TResult>
{
    private readonly PortalRuntime _portal;

    public PortalHook8(PortalRuntime portal) => _portal = portal;

    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, ref T8 a8, out TResult result)
    {
        var p = _portal;
        var t = p.Cells;
        int g = p.GreenCount;
        if (0 < g) Slots.Put(t, 0, a1);
        if (1 < g) Slots.Put(t, 1, a2);
        if (2 < g) Slots.Put(t, 2, a3);
        if (3 < g) Slots.Put(t, 3, a4);
        if (4 < g) Slots.Put(t, 4, a5);
        if (5 < g) Slots.Put(t, 5, a6);
        if (6 < g) Slots.Put(t, 6, a7);
        if (7 < g) Slots.Put(t, 7, a8);
        var cell = t.Lookup();
        if (!p.IsHot(cell))
        {
            result = default!;
            return false;
        }
        var frame = p.TakeMergePointFrame();
        var regs = p.MergePointRegs;
        Slots.Store(frame, regs[0], a1);
        Slots.Store(frame, regs[1], a2);
        Slots.Store(frame, regs[2], a3);
        Slots.Store(frame, regs[3], a4);
        Slots.Store(frame, regs[4], a5);
        Slots.Store(frame, regs[5], a6);
        Slots.Store(frame, regs[6], a7);
        Slots.Store(frame, regs[7], a8);
        var outcome = p.Enter(cell, frame);
        if (outcome.HasReturned)
        {
            result = Slots.Result<TResult>(outcome);
            p.GiveBack(frame);
            return true;
        }
        var at = outcome.Frame!;
        var back = p.RegsAt(at);
        a1 = Slots.Load<T1>(at, back[0]);
        a2 = Slots.Load<T2>(at, back[1]);
        a3 = Slots.Load<T3>(at, back[2]);
        a4 = Slots.Load<T4>(at, back[3]);
        a5 = Slots.Load<T5>(at, back[4]);
        a6 = Slots.Load<T6>(at, back[5]);
        a7 = Slots.Load<T7>(at, back[6]);
        a8 = Slots.Load<T8>(at, back[7]);
        p.GiveBack(frame);
        result = default!;
        return false;
    }
}
