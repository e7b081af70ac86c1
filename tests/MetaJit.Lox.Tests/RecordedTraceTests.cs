using System.Text.RegularExpressions;

namespace MetaJit.Lox.Tests;

/// <summary>
/// What the tracer records, before optimization: its heap cache (TraceHeapCache) records a field read, an array
/// length or a bounds check once, not at every push and pop of Lox's stack machine.
/// </summary>
[TestFixture]
public class RecordedTraceTests
{
    private const string Program = """
        class Counter {
          init() { this.n = 0; this.total = 0; }
          add(k) { this.n = this.n + 1; this.total = this.total + k; return this; }
        }
        var c = Counter();
        var even = true;
        for (var i = 0; i < 300; i = i + 1) {
          c.add(i).add(1);
          if (even) c.add(2);
          even = !even;
        }
        print c.n;
        print c.total;
        """;

    private static readonly Regex GetField = new(@"^(\w+) = getfield_gc_\w\((\w+), descr=([\w.~]+)\)$");
    private static readonly Regex SetField = new(@"^setfield_gc\((\w+), \w+, descr=([\w.~]+)\)$");
    private static readonly Regex ArrayLength = new(@"^\w+ = arraylen_gc\((\w+),");
    private static readonly Regex BoundsCheck = new(@"^(\w+) = uint_lt\((\w+), (\w+)\)$");

    [Test]
    public void Recorded_traces_read_a_field_again_only_after_a_write_or_a_call()
    {
        var log = new StringWriter();
        var outcome = LoxRunner.Run(LoxMode.Jit, Program, traceLog: log);
        Assert.That(outcome.Stdout, Is.EqualTo("750\n45450\n"));
        var traces = Recorded(log.ToString());
        Assert.That(traces, Has.Count.GreaterThanOrEqualTo(2), "a loop and a bridge at least");
        foreach (var trace in traces)
        {
            var fields = new HashSet<(string Obj, string Field)>();
            var lengths = new HashSet<string>();
            foreach (var line in trace)
            {
                if (GetField.Match(line) is { Success: true } get)
                {
                    Assert.That(fields.Add((get.Groups[2].Value, get.Groups[3].Value)), Is.True, $"read again: {line}\n{string.Join("\n", trace)}");
                }
                else if (SetField.Match(line) is { Success: true } set)
                {
                    fields.RemoveWhere(f => f.Field == set.Groups[2].Value);
                    fields.Add((set.Groups[1].Value, set.Groups[2].Value));
                }
                else if (line.Contains("call_", StringComparison.Ordinal))
                {
                    fields.Clear();
                }
                else if (ArrayLength.Match(line) is { Success: true } length)
                {
                    Assert.That(lengths.Add(length.Groups[1].Value), Is.True, $"length read again: {line}");
                }
            }
        }
    }

    /// <summary>The recorded (not yet optimized) traces of a <c>METAJIT_LOG=traces</c> log, one list of op lines each.</summary>
    private static List<List<string>> Recorded(string log)
    {
        var traces = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith("[metajit] ", StringComparison.Ordinal))
            {
                current = line.Contains("(recorded)", StringComparison.Ordinal) ? new List<string>() : null;
                if (current != null) traces.Add(current);
            }
            else if (current != null && line.Length > 0 && !line.StartsWith('[') && !line.StartsWith('#'))
            {
                current.Add(line.Trim());
            }
        }
        return traces;
    }
}
