using MetaJit.Engine.Descriptors;
using MetaJit.Toolchain.Loading;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

public class LivenessAndPortals
{
    [Test]
    public void Only_greens_and_reds_are_live_at_the_merge_point()
    {
        var code = Corpus.Code(typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!);
        var portal = Corpus.Set.Portals.Single(p => p.JitCode == code);
        var mp = code.Code[portal.MergePointPc];
        var live = code.Liveness![portal.MergePointPc];
        var liveRegs = live.Ints.Select(Reg.I).Concat(live.Floats.Select(Reg.F)).Concat(live.Refs.Select(Reg.R)).ToHashSet();
        Assert.That(liveRegs, Is.SubsetOf(mp.Args!.Select(Reg.Decode)));
        Assert.That(portal.GreenNames, Is.EqualTo(new[] { "pc", "code" }));
        Assert.That(portal.GreenKinds, Is.EqualTo(new[] { ValueKind.Int, ValueKind.Ref }));
        Assert.That(portal.ResultKind, Is.EqualTo(ValueKind.Int));
    }

    [Test]
    public void A_register_is_dead_after_its_last_use_and_live_before_it()
    {
        var code = Corpus.Code(Corpus.Method("Arithmetic.AddWrap"));
        // int_add/32 %i? <- %i0, %i1 ; int_return
        Assert.That(code.Liveness![0].Ints, Is.EquivalentTo(new[] { 0, 1 }));
        Assert.That(code.Liveness[^1].Ints, Has.Length.EqualTo(1));
    }

    [Test]
    public void Registers_used_by_a_catch_handler_are_live_throughout_its_try()
    {
        var code = Corpus.Code(Corpus.Method("ControlFlow.NestedFinally"));
        var h = code.Handlers.First();
        foreach (var pc in Enumerable.Range(h.Start, h.End - h.Start))
            Assert.That(code.Liveness![pc].Ints.Intersect(code.Liveness[h.HandlerPc].Ints), Is.EquivalentTo(code.Liveness[h.HandlerPc].Ints.Where(r => code.Liveness[pc].Ints.Contains(r))));
        Assert.That(code.Handlers.Length, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void A_local_live_at_the_merge_point_that_is_neither_green_nor_red_is_an_error_with_file_and_line()
    {
        var e = Assert.Throws<CodewriterException>(() =>
            JitCodeSetBuilder.Build(typeof(TinyVm).Assembly, new[] { typeof(LeakyVm).GetMethod(nameof(LeakyVm.Run))! }, portalRoots: false))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.Message, Does.Contain("local 'total' is live at the merge point but is neither green nor red"));
        Assert.That(e.Message, Does.Match(@"Hinted\.cs:\d+: "));
    }

    [Test]
    public void The_portal_runs_on_the_blackhole_like_natively()
    {
        var run = typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!;
        var program = new[] { 0, 3, 1, 2 };
        Assert.That(Blackhole.Call(Corpus.Code(run), program, 5), Is.EqualTo(TinyVm.Run(program, 5)));
    }

    [Test]
    public void Hints_become_their_own_operations()
    {
        var code = Corpus.Code(typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!);
        var ops = code.Code.Select(i => i.Op).ToHashSet();
        Assert.That(ops, Is.SupersetOf(new[] { JitOpcode.JitMergePoint, JitOpcode.CanEnterJit, JitOpcode.PromoteInt, JitOpcode.RecordKnownResult, JitOpcode.IsConstant }));
        var known = code.Code.Single(i => i.Op == JitOpcode.RecordKnownResult);
        Assert.That(((CallDescr)known.Descr!).Method.Name, Is.EqualTo(nameof(TinyVm.Twice)));
        Assert.That(((CallDescr)known.Descr!).Effect.IsElidable, Is.True);
    }

    [Test]
    public void Code_outside_RC_sharp_is_an_error_with_file_and_line()
    {
        var e = Assert.Throws<CodewriterException>(() =>
            JitCodeSetBuilder.Build(typeof(TinyVm).Assembly, new[] { typeof(Unsupported).GetMethod(nameof(Unsupported.Lambda))! }, portalRoots: false))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.File, Does.EndWith("Hinted.cs"));
        Assert.That(e.Line, Is.GreaterThan(0));
    }

    [Test]
    public void A_method_with_struct_locals_is_called_not_looked_inside()
    {
        var interpolate = Corpus.Method("StringsAndChars.Interpolate");
        Assert.That(Corpus.Set.Find(interpolate), Is.Null);
        var caller = Corpus.Code(Corpus.Method("StringsAndChars.CallsInterpolate"));
        Assert.That(caller.Code.Any(i => i.Op == JitOpcode.ResidualCall && ((CallDescr)i.Descr!).Method == interpolate));
    }

    [Test]
    public void The_call_graph_says_what_is_looked_inside_and_why()
    {
        var g = JitCodeSetBuilder.Graph!;
        _ = Corpus.Set;
        var set = JitCodeSetBuilder.Build(typeof(TinyVm).Assembly, new[] { Corpus.Method("Objects.Virtuals") }, portalRoots: false);
        g = JitCodeSetBuilder.Graph!;
        var area = g.Nodes.Where(n => n.Method.Name == "Area").ToList();
        Assert.That(area.Where(n => n.LookInside).Select(n => n.Method.DeclaringType!.Name), Is.SupersetOf(new[] { "Square", "Circle", "Ring" }));
        Assert.That(area.Single(n => n.Method.DeclaringType == typeof(Shape)).Reason, Does.Contain("abstract"));
        Assert.That(set.Find(typeof(Square).GetMethod("Area")!), Is.Not.Null);
    }
}
