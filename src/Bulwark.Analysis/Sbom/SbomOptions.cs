using System.Reflection;

namespace Bulwark.Analysis.Sbom;

/// <summary>How an SBOM is written: the clock, the document identity, the tool version.</summary>
public sealed record SbomOptions
{
    /// <summary>The clock for <c>metadata.timestamp</c> / <c>creationInfo.created</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The document's UUID (CycloneDX <c>serialNumber</c>, the end of the SPDX <c>documentNamespace</c>); a fresh random
    /// one when null. Set it for reproducible output (golden files) or to name a document the caller stores.
    /// </summary>
    public Guid? DocumentId { get; init; }

    /// <summary>The version written into the tool entries; this assembly's informational version by default.</summary>
    public string ToolVersion { get; init; } = DefaultToolVersion;

    /// <summary>
    /// Start of the SPDX <c>documentNamespace</c> (a URI that need not resolve; SPDX 2.3 §6.5): the document name and
    /// UUID are appended. The server can set its own URL here.
    /// </summary>
    public string SpdxNamespaceBase { get; init; } = "https://bulwark.invalid/spdx/";

    // Declared before Default: static initializers run in textual order, and Default's ToolVersion reads this one.
    public static string DefaultToolVersion { get; } = ReadToolVersion();

    public static SbomOptions Default { get; } = new();

    private static string ReadToolVersion()
    {
        var version = typeof(SbomOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
