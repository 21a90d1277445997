namespace Bulwark.Analysis.Registry;

/// <summary>How a registry is reached.</summary>
public sealed record RegistrySourceOptions
{
    /// <summary>Use HTTP instead of HTTPS for a non-loopback registry (<c>--plain-http</c>). Loopback always uses HTTP.</summary>
    public bool PlainHttp { get; init; }

    /// <summary>Explicit credentials (<c>--creds</c>); when null, the auth files are searched.</summary>
    public RegistryCredential? Credential { get; init; }

    public RegistryAuthFiles AuthFiles { get; init; } = RegistryAuthFiles.FromEnvironment();

    public AnalysisLimits Limits { get; init; } = AnalysisLimits.Default;
}
