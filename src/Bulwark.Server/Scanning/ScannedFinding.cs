using System.Security.Cryptography;
using System.Text;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Server.Scanning;

/// <summary>One finding as the server stores it: the identifying fields, the rating, and the scanner's full JSON.</summary>
/// <remarks>
/// A finding made by a scan keeps the scanner's <see cref="ScanFinding"/> and writes its JSON only when
/// <see cref="Document"/> is read: a re-match hashes every finding (<see cref="MatchOutcome"/>, straight from the UTF-8
/// bytes, no string made) but writes the document of only those that appeared or changed. Equality is by value, as the
/// document reads.
/// </remarks>
public sealed record ScannedFinding
{
    private readonly ScanFinding? _source;
    private string? _document;
    private string? _key;

    public ScannedFinding(string VulnerabilityId, string PackageType, string PackageName, string InstalledVersion, SeverityRating Severity,
        string Document)
    {
        ArgumentNullException.ThrowIfNull(Document);
        this.VulnerabilityId = VulnerabilityId;
        this.PackageType = PackageType;
        this.PackageName = PackageName;
        this.InstalledVersion = InstalledVersion;
        this.Severity = Severity;
        _document = Document;
    }

    /// <summary>A scanner's finding; its document (<see cref="FindingDocument.Write"/>) is written at the first read.</summary>
    public ScannedFinding(ScanFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        VulnerabilityId = finding.Finding.Id;
        PackageType = finding.Package.Type;
        PackageName = finding.Package.Name;
        InstalledVersion = finding.Package.Version;
        Severity = finding.Finding.Severity.Rating;
        _source = finding;
    }

    public string VulnerabilityId { get; }

    public string PackageType { get; }

    public string PackageName { get; }

    public string InstalledVersion { get; }

    public SeverityRating Severity { get; }

    /// <summary>The scanner's JSON of the finding (<see cref="ScanFinding"/>), as stored.</summary>
    public string Document => _document ??= FindingDocument.Write(_source!);

    /// <summary>Stable identity across re-matches (hex SHA-256, so that long names fit an indexed column).</summary>
    public string Key => _key ??= KeyOf(VulnerabilityId, PackageType, PackageName, InstalledVersion);

    /// <summary>
    /// Adds <see cref="Document"/> to a hash as <see cref="MatchOutcome"/> hashes text (its UTF-8 bytes, length first),
    /// without making the string when it is not made yet.
    /// </summary>
    internal void HashDocument(IncrementalHash hash)
    {
        if (_document is null && _source is not null)
        {
            MatchOutcome.AppendUtf8(hash, FindingDocument.Render(_source));
            return;
        }

        MatchOutcome.Append(hash, Document);
    }

    public bool Equals(ScannedFinding? other) =>
        other is not null && (ReferenceEquals(this, other) || VulnerabilityId == other.VulnerabilityId && PackageType == other.PackageType
            && PackageName == other.PackageName && InstalledVersion == other.InstalledVersion && Severity == other.Severity && Document == other.Document);

    public override int GetHashCode() => HashCode.Combine(VulnerabilityId, PackageType, PackageName, InstalledVersion, Severity);

    // SHA-256 of the four fields joined by '\n', in UTF-8; hashed from a pooled buffer, not from a joined string's bytes.
    private static string KeyOf(string vulnerabilityId, string packageType, string packageName, string installedVersion)
    {
        var length = Encoding.UTF8.GetByteCount(vulnerabilityId) + Encoding.UTF8.GetByteCount(packageType) + Encoding.UTF8.GetByteCount(packageName)
            + Encoding.UTF8.GetByteCount(installedVersion) + 3;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = Encoding.UTF8.GetBytes(vulnerabilityId, buffer);
            buffer[at++] = (byte)'\n';
            at += Encoding.UTF8.GetBytes(packageType, buffer.AsSpan(at));
            buffer[at++] = (byte)'\n';
            at += Encoding.UTF8.GetBytes(packageName, buffer.AsSpan(at));
            buffer[at++] = (byte)'\n';
            at += Encoding.UTF8.GetBytes(installedVersion, buffer.AsSpan(at));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, at), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
