using System.Runtime.CompilerServices;
using MetaJit.Engine.Execution;

namespace MetaJit.Engine.Runtime;

// The engine's side of CanEnterJit, one class per arity (greens + reds), so the CLR specialises each for the
// interpreter's types. Counting a backward jump at a key in the hook's recent cells (GreenEquality) costs a
// comparison per green and the counter's quiet path (PortalRuntime.IsHot); another key costs the register
// conversions and one probe of the cell table.
// Only a hot key (or blackhole mode) builds a JitFrame and calls PortalRuntime.Enter. CanEnterJit is compiled
// optimized at once: each instantiation is made at run time (ReadyToRun cannot hold it), and the tiering delay
// kept it unoptimized through most of a short program's warm-up.

internal sealed class PortalHook1<T1, TResult> : EnterHook<T1, TResult>
{
    private readonly PortalRuntime _portal;
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook1(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook2(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook3(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook4(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)) || (3 < g && !GreenEquality.Is(a4, cell, 3)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            if (3 < g) Slots.Put(t, 3, a4);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook5(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)) || (3 < g && !GreenEquality.Is(a4, cell, 3)) || (4 < g && !GreenEquality.Is(a5, cell, 4)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            if (3 < g) Slots.Put(t, 3, a4);
            if (4 < g) Slots.Put(t, 4, a5);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook6(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)) || (3 < g && !GreenEquality.Is(a4, cell, 3)) || (4 < g && !GreenEquality.Is(a5, cell, 4)) || (5 < g && !GreenEquality.Is(a6, cell, 5)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            if (3 < g) Slots.Put(t, 3, a4);
            if (4 < g) Slots.Put(t, 4, a5);
            if (5 < g) Slots.Put(t, 5, a6);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook7(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)) || (3 < g && !GreenEquality.Is(a4, cell, 3)) || (4 < g && !GreenEquality.Is(a5, cell, 4)) || (5 < g && !GreenEquality.Is(a6, cell, 5)) || (6 < g && !GreenEquality.Is(a7, cell, 6)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            if (3 < g) Slots.Put(t, 3, a4);
            if (4 < g) Slots.Put(t, 4, a5);
            if (5 < g) Slots.Put(t, 5, a6);
            if (6 < g) Slots.Put(t, 6, a7);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
    private readonly int _greens;
    private readonly JitCell?[] _recent = new JitCell?[GreenEquality.RecentSize];

    public PortalHook8(PortalRuntime portal)
    {
        _portal = portal;
        _greens = portal.GreenCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, ref T8 a8, out TResult result)
    {
        var p = _portal;
        int g = _greens;
        int slot = g == 0 ? 0 : GreenEquality.RecentSlot(a1);
        var cell = _recent[slot];
        if (cell == null || (0 < g && !GreenEquality.Is(a1, cell, 0)) || (1 < g && !GreenEquality.Is(a2, cell, 1)) || (2 < g && !GreenEquality.Is(a3, cell, 2)) || (3 < g && !GreenEquality.Is(a4, cell, 3)) || (4 < g && !GreenEquality.Is(a5, cell, 4)) || (5 < g && !GreenEquality.Is(a6, cell, 5)) || (6 < g && !GreenEquality.Is(a7, cell, 6)) || (7 < g && !GreenEquality.Is(a8, cell, 7)))
        {
            var t = p.Cells;
            if (0 < g) Slots.Put(t, 0, a1);
            if (1 < g) Slots.Put(t, 1, a2);
            if (2 < g) Slots.Put(t, 2, a3);
            if (3 < g) Slots.Put(t, 3, a4);
            if (4 < g) Slots.Put(t, 4, a5);
            if (5 < g) Slots.Put(t, 5, a6);
            if (6 < g) Slots.Put(t, 6, a7);
            if (7 < g) Slots.Put(t, 7, a8);
            cell = t.Lookup();
            _recent[slot] = cell;
        }
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
