using System.Globalization;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>GETs a manifest by tag, each worker its own tag put during preparation.</summary>
public sealed class ManifestGetScenario(BenchmarkImage image, Guid runId) : ILoadScenario
{
    public ScenarioKind Kind => ScenarioKind.ManifestGet;

    public long? BlobSize => null;

    public async Task PrepareAsync(RegistryClient client, int workers, CancellationToken cancellationToken)
    {
        await image.EnsurePushedAsync(client, cancellationToken);
        for (var worker = 0; worker < workers; worker++)
        {
            var manifest = image.CreateManifest(string.Create(CultureInfo.InvariantCulture, $"{runId:N}-get-{worker}"));
            await client.PutManifestAsync(Tag(worker), manifest, MediaTypes.OciManifest, cancellationToken);
        }
    }

    public Task<long> ExecuteAsync(RegistryClient client, int worker, long sequence, CancellationToken cancellationToken) =>
        client.GetManifestAsync(Tag(worker), cancellationToken);

    private static string Tag(int worker) => string.Create(CultureInfo.InvariantCulture, $"get-w{worker}");
}
