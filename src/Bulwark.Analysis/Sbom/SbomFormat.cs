namespace Bulwark.Analysis.Sbom;

/// <summary>The SBOM formats Bulwark writes, with their media types (also the OCI artifact types of attached SBOMs).</summary>
public enum SbomFormat
{
    CycloneDx,
    Spdx,
}
