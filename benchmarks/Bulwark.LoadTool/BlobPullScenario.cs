namespace Bulwark.LoadTool;

/// <summary>Pulls blobs pushed during preparation, one distinct blob per worker.</summary>
public sealed class BlobPullScenario(SyntheticBlob blob) : ILoadScenario
{
    private readonly List<SyntheticBlobVariant> prepared = [];

    public ScenarioKind Kind => ScenarioKind.BlobPull;

    public long? BlobSize => blob.Size;

    public async Task PrepareAsync(RegistryClient client, int workers, CancellationToken cancellationToken)
    {
        var preparationRun = Guid.NewGuid();
        prepared.Clear();
        for (var worker = 0; worker < workers; worker++)
        {
            var variant = blob.CreateVariant(preparationRun, worker);
            using var content = variant.CreateContent();
            await client.PushBlobAsync(variant.Digest, content, cancellationToken);
            prepared.Add(variant);
        }
    }

    public Task<long> ExecuteAsync(RegistryClient client, int worker, long sequence, CancellationToken cancellationToken)
    {
        var variant = prepared[worker % prepared.Count];
        return client.PullBlobAsync(variant.Digest, variant.Size, cancellationToken);
    }
}
