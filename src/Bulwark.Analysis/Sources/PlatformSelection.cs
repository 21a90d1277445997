using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>Which images of a multi-platform index to analyse: one platform (default linux/amd64) or all.</summary>
public sealed record PlatformSelection
{
    public static PlatformSelection Default { get; } = Parse("linux/amd64");

    public static PlatformSelection All { get; } = new() { IsAll = true };

    public bool IsAll { get; init; }

    public string Os { get; init; } = "linux";

    public string Architecture { get; init; } = "amd64";

    public string? Variant { get; init; }

    /// <summary><c>os/arch[/variant]</c> or <c>all</c>.</summary>
    public static PlatformSelection Parse(string value)
    {
        if (value == "all")
        {
            return All;
        }

        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"platform '{value}' is not os/arch[/variant]");
        }

        return new PlatformSelection { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    public bool Matches(Platform? platform)
    {
        if (IsAll)
        {
            return true;
        }

        if (platform is null || platform.Os != Os || platform.Architecture != Architecture)
        {
            return false;
        }

        // arm64 images usually carry variant v8 or none; only a variant asked for has to match.
        return Variant is null || platform.Variant == Variant;
    }

    public override string ToString() => IsAll ? "all" : Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
