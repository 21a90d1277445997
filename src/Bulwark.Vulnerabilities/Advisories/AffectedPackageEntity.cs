namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>The index from a package (ecosystem, release, normalized name) to the advisories that name it.</summary>
public sealed class AffectedPackageEntity
{
    public required string Source { get; set; }

    public required string AdvisoryId { get; set; }

    /// <summary>Position among the advisory's distinct packages; part of the key only.</summary>
    public int Ordinal { get; set; }

    /// <summary>The ecosystem without its release suffix (<c>Debian</c>).</summary>
    public required string Ecosystem { get; set; }

    /// <summary>The normalized release suffix (<c>12</c>, <c>v3.19</c>), empty for language ecosystems.</summary>
    public required string Release { get; set; }

    /// <summary>The name as <see cref="PackageNames.Normalize"/> writes it.</summary>
    public required string Name { get; set; }
}
