namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>The fields of an installed RPM header that analysis uses.</summary>
public sealed record RpmPackageRecord
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Release { get; init; }

    public int? Epoch { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The <c>SOURCERPM</c> tag, e.g. <c>bash-5.1.8-6.el9.src.rpm</c>.</summary>
    public string? SourceRpm { get; init; }

    public string? License { get; init; }

    public string? Vendor { get; init; }

    public string? ModularityLabel { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary><c>[epoch:]version-release</c>, the form rpm version comparison takes.</summary>
    public string Evr => Epoch is > 0 ? $"{Epoch}:{Version}-{Release}" : $"{Version}-{Release}";
}
