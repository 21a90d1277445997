namespace Bulwark.Analysis.Sbom;

/// <summary>
/// Names of Bulwark's own properties (CycloneDX <c>properties</c>, SPDX annotations <c>name=value</c>), all in the
/// <c>bulwark:</c> namespace, like Trivy's <c>aquasecurity:trivy:*</c> and Syft's <c>syft:*</c>. See docs/sbom.md.
/// </summary>
public static class SbomProperties
{
    public const string ImageReference = "bulwark:image:reference";
    public const string ImageManifestDigest = "bulwark:image:manifestDigest";
    public const string ImageConfigDigest = "bulwark:image:configDigest";
    public const string ImagePlatform = "bulwark:image:platform";
    public const string ImageOs = "bulwark:image:os";
    public const string ImageArchitecture = "bulwark:image:architecture";
    public const string ImageVariant = "bulwark:image:variant";

    /// <summary>One per layer, in order from the base.</summary>
    public const string ImageDiffId = "bulwark:image:diffID";

    public const string OsPrettyName = "bulwark:os:prettyName";
    public const string OsCodename = "bulwark:os:codename";
    public const string OsVersionId = "bulwark:os:versionID";

    public const string PackageType = "bulwark:package:type";
    public const string PackageArchitecture = "bulwark:package:architecture";
    public const string FoundIn = "bulwark:package:foundIn";
    public const string SourceName = "bulwark:package:sourceName";
    public const string SourceVersion = "bulwark:package:sourceVersion";
    public const string Direct = "bulwark:package:direct";
    public const string Development = "bulwark:package:development";
    public const string LayerIndex = "bulwark:layer:index";
    public const string LayerDiffId = "bulwark:layer:diffID";
    public const string LayerDigest = "bulwark:layer:digest";
}
