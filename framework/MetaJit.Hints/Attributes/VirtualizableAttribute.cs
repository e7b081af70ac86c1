namespace MetaJit;

/// <summary>
/// Marks the interpreter's frame class: the listed fields (and array fields written <c>"name[*]"</c>, whose
/// items are virtualized too) live in registers of the compiled code while it runs, and are written back
/// only when the frame escapes or a guard fails. Natively it means nothing.
/// <code>[Virtualizable("pc", "stack[*]", "stackDepth")] sealed class Frame { ... }</code>
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class VirtualizableAttribute : Attribute
{
    /// <summary>Declares the virtualizable fields.</summary>
    public VirtualizableAttribute(params string[] fields) => Fields = fields;

    /// <summary>The field names; a trailing <c>[*]</c> marks an array whose items are virtualized.</summary>
    public string[] Fields { get; }

    /// <summary>
    /// A promise that nothing reads a frame's virtualized fields once the portal invocation running it has
    /// returned (its caller drops it): compiled code that reaches the portal's return then does not write them
    /// back. A portal left by an exception still writes them back (stack traces read them). False by default:
    /// set it only when the interpreter never looks at a callee's frame after the call.
    /// </summary>
    public bool DeadAfterReturn { get; set; }

    /// <summary>
    /// The name of a reference field of the frame (not a virtualized one) that is null whenever no code but the
    /// portal invocation running the frame can read or write its virtualized fields and items: no callee, no
    /// residual call. Compiled code then keeps them in registers across a call made while the field is null
    /// (it checks that with a guard) instead of writing them back before and reading them again after. Null by
    /// default: every call that may look at the frame sees it written back. Lox names its frame's open
    /// upvalues, the only way a callee reaches a caller's slots.
    /// <code>[Virtualizable("Sp", "Slots[*]", PrivateWhileNull = "OpenUpvalues")]</code>
    /// </summary>
    public string? PrivateWhileNull { get; set; }
}
