using NUnit.Framework;

namespace MetaJit.Hints.Tests;

[TestFixture]
public class JitTests
{
    [TearDown]
    public void Defaults() => JitParams.Reset();

    [Test]
    public void Promote_returns_its_argument()
    {
        var o = new object();
        Assert.That(Jit.Promote(5), Is.EqualTo(5));
        Assert.That(Jit.Promote(2.5), Is.EqualTo(2.5));
        Assert.That(Jit.Promote(o), Is.SameAs(o));
        Assert.That(Jit.Promote<string?>(null), Is.Null);
    }

    [Test]
    public void Nothing_is_constant_and_nothing_is_jitted_natively()
    {
        Assert.That(Jit.IsConstant(1), Is.False);
        Assert.That(Jit.IsConstant("s"), Is.False);
        Assert.That(Jit.WeAreJitted(), Is.False);
    }

    [Test]
    public void Record_exact_class_checks_its_claim_natively()
    {
        Assert.DoesNotThrow(() => Jit.RecordExactClass("x", typeof(string)));
        Assert.Throws<InvalidOperationException>(() => Jit.RecordExactClass("x", typeof(object)));
    }

    [Test]
    public void Record_known_result_does_not_call_the_function_natively()
    {
        int calls = 0;
        Jit.RecordKnownResult(4, (int x) => { calls++; return x * 2; }, 2);
        Jit.RecordKnownResult(5, (int x, int y) => { calls++; return x + y; }, 2, 3);
        Assert.That(calls, Is.Zero);
    }

    [Test]
    public void Parameters_have_rpython_defaults_and_can_be_set()
    {
        Assert.That(Jit.GetParam("threshold"), Is.EqualTo("1039"));
        Assert.That(Jit.GetParam("trace_limit"), Is.EqualTo("6000"));
        Assert.That(Jit.GetParam("trace_eagerness"), Is.EqualTo("200"));
        Jit.SetParam("threshold", "3");
        Assert.That(JitParams.GetInt("threshold"), Is.EqualTo(3));
        Jit.SetParam("enable_opts", "intbounds:rewrite");
        Assert.That(Jit.GetParam("enable_opts"), Is.EqualTo("intbounds:rewrite"));
    }

    [Test]
    public void An_interpreters_default_replaces_the_frameworks_but_a_set_value_wins_in_either_order()
    {
        Jit.SetDefaultParam("threshold", "16000");
        Assert.That(JitParams.GetInt("threshold"), Is.EqualTo(16000));
        Jit.SetParam("threshold", "7");
        Jit.SetDefaultParam("threshold", "20000");
        Assert.That(JitParams.GetInt("threshold"), Is.EqualTo(7), "the user's value stays after a later default");
        Assert.That(Jit.GetParam("trace_limit"), Is.EqualTo("6000"), "other parameters keep the framework's default");
        Assert.Throws<ArgumentException>(() => Jit.SetDefaultParam("threshold", "lots"));
        JitParams.Reset();
        Assert.That(Jit.GetParam("threshold"), Is.EqualTo("1039"), "Reset forgets interpreter defaults too");
    }

    [Test]
    public void Bad_parameters_fail_with_a_clear_message()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Jit.SetParam("treshold", "3"))!;
        Assert.That(unknown.Message, Does.Contain("Unknown JIT parameter 'treshold'").And.Contain("threshold"));
        Assert.Throws<ArgumentException>(() => Jit.SetParam("threshold", "many"));
        Assert.Throws<ArgumentException>(() => Jit.SetParam("jit", "maybe"));
        Assert.Throws<ArgumentException>(() => Jit.SetParam("decay", "140"));
        var background = Assert.Throws<ArgumentException>(() => Jit.SetParam("background_compile", "on"))!;
        Assert.That(background.Message, Does.Contain("'off', 'trees' or 'all'"));
        Assert.DoesNotThrow(() => Jit.SetParam("background_compile", "all"));
        var specialize = Assert.Throws<ArgumentException>(() => Jit.SetParam("specialize_calls", "yes"))!;
        Assert.That(specialize.Message, Does.Contain("'on' or 'off'"));
        Assert.Throws<ArgumentException>(() => Jit.SetParam("max_specialized_entries", "-1"));
        var pass = Assert.Throws<ArgumentException>(() => Jit.SetParam("enable_opts", "rewrite:heep"))!;
        Assert.That(pass.Message, Does.Contain("unknown optimizer pass 'heep'").And.Contain("intbounds:rewrite"));
        Assert.DoesNotThrow(() => Jit.SetParam("enable_opts", "Rewrite:heap"));
        Assert.DoesNotThrow(() => Jit.SetParam("enable_opts", "none"));
        JitParams.Reset();
    }

    [Test]
    public void Every_attribute_exists_and_virtualizable_keeps_its_fields()
    {
        Type[] attributes =
        {
            typeof(ElidableAttribute), typeof(UnrollSafeAttribute), typeof(DontLookInsideAttribute),
            typeof(LookInsideAttribute), typeof(LoopInvariantAttribute), typeof(ImmutableAttribute),
            typeof(QuasiImmutableAttribute), typeof(ImmutableElementsAttribute), typeof(VirtualizableAttribute),
        };
        foreach (var a in attributes) Assert.That(typeof(Attribute).IsAssignableFrom(a), a.Name);
        var v = new VirtualizableAttribute("pc", "stack[*]");
        Assert.That(v.Fields, Is.EqualTo(new[] { "pc", "stack[*]" }));
    }
}
