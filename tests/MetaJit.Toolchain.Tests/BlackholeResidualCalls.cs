using System.Runtime.CompilerServices;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

/// <summary>The blackhole reuses its residual calls' argument arrays from run to run (a spare per thread): what
/// a call was given must not outlive the call, whichever way it ends.</summary>
public class BlackholeResidualCalls
{
    [Test]
    public void A_residual_call_that_throws_keeps_no_argument_alive()
    {
        var weak = CallCharAtPastTheEnd();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False, "the string passed to the throwing call is still referenced");
    }

    [Test]
    public void Runs_after_a_throwing_call_still_pass_their_own_arguments()
    {
        CallCharAtPastTheEnd();
        Assert.That(Corpus.OnBlackhole(Corpus.Method("StringsAndChars.Concat"), ["ab", 3]), Is.EqualTo("ab:3"));
        Assert.That(Corpus.OnBlackhole(Corpus.Method("StringsAndChars.CharAt"), [new string('q', 2), 1]), Is.EqualTo('q'));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CallCharAtPastTheEnd()
    {
        var text = new string('x', 5); // not interned: only this call references it
        var thrown = Corpus.OnBlackhole(Corpus.Method(nameof(StringsAndChars) + "." + nameof(StringsAndChars.CharAt)), [text, 99]);
        Assert.That(thrown, Is.EqualTo(typeof(IndexOutOfRangeException)));
        return new WeakReference(text);
    }
}
