namespace MetaJit.Lox.Runtime;

/// <summary>A method bound to its receiver (<c>obj.method</c> without a call). Prints as its function.</summary>
[Immutable]
public sealed class LoxBoundMethod
{
    /// <summary>Binds <paramref name="method"/> to <paramref name="receiver"/>.</summary>
    public LoxBoundMethod(object receiver, LoxClosure method)
    {
        Receiver = receiver;
        Method = method;
    }

    /// <summary>The value of <c>this</c> in the call.</summary>
    public readonly object Receiver;

    /// <summary>The method.</summary>
    public readonly LoxClosure Method;

    /// <inheritdoc/>
    public override string ToString() => Method.ToString();
}
