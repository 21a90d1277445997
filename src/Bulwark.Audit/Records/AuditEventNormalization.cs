using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Audit.Records;

/// <summary>
/// Checks the parts of an event that come from Bulwark's own code (action, detail keys: a bad one is a bug,
/// so it throws) and cleans the parts that can come from a client (truncated to <see cref="AuditFieldLimits"/>;
/// NUL and lone surrogates replaced by U+FFFD, because PostgreSQL text cannot hold NUL and UTF-8 cannot hold
/// a lone surrogate — the stored text must be exactly the text that was hashed).
/// </summary>
internal static partial class AuditEventNormalization
{
    public static AuditEvent Normalize(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(auditEvent.Actor);
        if (!Enum.IsDefined(auditEvent.Actor.Kind))
        {
            throw new ArgumentException($"unknown actor kind {auditEvent.Actor.Kind}", nameof(auditEvent));
        }

        if (!Enum.IsDefined(auditEvent.Outcome))
        {
            throw new ArgumentException($"unknown outcome {auditEvent.Outcome}", nameof(auditEvent));
        }

        if (auditEvent.Action is null || auditEvent.Action.Length > AuditFieldLimits.Action || !ActionPattern().IsMatch(auditEvent.Action))
        {
            throw new ArgumentException($"audit action '{auditEvent.Action}' is not a lower-case dotted name", nameof(auditEvent));
        }

        return auditEvent with
        {
            Actor = auditEvent.Actor with { Id = Clean(auditEvent.Actor.Id, AuditFieldLimits.ActorId) },
            Target = Clean(auditEvent.Target, AuditFieldLimits.Target),
            ClientAddress = Clean(auditEvent.ClientAddress, AuditFieldLimits.ClientAddress),
            UserAgent = Clean(auditEvent.UserAgent, AuditFieldLimits.UserAgent),
            Reason = Clean(auditEvent.Reason, AuditFieldLimits.Reason),
            Details = NormalizeDetails(auditEvent.Details),
        };
    }

    private static SortedDictionary<string, string>? NormalizeDetails(IReadOnlyDictionary<string, string>? details)
    {
        if (details is null || details.Count == 0)
        {
            return null;
        }

        if (details.Count > AuditFieldLimits.DetailCount)
        {
            throw new ArgumentException($"an audit event has at most {AuditFieldLimits.DetailCount} details", nameof(details));
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details)
        {
            if (key.Length > AuditFieldLimits.DetailKey || !DetailKeyPattern().IsMatch(key))
            {
                throw new ArgumentException($"audit detail key '{key}' is not a short identifier", nameof(details));
            }

            sorted[key] = Clean(value, AuditFieldLimits.DetailValue) ?? string.Empty;
        }

        return sorted;
    }

    private static string? Clean(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            var width = pair ? 2 : 1;
            if (builder.Length + width > maxLength)
            {
                break;
            }

            if (pair)
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DetailKeyPattern();
}
