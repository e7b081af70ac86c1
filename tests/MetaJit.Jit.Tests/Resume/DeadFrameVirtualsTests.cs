using NUnit.Framework;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Jit.Tests.Resume;

/// <summary>An object the optimizer may leave virtual: one field of each kind.</summary>
public sealed class VNode
{
    public long Count;
    public double Weight;
    public object? Next;
}

/// <summary>
/// Leaving compiled code through a guard whose resume data holds virtual objects: resume builds them straight
/// from the dead frame (typed, no boxing), and the result is the one the boxed path builds from the same values:
/// each virtual built once and shared by every register and field naming it, cycles closed, items and fields of
/// every kind, constants in value slots, and pending writes into a virtual.
/// </summary>
[TestFixture]
public class DeadFrameVirtualsTests
{
    private static readonly FieldDescr Count = Descrs.Field(typeof(VNode).GetField(nameof(VNode.Count))!);
    private static readonly FieldDescr Weight = Descrs.Field(typeof(VNode).GetField(nameof(VNode.Weight))!);
    private static readonly FieldDescr Next = Descrs.Field(typeof(VNode).GetField(nameof(VNode.Next))!);

    // Fail args: 0 node (virtual), 1 count, 2 weight, 3 array (virtual), 4 other (real object), 5 loop (virtual,
    // its Next is itself). Registers: r0 node, r1 node again, r2 array, r3 loop, i0 count, f0 weight.
    private static readonly Value[] FailArgs =
    [
        new InputArg(ValueKind.Ref), new InputArg(ValueKind.Int), new InputArg(ValueKind.Float),
        new InputArg(ValueKind.Ref), new InputArg(ValueKind.Ref), new InputArg(ValueKind.Ref),
    ];

    private static ResumeData Data()
    {
        var code = new JitCode(typeof(DeadFrameVirtualsTests).GetMethod(nameof(Data), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!, "t")
        {
            NumRefs = 4, NumInts = 1, NumFloats = 1,
        };
        int[] regs = [Reg.R(0).Encode(), Reg.R(1).Encode(), Reg.R(2).Encode(), Reg.R(3).Encode(), Reg.I(0).Encode(), Reg.F(0).Encode()];
        int[] slots = [0, 0, 3, 5, 1, 2];
        return new ResumeData([new ResumeFrame(code, 7, regs, slots)], [new ConstPtr("tail"), new ConstInt(-5)], false)
        {
            Virtuals = new()
            {
                [0] = new VirtualRecipe(Descrs.Type(typeof(VNode)), [Count, Weight, Next], [1, 2, 4]),
                [3] = new VirtualRecipe(Descrs.Array(typeof(object)), [], [0, -1, 4], Length: 4),
                [5] = new VirtualRecipe(Descrs.Type(typeof(VNode)), [Count, Next], [-2, 5]),
            },
            // A pending write into the virtual node: its Count becomes the constant -5 after it is built.
            Writes = [new PendingWrite(0, Count, -1, -2)],
        };
    }

    [Test]
    public void Virtuals_built_from_the_dead_frame_match_the_boxed_path()
    {
        var other = new object();
        var dead = new DeadFrame();
        dead.Write(FailArgs, new object?[] { null, 12L, 2.5, null, other, null });
        var fast = ResumeReader.Rebuild(Data(), FailArgs, dead);
        var boxed = ResumeReader.Rebuild(Data(), new object?[] { null, 12L, 2.5, null, other, null });

        foreach (var top in new[] { fast, boxed })
        {
            Assert.That(top.Pc, Is.EqualTo(7));
            var node = (VNode)top.R[0]!;
            Assert.That(top.R[1], Is.SameAs(node), "one virtual, built once");
            Assert.That((node.Count, node.Weight, node.Next), Is.EqualTo((-5L, 2.5, other)), "fields, then the pending write");
            var array = (object?[])top.R[2]!;
            Assert.That(array, Has.Length.EqualTo(4));
            Assert.That(array[0], Is.SameAs(node), "an item naming the virtual node is that node");
            Assert.That(array[1], Is.EqualTo("tail"));
            Assert.That(array[2], Is.SameAs(other));
            Assert.That(array[3], Is.Null);
            var loop = (VNode)top.R[3]!;
            Assert.That(loop.Next, Is.SameAs(loop), "a cycle through a virtual closes on the object itself");
            Assert.That(loop.Count, Is.EqualTo(-5));
            Assert.That((top.I[0], top.F[0]), Is.EqualTo((12L, 2.5)));
        }
    }
}
