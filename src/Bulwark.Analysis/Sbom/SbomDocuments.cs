using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Analysis.Sbom.Spdx;

namespace Bulwark.Analysis.Sbom;

/// <summary>Builds and serializes an SBOM in a chosen format, and names the format's media type.</summary>
public static class SbomDocuments
{
    public const string CycloneDxMediaType = "application/vnd.cyclonedx+json";
    public const string SpdxMediaType = "application/spdx+json";

    public static string MediaType(SbomFormat format) => format == SbomFormat.Spdx ? SpdxMediaType : CycloneDxMediaType;

    /// <summary>The usual file name of an SBOM of this format (<c>sbom.cdx.json</c>, <c>sbom.spdx.json</c>).</summary>
    public static string FileName(SbomFormat format) => format == SbomFormat.Spdx ? "sbom.spdx.json" : "sbom.cdx.json";

    public static byte[] ToUtf8Bytes(ImageInventory inventory, SbomFormat format, SbomOptions? options = null) =>
        format == SbomFormat.Spdx
            ? SbomSerializer.ToUtf8Bytes(SpdxBuilder.Build(inventory, options))
            : SbomSerializer.ToUtf8Bytes(CycloneDxBuilder.Build(inventory, options));
}
