namespace Bulwark.Server.Configuration;

/// <summary>Registry limits and housekeeping, as configured (see <see cref="Bulwark.Registry.RegistryOptions"/>).</summary>
public sealed class RegistrySettings
{
    public long MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    public long MaxBlobBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    public int MaxPageSize { get; set; } = 1000;

    public TimeSpan UploadSessionTimeout { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan GcGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Collect untagged manifests older than this; unset keeps them.</summary>
    public TimeSpan? UntaggedManifestRetention { get; set; }

    /// <summary>How often the server runs garbage collection; zero disables the schedule.</summary>
    public TimeSpan GcInterval { get; set; } = TimeSpan.FromHours(6);
}
