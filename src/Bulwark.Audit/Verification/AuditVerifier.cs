using Bulwark.Audit.Checkpoints;

namespace Bulwark.Audit.Verification;

/// <summary>Verifies the chain stored in the database against the stored checkpoints and any given ones.</summary>
public sealed class AuditVerifier(IAuditLog log, AuditCheckpoints checkpoints)
{
    /// <param name="options">Extra checkpoints (e.g. a saved one), an anchor, and the public key; without a key,
    /// this server's own checkpoint key is used.</param>
    public async Task<AuditVerificationResult> VerifyAsync(AuditVerificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stored = await checkpoints.ListAsync(cancellationToken).ConfigureAwait(false);
        using var ownKey = options.PublicKey is null ? checkpoints.LoadPublicKey() : null;
        var effective = options with
        {
            Checkpoints = [.. stored, .. options.Checkpoints],
            PublicKey = options.PublicKey ?? ownKey,
            StartFollowsCheckpoint = true,
        };
        return await AuditChainVerifier.VerifyAsync(log.ReadAsync(null, null, cancellationToken), effective, cancellationToken).ConfigureAwait(false);
    }
}
