using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Analysis.Sbom.Spdx;

namespace Bulwark.Analysis.Sbom;

/// <summary>Writes SBOM models as JSON (UTF-8, indented, nulls omitted; <c>+</c> and <c>&amp;</c> in purls are not \u-escaped).</summary>
public static class SbomSerializer
{
    // The documents are files, never embedded in HTML, so the relaxed encoder is safe and keeps purls readable.
    private static readonly SbomJsonContext Context = new(new JsonSerializerOptions(SbomJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Task WriteAsync(CycloneDxBom bom, Stream destination, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(destination, bom, Context.CycloneDxBom, cancellationToken);

    public static Task WriteAsync(SpdxDocument document, Stream destination, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(destination, document, Context.SpdxDocument, cancellationToken);

    public static byte[] ToUtf8Bytes(CycloneDxBom bom) => JsonSerializer.SerializeToUtf8Bytes(bom, Context.CycloneDxBom);

    public static byte[] ToUtf8Bytes(SpdxDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, Context.SpdxDocument);
}
