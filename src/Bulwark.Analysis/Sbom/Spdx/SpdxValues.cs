namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>Values SPDX gives a meaning to.</summary>
public static class SpdxValues
{
    public const string NoAssertion = "NOASSERTION";
    public const string None = "NONE";
}
