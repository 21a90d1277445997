namespace Bulwark.LoadTool;

/// <summary>One measured operation, repeated by every worker of a run.</summary>
public interface ILoadScenario
{
    ScenarioKind Kind { get; }

    /// <summary>Blob size for blob scenarios; null for manifest scenarios.</summary>
    long? BlobSize { get; }

    /// <summary>Creates what the operation needs (blobs to pull, manifests to get), outside the measurement.</summary>
    Task PrepareAsync(RegistryClient client, int workers, CancellationToken cancellationToken);

    /// <summary>Runs the operation once; returns the payload bytes it moved.</summary>
    Task<long> ExecuteAsync(RegistryClient client, int worker, long sequence, CancellationToken cancellationToken);
}
