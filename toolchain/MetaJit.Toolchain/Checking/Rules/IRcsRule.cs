namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>One RC# rule: looks at one method and reports what breaks it.</summary>
internal interface IRcsRule
{
    /// <summary>The rule's code (<see cref="RuleCodes"/>).</summary>
    string Code { get; }

    /// <summary>Reports every violation in the method.</summary>
    void Check(MethodContext method);
}
