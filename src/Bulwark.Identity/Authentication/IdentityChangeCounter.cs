namespace Bulwark.Identity.Authentication;

/// <summary>
/// Bumped on every change made through the directory, so cached credentials and permissions are dropped at
/// once on this server. Other replicas notice within <see cref="IdentityOptions.CredentialCacheLifetime"/>.
/// </summary>
public sealed class IdentityChangeCounter
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Changed() => Interlocked.Increment(ref _version);
}
