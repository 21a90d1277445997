namespace Bulwark.Analysis.Secrets;

/// <summary>
/// What of a secret may be shown: at most its first four characters, and never more than a quarter of it, then
/// <c>*****</c> (<c>AKIA*****</c>, <c>ghp_*****</c>, <c>s3*****</c> for an 8-character password). The full value is
/// never stored, printed or logged.
/// </summary>
public static class SecretRedaction
{
    public const string Mask = "*****";

    public static string Redact(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var keep = Math.Min(4, secret.Length / 4);
        return string.Concat(secret.AsSpan(0, keep), Mask);
    }
}
