namespace Bulwark.Vulnerabilities.Import;

/// <summary>Where an import is.</summary>
public enum ImportStage
{
    Downloading,
    Verifying,
    Importing,
    Committed,
}
