namespace Bulwark.LoadTool;

/// <summary>Pushes a new blob per operation, monolithic (POST + PUT) or chunked (POST + PATCH… + PUT).</summary>
public sealed class BlobPushScenario(SyntheticBlob blob, Guid runId, long? chunkSize) : ILoadScenario
{
    public ScenarioKind Kind => chunkSize is null ? ScenarioKind.BlobPush : ScenarioKind.BlobPushChunked;

    public long? BlobSize => blob.Size;

    public Task PrepareAsync(RegistryClient client, int workers, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<long> ExecuteAsync(RegistryClient client, int worker, long sequence, CancellationToken cancellationToken)
    {
        var variant = blob.CreateVariant(runId, sequence);
        if (chunkSize is { } chunk)
        {
            await client.PushBlobChunkedAsync(variant, chunk, cancellationToken);
        }
        else
        {
            using var content = variant.CreateContent();
            await client.PushBlobAsync(variant.Digest, content, cancellationToken);
        }

        return variant.Size;
    }
}
