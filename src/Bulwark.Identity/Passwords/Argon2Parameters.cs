namespace Bulwark.Identity.Passwords;

/// <summary>
/// Argon2id cost. The default is OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). The parameters are
/// stored in each hash string, so raising them later only affects new hashes.
/// </summary>
public sealed record Argon2Parameters
{
    public static Argon2Parameters Default { get; } = new();

    public int MemoryKiB { get; init; } = 19 * 1024;

    public int Iterations { get; init; } = 2;

    /// <summary>Lanes; libsodium supports exactly one.</summary>
    public int Parallelism { get; init; } = 1;
}
