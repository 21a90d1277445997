namespace Bulwark.Policy.Admission;

/// <summary>A group, version and kind (or resource) as AdmissionReview spells them; the core group is empty.</summary>
public sealed record GroupVersionKind(string Group, string Version, string Kind)
{
    public override string ToString() => Group.Length == 0 ? $"{Version} {Kind}" : $"{Group}/{Version} {Kind}";
}
