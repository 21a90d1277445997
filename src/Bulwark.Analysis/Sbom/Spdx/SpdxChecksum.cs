using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>A checksum: <c>algorithm</c> (<c>SHA256</c>…) and hex <c>checksumValue</c>.</summary>
public sealed record SpdxChecksum(
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("checksumValue")] string ChecksumValue);
