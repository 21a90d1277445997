namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>The component types Bulwark writes.</summary>
public static class CycloneDxComponentTypes
{
    public const string Application = "application";
    public const string Container = "container";
    public const string Library = "library";
    public const string OperatingSystem = "operating-system";
}
