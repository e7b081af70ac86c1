using NUnit.Framework;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Jit.Tests.Resume;

/// <summary>A frame whose stack pointer and slots compiled code keeps in registers.</summary>
[Virtualizable("Sp", "Slots[*]")]
public sealed class VFrame
{
    public readonly object?[] Slots = new object?[4];
    public int Sp;
}

/// <summary>
/// A guard's pending writes (the virtualizable's fields held in registers): resuming performs them on the
/// real object before the blackhole runs, on the fast path (values straight from the dead frame) and on the
/// boxed path (used when virtual objects must be built), where the object may itself be virtual.
/// </summary>
[TestFixture]
public class PendingWritesTests
{
    private static readonly FieldDescr Sp = Descrs.Field(typeof(VFrame).GetField(nameof(VFrame.Sp))!);
    private static readonly FieldDescr Slots = Descrs.Field(typeof(VFrame).GetField(nameof(VFrame.Slots))!);

    /// <summary>One resume frame holding the vable in register r0; fail args [frame, sp, item].</summary>
    private static ResumeData Data(Dictionary<int, VirtualRecipe>? virtuals = null) =>
        new([new ResumeFrame(new JitCode(typeof(PendingWritesTests).GetMethod(nameof(Data), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!, "t") { NumRefs = 1 }, 0, [Reg.R(0).Encode()], [0])], [], false)
        {
            Writes = [new PendingWrite(0, Sp, -1, 1), new PendingWrite(0, Slots, 2, 2)],
            VableSlot = 0,
            Virtuals = virtuals,
        };

    [Test]
    public void A_guard_failure_writes_the_frames_fields_back_from_the_dead_frame()
    {
        var frame = new VFrame { Sp = 1 };
        var item = new object();
        Value[] failArgs = [new InputArg(ValueKind.Ref), new InputArg(ValueKind.Int), new InputArg(ValueKind.Ref)];
        var dead = new DeadFrame();
        dead.Write(failArgs, new object?[] { frame, 3L, item });
        var top = ResumeReader.Rebuild(Data(), failArgs, dead);
        Assert.That(top.R[0], Is.SameAs(frame));
        Assert.That(frame.Sp, Is.EqualTo(3));
        Assert.That(frame.Slots[2], Is.SameAs(item));
    }

    [Test]
    public void A_virtual_frame_is_built_once_and_receives_the_pending_writes()
    {
        var item = new object();
        var slots = new object?[4];
        var recipe = new VirtualRecipe(Descrs.Type(typeof(VFrame)), [Slots], [3]); // its Slots: fail arg 3
        var top = ResumeReader.Rebuild(Data(new() { [0] = recipe }), new object?[] { null, 2L, item, slots }, out var vable);
        var frame = (VFrame)top.R[0]!;
        Assert.That(vable, Is.SameAs(frame), "the vable the bridge tracer gets is the frame's object");
        Assert.That(frame.Sp, Is.EqualTo(2));
        Assert.That(frame.Slots, Is.SameAs(slots));
        Assert.That(slots[2], Is.SameAs(item));
    }

    /// <summary>The heap pass's kept-back item stores: array, index and value by slot (a constant index is a constant).</summary>
    private static ResumeData ItemData() =>
        new([new ResumeFrame(new JitCode(typeof(PendingWritesTests).GetMethod(nameof(ItemData), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!, "t"), 0, [], [])],
            [new ConstInt(3), new ConstInt(-9)], false)
        {
            Writes = [PendingWrite.ArrayItem(0, Descrs.Array(typeof(long)), 1, 2), PendingWrite.ArrayItem(0, Descrs.Array(typeof(long)), -1, -2)],
        };

    [Test]
    public void Array_item_writes_are_performed_from_the_dead_frame_and_from_boxed_values()
    {
        var fast = new long[4];
        Value[] failArgs = [new InputArg(ValueKind.Ref), new InputArg(ValueKind.Int), new InputArg(ValueKind.Int)];
        var dead = new DeadFrame();
        dead.Write(failArgs, new object?[] { fast, 1L, 42L });
        ResumeReader.Rebuild(ItemData(), failArgs, dead);
        Assert.That(fast, Is.EqualTo(new long[] { 0, 42, 0, -9 }));

        var boxed = new long[4];
        ResumeReader.Rebuild(ItemData(), new object?[] { boxed, 2L, 7L });
        Assert.That(boxed, Is.EqualTo(new long[] { 0, 0, 7, -9 }));
    }
}
