using System.Globalization;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>PUTs a new manifest per operation, each worker moving its own tag.</summary>
public sealed class ManifestPutScenario(BenchmarkImage image, Guid runId) : ILoadScenario
{
    public ScenarioKind Kind => ScenarioKind.ManifestPut;

    public long? BlobSize => null;

    public Task PrepareAsync(RegistryClient client, int workers, CancellationToken cancellationToken) =>
        image.EnsurePushedAsync(client, cancellationToken);

    public async Task<long> ExecuteAsync(RegistryClient client, int worker, long sequence, CancellationToken cancellationToken)
    {
        var manifest = image.CreateManifest(string.Create(CultureInfo.InvariantCulture, $"{runId:N}-{sequence}"));
        await client.PutManifestAsync(string.Create(CultureInfo.InvariantCulture, $"put-w{worker}"), manifest, MediaTypes.OciManifest, cancellationToken);
        return manifest.Length;
    }
}
