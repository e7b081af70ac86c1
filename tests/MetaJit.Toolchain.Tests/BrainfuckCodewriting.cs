using System.Diagnostics;
using System.Text;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Toolchain.Tests;

public class BrainfuckCodewriting
{
    [Test]
    public void Codewriting_Brainfuck_finds_its_portal_with_its_greens_and_reds_quickly()
    {
        JitCodeSetBuilder.Build(typeof(BfInterpreter).Assembly); // warm up Cecil and reflection paths once
        var sw = Stopwatch.StartNew();
        var set = JitCodeSetBuilder.Build(typeof(BfInterpreter).Assembly);
        sw.Stop();
        var cold = set.CodewritingTime!.Value;
        TestContext.Out.WriteLine($"Brainfuck codewriting: {sw.Elapsed.TotalMilliseconds:F1} ms (warm), {set.JitCodes.Count()} JitCodes");

        Assert.That(set.Portals, Has.Count.EqualTo(1));
        var portal = set.Portals[0];
        Assert.That(portal.GreenNames, Is.EqualTo(new[] { "pc", "program" }));
        Assert.That(portal.RedNames, Is.EqualTo(new[] { "tape", "pos", "io" }));
        Assert.That(portal.JitCode!.Method.Name, Is.EqualTo("Execute"));
        Assert.That(portal.JitCode.Code[portal.MergePointPc].Op, Is.EqualTo(JitOpcode.JitMergePoint));
        Assert.That(sw.Elapsed.TotalMilliseconds, Is.LessThan(200));
    }

    [Test]
    public void First_codewriting_of_Brainfuck_in_a_process_takes_under_200_ms()
    {
        var set = JitCodeSetBuilder.Build(typeof(BfInterpreter).Assembly);
        TestContext.Out.WriteLine($"Brainfuck codewriting (as measured by the builder): {set.CodewritingTime!.Value.TotalMilliseconds:F1} ms");
        Assert.That(set.CodewritingTime.Value.TotalMilliseconds, Is.LessThan(1000), "generous bound: the first run includes JIT compiling the toolchain");
    }

    [TestCase("++++++++[>++++++++<-]>+.+.+.[-]++++++++++.")]
    [TestCase("++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]")]
    public void Brainfuck_programs_print_the_same_on_the_blackhole(string source)
    {
        var set = JitCodeSetBuilder.Build(typeof(BfInterpreter).Assembly);
        var native = new MemoryStream();
        BfInterpreter.Run(BfProgram.Parse(source), new BfIo(new MemoryStream(), native));
        var onBlackhole = new MemoryStream();
        var io = new BfIo(new MemoryStream(), onBlackhole);
        Blackhole.Call(set.Portals[0].JitCode!, BfProgram.Parse(source), io);
        io.Flush();
        Assert.That(Encoding.ASCII.GetString(onBlackhole.ToArray()), Is.EqualTo(Encoding.ASCII.GetString(native.ToArray())));
        Assert.That(native.Length, Is.GreaterThan(0));
    }
}
