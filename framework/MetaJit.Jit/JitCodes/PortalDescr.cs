using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>
/// One portal: a <see cref="JitDriver"/> (found through the static field that holds it), the JitCode of the
/// method whose loop it marks, and where greens and reds live at the merge point.
/// </summary>
public sealed class PortalDescr : Descr
{
    /// <summary>Describes a portal.</summary>
    public PortalDescr(FieldInfo driverField, string[] greenNames, string[] redNames, ValueKind[] greenKinds, ValueKind[] redKinds, Type[] valueTypes)
    {
        DriverField = driverField;
        GreenNames = greenNames;
        RedNames = redNames;
        GreenKinds = greenKinds;
        RedKinds = redKinds;
        ValueTypes = valueTypes;
        Name = $"{driverField.DeclaringType?.Name}.{driverField.Name}";
    }

    /// <summary>The static readonly field that holds the driver.</summary>
    public FieldInfo DriverField { get; }

    /// <summary>The driver instance (read from <see cref="DriverField"/>).</summary>
    public JitDriver Driver => (JitDriver)DriverField.GetValue(null)!;

    /// <summary>Names of the greens, as declared.</summary>
    public string[] GreenNames { get; }
    /// <summary>Names of the reds, as declared.</summary>
    public string[] RedNames { get; }
    /// <summary>Register kinds of the greens.</summary>
    public ValueKind[] GreenKinds { get; }
    /// <summary>Register kinds of the reds.</summary>
    public ValueKind[] RedKinds { get; }
    /// <summary>The .NET types of greens then reds, as passed to the merge point.</summary>
    public Type[] ValueTypes { get; }

    /// <summary>The portal method's JitCode (set by the codewriter, or when a set read from disk adds its JitCodes),
    /// marked <see cref="JitCodes.JitCode.IsPortal"/> as it is linked.</summary>
    public JitCode? JitCode
    {
        get
        {
            if (_jitCode == null) DeferredIn?.EnsureCodes();
            return _jitCode;
        }
        set
        {
            _jitCode = value;
            if (value != null) value.IsPortal = true;
        }
    }

    private JitCode? _jitCode;

    /// <summary>The set that adds this portal's JitCode when first asked for it (<see cref="JitCodeSet.EnsureCodes"/>).</summary>
    internal JitCodeSet? DeferredIn { get; set; }

    /// <summary>The pc of the <c>jit_merge_point</c> instruction in <see cref="JitCode"/>.</summary>
    public int MergePointPc { get; set; } = -1;

    /// <summary>Kind of the out-result of <c>CanEnterJit</c> (the portal's return kind).</summary>
    public ValueKind ResultKind { get; set; } = ValueKind.Void;

    /// <inheritdoc/>
    public override string Name { get; }
}
