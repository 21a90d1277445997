namespace Bulwark.Policy.Images;

/// <summary>One applicable rule: its mode and every check's result. A failing audit rule is a warning, not a failure.</summary>
public sealed record RuleResult(string Name, PolicyMode Mode, IReadOnlyList<CheckResult> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);
}
