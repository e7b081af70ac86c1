namespace MetaJit.Engine.Backend;

/// <summary>The codes <see cref="ICompiledTrace.Execute"/> returns besides guard indices (which are &gt;= 0).</summary>
public static class ExitCodes
{
    /// <summary>A <c>finish</c> ran; its value (if any) is slot 0 of the bank of its kind.</summary>
    public const int Finish = -1;

    /// <summary>A <c>jump</c> to a label of another compiled trace; the frame holds the jump args and <see cref="DeadFrame.JumpTarget"/>.</summary>
    public const int Jump = -2;

    /// <summary>Code that a call_assembler called directly raised; the exception is in the descr's <c>Raised</c>
    /// (<see cref="Descriptors.CallAssemblerDescr.AfterDirectInt"/>).</summary>
    public const int Raised = -4;

    /// <summary>A call_assembler's direct target was invalidated since the caller was compiled, so it did not run;
    /// the invocation is still to be made (<see cref="Descriptors.CallAssemblerDescr.AfterDirectInt"/>).</summary>
    public const int NotRun = -5;
}
